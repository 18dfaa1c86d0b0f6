//! The Application Connector Library: one entry per connector, set up once by a
//! partner admin (Shared app) or deliberately left blank (Bring your own app).

mod service;

pub use crate::library_entry::{export, import, validate_entry, EntryInput, ExportedEntry, LibraryEntry, Validated, EXPORT_FORMAT};
pub use service::{ConnectorView, Library, Mode, SaveOutcome};
