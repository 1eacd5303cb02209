//! The compose project as `docker compose` sees it: files, name, services, env_file bindings, environment keys
//! with their origins, volumes, ports. (The loader is being written: see the project helper's task.)

mod env_file_binding;
mod env_var;
mod origin;
mod port;
mod project;
mod service;
mod volume;

pub use env_file_binding::EnvFileBinding;
pub use env_var::EnvVar;
pub use origin::Origin;
pub use port::Port;
pub use project::{Project, ProjectOptions};
pub use service::Service;
pub use volume::{Volume, VolumeKind};
mod load_stub;
