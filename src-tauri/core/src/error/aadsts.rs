//! The AADSTS codes of Microsoft Entra ID that the app explains: one table, read
//! for an error's stable code and for its message and fix. Keyed by number (Entra's
//! `error_codes`, or the number that starts a description), never by wording.
//! <https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes>

/// What a code means for the person signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Something to change (the app registration, a setting, a secret): the hint says what.
    Fix,
    /// The sign-in expired or was revoked: signing in again helps.
    SignInAgain,
    /// The user declined.
    Declined,
    /// Blocked by the organization's Conditional Access: signing in again does not help;
    /// the admin or the device must change.
    ConditionalAccess,
}

pub struct Aadsts {
    pub number: u32,
    /// The stable error code the window and the command line show.
    pub code: &'static str,
    pub meaning: Meaning,
    pub message: &'static str,
    pub hint: &'static str,
}

const CA_HINT: &str = "Signing in again won't help: your organization's admin must change the policy, or your device must meet it (for example by enrolling it or installing updates). Give them this code.";

pub const TABLE: &[Aadsts] = &[
    Aadsts { number: 50011, code: "redirect_uri_mismatch", meaning: Meaning::Fix, message: "The redirect URI doesn't match the app registration (AADSTS50011).", hint: "In the app registration, add http://localhost under \"Mobile and desktop applications\" (Authentication → Add a platform)." },
    Aadsts { number: 65001, code: "consent_required", meaning: Meaning::Fix, message: "Nobody has consented to this app's permissions yet (AADSTS65001).", hint: "Sign in again and accept the consent prompt, or ask a tenant admin to grant admin consent for the app." },
    Aadsts { number: 70011, code: "invalid_scope", meaning: Meaning::Fix, message: "Microsoft Entra ID refused the scopes (AADSTS70011).", hint: "Each scope must carry the Azure DevOps resource prefix 499b84ac-1321-427f-aa17-267ca6975798/ (Connector Console adds it), and .default can't be combined with other scopes." },
    Aadsts { number: 650057, code: "permission_not_configured", meaning: Meaning::Fix, message: "The app registration doesn't list Azure DevOps under its API permissions (AADSTS650057).", hint: "In the app registration, add Azure DevOps under API permissions → Delegated permissions, with the scopes this entry asks for." },
    Aadsts { number: 700016, code: "app_not_found", meaning: Meaning::Fix, message: "The app was not found in this organization's tenant (AADSTS700016).", hint: "Check the Client ID (Application ID). If it is right, the app is registered in another tenant and is single-tenant, so it signs in only that tenant's accounts: its owner must set Supported account types to \"Accounts in any organizational directory\" (Authentication), or register it in this organization's tenant." },
    Aadsts { number: 700025, code: "public_client_secret", meaning: Meaning::Fix, message: "This app is a public client, so it must not send a Client Secret (AADSTS700025).", hint: "Leave the Client Secret blank, or register the app as a confidential (Web) client." },
    Aadsts { number: 7000218, code: "secret_required", meaning: Meaning::Fix, message: "This app is registered as a confidential client and needs a Client Secret (AADSTS7000218).", hint: "Enter the app's client secret, or add http://localhost under \"Mobile and desktop applications\" to make it a public client." },
    Aadsts { number: 7000215, code: "invalid_client", meaning: Meaning::Fix, message: "The Client Secret is wrong (AADSTS7000215).", hint: "Copy the secret's Value (not its Secret ID) from Certificates & secrets, or create a new one." },
    Aadsts { number: 7000222, code: "client_secret_expired", meaning: Meaning::Fix, message: "The app's client secret has expired (AADSTS7000222).", hint: "Signing in again fails the same way: the app's owner must add a new client secret (Certificates & secrets) and enter it in Connector Console: in the Connector Library entry for a shared app, or with Re-authenticate for your own app." },
    Aadsts { number: 50194, code: "single_tenant_app", meaning: Meaning::Fix, message: "The app is single-tenant, so it can't sign in through a shared endpoint (AADSTS50194).", hint: "Enter the app's own Directory (tenant) ID as the Tenant ID instead of \"organizations\" (or leave it blank so the organization's tenant is used), or make the app multi-tenant (Authentication → Supported account types)." },
    Aadsts { number: 9002327, code: "redirect_registered_as_spa", meaning: Meaning::Fix, message: "The redirect URI is registered as a single-page application (AADSTS9002327).", hint: "In the app registration, remove http://localhost from \"Single-page application\" and add it under \"Mobile and desktop applications\"." },
    Aadsts { number: 500011, code: "devops_not_in_tenant", meaning: Meaning::Fix, message: "Azure DevOps is not set up in your tenant (AADSTS500011: no service principal for it).", hint: "Sign in to https://dev.azure.com once with an account of this tenant (or connect the organization to the tenant), then try again." },
    Aadsts { number: 90094, code: "admin_consent_required", meaning: Meaning::Fix, message: "A tenant admin must consent to this app first (AADSTS90094).", hint: "Ask an admin of your tenant to grant admin consent for the app (Enterprise applications → the app → Permissions), then sign in again." },
    Aadsts { number: 50076, code: "mfa_required", meaning: Meaning::Fix, message: "Your organization requires multi-factor authentication or a Conditional Access step.", hint: "Sign in again and complete the extra verification. The system browser is the most reliable place for it." },
    Aadsts { number: 50079, code: "mfa_required", meaning: Meaning::Fix, message: "Your organization requires you to register for multi-factor authentication.", hint: "Sign in again and complete the registration for the extra verification. The system browser is the most reliable place for it." },
    Aadsts { number: 53000, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Blocked by your organization's Conditional Access: this device is not marked compliant (AADSTS53000).", hint: CA_HINT },
    Aadsts { number: 53001, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Blocked by your organization's Conditional Access: this device is not domain-joined (AADSTS53001).", hint: CA_HINT },
    Aadsts { number: 53003, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Blocked by your organization's Conditional Access: a policy does not allow this sign-in (AADSTS53003).", hint: CA_HINT },
    Aadsts { number: 530032, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Blocked by a security policy of your organization's tenant (AADSTS530032).", hint: CA_HINT },
    Aadsts { number: 530035, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Blocked by your organization's security defaults (AADSTS530035).", hint: CA_HINT },
    Aadsts { number: 53002, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Blocked by your organization's Conditional Access: only approved client apps may sign in (AADSTS53002).", hint: CA_HINT },
    Aadsts { number: 53004, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Your organization blocks registering for multi-factor authentication from here right now (AADSTS53004).", hint: "Signing in again won't help until the block ends: register for multi-factor authentication from a trusted location or device, or ask your admin. Give them this code." },
    Aadsts { number: 53011, code: "conditional_access_blocked", meaning: Meaning::ConditionalAccess, message: "Blocked because of a risk found on your home tenant's account (AADSTS53011).", hint: CA_HINT },
    Aadsts { number: 70008, code: "needs_reauth", meaning: Meaning::SignInAgain, message: "The refresh token expired through inactivity (AADSTS70008).", hint: "Sign in again." },
    Aadsts { number: 700082, code: "needs_reauth", meaning: Meaning::SignInAgain, message: "The refresh token expired through inactivity (AADSTS700082).", hint: "Sign in again." },
    Aadsts { number: 50173, code: "needs_reauth", meaning: Meaning::SignInAgain, message: "The sign-in was revoked, e.g. after a password change (AADSTS50173).", hint: "Sign in again." },
    Aadsts { number: 65004, code: "access_denied", meaning: Meaning::Declined, message: "You declined the permissions (AADSTS65004).", hint: "Sign in again and accept." },
];

/// The table's entry for an AADSTS number.
pub fn lookup(number: u32) -> Option<&'static Aadsts> {
    TABLE.iter().find(|a| a.number == number)
}

/// The AADSTS number at the start of a description ("AADSTS70011: …").
pub fn number_in(description: &str) -> Option<u32> {
    let rest = description.trim_start().strip_prefix("AADSTS")?;
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_security_policy_is_not_called_security_defaults() {
        // reference-error-codes: 530032 BlockedByConditionalAccessOnSecurityPolicy, 530035 BlockedBySecurityDefaults.
        assert!(lookup(530032).unwrap().message.contains("security policy"));
        assert!(!lookup(530032).unwrap().message.contains("security defaults"));
        assert!(lookup(530035).unwrap().message.contains("security defaults"));
        for n in [53002, 53004, 53011] {
            assert_eq!(lookup(n).map(|a| a.meaning), Some(Meaning::ConditionalAccess), "{n}");
        }
    }

    #[test]
    fn app_not_found_names_the_multitenant_fix_and_never_organizations() {
        // A single-tenant app sent to `organizations` fails again with AADSTS50194.
        let hint = lookup(700016).unwrap().hint;
        assert!(hint.contains("Accounts in any organizational directory"), "{hint}");
        assert!(!hint.contains("\"organizations\""), "{hint}");
    }
}
