//! Installations: the service that lists, stores, tests and uninstalls them,
//! and a page of them. The record itself is `model::installation`.

mod expired;
mod page;
mod service;
mod view;

pub use expired::SecretExpired;
pub use page::{Page, PageQuery, StatusFilter, MAX_PAGE};
pub use service::{Installations, NewInstallation};
pub use view::{InstallationView, MethodState};
