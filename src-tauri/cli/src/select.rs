//! Which installation a command means: by id, or by organization and project
//! (case-insensitive, as Azure DevOps compares them); with no selection, the only one.

use connector_core::model::installation::{Installation, InstallationId};
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

    /// `id`: the `--installation` given, parsed (`Some(None)`: text that is no installation id).
    fn matches(&self, id: Option<Option<&InstallationId>>, i: &Installation) -> bool {
        let same = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w.eq_ignore_ascii_case(have));
        id.is_none_or(|id| id == Some(&i.id)) && same(&self.org, &i.organization) && same(&self.project, &i.project)
    }

    pub fn pick<'a>(&self, all: &'a [Installation]) -> Result<&'a Installation, Error> {
        // Text that is no installation id names none of them: `no_installation` lists the ids.
        let id = self.installation.as_deref().map(|text| InstallationId::parse(text).ok());
        let found: Vec<&Installation> = all.iter().filter(|i| self.matches(id.as_ref().map(Option::as_ref), i)).collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(Error::NoInstallation { wanted: self.wanted(), available: all.iter().map(describe).collect() }),
            many => Err(Error::AmbiguousInstallation { choices: many.iter().map(|i| describe(i)).collect() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn installation(id: &str) -> Installation {
        serde_json::from_value(serde_json::json!({
            "id": id, "connector": "azure-devops", "organization": "contoso", "project": "Website",
            "project_id": "p1", "auth_type": "legacy", "source": "shared", "scopes": "vso.work",
            "user": { "display_name": "Ann", "email": "ann@contoso.com", "id": "u1" },
            "access_expires_at": 0, "last_refreshed_at": null, "created_at": 0
        }))
        .unwrap()
    }

    #[test]
    fn an_installation_is_picked_by_its_id_and_text_that_is_no_id_names_none() {
        let all = [installation("k3x9q2m7p4ta"), installation("z8w1v5n0c6rb")];
        let by_id = |text: &str| Selection { installation: Some(text.into()), ..Selection::default() }.pick(&all).map(|i| i.id.to_string());
        assert_eq!(by_id("z8w1v5n0c6rb").unwrap(), "z8w1v5n0c6rb");
        for unknown in ["nope", "../k3x9q2m7p4ta", ""] {
            let e = by_id(unknown).unwrap_err();
            assert_eq!(e.code(), "no_installation", "{unknown:?}: as any id not installed, it lists the ids");
            assert!(e.hint().contains("--installation k3x9q2m7p4ta"), "{unknown:?}: {}", e.hint());
        }
    }
}
