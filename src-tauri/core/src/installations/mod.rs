//! Installations: the model, and the service that lists, stores, tests and
//! uninstalls them.

mod model;
mod page;
mod service;

pub use model::{new_id, AppSource, InstallInput, Installation, OwnApp};
pub use page::{Page, PageQuery, StatusFilter, MAX_PAGE};
pub use service::{InstallationView, Installations, NewInstallation};
