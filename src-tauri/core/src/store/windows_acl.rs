//! Windows: whether anyone but the machine's administrators may change a file, from
//! its owner and access control list, and its folder's.
//!
//! The policy file under `%ProgramData%` counts only when SYSTEM or Administrators own
//! it and its folder, no entry that applies to the file grants write, append, delete,
//! re-permission or take-over to anyone else, and no entry on the folder lets anyone
//! else delete its files (and so replace this one) or take the folder over.
//! `%ProgramData%` lets Users create files and folders, and one a user created there is
//! that user's: refused. What is acceptable is decided in `acl_rules`, tested everywhere.

use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::ptr::null_mut;

use windows_sys::core::PWSTR;
use windows_sys::Win32::Foundation::{LocalFree, ERROR_SUCCESS};
use windows_sys::Win32::Security::Authorization::{ConvertSidToStringSidW, GetNamedSecurityInfoW, SE_FILE_OBJECT};
use windows_sys::Win32::Security::{
    AclSizeInformation, CreateWellKnownSid, EqualSid, GetAce, GetAclInformation, WinAuthenticatedUserSid, WinBuiltinAdministratorsSid,
    WinBuiltinUsersSid, WinLocalSystemSid, WinWorldSid, ACCESS_ALLOWED_ACE, ACL, ACL_SIZE_INFORMATION, DACL_SECURITY_INFORMATION,
    INHERIT_ONLY_ACE, OWNER_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, SECURITY_MAX_SID_SIZE, WELL_KNOWN_SID_TYPE,
};

use super::acl_rules::{untrusted, Account, Ace, Security, Subject};

/// `ACCESS_ALLOWED_ACE_TYPE` (winnt.h); deny entries can't grant anything.
const ACCESS_ALLOWED: u8 = 0;
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

/// "Users", or the SID as text for an account of its own.
fn describe(sid: PSID) -> String {
    for (kind, name) in EVERY_USER {
        if well_known(kind).is_some_and(|k| same(sid, &k)) {
            return name.to_string();
        }
    }
    sid_text(sid).unwrap_or_else(|| "an account other than SYSTEM and Administrators".into())
}

/// A SID as text (S-1-5-21-…).
pub(super) fn sid_text(sid: PSID) -> Option<String> {
    let mut text: PWSTR = null_mut();
    // SAFETY: `sid` is valid; on success `text` is a NUL-terminated string freed by Local.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return None;
    }
    let _free = Local(text.cast());
    // SAFETY: `text` is NUL-terminated, so the length stops inside it.
    let len = (0..).take_while(|&i| unsafe { *text.add(i) } != 0).count();
    // SAFETY: `len` u16s from `text` were just read.
    Some(String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(text, len) }))
}

/// An object's owner and access list, reduced to what `acl_rules` decides on.
fn security(path: &Path) -> Result<Security, String> {
    let wide: Vec<u16> = path.as_os_str().encode_wide().chain(Some(0)).collect();
    let (mut owner, mut dacl, mut sd): (PSID, *mut ACL, PSECURITY_DESCRIPTOR) = (null_mut(), null_mut(), null_mut());
    // SAFETY: `wide` is NUL-terminated; the out-pointers are valid; `sd` is freed by Local,
    // and `owner` and `dacl` point into it.
    let status = unsafe {
        GetNamedSecurityInfoW(
            wide.as_ptr(),
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
            &mut owner,
            null_mut(),
            &mut dacl,
            null_mut(),
            &mut sd,
        )
    };
    if status != ERROR_SUCCESS {
        return Err(format!("access list could not be read (error {status})"));
    }
    let _sd = Local(sd);
    let admins: Vec<(SidBuf, Account)> = [(WinLocalSystemSid, Account::System), (WinBuiltinAdministratorsSid, Account::Administrators)]
        .into_iter()
        .filter_map(|(kind, a)| well_known(kind).map(|sid| (sid, a)))
        .collect();
    let owner = if owner.is_null() { Account::Other("nobody (no owner)".into()) } else { account(owner, &admins) };
    if dacl.is_null() {
        return Ok(Security { owner, aces: None });
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
        return Err("access list could not be read".into());
    }
    let mut aces = Vec::with_capacity(info.AceCount as usize);
    for i in 0..info.AceCount {
        let mut ace: *mut core::ffi::c_void = null_mut();
        // SAFETY: `i` is below the list's count; GetAce points `ace` into the live list.
        if unsafe { GetAce(dacl, i, &mut ace) } == 0 {
            return Err("access list could not be read".into());
        }
        // SAFETY: every entry starts with an ACE_HEADER; an allowed entry is an ACCESS_ALLOWED_ACE,
        // its SID starting at SidStart. Other entry types are read for their header only.
        let entry = unsafe { &*(ace as *const ACCESS_ALLOWED_ACE) };
        let allows = entry.Header.AceType == ACCESS_ALLOWED;
        let inherit_only = u32::from(entry.Header.AceFlags) & INHERIT_ONLY_ACE != 0;
        if !allows || inherit_only {
            continue;
        }
        let sid: PSID = (&entry.SidStart as *const u32).cast_mut().cast();
        aces.push(Ace { allows, inherit_only, mask: entry.Mask, who: account(sid, &admins) });
    }
    Ok(Security { owner, aces: Some(aces) })
}

/// The account a SID names, for the decision.
fn account(sid: PSID, admins: &[(SidBuf, Account)]) -> Account {
    admins.iter().find(|(known, _)| same(sid, known)).map_or_else(|| Account::Other(describe(sid)), |(_, a)| a.clone())
}

/// `Some(reason)` when anyone but SYSTEM and Administrators owns the file or may change
/// it, or owns its folder or may delete or replace the files in it; `None` otherwise.
pub fn others_may_write(path: &Path) -> Option<String> {
    let file = match security(path) {
        Ok(file) => file,
        Err(why) => return Some(format!("its {why}")),
    };
    if let Some(why) = untrusted(Subject::File, &file) {
        return Some(why);
    }
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    match security(folder) {
        Ok(folder) => untrusted(Subject::Folder, &folder),
        Err(why) => Some(format!("its folder's {why}")),
    }
}
