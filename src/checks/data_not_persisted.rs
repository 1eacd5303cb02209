//! `data-not-persisted`: a database whose data lives on the container layer.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::StatefulImage;

/// A stateful service with no named volume or bind mount on its data path: the recreate every rotation needs
/// would wipe its data.
pub struct DataNotPersisted;

impl Check for DataNotPersisted {
    fn name(&self) -> CheckName {
        CheckName::DataNotPersisted
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A database service (mongo, redis, postgres, mysql, mariadb, ...) has no named volume or bind mount on its \
         data path, so its data lives on the container layer and is lost when the container is recreated, which \
         is what applying a new credential requires. `PGDATA` and `--dbpath`/`--dir`/`--datadir` are honoured, \
         and a mount on the data root counts (`/var/lib/postgresql` for `postgres:18`). A Redis or Valkey with \
         the image's defaults is reported as info (usually a cache); one asked to persist (`--appendonly yes`) \
         is an error, one configured as a cache (`--save \"\" --appendonly no`) an info. Mount a named volume on \
         the data path."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            let Some(image) = StatefulImage::of_service(service) else { continue };
            if image.is_persisted(service) {
                continue;
            }
            let path = image.moved_data_path(service).unwrap_or_else(|| image.data_paths[0].to_string());
            let mut finding = self
                .finding(format!(
                    "{} data at {path} is not on a named volume or bind mount: recreating {} wipes it",
                    image.family, service.name
                ))
                .at(&service.declared_in, None)
                .service(&service.name);
            if matches!(image.family, "redis" | "valkey") {
                match cache_mode(service.command.as_deref().unwrap_or_default()) {
                    // Asked to persist and given nowhere to: the error stands.
                    CacheMode::Persistent => {}
                    CacheMode::Cache => {
                        finding.severity = Severity::Info;
                        finding.message = format!(
                            "{} service {} keeps no data on purpose (--save \"\" --appendonly no): a cache, \
                             nothing to persist",
                            image.family, service.name
                        );
                    }
                    // The image's defaults: most compose stacks use it as a cache or queue; say so, quietly.
                    CacheMode::Default => {
                        finding.severity = Severity::Info;
                        finding.message.push_str(" (fine for a cache; mount a volume on /data if it holds more)");
                    }
                }
            }
            findings.push(finding);
        }
    }
}

/// What a Redis/Valkey command line says about persistence.
#[derive(Debug, PartialEq, Eq)]
enum CacheMode {
    /// `--appendonly yes` or a non-empty `--save`: persistence asked for.
    Persistent,
    /// `--save ""` (snapshots off) and no append-only file: a cache by configuration.
    Cache,
    /// Nothing said: the image's defaults.
    Default,
}

fn cache_mode(words: &[String]) -> CacheMode {
    let value_of = |flag: &str| {
        words.iter().enumerate().find_map(|(i, w)| {
            if w == flag {
                Some(words.get(i + 1).map(String::as_str).unwrap_or(""))
            } else {
                w.strip_prefix(flag).and_then(|r| r.strip_prefix('='))
            }
        })
    };
    let unquote = |v: &str| v.trim_matches(|c| c == '"' || c == '\'').to_string();
    let save = value_of("--save").map(unquote);
    let appendonly = value_of("--appendonly").map(unquote);
    if appendonly.as_deref() == Some("yes") || save.as_deref().is_some_and(|s| !s.is_empty()) {
        CacheMode::Persistent
    } else if save.as_deref() == Some("") {
        CacheMode::Cache
    } else {
        CacheMode::Default
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn redis_cache_mode_is_read_from_its_flags() {
        assert_eq!(cache_mode(&words(&["redis-server", "--save", "", "--appendonly", "no"])), CacheMode::Cache);
        assert_eq!(cache_mode(&words(&["redis-server", "--save", "\"\""])), CacheMode::Cache);
        assert_eq!(cache_mode(&words(&["redis-server", "--appendonly", "yes"])), CacheMode::Persistent);
        assert_eq!(cache_mode(&words(&["redis-server", "--save", "60 1"])), CacheMode::Persistent);
        assert_eq!(cache_mode(&words(&["redis-server"])), CacheMode::Default);
    }
}
