//! Windows: whether anyone but the machine's administrators may change a file, from
//! its access control list.
//!
//! The policy file under `%ProgramData%` counts only when no entry that applies to
//! it grants write, append, delete, re-permission or take-over to anyone other than
//! SYSTEM and Administrators. `%ProgramData%` lets Users create files, and a file a
//! user created there gives that user (its creator owner) full control: refused.

use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::ptr::null_mut;

use windows_sys::core::PWSTR;
use windows_sys::Win32::Foundation::{LocalFree, ERROR_SUCCESS, GENERIC_ALL, GENERIC_WRITE};
use windows_sys::Win32::Security::Authorization::{ConvertSidToStringSidW, GetNamedSecurityInfoW, SE_FILE_OBJECT};
use windows_sys::Win32::Security::{
    AclSizeInformation, CreateWellKnownSid, EqualSid, GetAce, GetAclInformation, WinAuthenticatedUserSid, WinBuiltinAdministratorsSid,
    WinBuiltinUsersSid, WinLocalSystemSid, WinWorldSid, ACCESS_ALLOWED_ACE, ACL, ACL_SIZE_INFORMATION, DACL_SECURITY_INFORMATION,
    INHERIT_ONLY_ACE, PSECURITY_DESCRIPTOR, PSID, SECURITY_MAX_SID_SIZE, WELL_KNOWN_SID_TYPE,
};
use windows_sys::Win32::Storage::FileSystem::{DELETE, FILE_APPEND_DATA, FILE_WRITE_DATA, WRITE_DAC, WRITE_OWNER};

/// `ACCESS_ALLOWED_ACE_TYPE` (winnt.h); deny entries can't grant anything.
const ACCESS_ALLOWED: u8 = 0;
/// Rights that let a holder change what the file says, or who may.
const WRITE_RIGHTS: u32 = FILE_WRITE_DATA | FILE_APPEND_DATA | WRITE_DAC | WRITE_OWNER | DELETE | GENERIC_WRITE | GENERIC_ALL;
/// The only accounts that may hold those rights.
const ADMINS: [WELL_KNOWN_SID_TYPE; 2] = [WinLocalSystemSid, WinBuiltinAdministratorsSid];
/// Groups every user is in, named in the notice when one of them may write.
const EVERY_USER: [(WELL_KNOWN_SID_TYPE, &str); 3] =
    [(WinWorldSid, "Everyone"), (WinAuthenticatedUserSid, "Authenticated Users"), (WinBuiltinUsersSid, "Users")];

/// Memory the security functions allocated, freed with LocalFree as they require.
struct Local(*mut core::ffi::c_void);

impl Drop for Local {
    fn drop(&mut self) {
        // SAFETY: the pointer came from GetNamedSecurityInfoW or ConvertSidToStringSidW.
        unsafe { LocalFree(self.0) };
    }
}

type SidBuf = [u8; SECURITY_MAX_SID_SIZE as usize];

fn well_known(kind: WELL_KNOWN_SID_TYPE) -> Option<SidBuf> {
    let mut sid = [0u8; SECURITY_MAX_SID_SIZE as usize];
    let mut size = SECURITY_MAX_SID_SIZE;
    // SAFETY: `sid` has SECURITY_MAX_SID_SIZE bytes, as `size` says.
    let ok = unsafe { CreateWellKnownSid(kind, null_mut(), sid.as_mut_ptr().cast(), &mut size) };
    (ok != 0).then_some(sid)
}

fn same(sid: PSID, known: &SidBuf) -> bool {
    // SAFETY: both are valid SIDs: one from the access list, one made by CreateWellKnownSid.
    unsafe { EqualSid(sid, known.as_ptr().cast_mut().cast()) != 0 }
}

/// "Users", or the SID as text (S-1-5-21-…) for an account of its own.
fn describe(sid: PSID) -> String {
    for (kind, name) in EVERY_USER {
        if well_known(kind).is_some_and(|k| same(sid, &k)) {
            return name.to_string();
        }
    }
    let mut text: PWSTR = null_mut();
    // SAFETY: `sid` is valid; on success `text` is a NUL-terminated string freed by Local.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return "an account other than SYSTEM and Administrators".into();
    }
    let _free = Local(text.cast());
    // SAFETY: `text` is NUL-terminated, so the length stops inside it.
    let len = (0..).take_while(|&i| unsafe { *text.add(i) } != 0).count();
    // SAFETY: `len` u16s from `text` were just read.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(text, len) })
}

/// `Some(reason)` when anyone but SYSTEM and Administrators may change the file (or it
/// has no access list at all, which grants everyone everything); `None` otherwise.
pub fn others_may_write(path: &Path) -> Option<String> {
    let wide: Vec<u16> = path.as_os_str().encode_wide().chain(Some(0)).collect();
    let mut dacl: *mut ACL = null_mut();
    let mut sd: PSECURITY_DESCRIPTOR = null_mut();
    // SAFETY: `wide` is NUL-terminated; the out-pointers are valid; `sd` is freed by Local.
    let status = unsafe {
        GetNamedSecurityInfoW(
            wide.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            null_mut(),
            null_mut(),
            &mut dacl,
            null_mut(),
            &mut sd,
        )
    };
    if status != ERROR_SUCCESS {
        return Some(format!("its access list could not be read (error {status})"));
    }
    let _sd = Local(sd);
    if dacl.is_null() {
        return Some("it has no access list, so every user may change it".into());
    }
    let mut info = ACL_SIZE_INFORMATION::default();
    // SAFETY: `dacl` points into the live descriptor; `info` is the size class's struct.
    let ok = unsafe {
        GetAclInformation(
            dacl,
            (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
            size_of::<ACL_SIZE_INFORMATION>() as u32,
            AclSizeInformation,
        )
    };
    if ok == 0 {
        return Some("its access list could not be read".into());
    }
    let admins: Vec<SidBuf> = ADMINS.into_iter().filter_map(well_known).collect();
    for i in 0..info.AceCount {
        let mut ace: *mut core::ffi::c_void = null_mut();
        // SAFETY: `i` is below the list's count; GetAce points `ace` into the live list.
        if unsafe { GetAce(dacl, i, &mut ace) } == 0 {
            return Some("its access list could not be read".into());
        }
        // SAFETY: every entry starts with an ACE_HEADER; an allowed entry is an ACCESS_ALLOWED_ACE,
        // its SID starting at SidStart.
        let allowed = unsafe { &*(ace as *const ACCESS_ALLOWED_ACE) };
        let applies = u32::from(allowed.Header.AceFlags) & INHERIT_ONLY_ACE == 0;
        if allowed.Header.AceType != ACCESS_ALLOWED || !applies || allowed.Mask & WRITE_RIGHTS == 0 {
            continue;
        }
        let sid: PSID = (&allowed.SidStart as *const u32).cast_mut().cast();
        if !admins.iter().any(|a| same(sid, a)) {
            return Some(format!("{} may change it (only SYSTEM and Administrators may; others read)", describe(sid)));
        }
    }
    None
}
