//! A template with its secrets filled in: the pure part of `init`, free of files and git.

use std::path::Path;

use super::InitError;
use crate::envfile::EnvDocument;
use crate::inventory::SecretRule;
use crate::project::SecretDecl;
use crate::rotation::kind_of;
use crate::secret::{Secret, SecretKind, generate_strong};

/// A value `init` generated for one key.
pub struct GeneratedSecret {
    pub key: String,
    pub kind: SecretKind,
    pub secret: Secret,
}

/// The new env file's document and what was generated for it.
pub struct FilledTemplate {
    /// The template's bytes with each secret value replaced, at the new file's path.
    pub document: EnvDocument,
    pub generated: Vec<GeneratedSecret>,
    /// Keys that keep the template's value (not secrets, `${...}` built from other keys, or bare `KEY` lines).
    pub kept: Vec<String>,
}

impl FilledTemplate {
    /// Fills `template` for the file at `path`: each key `rule` calls secret gets a fresh value of its kind
    /// (declared in `decls`, else guessed from its name), with the declared length. Values built from `${...}`
    /// keep their references, so a `MONGODB_URL` follows the password it embeds.
    pub fn fill(
        template: &EnvDocument,
        path: &Path,
        rule: &SecretRule,
        decls: &[SecretDecl],
    ) -> Result<FilledTemplate, InitError> {
        let mut document = EnvDocument::parse(path, &template.to_bytes())?;
        let (mut generated, mut kept) = (Vec::new(), Vec::new());
        let flags = rule.entry_secret_flags(template);
        for (entry, secret) in template.entries().iter().zip(flags) {
            // The effective (last) occurrence only: `set` edits that one, and a key is generated once.
            if template.get(&entry.key).map(|e| e.line) != Some(entry.line) {
                continue;
            }
            let built = entry.is_interpolated() && entry.value.as_deref().is_some_and(|v| v.contains('$'));
            if !secret || built || entry.value.is_none() {
                kept.push(entry.key.clone());
                continue;
            }
            let decl = decls
                .iter()
                .find(|d| d.key == entry.key)
                .cloned()
                .unwrap_or_else(|| SecretDecl { key: entry.key.clone(), ..SecretDecl::default() });
            // The template's value is a placeholder: only the key name and the declaration decide the kind.
            let kind = kind_of(&decl, "");
            let secret = generate_strong(kind, decl.length, &entry.key).map_err(|source| InitError::Generate {
                file: path.to_path_buf(),
                key: entry.key.clone(),
                source,
            })?;
            document.set(&entry.key, secret.expose())?;
            generated.push(GeneratedSecret { key: entry.key.clone(), kind, secret });
        }
        Ok(FilledTemplate { document, generated, kept })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Strength;
    use proptest::prelude::*;

    const TEMPLATE: &str = "# Local credentials\nDB_USER=admin\nDB_PASSWORD=changeme\n\n# signing\n\
                            export JWT_SECRET_KEY=\"changeme\"  # rotate yearly\nAPI_TOKEN=\n\
                            DB_URL=postgres://${DB_USER}:${DB_PASSWORD}@db/app\nSHELL_PASSWORD\n";

    fn fill(text: &str, decls: &[SecretDecl]) -> FilledTemplate {
        let template = EnvDocument::parse("t.example", text.as_bytes()).expect("template parses");
        FilledTemplate::fill(&template, Path::new("t"), &SecretRule::default(), decls).expect("fills")
    }

    #[test]
    fn secrets_are_generated_strong_and_distinct_and_the_rest_is_kept() {
        let filled = fill(
            TEMPLATE,
            &[SecretDecl { key: "API_TOKEN".into(), kind: Some("hex".into()), length: Some(40), ..Default::default() }],
        );
        let keys: Vec<&str> = filled.generated.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["DB_PASSWORD", "JWT_SECRET_KEY", "API_TOKEN"]);
        assert_eq!(filled.kept, ["DB_USER", "DB_URL", "SHELL_PASSWORD"]);
        let doc = &filled.document;
        let value = |k: &str| doc.get(k).and_then(|e| e.value.clone()).expect("value");
        assert_eq!(value("DB_USER"), "admin");
        assert_eq!(value("DB_URL"), "postgres://${DB_USER}:${DB_PASSWORD}@db/app");
        assert_eq!(filled.generated[1].kind, SecretKind::Jwt);
        assert_eq!(value("JWT_SECRET_KEY").len(), 64);
        assert_eq!((filled.generated[2].kind, value("API_TOKEN").len()), (SecretKind::Hex, 40));
        let mut seen = std::collections::HashSet::new();
        for g in &filled.generated {
            assert_eq!(value(&g.key), g.secret.expose());
            assert!(Strength::estimate(g.secret.expose(), &g.key, None).is_strong(), "{}", g.key);
            assert!(seen.insert(g.secret.expose().to_string()), "{} repeats a value", g.key);
        }
        let text = String::from_utf8(doc.to_bytes()).expect("utf8");
        assert!(text.starts_with("# Local credentials\nDB_USER=admin\n"));
        assert!(text.contains("\n\n# signing\nexport JWT_SECRET_KEY="));
        assert!(
            text.contains("  # rotate yearly\n"),
            "the inline comment stays: {}",
            text.lines().nth(5).unwrap_or("")
        );
        assert!(!text.contains("changeme"));
    }

    /// A template line: a comment, a blank, a secret key, or a plain key, with assorted quoting.
    fn line() -> impl Strategy<Value = String> {
        let value = "[a-zA-Z0-9_.:/-]{0,12}";
        prop_oneof![
            "# [a-zA-Z0-9 ,.]{0,20}".prop_map(|c| c),
            Just(String::new()),
            ("[A-Z]{1,6}_(PASSWORD|SECRET|TOKEN)", value).prop_map(|(k, v)| format!("{k}={v}")),
            ("[A-Z]{1,6}_(PASSWORD|SECRET|TOKEN)", value).prop_map(|(k, v)| format!("export {k}='{v}'")),
            ("[A-Z]{1,6}_(NAME|HOST|PORT)", value).prop_map(|(k, v)| format!("{k}=\"{v}\"  # note")),
        ]
    }

    proptest! {
        // Each case runs zxcvbn over every generated secret, slow in a debug build: 48 cases of up to 24 lines.
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_template_round_trips(lines in proptest::collection::vec(line(), 0..24)) {
            let text = lines.join("\n") + "\n";
            let template = EnvDocument::parse("t.example", text.as_bytes()).expect("template parses");
            let filled = FilledTemplate::fill(&template, Path::new("t"), &SecretRule::default(), &[]).expect("fills");
            let reparsed = EnvDocument::parse("t", &filled.document.to_bytes()).expect("the new file parses");
            let keys = |d: &EnvDocument| d.entries().iter().map(|e| e.key.clone()).collect::<Vec<_>>();
            prop_assert_eq!(keys(&reparsed), keys(&template));
            let generated: std::collections::HashSet<&str> = filled.generated.iter().map(|g| g.key.as_str()).collect();
            let (old, new) = (text.lines().collect::<Vec<_>>(), String::from_utf8(filled.document.to_bytes()).expect("utf8"));
            let new: Vec<&str> = new.lines().collect();
            prop_assert_eq!(old.len(), new.len());
            for (before, after) in old.iter().zip(&new) {
                // Comments, blanks and non-secret lines are byte for byte the template's.
                let key = before.trim_start_matches("export ").split('=').next().unwrap_or("");
                if !generated.contains(key) || before.starts_with('#') {
                    prop_assert_eq!(before, after);
                }
            }
            for g in &filled.generated {
                let last = reparsed.get(&g.key).and_then(|e| e.literal()).map(|v| v.into_owned());
                prop_assert_eq!(last.as_deref(), Some(g.secret.expose()));
                prop_assert!(Strength::estimate(g.secret.expose(), &g.key, None).is_strong());
            }
        }
    }
}
