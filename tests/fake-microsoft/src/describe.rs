//! What the fake holds, as a newcomer needs it to fill in the app: the registrations, the
//! accounts and the organizations, then the demo's walk-through with those values filled in.
//! Printed when the fake starts; `./scripts/run.sh --demo` shows it in the terminal.

use std::fmt::Write;

use fake_microsoft::World;

/// The registrations, users and organizations, then how to try the whole workflow with them.
pub fn world(world: &World) -> String {
    let mut out = String::new();
    for a in &world.legacy_apps {
        let _ = writeln!(out, "Legacy app \"{}\" (Azure DevOps OAuth app)", a.name);
        let _ = writeln!(out, "  Client ID (App ID):   {}", a.app_id);
        let _ = writeln!(out, "  Client Secret:        {}", a.client_secret);
        let _ = writeln!(out, "  App Secret (wrong!):  {}", a.app_secret);
        let _ = writeln!(out, "  Authorized scopes:    {}", a.scopes.join(" "));
        let _ = writeln!(out, "  Service domain:       {}", service_domain(&a.callback_url));
        let _ = writeln!(out, "  Callback URL:         {}", a.callback_url);
    }
    for a in &world.entra_apps {
        let kind = if a.client_secret.is_some() { "confidential client" } else { "public client, no secret" };
        let _ = writeln!(out, "Entra app \"{}\" ({kind})", a.name);
        let _ = writeln!(out, "  Client ID:            {}", a.client_id);
        let _ = writeln!(out, "  Tenant ID:            {}", a.tenant_id);
        let _ = writeln!(out, "  Permissions:          {}", a.permissions.join(" "));
    }
    for u in &world.users {
        let orgs = if u.organizations.is_empty() {
            "no organization".to_string()
        } else {
            format!("organizations {}", u.organizations.join(", "))
        };
        let _ = writeln!(out, "Account {} ({}): {orgs}", u.display_name, u.email);
    }
    for o in &world.organizations {
        let projects: Vec<String> = o.projects.iter().map(|p| format!("\"{}\"", p.name)).collect();
        let policy = if o.third_party_oauth { "" } else { ", third-party OAuth off (legacy apps get TF400813)" };
        let _ = writeln!(out, "Organization {}: projects {}{policy}", o.name, projects.join(", "));
    }
    out + &walk_through(world)
}

/// The callback URL's host: what the Library form calls the service domain.
fn service_domain(callback_url: &str) -> &str {
    let rest = callback_url.split_once("://").map_or(callback_url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// The two steps of the user guide's offline demo, with the first legacy app, and an
/// account and project it can reach; empty when the world has none of them.
fn walk_through(world: &World) -> String {
    let Some(app) = world.legacy_apps.first() else { return String::new() };
    // The account the sign-in page selects first, if it can reach an organization.
    let default_first = world.users.iter().filter(|u| world.default_user.as_deref() == Some(u.id.as_str()));
    let reachable = default_first.chain(world.users.iter()).find_map(|u| {
        let org = u.organizations.iter().filter_map(|name| world.organization(name)).find(|o| o.third_party_oauth)?;
        Some((u, org, org.projects.first()?))
    });
    let Some((user, org, project)) = reachable else { return String::new() };
    format!(
        "\nTo try it (docs/user-guide.md, \"Offline demo\"):\n\
         \x20 1. Connector Library > Set up the Connector Library: auth type \"Azure DevOps OAuth app\",\n\
         \x20    Client ID {}, Client Secret {},\n\
         \x20    scopes \"{}\", service domain {}, then Save.\n\
         \x20 2. Installations > Install: organization {}, project \"{}\", Next, Sign In;\n\
         \x20    in the Microsoft window, account {} ({}), then Accept.\n",
        app.app_id,
        app.client_secret,
        app.scopes.join(" "),
        service_domain(&app.callback_url),
        org.name,
        project.name,
        user.display_name,
        user.email,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_names_everything_a_newcomer_types() {
        let demo = World::demo();
        let text = world(&demo);
        let app = &demo.legacy_apps[0];
        for needed in [&app.app_id, &app.client_secret, &app.scopes.join(" "), &demo.users[0].display_name, &demo.users[0].email] {
            assert!(text.contains(needed.as_str()), "{needed:?} is missing from:\n{text}");
        }
        assert!(text.contains("service domain app-h.cyclr.com"), "{text}");
        // The walk-through's organization lets legacy apps in, and the project is one of its own.
        let steps = text.split_once("To try it").map(|(_, s)| s.to_string()).unwrap_or_default();
        assert!(steps.contains("organization contoso,") && steps.contains("project \"Fabrikam Fiber\""), "{steps}");
    }

    #[test]
    fn a_world_without_a_legacy_app_has_no_walk_through() {
        let mut demo = World::demo();
        demo.legacy_apps.clear();
        assert!(!world(&demo).contains("To try it"));
    }
}
