//! The composition root: builds the one state and the services over it. It has
//! no behaviour of its own; callers use the services directly.

use std::path::PathBuf;
use std::sync::Arc;

use crate::endpoints::Endpoints;
use crate::installations::Installations;
use crate::keychain::StoreOpener;
use crate::library::Library;
use crate::methods::Methods;
use crate::signin::SignIn;
use crate::state::State;
use crate::tokens::Tokens;

pub struct Services {
    pub state: Arc<State>,
    pub library: Arc<Library>,
    pub tokens: Arc<Tokens>,
    pub installations: Arc<Installations>,
    pub sign_in: Arc<SignIn>,
    pub methods: Arc<Methods>,
}

impl Services {
    /// The real app: the platform keychain.
    pub fn open(data_dir: impl Into<PathBuf>, endpoints: Endpoints) -> Self {
        Self::over(State::open(data_dir, endpoints))
    }

    /// Any store: unit tests use an in-memory one, fault tests a failing one.
    pub fn with_store_opener(data_dir: impl Into<PathBuf>, endpoints: Endpoints, open_store: StoreOpener) -> Self {
        Self::over(State::with_store_opener(data_dir, endpoints, open_store))
    }

    /// With the policy file at `policy_path` instead of the system location.
    pub fn with_policy(data_dir: impl Into<PathBuf>, endpoints: Endpoints, open_store: StoreOpener, policy_path: &std::path::Path) -> Self {
        Self::over(State::with_policy(data_dir, endpoints, open_store, policy_path))
    }

    fn over(state: State) -> Self {
        let state = Arc::new(state);
        let tokens = Arc::new(Tokens::new(state.clone()));
        let installations = Arc::new(Installations::new(state.clone(), tokens.clone()));
        Self {
            library: Arc::new(Library::new(state.clone())),
            sign_in: Arc::new(SignIn::new(state.clone(), installations.clone())),
            methods: Arc::new(Methods::new(state.clone(), tokens.clone())),
            installations,
            tokens,
            state,
        }
    }
}
