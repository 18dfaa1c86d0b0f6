//! The Application Connector Library: one entry per connector, set up once by a
//! partner admin (Shared app) or deliberately left blank (Bring your own app).

mod service;

pub use service::{ConnectorView, Library, Mode, SaveOutcome};
