//! The composition root: builds the one state and the services over it. It has
//! no behaviour of its own; callers use the services directly.

use std::path::PathBuf;
use std::sync::Arc;

use crate::microsoft::endpoints::Endpoints;
use crate::services::context::Context;
use crate::services::installations::Installations;
use crate::services::library::{Library, Rotation};
use crate::services::methods::Methods;
use crate::services::migration::Migration;
use crate::services::notifications::Notifications;
use crate::services::signin::SignIn;
use crate::services::tokens::Tokens;
use crate::store::keychain::StoreOpener;

pub struct Services {
    pub state: Arc<Context>,
    pub library: Arc<Library>,
    pub rotation: Arc<Rotation>,
    pub tokens: Arc<Tokens>,
    pub installations: Arc<Installations>,
    pub sign_in: Arc<SignIn>,
    pub methods: Arc<Methods>,
    pub migration: Arc<Migration>,
    pub notifications: Arc<Notifications>,
}

impl Services {
    /// The real app: the platform keychain.
    pub fn open(data_dir: impl Into<PathBuf>, endpoints: Endpoints) -> Self {
        Self::over(Context::open(data_dir, endpoints))
    }

    /// Any store: unit tests use an in-memory one, fault tests a failing one.
    pub fn with_store_opener(data_dir: impl Into<PathBuf>, endpoints: Endpoints, open_store: StoreOpener) -> Self {
        Self::over(Context::with_store_opener(data_dir, endpoints, open_store))
    }

    /// With the policy file at `policy_path` instead of the system location.
    pub fn with_policy(data_dir: impl Into<PathBuf>, endpoints: Endpoints, open_store: StoreOpener, policy_path: &std::path::Path) -> Self {
        Self::over(Context::with_policy(data_dir, endpoints, open_store, policy_path))
    }

    fn over(state: Context) -> Self {
        let state = Arc::new(state);
        let tokens = Arc::new(Tokens::new(state.clone()));
        let installations = Arc::new(Installations::new(state.clone(), tokens.clone()));
        let library = Arc::new(Library::new(state.clone()));
        Self {
            rotation: Arc::new(Rotation::new(state.clone(), library.clone(), tokens.clone())),
            library,
            sign_in: Arc::new(SignIn::new(state.clone(), installations.clone())),
            methods: Arc::new(Methods::new(state.clone(), tokens.clone())),
            migration: Arc::new(Migration::new(state.clone())),
            notifications: Arc::new(Notifications::new(state.clone(), installations.clone())),
            installations,
            tokens,
            state,
        }
    }
}
