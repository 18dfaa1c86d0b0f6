//! The data model, at the bottom of the core: what a connector offers, scopes,
//! app registrations, library entries and installations. It imports only the
//! leaves (`error`, `secret`, `notice`), never Microsoft's protocols, the stores
//! or the services; they all build on it.

pub mod audience;
pub mod connectors;
pub mod ids;
pub mod install_link;
pub mod installation;
pub mod library_entry;
pub mod profile;
pub mod registration;
pub mod scopes;
pub mod secret_expiry;
pub mod test_sign_in;
pub mod validate;
