//! Windows security decisions, kept apart from the Win32 calls (windows_acl.rs,
//! windows_pipe.rs) so that they are tested on every OS: which owners and access
//! entries leave the policy file trusted, and the single-instance pipe's access list.

/// Who an owner or an access entry names, as far as the decisions go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    System,
    Administrators,
    /// Anyone else, as it is shown ("Users", or the SID as text).
    Other(String),
}

impl Account {
    fn is_admin(&self) -> bool {
        matches!(self, Self::System | Self::Administrators)
    }

    fn name(&self) -> &str {
        match self {
            Self::System => "SYSTEM",
            Self::Administrators => "Administrators",
            Self::Other(name) => name,
        }
    }
}

/// One entry of an access list, reduced to what the decision reads.
#[derive(Debug, Clone)]
pub struct Ace {
    /// An allow entry (deny entries can't grant anything).
    pub allows: bool,
    /// Inherit-only: it applies to objects created inside later, not to this one.
    pub inherit_only: bool,
    pub mask: u32,
    pub who: Account,
}

/// An object's owner and access list (`None`: it has none, which grants everyone everything).
#[derive(Debug, Clone)]
pub struct Security {
    pub owner: Account,
    pub aces: Option<Vec<Ace>>,
}

// Access rights (winnt.h), written out so this module builds without the Windows crates.
const FILE_WRITE_DATA: u32 = 0x2;
const FILE_APPEND_DATA: u32 = 0x4;
const FILE_DELETE_CHILD: u32 = 0x40;
const DELETE: u32 = 0x1_0000;
const WRITE_DAC: u32 = 0x4_0000;
const WRITE_OWNER: u32 = 0x8_0000;
const GENERIC_ALL: u32 = 0x1000_0000;
const GENERIC_WRITE: u32 = 0x4000_0000;

/// What is checked: the policy file, or the folder it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    File,
    Folder,
}

impl Subject {
    /// Rights that let a holder change what the file says. On the folder: delete (and so
    /// replace) any file in it whatever the file's own list says, or take the folder over
    /// or rename it away. Creating new files there, which `%ProgramData%` lets Users do,
    /// changes nothing the app reads.
    fn write_rights(self) -> u32 {
        match self {
            Self::File => FILE_WRITE_DATA | FILE_APPEND_DATA | WRITE_DAC | WRITE_OWNER | DELETE | GENERIC_WRITE | GENERIC_ALL,
            Self::Folder => FILE_DELETE_CHILD | WRITE_DAC | WRITE_OWNER | DELETE | GENERIC_ALL,
        }
    }

    fn it(self) -> &'static str {
        match self {
            Self::File => "it",
            Self::Folder => "its folder",
        }
    }
}

/// `Some(reason)` when anyone but SYSTEM and Administrators owns the object or may change
/// it: an owner may always rewrite the access list, so the owner counts as a writer.
pub fn untrusted(subject: Subject, security: &Security) -> Option<String> {
    let it = subject.it();
    if !security.owner.is_admin() {
        return Some(format!("{it} is owned by {}, not by SYSTEM or Administrators", security.owner.name()));
    }
    let Some(aces) = &security.aces else {
        return Some(format!("{it} has no access list, so every user may change it"));
    };
    let writer = aces.iter().find(|a| a.allows && !a.inherit_only && a.mask & subject.write_rights() != 0 && !a.who.is_admin())?;
    Some(format!("{} may change {it} (only SYSTEM and Administrators may; others read)", writer.who.name()))
}

/// The single-instance pipe's security descriptor (SDDL): a protected list (nothing
/// inherited) that lets this user, and nobody else, open it. `user_sid` is the SID as text.
pub fn current_user_only_sddl(user_sid: &str) -> String {
    format!("D:P(A;;GA;;;{user_sid})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ace(who: Account, mask: u32) -> Ace {
        Ace { allows: true, inherit_only: false, mask, who }
    }

    fn users() -> Account {
        Account::Other("Users".into())
    }

    /// What an administrator's deployment to `%ProgramData%\Connector Console` gets.
    fn deployed(subject: Subject) -> Security {
        let read = 0x0012_00a9;
        let mut aces = vec![ace(Account::System, 0x001f_01ff), ace(Account::Administrators, 0x001f_01ff), ace(users(), read)];
        if subject == Subject::Folder {
            // Inherited from %ProgramData%: Users may create files and folders, and
            // CREATOR OWNER's full control applies only to what they create.
            aces.push(ace(users(), FILE_WRITE_DATA | FILE_APPEND_DATA));
            aces.push(Ace { inherit_only: true, ..ace(Account::Other("CREATOR OWNER".into()), GENERIC_ALL) });
        }
        Security { owner: Account::Administrators, aces: Some(aces) }
    }

    #[test]
    fn an_administrators_deployment_is_trusted() {
        assert_eq!(untrusted(Subject::File, &deployed(Subject::File)), None);
        assert_eq!(untrusted(Subject::Folder, &deployed(Subject::Folder)), None);
        let by_system = Security { owner: Account::System, ..deployed(Subject::File) };
        assert_eq!(untrusted(Subject::File, &by_system), None);
    }

    /// Broken: the owner was never looked at. A file a user created (and then handed
    /// its access list to the administrators) is still that user's to rewrite.
    #[test]
    fn a_file_or_folder_a_user_owns_is_not_trusted() {
        for subject in [Subject::File, Subject::Folder] {
            let owned = Security { owner: Account::Other("S-1-5-21-1-2-3-1001".into()), ..deployed(subject) };
            let why = untrusted(subject, &owned).expect("a user's");
            assert!(why.contains("owned by S-1-5-21-1-2-3-1001"), "{why}");
        }
    }

    /// Broken: the folder was never looked at. Whoever may delete the files in it can
    /// replace the policy file, whatever the file's own list says.
    #[test]
    fn a_folder_others_may_empty_or_take_over_is_not_trusted() {
        for right in [FILE_DELETE_CHILD, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_ALL] {
            let mut folder = deployed(Subject::Folder);
            folder.aces.as_mut().unwrap().push(ace(users(), right));
            let why = untrusted(Subject::Folder, &folder).unwrap_or_else(|| panic!("right {right:#x} trusted"));
            assert!(why.contains("Users may change its folder"), "{why}");
        }
    }

    #[test]
    fn a_file_others_may_write_is_not_trusted_but_deny_and_inherit_only_entries_grant_nothing() {
        for right in [FILE_WRITE_DATA, FILE_APPEND_DATA, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_WRITE, GENERIC_ALL] {
            let mut file = deployed(Subject::File);
            file.aces.as_mut().unwrap().push(ace(users(), right));
            assert!(untrusted(Subject::File, &file).is_some_and(|w| w.contains("Users may change it ")), "right {right:#x}");
        }
        let mut file = deployed(Subject::File);
        let aces = file.aces.as_mut().unwrap();
        aces.push(Ace { allows: false, ..ace(users(), GENERIC_ALL) });
        aces.push(Ace { inherit_only: true, ..ace(users(), GENERIC_ALL) });
        assert_eq!(untrusted(Subject::File, &file), None);
        let no_list = Security { owner: Account::Administrators, aces: None };
        assert!(untrusted(Subject::File, &no_list).unwrap().contains("no access list"));
    }

    #[test]
    fn the_pipe_admits_only_the_given_user() {
        let sddl = current_user_only_sddl("S-1-5-21-1-2-3-1001");
        assert_eq!(sddl, "D:P(A;;GA;;;S-1-5-21-1-2-3-1001)", "protected, one allow entry, no Everyone or Anonymous");
    }
}
