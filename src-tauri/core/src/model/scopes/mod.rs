//! Azure DevOps scopes: the catalog, parsing, exact-match validation for legacy
//! OAuth, the Entra form, and which connector methods a set allows.

mod catalog;
mod compare;
mod entra_map;
mod granted;
mod methods;
mod report;
mod set;

pub use catalog::{catalog, Catalog, ScopeInfo};
pub use compare::{compare, explain_entra_invalid_scope, explain_invalid_scope, Comparison, ScopeErrorExplanation, MISMATCH_REMEDY};
pub use entra_map::{legacy_to_entra, EntraMapping, EntraPermission};
pub use granted::GrantedScopes;
pub use methods::{methods, methods_available, recommended_scope_warning, Method, MethodAvailability};
pub use report::{report, ScopeReport};
pub use set::{parse_scopes, to_entra, ScopeSet, ADO_RESOURCE, DEFAULT_SCOPE, MAX_INPUT_CHARS};
