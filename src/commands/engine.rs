//! What the commands that talk to the Docker engine share: their own tokio runtime (created here, never on the
//! metadata handshake path), the engine client for the endpoint docker would use, and the compose flags.

use std::collections::BTreeSet;

use anyhow::{Context, Result};

use crate::cli::ProjectArgs;
use crate::docker::{ComposeProjectFlags, ContainerInfo, DockerClient, Redactor};
use crate::interrupt::Interrupt;
use crate::inventory::SecretRule;
use crate::plugin::{DockerEndpoint, GlobalFlags};
use crate::project::{Project, ProjectError};
use crate::secret::{Secret, is_secret_key};

/// A single-threaded runtime: the work is a handful of sequential engine calls and a few concurrent probes.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start the async runtime")
}

/// Connects to the engine the docker CLI would use with `global`.
pub async fn connect(global: &GlobalFlags) -> Result<DockerClient> {
    let endpoint = DockerEndpoint::resolve(global).context("cannot work out which Docker engine to use")?;
    Ok(DockerClient::connect(&endpoint).await?)
}

/// The user's compose flags, to pass on to `docker compose` unchanged.
pub fn compose_flags(args: &ProjectArgs) -> ComposeProjectFlags {
    ComposeProjectFlags {
        files: args.files.clone(),
        project_name: args.project_name.clone(),
        project_directory: args.project_directory.clone(),
        env_files: args.env_files.clone(),
        profiles: args.profiles.clone(),
    }
}

/// Installs the fingerprint key of `project` (see `fingerprint_key::install`).
fn install_key(project: &Project, args: &ProjectArgs) -> Result<()> {
    super::fingerprint_key::install(&crate::state_dir::StateDir::of_project(&project.directory), args)
}

/// Loads the compose project the flags select; when no compose file is found but `-p NAME` names a project with
/// containers, from the directory and files their compose labels name, as `docker compose -p NAME ps` finds it.
/// `args` then gains those files and that directory, so that `docker compose` calls made later agree.
pub async fn load_project_or_labels(args: &mut ProjectArgs, client: &DockerClient) -> Result<Project> {
    let options = super::project_options(args)?;
    let err = match Project::load(&options) {
        Ok(project) => {
            install_key(&project, args)?;
            return Ok(project);
        }
        Err(err @ ProjectError::NoComposeFile { .. }) => err,
        Err(err) => return Err(anyhow::Error::new(err).context("cannot load the compose project")),
    };
    let (Some(name), true) = (args.project_name.clone(), args.files.is_empty()) else {
        return Err(anyhow::Error::new(err).context("cannot load the compose project"));
    };
    let containers = client.project_containers(&name).await?;
    let Some(labelled) = containers.iter().find(|c| c.working_dir.is_some() && !c.config_files.is_empty()) else {
        return Err(anyhow::Error::new(err)
            .context(format!("cannot load the compose project (no container of project {name} names its files)")));
    };
    args.files.clone_from(&labelled.config_files);
    if args.project_directory.is_none() {
        args.project_directory.clone_from(&labelled.working_dir);
    }
    let options = super::project_options(args)?;
    let project = Project::load(&options).with_context(|| {
        format!("cannot load compose project {name} from the files its containers name ({})", labelled.name)
    })?;
    install_key(&project, args)?;
    Ok(project)
}

/// A redactor for every secret value the project hands out, and the values `containers` hold under those keys
/// or under secret-named keys (an old container still holds the previous credential).
pub fn redactor(project: &Project, containers: &[ContainerInfo]) -> Redactor {
    let rule = SecretRule::for_project(project);
    let mut keys = BTreeSet::new();
    let mut values = Vec::new();
    for service in &project.services {
        for var in rule.secret_vars(service) {
            keys.insert(var.key.as_str());
            values.extend(var.value.as_deref().map(Secret::new));
        }
    }
    let held = containers
        .iter()
        .flat_map(|c| c.env.iter())
        .filter(|(key, _)| keys.contains(key.as_str()) || is_secret_key(key))
        .map(|(_, value)| value.clone());
    Redactor::new(values.into_iter().chain(held))
}

/// Installs the SIGINT/SIGTERM handlers (once per process), `notice` telling the operator what a signal does now.
pub fn listen(notice: fn(&'static str, bool)) -> Result<Interrupt> {
    Interrupt::listen(notice).context("cannot install the SIGINT/SIGTERM handlers")
}
