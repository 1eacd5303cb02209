//! A Swarm secret object a stack rotation replaces: the object the services run now and the versioned one that
//! takes its place. Recorded in the plan (so in the journal) before anything changes, so that a resume or a
//! rollback after a crash works with the same two names.

use serde::{Deserialize, Serialize};

/// The two objects of one compose secret in a stack rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretObjectSwap {
    /// The compose secret's key under `secrets:`.
    pub secret: String,
    /// The object the stack's services run before the rotation (`shop_redis_pw_1`, or `shop_redis_pw`).
    pub old: String,
    /// The object made for the new value (`shop_redis_pw_2`).
    pub new: String,
    /// The new object's version, the number ending its name (or given to its version variable).
    pub version: u32,
    /// The env file variable that gives the `name:` its version, set to `version` at commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_variable: Option<super::VersionVariable>,
}

impl SecretObjectSwap {
    /// The swap of compose secret `secret` away from object `old`: the next version of `old`'s name that none of
    /// `existing` (the engine's secret object names) has taken. A name ending in `_<number>` is a version
    /// (`shop_redis_pw_1` -> `shop_redis_pw_2`); any other name is version 1 (`shop_redis_pw` ->
    /// `shop_redis_pw_2`).
    pub fn next(secret: &str, old: &str, existing: &[String]) -> SecretObjectSwap {
        let (base, current) = split_version(old).unwrap_or((old, 1));
        let taken = existing.iter().filter_map(|name| split_version(name)).filter(|(b, _)| *b == base);
        let version = taken.map(|(_, v)| v).chain([current]).max().unwrap_or(current).saturating_add(1);
        let new = format!("{base}_{version}");
        SecretObjectSwap { secret: secret.to_string(), old: old.to_string(), new, version, version_variable: None }
    }
}

impl SecretObjectSwap {
    /// True when `name` is another version of the new object's name (`shop_redis_pw_2` beside `shop_redis_pw_4`).
    pub fn is_version_of_new(&self, name: &str) -> bool {
        let base = |n: &str| split_version(n).map_or(n.to_string(), |(b, _)| b.to_string());
        name != self.new && base(name) == base(&self.new)
    }
}

/// `("shop_redis_pw", 3)` for `shop_redis_pw_3`; `None` for a name not ending in `_<number>`.
fn split_version(name: &str) -> Option<(&str, u32)> {
    let (base, digits) = name.rsplit_once('_')?;
    if base.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((base, digits.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_next_version_follows_the_highest_one_the_engine_has() {
        let swap = SecretObjectSwap::next("redis_pw", "shop_redis_pw_1", &names(&["shop_redis_pw_1", "other_4"]));
        assert_eq!((swap.new.as_str(), swap.version), ("shop_redis_pw_2", 2));
        // A version left over from an earlier rotation is skipped, never reused.
        let swap =
            SecretObjectSwap::next("redis_pw", "shop_redis_pw_1", &names(&["shop_redis_pw_1", "shop_redis_pw_7"]));
        assert_eq!(swap.new, "shop_redis_pw_8");
    }

    #[test]
    fn earlier_versions_of_the_new_name_are_recognised() {
        let swap = SecretObjectSwap::next("redis_pw", "shop_redis_pw", &[]);
        assert!(swap.is_version_of_new("shop_redis_pw_7") && swap.is_version_of_new("shop_redis_pw"));
        assert!(!swap.is_version_of_new("shop_redis_pw_2") && !swap.is_version_of_new("shop_redis_pw_x_3"));
        assert!(!swap.is_version_of_new("other_2"));
    }

    #[test]
    fn an_unversioned_name_becomes_version_two() {
        let swap = SecretObjectSwap::next("db", "shop_db", &names(&["shop_db"]));
        assert_eq!((swap.new.as_str(), swap.version), ("shop_db_2", 2));
        // `v2` is part of the name, not a version: only `_<number>` is.
        assert_eq!(SecretObjectSwap::next("k", "shop_key_v2", &[]).new, "shop_key_v2_2");
        assert_eq!(SecretObjectSwap::next("k", "_5", &[]).new, "_5_2");
    }
}
