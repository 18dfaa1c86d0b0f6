//! Windows: the single-instance named pipe admits only the user who runs the app.
//! Pipes share one machine-wide namespace, and the default security descriptor lets
//! other accounts open one (Everyone and Anonymous may read): another user's process
//! could then talk to this user's window. The access list is decided in `acl_rules`.

use std::io;
use std::ptr::null_mut;

use interprocess::os::windows::security_descriptor::SecurityDescriptor;
use widestring::U16CString;
use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
use windows_sys::Win32::Security::{GetTokenInformation, TokenUser, TOKEN_QUERY, TOKEN_USER};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use super::acl_rules::current_user_only_sddl;
use super::windows_acl::sid_text;

/// A process token, closed when dropped.
struct Token(HANDLE);

impl Drop for Token {
    fn drop(&mut self) {
        // SAFETY: the handle came from OpenProcessToken and is closed once, here.
        unsafe { CloseHandle(self.0) };
    }
}

/// A security descriptor whose only entry gives this process's user full access.
pub fn current_user_only() -> io::Result<SecurityDescriptor> {
    let sddl = current_user_only_sddl(&current_user_sid()?);
    let wide = U16CString::from_str(&sddl).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    SecurityDescriptor::deserialize(&wide)
}

/// The SID, as text, of the user this process runs as.
fn current_user_sid() -> io::Result<String> {
    let mut handle: HANDLE = null_mut();
    // SAFETY: GetCurrentProcess gives a pseudo-handle that needs no closing; `handle`
    // receives a token handle, closed by `Token`.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut handle) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let token = Token(handle);
    // A TOKEN_USER and the SID it points to: well under 256 bytes. u64s keep it aligned.
    let mut buf = [0u64; 32];
    let mut len = 0u32;
    // SAFETY: `buf` is writable for the size given; `len` receives the size used.
    let ok = unsafe { GetTokenInformation(token.0, TokenUser, buf.as_mut_ptr().cast(), size_of_val(&buf) as u32, &mut len) };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: on success the buffer starts with a TOKEN_USER whose SID points into the buffer.
    let user = unsafe { &*(buf.as_ptr() as *const TOKEN_USER) };
    sid_text(user.User.Sid).ok_or_else(io::Error::last_os_error)
}
