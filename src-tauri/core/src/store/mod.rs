//! Where things are kept, beside the model: the settings file, the OS keychain,
//! the policy file, and the files and locks the processes share. They use the
//! model and the leaves, never Microsoft's protocols or the services.

/// Windows security decisions; the Windows modules use them, the tests run them everywhere.
#[cfg(any(windows, test))]
mod acl_rules;
pub mod filelock;
pub mod instance;
pub mod keychain;
pub mod new_file;
pub mod paths;
pub mod policy;
pub mod private_dir;
pub mod settings;
#[cfg(windows)]
mod windows_acl;
#[cfg(windows)]
mod windows_pipe;
