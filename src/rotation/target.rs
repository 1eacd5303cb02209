//! What the user asked to rotate: a store by name (`redis`, `mongo`, ...), `jwt`, or any env key.

use crate::stores::StoreKind;

/// A rotation target as typed on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The password of the project's store of this kind.
    Store(StoreKind),
    Jwt,
    Key(String),
}

impl Target {
    /// Parses a registered store name, `jwt`, or takes the word as a key name.
    pub fn parse(word: &str) -> Target {
        match (StoreKind::named(word), word) {
            (Some(kind), _) => Target::Store(kind),
            (None, "jwt") => Target::Jwt,
            (None, key) => Target::Key(key.to_string()),
        }
    }
}

/// As typed: the store's name, `jwt` or the key.
impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Target::Store(kind) => kind.name(),
            Target::Jwt => "jwt",
            Target::Key(key) => key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_store_name_is_a_target() {
        for kind in StoreKind::external() {
            assert_eq!(Target::parse(kind.name()), Target::Store(kind));
        }
        assert_eq!(Target::parse("mongodb").to_string(), "mongo");
        assert_eq!(Target::parse("jwt"), Target::Jwt);
        assert_eq!(Target::parse("env"), Target::Key("env".into()));
        assert_eq!(Target::parse("DB_PASSWORD"), Target::Key("DB_PASSWORD".into()));
    }
}
