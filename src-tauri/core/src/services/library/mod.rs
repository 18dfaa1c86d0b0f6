//! The Application Connector Library: one entry per connector, set up once by a
//! partner admin (Shared app) or deliberately left blank (Bring your own app).

mod rotation;
mod service;

pub use rotation::{NotRenewed, Rotation, RotationOutcome};
pub use service::{ConnectorView, Library, Mode, SaveOutcome};
