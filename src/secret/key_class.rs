//! Which environment keys hold secrets, judged by name.
//!
//! The rule (documented in the README): a key is secret-like when its upper-cased name contains PASSWORD,
//! PASSWD, SECRET, TOKEN, CREDENTIAL, APIKEY or PASSPHRASE, or one of its `_`-separated words is PWD, PASS (or a
//! name run into PASS: `REDISPASS`), AUTH, KEY, SIGNING, ENCRYPTION, HMAC or SALT (`*_SHARED_KEY`, `*_MASTER_KEY` are
//! secret by their KEY word); unless its last word names metadata about a secret
//! rather than the secret (`_ID`, `_USER`, `_FILE`, `_URL`, `_PREFIX`, `_ROLE`, `_DOMAIN`, `_TTL`, ...), it names a
//! public key, or it is a feature flag (`ENABLE_`, `DISABLE_`, `ALLOW_` words). Keys that receive a secret by
//! interpolation and keys declared in `x-secops` are added by the project model, not here. Values that are
//! booleans or "off" sentinels (`false`, `disabled`, `{}`) hold no secret whatever the key ([`is_non_secret_value`]).

const CONTAINS: &[&str] = &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "APIKEY", "PASSPHRASE"];
/// Words that make a key secret. `KEY` is one: `*_KEY` is a secret unless public or metadata (`_KEY_ID`, ...).
/// SHARED and MASTER are not words of their own: `SHARED_BUFFERS`, `DATABASE_SHARED_TABLES`, mailcow's `MASTER=y`
/// are settings, and `PEER_SHARED_KEY`, `MEILI_MASTER_KEY` are caught by KEY.
const WORDS: &[&str] = &["PWD", "PASS", "AUTH", "KEY", "SIGNING", "ENCRYPTION", "HMAC", "SALT"];
/// Words of feature flags: `ENABLE_AUTH`, `DISABLE_PASSWORD_LOGIN`, `ALLOW_SIGNUP_WITH_PASSWORD` are switches.
const FLAG_WORDS: &[&str] = &["ENABLE", "ENABLED", "DISABLE", "DISABLED", "ALLOW", "REQUIRE", "USE"];
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
    "ROLE",
    "ROLES",
    "DOMAIN",
    "DOMAINS",
    "PREFIX",
    "SUFFIX",
    "MODULE",
    "LOGIN",
    "FORM",
    "SCOPE",
    "SCOPES",
    "REALM",
    "STRATEGY",
    "BACKEND",
    "DRIVER",
    "FORMAT",
    "SIZE",
    "BITS",
    "COUNT",
    "LIMIT",
    "INTERVAL",
    "HOSTS",
    "URLS",
    "BUFFERS",
    "LIBRARIES",
    "SET",
    "LOCATION",
    "STORE",
    "REQUIRED",
    "POLICY",
    "ROTATION",
    "EMAIL",
    "SCHEME",
    "TABLES",
    "NAMESPACE",
];

/// Values that switch something rather than hold a secret: booleans, "off" sentinels, empty JSON.
const NON_SECRET_VALUES: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "enabled", "disabled", "enable", "disable", "none", "null", "nil",
    "invalid", "unset", "{}", "[]", "\"\"", "''",
];

/// True when `key` names a secret by the rule above.
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    if upper.contains("PUBLIC") {
        return false;
    }
    let words: Vec<&str> = upper.split(['_', '-', '.']).filter(|w| !w.is_empty()).collect();
    if words.last().is_some_and(|last| METADATA_WORDS.contains(last)) || words.iter().any(|w| FLAG_WORDS.contains(w)) {
        return false;
    }
    // `AWS_ACCESS_KEY`, `MINIO_ACCESS_KEY`, `S3_ACCESS_KEY` are the key *id* (the user name); the secret half says
    // SECRET (`AWS_SECRET_ACCESS_KEY`).
    if upper.ends_with("ACCESS_KEY") && !upper.contains("SECRET") {
        return false;
    }
    CONTAINS.iter().any(|needle| upper.contains(needle))
        || words.iter().any(|w| WORDS.contains(w) || is_compound_pass(w))
}

/// A word ending in PASS that runs a name into it (`REDISPASS`, `DBPASS`, `ROOTPASS`), not an English word.
fn is_compound_pass(word: &str) -> bool {
    word.len() > 4
        && word.ends_with("PASS")
        && !["BYPASS", "COMPASS", "SURPASS", "OVERPASS", "TRESPASS"].contains(&word)
}

/// True when `value` is a boolean, an "off" sentinel or empty JSON (`false`, `disabled`, `none`, `{}`): a setting,
/// not a secret, whatever its key says (`OAUTH_PRIVATE_KEY=disabled`, `CLOUD_CREDENTIALS={}`).
pub fn is_non_secret_value(value: &str) -> bool {
    let trimmed = value.trim();
    NON_SECRET_VALUES.iter().any(|v| trimmed.eq_ignore_ascii_case(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_words_that_name_credentials_are_secret() {
        for key in [
            "SESSION_SIGNING_KEY",
            "DATA_ENCRYPTION_KEY",
            "APP_OPENSSL_KEY_V1",
            "PEER_SHARED_KEY",
            "MEILI_MASTER_KEY",
            "WEBHOOK_HMAC",
            "PASSWORD_SALT",
            "LICENSE_KEY",
            "SECRET_KEY_BASE",
            "GPG_PASSPHRASE",
            "REDISPASS",
            "DBPASS",
        ] {
            assert!(is_secret_key(key), "{key} should be secret");
        }
    }

    #[test]
    fn settings_that_mention_a_secret_word_are_not_secret() {
        for key in [
            "DISABLE_PASSWORD_LOGIN",
            "ENABLE_AUTH",
            "API_KEY_PREFIX",
            "DASHBOARD_AUTH_ROLE",
            "CF_AUTH_DOMAIN",
            "GF_AUTH_DISABLE_LOGIN_FORM",
            "GF_AUTH_ANONYMOUS_ORG_ROLE",
            "SIGNING_KEY_ID",
            "ENCRYPTION_KEY_FILE",
            "SSH_KEY_PATH",
            "AUTH_MODULE",
            "PROXY_BYPASS",
            "AUTH_TYPE",
            "ALLOW_SIGNUP_WITH_PASSWORD",
            "POSTGRES_SHARED_BUFFERS",
            "REDIS_MASTER_SET",
            "KEYCLOAK_REALM",
            "AWS_ACCESS_KEY",
            "_APP_STORAGE_S3_ACCESS_KEY",
        ] {
            assert!(!is_secret_key(key), "{key} should not be secret");
        }
    }

    #[test]
    fn booleans_and_off_sentinels_are_not_secret_values() {
        for value in ["false", "TRUE", "disabled", "{}", "none", " off "] {
            assert!(is_non_secret_value(value), "{value}");
        }
        for value in ["disabledX9!", "0", "123", "s3cret", ""] {
            assert!(!is_non_secret_value(value), "{value}");
        }
    }

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
