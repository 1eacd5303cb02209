//! `--baseline`: the findings of an earlier report that a run leaves out.

use std::collections::BTreeSet;

use super::{Finding, Report};

/// What an earlier `--format json` report suppresses. Ids carry the value's keyed fingerprint, so they compare
/// only under the key that made them: a baseline from another key (another machine, a CI checkout without
/// `--fingerprint-key-file`) is matched on where a finding is (check, file, service, key), and a changed value
/// there goes unnoticed.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    ids: BTreeSet<String>,
    locations: BTreeSet<String>,
    key: Option<String>,
}

impl Baseline {
    /// The baseline an earlier report makes.
    pub fn of(report: &Report) -> Self {
        Baseline {
            ids: report.findings.iter().map(|f| f.id.clone()).collect(),
            locations: report.findings.iter().map(Finding::location_id).collect(),
            key: report.fingerprint_key.clone(),
        }
    }

    /// True when `finding` (finished) was in the baseline; `key_id` names the key of this run (`None`: no value
    /// was fingerprinted).
    pub fn suppresses(&self, finding: &Finding, key_id: Option<&str>) -> bool {
        if key_id.is_some() && self.key.as_deref() == key_id {
            self.ids.contains(&finding.id)
        } else {
            self.locations.contains(&finding.location_id())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckName, Severity};
    use std::path::Path;

    fn weak(fingerprint: &str) -> Finding {
        Finding::new(CheckName::WeakSecret, Severity::Error, "DB_PASSWORD is weak")
            .at(Path::new("/p/.env"), Some(3))
            .key("DB_PASSWORD")
            .fingerprint(fingerprint)
            .finish(Path::new("/p"))
    }

    #[test]
    fn same_key_matches_ids_another_key_matches_locations() {
        let mut earlier = Report::new(vec![weak("aaaa1111")]);
        earlier.fingerprint_key = Some("key1".into());
        let baseline = Baseline::of(&earlier);
        assert!(baseline.suppresses(&weak("aaaa1111"), Some("key1")));
        assert!(!baseline.suppresses(&weak("bbbb2222"), Some("key1")), "a new value under the same key is new");
        assert!(baseline.suppresses(&weak("cccc3333"), Some("key2")), "another key: matched where it is");
        let elsewhere = Finding::new(CheckName::WeakSecret, Severity::Error, "JWT is weak")
            .key("JWT")
            .fingerprint("cccc3333")
            .finish(Path::new("/p"));
        assert!(!baseline.suppresses(&elsewhere, Some("key2")));
        // A report from before keyed fingerprints (no key id) is matched on locations.
        let mut old = earlier.clone();
        old.fingerprint_key = None;
        assert!(Baseline::of(&old).suppresses(&weak("dddd4444"), Some("key1")));
    }
}
