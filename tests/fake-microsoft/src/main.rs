//! Serves the fake Microsoft standalone, for the offline demo:
//! `cargo run -p fake-microsoft -- [--port 8700]`.

use std::net::SocketAddr;

use fake_microsoft::{FakeMicrosoft, World};

#[tokio::main]
async fn main() {
    let mut port = 8700u16;
    let mut token_seconds: Option<u64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage("--port needs a number")),
            "--access-token-seconds" => {
                token_seconds =
                    Some(args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage("--access-token-seconds needs a number")))
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let mut world = World::demo();
    if let Some(secs) = token_seconds {
        world.lifetimes.access_token = std::time::Duration::from_secs(secs);
    }
    let legacy = world.legacy_apps[0].clone();
    let entra = world.entra_apps[0].clone();
    let fake = FakeMicrosoft::start_on(SocketAddr::from(([127, 0, 0, 1], port)), world)
        .await
        .unwrap_or_else(|e| usage(&format!("cannot listen on 127.0.0.1:{port}: {e}")));
    println!("Fake Microsoft listening on {}", fake.base_url());
    println!("Start the app against it:  CONNECTOR_CONSOLE_MICROSOFT_URL={} cargo run", fake.base_url());
    println!();
    println!("Legacy app \"{}\"", legacy.name);
    println!("  Client ID (App ID):   {}", legacy.app_id);
    println!("  Client Secret:        {}", legacy.client_secret);
    println!("  App Secret (wrong!):  {}", legacy.app_secret);
    println!("  Authorized scopes:    {}", legacy.scopes.join(" "));
    println!("  Callback URL:         {}", legacy.callback_url);
    println!("Entra app \"{}\" (public client)", entra.name);
    println!("  Client ID:            {}", entra.client_id);
    println!("  Tenant ID:            {}", entra.tenant_id);
    println!("  Permissions:          {}", entra.permissions.join(" "));
    println!("Organizations: contoso (projects \"Fabrikam Fiber\", \"Website\"), contoso-legacy (third-party OAuth off)");
    tokio::signal::ctrl_c().await.ok();
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: fake-microsoft [--port PORT] [--access-token-seconds N]\n  --port                  default 8700; 0 picks a free port\n  --access-token-seconds  access-token lifetime (default 3600), short to watch refreshes");
    std::process::exit(2);
}
