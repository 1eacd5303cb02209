//! The compose project as `docker compose` (v2, compose-go) sees it: files, name, services, env_file bindings,
//! environment keys with their origins, volumes, ports, compose secrets.
//!
//! [`Project::load`] follows compose's order: process environment, `.env`/`--env-file`, `COMPOSE_FILE` or the
//! default files searched upwards, then per file: YAML (anchors and merge keys expanded, alias bombs refused),
//! [`interpolate`] on every string value, `extends`, `include`, and the merge of `-f` files; finally profiles and each
//! service's environment from its `env_file`s and `environment`. Compose files are read as generic YAML and only the
//! keys used here are looked at, so any valid compose file loads.

mod argument_variable;
mod compose_secret;
mod discovery;
mod env_file_binding;
mod env_values;
mod env_var;
mod environment;
mod error;
mod extends;
mod file_loader;
mod include;
mod interpolate;
mod interpolate_tree;
mod interpolated;
mod interpolation_error;
mod loader;
mod merge;
mod name;
mod node;
mod normalize;
mod origin;
mod parsed_env_files;
mod port;
mod port_spec;
mod project;
mod secret_decl;
mod secret_file;
mod secret_mount;
mod service;
mod service_builder;
mod shell_words;
mod stack_feature;
mod stack_feature_kind;
mod stateful_image;
mod substitution;
mod undefined_variable;
mod variables;
mod volume;
mod volume_spec;
mod yaml_file;

pub use argument_variable::ArgumentVariable;
pub use compose_secret::{ComposeSecret, SecretSource, read_secret_file};
pub use discovery::{DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_NAMES};
pub use env_file_binding::{EnvFileBinding, is_missing};
pub use env_var::EnvVar;
pub use error::ProjectError;
pub use interpolate::interpolate;
pub(crate) use interpolate::is_variable_name;
pub use interpolated::Interpolated;
pub use interpolation_error::InterpolationError;
pub use name::{is_valid_project_name, normalize_project_name};
pub use origin::Origin;
pub use parsed_env_files::ParsedEnvFiles;
pub use port::Port;
pub use project::{Project, ProjectOptions};
pub use secret_decl::SecretDecl;
pub use secret_file::SecretFile;
pub use secret_mount::{SECRETS_DIR, SecretMount};
pub use service::Service;
pub use stack_feature::StackFeature;
pub use stack_feature_kind::{StackFeatureKind, VariablePlace};
pub use stateful_image::StatefulImage;
pub use substitution::Substitution;
pub use undefined_variable::UndefinedVariable;
pub use volume::{Volume, VolumeKind};
pub use yaml_file::{MAX_ALIAS_REPLAYED_EVENTS, MAX_DEPTH};
