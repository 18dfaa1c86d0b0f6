//! Microsoft's protocols beside the model: the endpoints (and their one override),
//! the HTTP client, OAuth (legacy Azure DevOps and Entra ID) and the Azure DevOps
//! REST calls. They use the model and the leaves, never the stores or services.

pub mod azure_devops;
pub mod endpoints;
pub mod http;
pub mod oauth;
