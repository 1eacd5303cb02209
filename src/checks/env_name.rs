//! The environment an env file is for, read from its name: `.env.prod`, `prod.env`, `.env.production.local`.

use std::path::Path;

const ALIASES: &[(&str, &[&str])] = &[
    ("prod", &["prod", "production", "prd", "live"]),
    ("staging", &["staging", "stage", "stg", "preprod"]),
    ("dev", &["dev", "development", "local"]),
    ("test", &["test", "testing", "ci"]),
];

/// The canonical environment named by `path`'s file name, when it names one.
pub fn env_of(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let words: Vec<&str> =
        name.split(['.', '-', '_']).filter(|w| !w.is_empty() && *w != "env" && *w != "example").collect();
    words.iter().find_map(|w| canonical(w))
}

/// The canonical name of an environment name a user typed (`--env production` -> `prod`).
pub fn canonical(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    ALIASES.iter().find(|(_, names)| names.contains(&lower.as_str())).map(|(canon, _)| *canon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_names() {
        assert_eq!(env_of(Path::new("envs/.env.prod")), Some("prod"));
        assert_eq!(env_of(Path::new("production.env")), Some("prod"));
        assert_eq!(env_of(Path::new(".env.local")), Some("dev"));
        assert_eq!(env_of(Path::new(".env.local.example")), Some("dev"));
        assert_eq!(env_of(Path::new(".env")), None);
        assert_eq!(canonical("Production"), Some("prod"));
    }
}
