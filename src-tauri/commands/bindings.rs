//! The UI's contract: every type a command takes or returns, and every event payload, as
//! TypeScript declarations generated from the Rust types themselves (ts-rs, which reads their
//! serde attributes). The window imports them by JSDoc (`import('../bindings/index').Installation`)
//! and `tsc` checks ui/ against them (scripts/lint.sh).
//!
//! The test below fails when `ui/bindings/index.d.ts` differs from what the Rust types produce,
//! so a payload change can't land without the UI being checked against it. To regenerate:
//! `UPDATE_BINDINGS=1 cargo test -p connector-console --lib bindings`.

use std::path::Path;

use connector_core::error::FieldError;
use connector_core::microsoft::endpoints::Endpoints;
use connector_core::model::connectors::{
    AuthKind, AuthOption, Column, Field, FieldKind, InputKind, Manifest, Method, MethodId, MethodInput, SignInCopy, SignInWaiting,
};
use connector_core::model::install_link::InstallLink;
use connector_core::model::installation::{AppSource, InstallInput, Installation, OwnApp};
use connector_core::model::library_entry::{EntryInput, ExportedEntry, LibraryEntry};
use connector_core::model::profile::Profile;
use connector_core::model::scopes::{EntraMapping, EntraPermission, ScopeInfo, ScopeReport};
use connector_core::model::test_sign_in::{TestSignInInput, TestedSignIn};
use connector_core::notice::{Notice, NoticeCode};
use connector_core::services::context::About;
use connector_core::services::installations::{InstallationView, MethodState, Page, PageQuery, SecretExpired, StatusFilter};
use connector_core::services::library::{ConnectorView, Mode, NotRenewed, RotationOutcome, SaveOutcome};
use connector_core::services::methods::{MethodOutput, MethodRequest};
use connector_core::services::migration::{Audience, LegacyApp, RegistrationGuide, TenantFinding};
use connector_core::services::notifications::NotificationSetting;
use connector_core::services::signin::{Flow, Preflight, SignedIn, TenantChoice};
use connector_core::services::tokens::{Status, StatusEvent};
use ts_rs::TS;

use super::error::{DidYouMean, More, UiError};
use super::methods::MethodProgress;
use super::system::KeychainStatus;

const PATH: &str = "ui/bindings/index.d.ts";

/// One declaration, exported, with its Rust doc comment as JSDoc.
fn declare<T: TS + ?Sized + 'static>(out: &mut String) {
    out.push('\n');
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&T::decl());
    out.push('\n');
}

/// Every type of the contract, in the order a reader meets them: errors, the app, scopes,
/// connectors, the Library, installations, sign-in, methods, the move to Entra ID.
fn bindings() -> String {
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/commands/bindings.rs (ts-rs): do not edit.\n\
         // Regenerate with `UPDATE_BINDINGS=1 cargo test -p connector-console --lib bindings`.\n",
    );
    let o = &mut out;
    declare::<UiError>(o);
    declare::<FieldError>(o);
    declare::<DidYouMean>(o);
    declare::<More>(o);
    declare::<KeychainStatus>(o);
    declare::<About>(o);
    declare::<Endpoints>(o);
    declare::<Notice>(o);
    declare::<NoticeCode>(o);
    declare::<ScopeInfo>(o);
    declare::<ScopeReport>(o);
    declare::<AuthKind>(o);
    declare::<Manifest>(o);
    declare::<SignInWaiting>(o);
    declare::<AuthOption>(o);
    declare::<SignInCopy>(o);
    declare::<FieldKind>(o);
    declare::<Field>(o);
    declare::<MethodId>(o);
    declare::<Method>(o);
    declare::<InputKind>(o);
    declare::<MethodInput>(o);
    declare::<Column>(o);
    declare::<LibraryEntry>(o);
    declare::<Mode>(o);
    declare::<ConnectorView>(o);
    declare::<EntryInput>(o);
    declare::<SaveOutcome>(o);
    declare::<ExportedEntry>(o);
    declare::<RotationOutcome>(o);
    declare::<NotRenewed>(o);
    declare::<AppSource>(o);
    declare::<Profile>(o);
    declare::<Installation>(o);
    declare::<Status>(o);
    declare::<MethodState>(o);
    declare::<InstallationView>(o);
    declare::<StatusFilter>(o);
    declare::<PageQuery>(o);
    declare::<Page>(o);
    declare::<StatusEvent>(o);
    declare::<SecretExpired>(o);
    declare::<OwnApp>(o);
    declare::<InstallInput>(o);
    declare::<Flow>(o);
    declare::<Preflight>(o);
    declare::<TenantChoice>(o);
    declare::<SignedIn>(o);
    declare::<MethodRequest>(o);
    declare::<MethodOutput>(o);
    declare::<MethodProgress<'static>>(o);
    declare::<LegacyApp>(o);
    declare::<EntraPermission>(o);
    declare::<EntraMapping>(o);
    declare::<TenantFinding>(o);
    declare::<Audience>(o);
    declare::<RegistrationGuide>(o);
    declare::<TestSignInInput>(o);
    declare::<TestedSignIn>(o);
    declare::<InstallLink>(o);
    declare::<NotificationSetting>(o);
    out
}

#[test]
fn the_ui_bindings_are_what_the_rust_types_produce() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PATH);
    let generated = bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{PATH} differs from the Rust payload types: run `UPDATE_BINDINGS=1 cargo test -p connector-console --lib bindings`, \
         then `bash scripts/lint.sh` to check ui/ against them"
    );
}
