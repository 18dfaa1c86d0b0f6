//! A fake of Microsoft's identity platform and Azure DevOps REST, faithful to
//! the behaviours in `docs/microsoft.md` (from Microsoft's public docs), quirks included. Tests start it
//! in-process on `127.0.0.1:0`; the `fake-microsoft` binary serves it standalone.
//!
//! One base URL stands for every Microsoft host, by path:
//!
//! | real host                         | path on the fake            |
//! |-----------------------------------|-----------------------------|
//! | app.vssps.visualstudio.com        | `/` (`/oauth2/…`, `/_apis/profile/…`, `/_apis/accounts`) |
//! | login.microsoftonline.com         | `/login/{tenant}/oauth2/v2.0/…` |
//! | dev.azure.com                     | `/{org}/…`                  |
//! | auditservice.dev.azure.com        | `/audit/{org}/…`            |

// Handlers answer early with a finished `Response` in the `Err` arm; boxing
// them would only add noise to a test double.
#![allow(clippy::result_large_err)]

mod aadsts;
mod caller;
mod devops;
mod entra;
mod jwt;
mod legacy;
pub mod network;
mod pages;
mod revocation;
mod scopes;
mod tenants;
mod wiql;
pub mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, head, post};
use axum::{Json, Router};
use rand::distr::{Alphanumeric, SampleString};
use serde_json::json;
use tokio::sync::oneshot;

pub use entra::redirect_matches;
pub use network::{serial_depth, Exchange};
pub use world::{EntraApp, Fault, LegacyApp, Lifetimes, Organization, Project, RestFault, User, WorkItem, World, ADO_RESOURCE};

type Shared = Arc<Mutex<World>>;

pub(crate) fn random_token(prefix: &str) -> String {
    format!("{prefix}.{}", Alphanumeric.sample_string(&mut rand::rng(), 48))
}

/// Microsoft redirects with 302 Found.
pub(crate) fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(axum::http::header::LOCATION, location.to_string())]).into_response()
}

/// Counts a token request, then applies the next queued fault, if any.
/// `Some(response)` means: answer with this instead.
pub(crate) async fn token_gate(shared: &Shared) -> Option<Response> {
    let (fault, latency) = {
        let mut world = shared.lock().unwrap();
        world.token_requests += 1;
        world.token_in_flight += 1;
        world.token_peak_in_flight = world.token_peak_in_flight.max(world.token_in_flight);
        (world.token_faults.pop_front(), world.token_latency)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    shared.lock().unwrap().token_in_flight -= 1;
    match fault? {
        Fault::ServerError => Some(
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"Error": "server_error", "ErrorDescription": "An internal error occurred."})))
                .into_response(),
        ),
        Fault::GarbageBody => Some((StatusCode::OK, "<html><body>Service Unavailable</body>").into_response()),
        Fault::Delay(d) => {
            tokio::time::sleep(d).await;
            None
        }
    }
}

pub fn router(world: Shared) -> Router {
    Router::new()
        .route("/oauth2/authorize", get(legacy::authorize).post(legacy::decide))
        .route("/oauth2/token", post(legacy::token))
        .route("/login/{tenant}/oauth2/v2.0/authorize", get(entra::authorize).post(entra::decide))
        .route("/login/{tenant}/oauth2/v2.0/token", post(entra::token))
        .route("/login/{tenant}/v2.0/adminconsent", get(tenants::admin_consent_page).post(tenants::admin_consent_decide))
        .route("/_apis/profile/profiles/me", get(devops::profile_me))
        .route("/_apis/accounts", get(devops::accounts))
        .route("/audit/{org}/_apis/audit/auditlog", get(devops::audit_log))
        .route("/{org}", head(devops::org_head))
        .route("/{org}/_apis/projects", get(devops::projects))
        .route("/{org}/_apis/projects/{project}", get(devops::project))
        .route("/{org}/{project}/_apis/wit/wiql", post(devops::wiql))
        .route("/{org}/{project}/_apis/wit/workitems", get(devops::work_items))
        .route("/{org}/{project}/_apis/wit/workitems/{item}", get(devops::work_item).post(devops::create_work_item))
        .layer(axum::middleware::from_fn_with_state(world.clone(), devops::slow_down))
        .with_state(world)
}

/// A running fake. Dropping it stops the server.
pub struct FakeMicrosoft {
    base_url: String,
    world: Shared,
    network: Arc<network::Network>,
    _stop: oneshot::Sender<()>,
}

impl FakeMicrosoft {
    /// Serves `world` on an ephemeral port of 127.0.0.1.
    pub async fn start(world: World) -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), world).await
    }

    pub async fn start_on(addr: SocketAddr, world: World) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let world = Arc::new(Mutex::new(world));
        let (stop, stopped) = oneshot::channel::<()>();
        let network = Arc::new(network::Network::default());
        let app = router(world.clone()).layer(axum::middleware::from_fn_with_state(network.clone(), network::delay_and_record));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self { base_url, world, network, _stop: stop })
    }

    /// The one base URL the app's endpoint override points at.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Reads or changes the world: registrations, policies, faults, lifetimes.
    pub fn with<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.world.lock().unwrap())
    }

    /// Every request waits this long before it is answered (none unless set).
    pub fn set_latency(&self, latency: std::time::Duration) {
        self.network.set_latency(latency);
    }

    /// The requests answered since the last call (method, path, start, end).
    pub fn take_requests(&self) -> Vec<Exchange> {
        self.network.take()
    }

    pub fn token_requests(&self) -> u64 {
        self.with(|w| w.token_requests)
    }
}
