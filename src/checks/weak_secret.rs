//! `weak-secret`: a secret below policy, or empty, as the container gets it.

use std::collections::BTreeMap;
use std::path::Path;

use super::secret_use::SecretUse;
use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::Origin;
use crate::secret::{Strength, fingerprint, placeholder_word};

/// Secrets that are short, low in entropy, common, placeholders, or equal to their own key or user name: in env
/// files, as compose literals, and as `${VAR:-default}` defaults that are delivered. One finding per value, listing
/// every key holding it (eight keys set to one weak value are one problem, not eight). Secret keys a service
/// receives empty are findings too.
pub struct WeakSecret;

impl Check for WeakSecret {
    fn name(&self) -> CheckName {
        CheckName::WeakSecret
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A secret is below policy: shorter than 16 characters, low in entropy, a common or guessable password \
         (zxcvbn), a template placeholder such as `changeme`, equal to its key or user name, or empty. It is judged \
         as the container gets it: env file lines, literals in the compose file, `${VAR:-default}` defaults \
         when nothing sets VAR, and the files of compose secrets (`file:`). A value shared by several keys is reported once, listing them. Replace it with \
         `docker secops rotate KEY` (or `docker secops generate`)."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        // Grouped by value, in the order the values are first met, each use once.
        let mut by_value: BTreeMap<&str, Vec<SecretUse>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for use_ in SecretUse::collect(cx) {
            // A template's placeholder for an optional integration (`SLACK_CLIENT_SECRET=get_the_secret...`) means
            // the integration is off; a weak value there that is no placeholder is still judged. A mounted secret
            // file is in use.
            if !use_.secret_file && is_optional_integration(use_.key) && placeholder_word(use_.value).is_some() {
                continue;
            }
            let uses = by_value.entry(use_.value).or_default();
            if uses.is_empty() {
                order.push(use_.value);
            }
            if !uses.iter().any(|u| u.file == use_.file && u.line == use_.line && u.key == use_.key) {
                uses.push(use_);
            }
        }
        // Every estimate at once: each distinct one once, on every core.
        let items: Vec<(&str, &str, Option<&str>)> =
            order.iter().flat_map(|v| by_value[v].iter().map(|u| (*v, u.key, u.user))).collect();
        let mut estimates = Strength::estimate_many(&items).into_iter();
        for value in order {
            let uses = &by_value[value];
            let first = &uses[0];
            let strengths: Vec<Strength> = estimates.by_ref().take(uses.len()).collect();
            let weak = strengths.into_iter().find(|s| !s.is_strong());
            let Some(strength) = weak else { continue };
            let reasons: Vec<String> = strength.weaknesses.iter().map(|w| w.describe()).collect();
            let mut message = format!("{} is weak: {}", first.key, reasons.join("; "));
            if first.from_default {
                message.push_str(" (the compose default, delivered because nothing sets the variable)");
            }
            let others: Vec<String> = uses[1..].iter().map(|u| u.key.to_string()).collect();
            if !others.is_empty() {
                message.push_str(&format!("; the same value is under {}", others.join(", ")));
            }
            let mut finding =
                self.finding(message).at(first.file, first.line).key(first.key).fingerprint(fingerprint(value));
            if let Some(service) = first.service {
                finding = finding.service(service);
            }
            if uses.len() > 1 {
                finding = finding.keys(uses.iter().map(|u| u.key.to_string()).collect());
            }
            findings.push(finding);
        }
        empty_secrets(self, cx, findings);
    }
}

/// Words of credentials for optional outside integrations (OAuth apps, cloud APIs, mail relays, registries): left
/// empty, the integration is simply off, as the templates that ship dozens of them intend.
const INTEGRATION_WORDS: &[&str] = &[
    "CLIENT",
    "API",
    "APIKEY",
    "WEBHOOK",
    "ACCESS",
    "SMTP",
    "EMAIL",
    "MAIL",
    "HUB",
    "PROXY",
    "S3",
    "AWS",
    "SPACES",
    "DQS",
    "INIT",
    "OAUTH",
    "OIDC",
    "LDAP",
    "SAML",
    "STORAGE",
    "VCS",
    "SMS",
    "SLACK",
    "GITHUB",
    "GITLAB",
    "GOOGLE",
    "APPLE",
    "AZURE",
    "DISCORD",
    "MICROSOFT",
    "TWITTER",
    "FACEBOOK",
    "OPENAI",
    "STRIPE",
    "SENDGRID",
    "MAILGUN",
    "TWILIO",
];

/// True when `key` is the credential of an optional outside integration ([`INTEGRATION_WORDS`]).
fn is_optional_integration(key: &str) -> bool {
    key.to_ascii_uppercase().split(['_', '-', '.']).any(|w| INTEGRATION_WORDS.contains(&w))
}

/// Words of the secrets an application signs or encrypts with itself: empty, they are no secret at all.
const OWN_SECRET_WORDS: &[&str] = &["NEXTAUTH", "SESSION", "JWT", "SIGNING", "ENCRYPTION", "COOKIE", "SALT", "HMAC"];

/// True when an empty `key` matters to the stack itself: a database server's own credential variable, a password
/// to a database (`DB_PASSWORD`, `DBPASS`), the application's own signing or session secret (`SECRET_KEY`,
/// `NEXTAUTH_SECRET`), or a credential named after a service or image of the stack (`JVB_AUTH_PASSWORD` with a `jvb`
/// service, `MEILI_MASTER_KEY` with `getmeili/meilisearch`). Other empty secrets (accounts of components the stack
/// does not run) switch an option off.
fn has_consumer(cx: &Context, key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    let words: Vec<&str> = upper.split(['_', '-', '.']).filter(|w| !w.is_empty()).collect();
    if super::secret_reused::is_server_key(&upper)
        || super::secret_reused::is_client_key(&upper)
        || words.iter().any(|w| w.starts_with("DBPASS") || *w == "DBROOT")
        || matches!(upper.trim_start_matches('_'), "SECRET" | "SECRET_KEY" | "SECRET_KEY_BASE" | "APP_SECRET")
        || words.iter().any(|w| OWN_SECRET_WORDS.contains(w))
    {
        return true;
    }
    let names: Vec<String> = cx
        .project
        .services
        .iter()
        .flat_map(|s| {
            let image = s.image.as_deref().map(|i| i.split(':').next().unwrap_or(i).rsplit('/').next().unwrap_or(i));
            std::iter::once(s.name.as_str()).chain(image)
        })
        .flat_map(|n| n.split(['-', '_', '.']).map(str::to_ascii_uppercase).collect::<Vec<_>>())
        .filter(|n| n.len() >= 3)
        .collect();
    words.iter().take(2).filter(|w| w.len() >= 3 && *w != &"APP").any(|w| names.iter().any(|n| n.starts_with(w)))
}

/// Secret keys a service receives as an empty string: from an env file line `KEY=` (or `KEY=  # comment`), a
/// literal `KEY: ""`, or a variable nothing sets. One finding per place the empty value comes from (a variable
/// nothing sets is one place, however many services read it), listing the services.
fn empty_secrets(check: &WeakSecret, cx: &Context, findings: &mut Vec<Finding>) {
    struct Empty<'a> {
        file: &'a Path,
        line: Option<usize>,
        key: &'a str,
        how: &'static str,
        services: Vec<&'a str>,
    }
    let mut places: Vec<(String, Empty)> = Vec::new();
    for service in &cx.project.services {
        for var in cx.rule.secret_vars(service) {
            let optional = matches!(var.origin, Origin::Interpolated { optional: true, .. });
            if var.value.as_deref() != Some("")
                || optional
                || is_optional_integration(&var.key)
                || !has_consumer(cx, &var.key)
            {
                continue;
            }
            let (place, file, line, how) = match &var.origin {
                Origin::EnvFile { file, line } => {
                    (format!("{}:{line}", file.display()), file, Some(*line), "its env file line is empty")
                }
                Origin::Inline { file, line } => (
                    format!("{}:{line:?}:{}", file.display(), var.key),
                    file,
                    *line,
                    "the compose file sets it to \"\"",
                ),
                Origin::Interpolated { source: Some((file, line)), .. } => (
                    format!("{}:{line}", file.display()),
                    file,
                    Some(*line),
                    "the variable it is interpolated from is empty",
                ),
                Origin::Interpolated { file, line, variables, .. } => (
                    format!("unset:{}", variables.join(",")),
                    file,
                    *line,
                    "the variable it is interpolated from is not set",
                ),
            };
            match places.iter_mut().find(|(p, _)| *p == place) {
                Some((_, empty)) => empty.services.push(&service.name),
                None => places.push((place, Empty { file, line, key: &var.key, how, services: vec![&service.name] })),
            }
        }
    }
    for (_, empty) in places {
        let services = empty.services.join(", ");
        let noun = if empty.services.len() > 1 { "services" } else { "service" };
        findings.push(
            check
                .finding(format!(
                    "{} is empty: compose gives {noun} {services} an empty string ({})",
                    empty.key, empty.how
                ))
                .at(empty.file, empty.line)
                .service(empty.services[0])
                .key(empty.key),
        );
    }
}
