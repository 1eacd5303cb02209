//! The values behind a stack rotation's two secret objects, so that a rolling update knows which object each
//! service must run for the value it is moved to: the new one going forward, the old one in a rollback.

use crate::rotation::{Journal, SecretObjectSwap};
use crate::secret::Secret;

/// One compose secret's old and new object with the value each holds.
pub struct SecretVersions {
    pub swap: SecretObjectSwap,
    /// The secret's file: an object holds the value with the file's trailing line breaks, byte for byte what
    /// `docker stack deploy` makes of the file (a deploy refuses an object whose bytes differ from its file).
    pub file: Option<std::path::PathBuf>,
    /// What the secret file held before the rotation (the old object's content).
    pub old: Secret,
    pub new: Secret,
}

/// The object a rolling update moves services to, and the one it moves them away from.
pub struct WantedObject<'a> {
    pub name: &'a str,
    pub value: &'a Secret,
    /// Its version label, for an object docker-secops makes.
    pub version: Option<u32>,
    pub other: &'a str,
}

impl SecretVersions {
    /// The secret objects of every journal of a stack rotation.
    pub fn of(journals: &[&Journal]) -> Vec<SecretVersions> {
        journals
            .iter()
            .flat_map(|j| {
                j.plan.secret_objects.iter().map(|swap| SecretVersions {
                    swap: swap.clone(),
                    file: j.plan.edits.iter().find(|e| e.whole_file() && e.key == swap.secret).map(|e| e.file.clone()),
                    old: j.file_old.clone(),
                    new: j.new.clone(),
                })
            })
            .collect()
    }

    /// The bytes of an object holding `value`: the value with the trailing line breaks its file has now.
    pub fn content(&self, value: &Secret) -> zeroize::Zeroizing<Vec<u8>> {
        let file = self.file.as_deref().and_then(|f| crate::project::SecretFile::read(f).ok());
        zeroize::Zeroizing::new(match file {
            Some(file) => file.with_value(value.expose()),
            None => value.expose().as_bytes().to_vec(),
        })
    }

    /// Which object services get when they are moved to the values of `expect`: the new one when it holds the
    /// new value, the old one when a rollback moves them back; `None` when `expect` holds neither.
    pub fn wanted(&self, expect: &[(String, Secret)]) -> Option<WantedObject<'_>> {
        let swap = &self.swap;
        if expect.iter().any(|(_, v)| *v == self.new) {
            Some(WantedObject { name: &swap.new, value: &self.new, version: Some(swap.version), other: &swap.old })
        } else if expect.iter().any(|(_, v)| *v == self.old) {
            Some(WantedObject { name: &swap.old, value: &self.old, version: None, other: &swap.new })
        } else {
            None
        }
    }
}
