//! The Application Connector Library: one entry per connector, set up once by a
//! partner admin (Shared app) or deliberately left blank (Bring your own app).

mod model;
mod service;

pub use model::{export, import, validate_entry, EntryInput, ExportedEntry, LibraryEntry, Validated, EXPORT_FORMAT};
pub use service::{ConnectorView, Library, Mode, SaveOutcome};
