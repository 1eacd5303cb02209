//! The only place that prints. Secrets reach it as `Secret` (whose `Display` is a fingerprint) or as fingerprints;
//! a value is printed only where the user asked for it (`generate`, `--show-secrets`).

mod check;
mod console;
mod errors;
mod generated;
mod inventory;
mod metadata;
mod recreate;
mod rotation;
mod sanitize;
mod sarif;
mod status;
mod status_json;

pub use check::{check_human, check_json, check_list};
pub use console::{Console, display_path};
pub use errors::{clap_error, fatal, stopped};
pub use generated::{Generated, generated};
pub use inventory::inventory;
pub use metadata::{metadata, version};
pub use recreate::{RecreateJson, RecreateReport, RecreatedServiceJson};
pub use rotation::{
    Answer, StepPrinter, cancelled, confirm_text, plan_text, recovery_plan, recovery_text, recreate_signal_notice,
    rotation_outcome, rotation_plan, signal_notice,
};
pub use sanitize::sanitize;
pub use sarif::{SARIF_SCHEMA, check_sarif, sarif_log};
pub use status::status;
pub use status_json::{ContainerJson, KeyJson, ProbeJson, ServiceJson, StatusJson};
