//! `docker secops init`: the day-one path. Each env file the project binds that is missing but has an `.example`
//! template beside it is created from the template: same keys, order and comments, every secret filled with a
//! strong generated value, 0600, never over an existing file, git-ignored, and one audit entry per secret.

mod filled_template;
mod init_error;
mod init_file;
mod init_plan;

pub use filled_template::{FilledTemplate, GeneratedSecret};
pub use init_error::InitError;
pub use init_file::InitFile;
pub use init_plan::InitPlan;
