//! Installations: the model, and the service that lists, stores, tests and
//! uninstalls them.

mod model;
mod service;

pub use model::{new_id, AppSource, InstallInput, Installation, OwnApp};
pub use service::{InstallationView, Installations, NewInstallation};
