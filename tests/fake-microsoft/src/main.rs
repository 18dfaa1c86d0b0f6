//! Serves the fake Microsoft standalone, for the offline demo:
//! `cargo run -p fake-microsoft -- [--port 8700]`.

use std::net::SocketAddr;

use fake_microsoft::{FakeMicrosoft, World};

mod describe;

#[tokio::main]
async fn main() {
    let mut port = 8700u16;
    let mut token_seconds: Option<u64> = None;
    let mut config: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage("--port needs a number")),
            "--access-token-seconds" => {
                token_seconds =
                    Some(args.next().and_then(|p| p.parse().ok()).unwrap_or_else(|| usage("--access-token-seconds needs a number")))
            }
            "--config" => config = Some(args.next().unwrap_or_else(|| usage("--config needs a file"))),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let mut world = match &config {
        Some(path) => {
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| usage(&format!("cannot read {path}: {e}")));
            World::from_config(&text).unwrap_or_else(|e| usage(&format!("{path}: {e}")))
        }
        None => World::demo(),
    };
    if let Some(secs) = token_seconds {
        world.lifetimes.access_token = std::time::Duration::from_secs(secs);
    }
    let summary = describe::world(&world);
    let fake = FakeMicrosoft::start_on(SocketAddr::from(([127, 0, 0, 1], port)), world)
        .await
        .unwrap_or_else(|e| usage(&format!("cannot listen on 127.0.0.1:{port}: {e}")));
    // What to type first, and where it listens last: scripts/demo.sh shows the terminal
    // everything above the line it waits for, so the whole summary is written by then.
    print!("{summary}");
    println!();
    println!("Start the app against it:  CONNECTOR_CONSOLE_MICROSOFT_URL={} cargo run", fake.base_url());
    println!("Fake Microsoft listening on {}", fake.base_url());
    tokio::signal::ctrl_c().await.ok();
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: fake-microsoft [--port PORT] [--access-token-seconds N] [--config FILE]\n  --port                  default 8700; 0 picks a free port\n  --access-token-seconds  access-token lifetime (default 3600), short to watch refreshes\n  --config                JSON with any of legacy_apps, entra_apps, users, organizations,\n                          access_token_seconds; what it leaves out comes from the demo");
    std::process::exit(2);
}
