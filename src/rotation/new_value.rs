//! Where a rotation's new value comes from: generated from the OS CSPRNG (the default), or handed in by a policy
//! or an external vault (`--new-from-stdin`), checked against the same strength policy `check` applies.

use super::RotationPlan;
use crate::secret::{GenerateError, Secret, Strength, generate_strong};

/// The source of the new value.
pub enum NewValue {
    /// Generate one of the plan's kind and length.
    Generate,
    /// Use this value; `allow_weak` accepts one the strength policy calls weak.
    Provided { secret: Secret, allow_weak: bool },
}

/// Why a provided value is refused. Messages never contain the value.
#[derive(Debug, thiserror::Error)]
pub enum NewValueError {
    #[error(transparent)]
    Generate(#[from] GenerateError),
    #[error("the new value for {key} is weak: {reasons} (pass --allow-weak to use it anyway)")]
    Weak { key: String, reasons: String },
    #[error("the new value for {key} is its current value: nothing would be rotated")]
    Unchanged { key: String },
    #[error("the new value for {key} holds a line break or NUL byte, which no env file can carry")]
    Unrepresentable { key: String },
    #[error(
        "the new value for {key} holds a character that is not URL-safe ({found:?}) while {embedding} embeds the \
         secret in a URL: the URL would break (use letters, digits and -._~)"
    )]
    NotUrlSafe { key: String, embedding: String, found: char },
}

impl NewValue {
    /// The new value for `plan`, whose env files hold `current` now.
    pub fn produce(&self, plan: &RotationPlan, current: &Secret) -> Result<Secret, NewValueError> {
        let (secret, allow_weak) = match self {
            NewValue::Generate => return Ok(generate_strong(plan.kind, plan.length, &plan.key)?),
            NewValue::Provided { secret, allow_weak } => (secret, *allow_weak),
        };
        let key = plan.key.clone();
        let value = secret.expose();
        if value.contains(['\n', '\r', '\0']) {
            return Err(NewValueError::Unrepresentable { key });
        }
        if secret == current {
            return Err(NewValueError::Unchanged { key });
        }
        // An embedding edit replaces the password inside a URL byte for byte: only unreserved characters survive.
        if let Some(edit) = plan.edits.iter().find(|e| e.embedded())
            && let Some(found) = value.chars().find(|c| !(c.is_ascii_alphanumeric() || "-._~".contains(*c)))
        {
            return Err(NewValueError::NotUrlSafe { key, embedding: edit.key.clone(), found });
        }
        let user = plan.store.user.as_deref();
        let strength = Strength::estimate(value, &plan.key, user);
        if !strength.is_strong() && !allow_weak {
            let reasons = strength.weaknesses.iter().map(|w| w.describe()).collect::<Vec<_>>().join("; ");
            return Err(NewValueError::Weak { key, reasons });
        }
        Ok(secret.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rotation::{EditKind, FileEdit};
    use crate::secret::SecretKind;
    use crate::stores::StoreSpec;

    fn plan(embedded: bool) -> RotationPlan {
        let edit = |key: &str, embedded| {
            let kind = if embedded { EditKind::Embedded } else { EditKind::Value };
            FileEdit { file: "/p/.env".into(), key: key.into(), kind }
        };
        let mut edits = vec![edit("REDIS_PASSWORD", false)];
        if embedded {
            edits.push(edit("REDIS_URL", true));
        }
        RotationPlan {
            key: "REDIS_PASSWORD".into(),
            kind: SecretKind::Password,
            length: None,
            store: StoreSpec {
                kind: "redis".into(),
                service: Some("redis".into()),
                user: Some("default".into()),
                database: None,
            },
            primary_file: "/p/.env".into(),
            edits,
            partial_matches: vec![],
            file_hashes: vec![],
            secret_targets: vec![],
            consumers: vec![],
            store_restart: None,
            keep_previous: None,
            state_dir: "/p/.secops".into(),
            project: None,
            archive_recipient: None,
            secret_objects: Vec::new(),
            stack: None,
        }
    }

    fn provided(value: &str, allow_weak: bool) -> NewValue {
        NewValue::Provided { secret: Secret::new(value), allow_weak }
    }

    #[test]
    fn a_strong_provided_value_is_used_as_is() {
        let current = Secret::new("old-value-0000000000000000");
        let value = "Vq3xT9mK2pL8wZr4Hn6bYc1dFg7sJe5u";
        let new = provided(value, false).produce(&plan(true), &current).expect("accepted");
        assert_eq!(new.expose(), value);
        let generated = NewValue::Generate.produce(&plan(false), &current).expect("generates");
        assert_eq!(generated.len(), 32);
    }

    #[test]
    fn weak_values_are_refused_unless_allowed_and_messages_hold_no_value() {
        let current = Secret::new("old-value-0000000000000000");
        let err = provided("hunter2hunter2", false).produce(&plan(false), &current).expect_err("weak");
        assert!(matches!(err, NewValueError::Weak { .. }));
        assert!(err.to_string().contains("--allow-weak") && !err.to_string().contains("hunter2"), "{err}");
        assert!(provided("hunter2hunter2", true).produce(&plan(false), &current).is_ok());
    }

    #[test]
    fn unchanged_multiline_and_url_breaking_values_are_refused_even_with_allow_weak() {
        let current = Secret::new("Vq3xT9mK2pL8wZr4Hn6bYc1dFg7sJe5u");
        let same = provided(current.expose(), true).produce(&plan(false), &current);
        assert!(matches!(same, Err(NewValueError::Unchanged { .. })));
        let two_lines = provided("Vq3xT9mK2pL8\nwZr4Hn6bYc1dFg7s", true).produce(&plan(false), &current);
        assert!(matches!(two_lines, Err(NewValueError::Unrepresentable { .. })));
        let at = provided("Vq3xT9mK2pL8@wZr4Hn6bYc1dFg7sJe5u", true).produce(&plan(true), &current);
        assert!(matches!(at, Err(NewValueError::NotUrlSafe { found: '@', .. })), "an @ would end the URL's userinfo");
        assert!(provided("Vq3xT9mK2pL8@wZr4Hn6bYc1dFg7sJe5u", false).produce(&plan(false), &current).is_ok());
    }
}
