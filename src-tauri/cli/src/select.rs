//! Which installation a command means: by id, or by organization and project
//! (case-insensitive, as Azure DevOps compares them); with no selection, the only one.

use connector_core::model::installation::Installation;
use connector_core::Error;

#[derive(Debug, Default)]
pub struct Selection {
    pub org: Option<String>,
    pub project: Option<String>,
    pub installation: Option<String>,
}

fn describe(i: &Installation) -> String {
    format!("{}/{} (--installation {})", i.organization, i.project, i.id)
}

impl Selection {
    fn wanted(&self) -> String {
        let mut parts = Vec::new();
        if let Some(id) = &self.installation {
            parts.push(format!("installation {id}"));
        }
        if let Some(o) = &self.org {
            parts.push(format!("organization {o}"));
        }
        if let Some(p) = &self.project {
            parts.push(format!("project {p}"));
        }
        if parts.is_empty() {
            "(no selection)".into()
        } else {
            parts.join(", ")
        }
    }

    fn matches(&self, i: &Installation) -> bool {
        let same = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w.eq_ignore_ascii_case(have));
        self.installation.as_deref().is_none_or(|id| id == i.id) && same(&self.org, &i.organization) && same(&self.project, &i.project)
    }

    pub fn pick<'a>(&self, all: &'a [Installation]) -> Result<&'a Installation, Error> {
        let found: Vec<&Installation> = all.iter().filter(|i| self.matches(i)).collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::NoInstallation { wanted: self.wanted(), available: all.iter().map(describe).collect() }),
            many => Err(Error::AmbiguousInstallation { choices: many.iter().map(|i| describe(i)).collect() }),
        }
    }
}
