//! The words for an audit log Azure DevOps refused. Microsoft documents three preconditions
//! for auditing (Learn, azure-devops-auditing): an organization backed by Microsoft Entra ID,
//! the "Log Audit Events" policy turned on (auditing is off until then), and the "View audit
//! log" permission. It documents no answer telling them apart, so the words name all three,
//! and say which one is known when the app knows it (an organization without a tenant).

pub const LEARN: &str = "https://learn.microsoft.com/en-us/azure/devops/organizations/audit/azure-devops-auditing";

pub fn message(org: &str, not_entra_backed: bool) -> String {
    if not_entra_backed {
        format!(
            "Azure DevOps refused the audit log of \"{org}\": {org} is not backed by Microsoft Entra ID, and auditing works only for organizations that are"
        )
    } else {
        format!(
            "Azure DevOps refused the audit log of \"{org}\": auditing needs an organization backed by Microsoft Entra ID, the \"Log Audit Events\" policy turned on, and the \"View audit log\" permission"
        )
    }
}

pub fn hint(org: &str, not_entra_backed: bool, legacy: bool) -> String {
    let policy =
        "an organization admin turns on the \"Log Audit Events\" policy (Organization settings → Policies; auditing is off until then)";
    let permission = "the signed-in account needs the \"View audit log\" permission (Organization settings → Auditing → Permissions)";
    let oauth = if legacy { " For this legacy app, the \"Third-party application access via OAuth\" policy must be on too." } else { "" };
    if not_entra_backed {
        format!("Connect {org} to Microsoft Entra ID (Organization settings → Microsoft Entra). Then {policy}, and {permission}.{oauth} See {LEARN}")
    } else {
        format!(
            "Microsoft doesn't say which refusal means which, so check all three: {org} is backed by Microsoft Entra ID (Organization settings → Microsoft Entra); {policy}; {permission}.{oauth} See {LEARN}"
        )
    }
}
