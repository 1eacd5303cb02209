//! Which environment keys hold secrets, judged by name.
//!
//! The rule (documented in the README): a key is secret-like when its upper-cased name contains PASSWORD,
//! PASSWD, SECRET, TOKEN or CREDENTIAL, or one of its `_`-separated words is PWD, PASS, AUTH, or it contains
//! API_KEY, APIKEY, PRIVATE_KEY, ACCESS_KEY; unless its last word names metadata about a secret rather than the
//! secret (`_ID`, `_USER`, `_FILE`, `_URL`, `_TTL`, `_ALGORITHM`, ...) or it names a public key. Keys that receive a
//! secret by interpolation and keys declared in `x-secops` are added by the project model, not here.

const CONTAINS: &[&str] =
    &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY"];
const WORDS: &[&str] = &["PWD", "PASS", "AUTH"];
const METADATA_WORDS: &[&str] = &[
    "ID",
    "IDS",
    "USER",
    "USERNAME",
    "NAME",
    "FILE",
    "PATH",
    "DIR",
    "URL",
    "URI",
    "HOST",
    "PORT",
    "ENABLED",
    "ENABLE",
    "DISABLED",
    "METHOD",
    "MECHANISM",
    "SOURCE",
    "TYPE",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "LIFETIME",
    "LENGTH",
    "ALGORITHM",
    "ALG",
    "ISSUER",
    "AUDIENCE",
    "HEADER",
    "TIMEOUT",
    "SECONDS",
    "MINUTES",
    "HOURS",
    "DAYS",
    "DB",
    "DATABASE",
    "ENDPOINT",
    "PROVIDER",
    "MODE",
    "VERSION",
];

/// True when `key` names a secret by the rule above.
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    if upper.contains("PUBLIC") {
        return false;
    }
    let words: Vec<&str> = upper.split(['_', '-', '.']).filter(|w| !w.is_empty()).collect();
    if words.last().is_some_and(|last| METADATA_WORDS.contains(last)) {
        return false;
    }
    CONTAINS.iter().any(|needle| upper.contains(needle)) || words.iter().any(|w| WORDS.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for key in [
            "MONGO_INITDB_ROOT_PASSWORD",
            "REDIS_PASSWORD",
            "JWT_SECRET_KEY",
            "JWT_SECRET",
            "GITHUB_TOKEN",
            "DB_PWD",
            "STRIPE_API_KEY",
            "SSH_PRIVATE_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "smtp_pass",
            "REDIS_AUTH",
            "GCP_CREDENTIALS",
        ] {
            assert!(is_secret_key(key), "{key} should be secret");
        }
    }

    #[test]
    fn non_secret_names() {
        for key in [
            "MONGO_INITDB_ROOT_USERNAME",
            "CLIENT_ID",
            "SSH_PUBLIC_KEY",
            "MONGO_INITDB_ROOT_PASSWORD_FILE",
            "AUTHOR",
            "REDIS_HOST",
            "JWT_ALGORITHM",
            "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH",
            "AUTH_URL",
            "PATH",
            "MONGO_AUTH_SOURCE",
        ] {
            assert!(!is_secret_key(key), "{key} should not be secret");
        }
    }
}
