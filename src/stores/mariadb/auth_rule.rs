//! One authentication rule of a MariaDB account (`IDENTIFIED VIA plugin USING 'string'`), read from
//! `mysql.global_priv` and written back in `ALTER USER`, so a rotation restates the rules it does not replace.

use sha1::{Digest, Sha1};

use super::sql_account::literal;
use crate::secret::Secret;

/// The plugin whose rules hold a password hash.
pub const NATIVE: &str = "mysql_native_password";

/// One rule: a plugin and its authentication string (a hash, or empty for `unix_socket`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRule {
    pub plugin: String,
    pub auth: String,
}

impl AuthRule {
    /// The `mysql_native_password` rule of `password`: `*` and the upper hex of SHA1(SHA1(password)), what the
    /// server stores, so the statement and the general log never hold the password.
    pub fn native(password: &Secret) -> AuthRule {
        let inner = Sha1::digest(password.expose().as_bytes());
        let outer = Sha1::digest(inner);
        AuthRule { plugin: NATIVE.to_string(), auth: format!("*{}", hex::encode_upper(outer)) }
    }

    /// The rules of an account from its `mysql.global_priv.Priv` JSON: the top-level plugin, or, with `auth_or`,
    /// each element in order (`{}` standing for the top-level one).
    pub fn parse_priv(json: &str) -> Result<Vec<AuthRule>, String> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("unreadable Priv: {e}"))?;
        let rule = |v: &serde_json::Value| AuthRule {
            plugin: v.get("plugin").and_then(|p| p.as_str()).unwrap_or(NATIVE).to_string(),
            auth: v.get("authentication_string").and_then(|a| a.as_str()).unwrap_or_default().to_string(),
        };
        let top = rule(&value);
        Ok(match value.get("auth_or").and_then(|o| o.as_array()) {
            Some(rules) => rules
                .iter()
                .map(|r| match r.as_object().is_some_and(|o| o.is_empty()) {
                    true => top.clone(),
                    false => rule(r),
                })
                .collect(),
            None => vec![top],
        })
    }

    /// `ALTER USER 'user'@'host' IDENTIFIED VIA a USING '...' OR b ...`.
    pub fn alter_user(user: &str, host: &str, rules: &[AuthRule]) -> String {
        let rules: Vec<String> = rules
            .iter()
            .map(|r| match r.auth.is_empty() {
                true => r.plugin.clone(),
                false => format!("{} USING {}", r.plugin, literal(&r.auth)),
            })
            .collect();
        format!("ALTER USER {}@{} IDENTIFIED VIA {}", literal(user), literal(host), rules.join(" OR "))
    }
}

/// `rules` with `add` beside the native rules (right after the last of them), unless it is there already.
pub fn with_rule(rules: &[AuthRule], add: &AuthRule) -> Vec<AuthRule> {
    if rules.contains(add) {
        return rules.to_vec();
    }
    let mut out = rules.to_vec();
    let at = rules.iter().rposition(|r| r.plugin == add.plugin).map(|i| i + 1).unwrap_or(0);
    out.insert(at, add.clone());
    out
}

/// `rules` without `drop`, when another rule remains (an account is never left with no way in).
pub fn without_rule(rules: &[AuthRule], drop: &AuthRule) -> Vec<AuthRule> {
    let out: Vec<AuthRule> = rules.iter().filter(|r| *r != drop).cloned().collect();
    if out.is_empty() { rules.to_vec() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_native_hash_is_the_servers_password_function() {
        // SELECT PASSWORD('apppw') on MariaDB 10.11.
        let rule = AuthRule::native(&Secret::new("apppw"));
        assert_eq!(rule.auth, "*DB14CBAE92D7CB2F84BD3AA7222415B564A4054A");
    }

    #[test]
    fn rules_are_read_from_priv_with_the_empty_element_standing_for_the_top_level_one() {
        let root = r#"{"access":1,"plugin":"mysql_native_password","authentication_string":"*79D0","auth_or":[{},{"plugin":"unix_socket"}]}"#;
        let rules = AuthRule::parse_priv(root).expect("parses");
        assert_eq!(
            rules,
            [
                AuthRule { plugin: NATIVE.into(), auth: "*79D0".into() },
                AuthRule { plugin: "unix_socket".into(), auth: String::new() },
            ]
        );
        let app = r#"{"plugin":"mysql_native_password","authentication_string":"*DB14"}"#;
        assert_eq!(AuthRule::parse_priv(app).expect("parses").len(), 1);
        assert!(AuthRule::parse_priv("{not json").is_err());
    }

    #[test]
    fn the_window_adds_the_new_hash_beside_the_old_and_keeps_unix_socket() {
        let old = AuthRule::native(&Secret::new("old-password"));
        let new = AuthRule::native(&Secret::new("new-password"));
        let socket = AuthRule { plugin: "unix_socket".into(), auth: String::new() };
        let window = with_rule(&[old.clone(), socket.clone()], &new);
        assert_eq!(window, [old.clone(), new.clone(), socket.clone()]);
        assert_eq!(with_rule(&window, &new), window, "idempotent");
        let sql = AuthRule::alter_user("root", "localhost", &window);
        assert_eq!(
            sql,
            format!(
                "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING '{}' OR \
                 mysql_native_password USING '{}' OR unix_socket",
                old.auth, new.auth
            )
        );
        assert!(!sql.contains("password'") && !sql.contains("new-password"), "{sql}");
        assert_eq!(without_rule(&window, &old), [new.clone(), socket]);
        assert_eq!(without_rule(std::slice::from_ref(&old), &old), [old], "never no rule at all");
    }

    #[test]
    fn names_are_quoted_as_literals() {
        let sql = AuthRule::alter_user("o'brien", "%", &[]);
        assert!(sql.starts_with(r"ALTER USER 'o\'brien'@'%'"), "{sql}");
    }
}
