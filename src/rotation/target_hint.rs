//! The hint for a target that names nothing: "did you mean", and the targets there are (`rediss` -> `redis`).

use crate::envfile::EnvDocument;
use crate::project::ComposeSecret;
use crate::secret::is_secret_key;
use crate::stores::StoreKind;

/// How many keys the hint lists before it says "...".
const LISTED_KEYS: usize = 12;

/// `; did you mean redis? Targets: redis, mongo, jwt, db_password, or a key: REDIS_PASSWORD, ...` for `word`
/// (the compose `secrets` are targets too), or nothing.
pub fn target_hint(word: &str, docs: &[EnvDocument], secrets: &[ComposeSecret]) -> String {
    let names: Vec<&str> =
        StoreKind::external().map(|k| k.name()).chain(["jwt"]).chain(secrets.iter().map(|s| s.key.as_str())).collect();
    let mut keys: Vec<&str> = Vec::new();
    for entry in docs.iter().flat_map(|d| d.entries()) {
        if is_secret_key(&entry.key) && !keys.contains(&entry.key.as_str()) {
            keys.push(&entry.key);
        }
    }
    let best = names
        .iter()
        .chain(&keys)
        .map(|candidate| {
            (strsim::damerau_levenshtein(&word.to_ascii_lowercase(), &candidate.to_ascii_lowercase()), candidate)
        })
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min_by_key(|(distance, _)| *distance);
    let mut text = match best {
        Some((_, candidate)) => format!("; did you mean {candidate}?"),
        None => String::new(),
    };
    text.push_str(&format!(" Targets: {}", names.join(", ")));
    if !keys.is_empty() {
        let more = if keys.len() > LISTED_KEYS { ", ..." } else { "" };
        text.push_str(&format!(", or a key: {}{more}", keys[..keys.len().min(LISTED_KEYS)].join(", ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_target_gets_did_you_mean_and_the_list_of_targets() {
        let doc = EnvDocument::parse(std::path::Path::new(".env"), b"REDIS_PASSWORD=x\nHOST=y\n").expect("parse");
        let hint = target_hint("rediss", std::slice::from_ref(&doc), &[]);
        assert!(hint.starts_with("; did you mean redis?"), "{hint}");
        assert!(
            hint.contains("Targets: redis, mongo") && hint.contains("jwt") && hint.contains("REDIS_PASSWORD"),
            "{hint}"
        );
        assert!(!hint.contains("HOST"), "only secret keys are targets: {hint}");
        assert!(target_hint("REDIS_PASWORD", &[doc], &[]).starts_with("; did you mean REDIS_PASSWORD?"));
        assert!(!target_hint("completely-else", &[], &[]).contains("did you mean"));
    }

    #[test]
    fn compose_secrets_are_targets_a_typo_is_pointed_to() {
        let secret = ComposeSecret {
            key: "db_password".into(),
            name: None,
            name_variables: Vec::new(),
            source: crate::project::SecretSource::File("/p/db_password.txt".into()),
            declared_in: "/p/compose.yaml".into(),
            line: Some(3),
        };
        let hint = target_hint("db_pasword", &[], std::slice::from_ref(&secret));
        assert!(hint.starts_with("; did you mean db_password?"), "{hint}");
        assert!(hint.contains("jwt, db_password"), "{hint}");
    }
}
