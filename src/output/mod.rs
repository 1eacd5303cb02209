//! The only place that prints. Secrets reach it as `Secret` (whose `Display` is a fingerprint) or as fingerprints;
//! a value is printed only where the user asked for it (`generate`, `--show-secrets`).

mod check;
mod columns;
mod completion;
mod console;
mod errors;
mod generated;
mod github;
mod init;
mod inventory;
mod inventory_graph;
mod metadata;
mod recreate;
mod rotation;
mod sanitize;
mod sarif;
mod stack_lines;
mod status;
mod status_json;
mod timestamp;

pub use check::{check_human, check_json, check_list};
pub use completion::{completion, completion_script, man_pages};
pub use console::{Console, display_path};
pub use errors::{clap_error, fatal, note, stopped};
pub use generated::{Generated, generated};
pub use github::{check_github, github_lines};
pub use init::init;
pub use inventory::inventory;
pub use inventory_graph::{dot, inventory_dot, inventory_mermaid, mermaid};
pub use metadata::{metadata, version};
pub use recreate::{RecreateJson, RecreateReport, RecreatedServiceJson, recreate_progress};
pub use rotation::{
    Answer, StepPrinter, cancelled, confirm_text, plan_text, recovery_plan, recovery_text, recreate_signal_notice,
    rotation_outcome, rotation_plan, signal_notice,
};
pub use sanitize::sanitize;
pub use sarif::{SARIF_SCHEMA, check_sarif, sarif_log};
pub use stack_lines::stack_lines;
pub use status::status;
pub use status_json::{ContainerJson, KeyJson, ProbeJson, ServiceJson, StatusJson};
