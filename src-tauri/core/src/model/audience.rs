//! What Microsoft's answers taught about a Library Entra app's audience: single-tenant
//! ("Accounts in this organizational directory only", registered in one tenant) or
//! multitenant. Microsoft's facts (Learn: quickstart-register-app, reference-error-codes):
//! a single-tenant app signs in only accounts of the tenant it is registered in; elsewhere
//! it gets AADSTS700016, and at `organizations`/`common` AADSTS50194. So 50194 says
//! "single-tenant", 700016 at T says "not usable in T", a token request that worked at T
//! after that says "registered in T", and two tenants that worked say "multitenant".
//! Kept beside the settings, never in the entry's values: those are the admin's (or the
//! policy's), and the admin's "Single-tenant app's tenant" wins over anything learned.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::ids::TenantId;

/// The app's audience, as far as Microsoft's answers showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    /// Microsoft answered AADSTS`said` (50194 or 700016); `home` is the tenant a token
    /// request worked in after that, the only one such an app signs in.
    SingleTenant { said: u32, home: Option<TenantId> },
    /// Token requests worked in two tenants or more.
    MultiTenant,
}

/// The lessons for one app (by Client ID), with the tenants seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnedAudience {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// Tenants (lowercase) a token request worked in, since the last single-tenant answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_in: Vec<TenantId>,
    /// Tenants that answered AADSTS700016 since the last token request that worked there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused_in: Vec<TenantId>,
}

impl LearnedAudience {
    /// Takes in Microsoft's answer to a token request (or sign-in) at `tenant`: `Ok` when it
    /// worked. Only a tenant GUID tells where it worked; `organizations` or a domain does not.
    /// Returns whether anything was learned.
    pub fn hear(&mut self, tenant: &TenantId, answer: Result<(), &Error>) -> bool {
        let before = self.clone();
        match answer {
            Ok(()) if tenant.is_guid() => self.worked_in(tenant.clone()),
            Err(Error::Entra { code: Some(said @ 50194), .. }) => self.single_tenant(*said),
            Err(Error::Entra { code: Some(said @ 700016), .. }) => {
                self.signed_in.retain(|t| t != tenant);
                if !self.refused_in.contains(tenant) {
                    self.refused_in.push(tenant.clone());
                }
                if let Some(Audience::SingleTenant { home, .. }) = &mut self.audience {
                    // Refused in what looked like its home: the app (or its Client ID) changed.
                    home.take_if(|h| h == tenant);
                }
                self.single_tenant(*said);
            }
            _ => {}
        }
        *self != before
    }

    fn worked_in(&mut self, tenant: TenantId) {
        self.refused_in.retain(|t| *t != tenant);
        if !self.signed_in.contains(&tenant) {
            self.signed_in.push(tenant.clone());
        }
        match &mut self.audience {
            Some(Audience::SingleTenant { home: home @ None, .. }) => *home = Some(tenant),
            _ if self.signed_in.len() > 1 => {
                self.audience = Some(Audience::MultiTenant);
                self.refused_in.clear();
            }
            _ => {}
        }
    }

    /// A single-tenant answer: what worked before it (the app may have been multitenant then)
    /// no longer shows where it is registered; the next token request that works does.
    fn single_tenant(&mut self, said: u32) {
        if !matches!(self.audience, Some(Audience::SingleTenant { .. })) {
            self.audience = Some(Audience::SingleTenant { said, home: None });
            self.signed_in.clear();
        }
    }

    /// The tenant a single-tenant app is registered in, and the AADSTS code that showed it
    /// single-tenant, once both are known.
    pub fn home(&self) -> Option<(&TenantId, u32)> {
        match &self.audience {
            Some(Audience::SingleTenant { said, home: Some(home) }) => Some((home, *said)),
            _ => None,
        }
    }

    /// One plain line for the Library card, when anything was learned.
    pub fn line(&self) -> Option<String> {
        Some(match self.audience.as_ref()? {
            Audience::SingleTenant { home: Some(home), said } => {
                format!("Single-tenant, registered in tenant {home} (learned from a sign-in and AADSTS{said})")
            }
            Audience::SingleTenant { home: None, said } => {
                format!("Single-tenant (Microsoft answered AADSTS{said}); its tenant is learned at its next sign-in that works")
            }
            Audience::MultiTenant => format!("Multitenant (signed in users of {} tenants)", self.signed_in.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "11111111-1111-4111-8111-111111111111";
    const B: &str = "22222222-2222-4222-8222-222222222222";

    fn t(id: &str) -> TenantId {
        TenantId::parse(id).unwrap()
    }

    fn said(code: u32) -> Error {
        Error::Entra { code: Some(code), message: String::new(), hint: String::new(), detail: String::new() }
    }

    #[test]
    fn fifty_194_then_a_sign_in_teaches_the_home() {
        let mut l = LearnedAudience::default();
        assert!(l.hear(TenantId::organizations(), Err(&said(50194))));
        assert_eq!(l.home(), None);
        assert!(l.hear(&t(A), Ok(())));
        assert_eq!(l.home(), Some((&t(A), 50194)));
        assert!(!l.hear(&t(A), Ok(())), "nothing new");
        assert!(l.line().unwrap().contains(A));
    }

    #[test]
    fn two_tenants_that_worked_make_it_multitenant_and_a_later_700016_single_tenant_again() {
        let mut l = LearnedAudience::default();
        l.hear(&t(A), Ok(()));
        assert_eq!(l.audience, None, "one tenant says nothing about the audience");
        l.hear(&t(B), Ok(()));
        assert_eq!(l.audience, Some(Audience::MultiTenant));
        assert_eq!(l.line().unwrap(), "Multitenant (signed in users of 2 tenants)");
        l.hear(&t(B), Err(&said(700016)));
        assert_eq!(l.audience, Some(Audience::SingleTenant { said: 700016, home: None }));
        l.hear(&t(A), Ok(()));
        assert_eq!(l.home(), Some((&t(A), 700016)));
        l.hear(&t(B), Ok(()));
        assert_eq!(l.audience, Some(Audience::MultiTenant), "a single-tenant app never works in a second tenant");
    }

    #[test]
    fn other_answers_and_shared_endpoints_teach_nothing() {
        let mut l = LearnedAudience::default();
        assert!(!l.hear(TenantId::organizations(), Ok(())));
        assert!(!l.hear(&t(A), Err(&said(90094))));
        assert!(!l.hear(&t(A), Err(&Error::SignInCancelled)));
        assert_eq!(l, LearnedAudience::default());
    }
}
