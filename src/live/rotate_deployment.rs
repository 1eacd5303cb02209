//! What a rotation reaches outside its files: the Docker engine and compose (to find and recreate services) and
//! the stores (to probe and open). Connected only when a plan needs it: the offline form needs neither.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::{
    DeploymentRecreator, RecreateEvent, RotateOptions, RotateScope, SecretVersions, ServiceRecreator, StackRecreator,
};
use crate::docker::{ComposeRunner, ContainerInfo, DockerClient, ORIGINAL_CLI_ENV};
use crate::plugin::DockerEndpoint;
use crate::project::{ComposeSecret, Project};
use crate::rotation::{AnyRecreator, Journal, RotationPlan, SecretObjectSwap, VersionVariable};
use crate::secret::Secret;
use crate::stores::{
    Admin, AnyStore, ContainerExec, OpenRequest, Probe, StoreAddress, StoreKind, StoreLocator, StoreSpec,
};

/// Reads one secret (a current credential, an admin password) from wherever the command takes them.
pub type SecretReader<'a> = &'a dyn Fn(&str) -> Result<Secret>;

/// The engine connection and compose runner, when the rotations touch containers or reach a store.
pub struct RotateDeployment<'a> {
    options: &'a RotateOptions,
    project: Option<&'a Project>,
    client: Option<DockerClient>,
    compose: Option<ComposeRunner>,
}

impl<'a> RotateDeployment<'a> {
    /// Connects what `plans` need: the engine to find a store or recreate, compose to recreate.
    pub async fn connect(
        options: &'a RotateOptions,
        scope: &'a RotateScope,
        plans: &[&RotationPlan],
    ) -> Result<RotateDeployment<'a>> {
        let RotateScope::Project(project) = scope else {
            return Ok(RotateDeployment { options, project: None, client: None, compose: None });
        };
        let mut needs_engine = false;
        let mut needs_compose = false;
        for plan in plans {
            needs_compose |= !plan.recreate_order().is_empty();
            needs_engine |= plan.store.external() && store_uri(options, &plan.store)?.is_none();
        }
        if !needs_engine && !needs_compose {
            return Ok(RotateDeployment { options, project: Some(project), client: None, compose: None });
        }
        let endpoint =
            DockerEndpoint::resolve(&options.global).context("cannot work out which Docker engine to use")?;
        let client = DockerClient::connect(&endpoint).await?;
        let compose = match needs_compose && options.stack.is_none() {
            true => Some(
                ComposeRunner::detect(&options.global, &options.compose_flags)
                    .await?
                    .with_redactor(options.redactor.clone()),
            ),
            false => None,
        };
        Ok(RotateDeployment { options, project: Some(project), client: Some(client), compose })
    }

    /// The recreator of `journals`' consumers: none offline or with `--no-recreate`. Their values are hidden in
    /// its log lines; on a stack it swaps their compose secrets' objects.
    pub fn recreator(
        &self,
        journals: &[&Journal],
        progress: fn(&str, RecreateEvent),
    ) -> AnyRecreator<DeploymentRecreator<'_>> {
        let secrets = journals.iter().flat_map(|j| [j.old.clone(), j.file_old.clone(), j.new.clone()]);
        match (&self.client, &self.compose, self.project, &self.options.stack) {
            (Some(client), _, Some(project), Some(stack)) if !self.options.plan.no_recreate => {
                AnyRecreator::Real(DeploymentRecreator::Stack(StackRecreator {
                    client,
                    global: &self.options.global,
                    project,
                    reload: self.options.project_options.as_ref(),
                    stack,
                    timeout: Duration::from_secs(self.options.timeout),
                    progress,
                    objects: SecretVersions::of(journals),
                }))
            }
            (Some(client), Some(compose), Some(project), None) if !self.options.plan.no_recreate => {
                AnyRecreator::Real(DeploymentRecreator::Compose(ServiceRecreator {
                    client,
                    compose,
                    project,
                    timeout: Duration::from_secs(self.options.timeout),
                    redactor: self.options.redactor.clone().with(secrets.collect::<Vec<_>>()),
                    progress,
                }))
            }
            _ => AnyRecreator::None,
        }
    }

    /// On a stack: names in `plan` the stack and the secret objects it swaps (see [`Self::secret_swaps`]).
    pub async fn name_secret_objects(&self, plan: &mut RotationPlan) -> Result<()> {
        let Some(stack) = &self.options.stack else { return Ok(()) };
        let swaps = self.secret_swaps(plan).await?;
        plan.on_stack(stack, swaps).context("cannot read a secret's version variable")
    }

    /// On a stack: for each compose secret file `plan` rewrites, the object its services run now and the
    /// versioned one that will hold the new value (Swarm objects are immutable). Refused when the stack's
    /// services run different objects for one secret (an update half done) or none (not this stack's files).
    pub async fn secret_swaps(&self, plan: &RotationPlan) -> Result<Vec<SecretObjectSwap>> {
        let (Some(stack), Some(client), Some(project)) = (&self.options.stack, &self.client, self.project) else {
            return Ok(Vec::new());
        };
        if !plan.edits_secret_files() {
            return Ok(Vec::new());
        }
        let services = client.stack_services(stack).await?;
        let existing = client.secret_object_names().await?;
        let mut swaps = Vec::new();
        for edit in plan.edits.iter().filter(|e| e.whole_file()) {
            let mut running = std::collections::BTreeSet::new();
            for swarm in &services {
                let Some(service) = project.service(&swarm.name) else { continue };
                for mount in service.secrets.iter().filter(|m| m.source == edit.key) {
                    let target = mount.swarm_file_name();
                    running.extend(swarm.secrets.iter().filter(|s| s.target == target).map(|s| s.secret_name.clone()));
                }
            }
            let old = match running.len() {
                1 => running.pop_first().unwrap_or_default(),
                0 => bail!(
                    "no service of stack {stack} runs compose secret {} (is the stack deployed from these files?): \
                     nothing was changed",
                    edit.key
                ),
                _ => bail!(
                    "the services of stack {stack} run different objects for compose secret {} ({}): finish that \
                     update or redeploy the stack first; nothing was changed",
                    edit.key,
                    running.into_iter().collect::<Vec<_>>().join(", ")
                ),
            };
            let bumped = project.secret(&edit.key).and_then(|s| bump_version(project, s, &old, &existing));
            swaps.push(bumped.unwrap_or_else(|| SecretObjectSwap::next(&edit.key, &old, &existing)));
        }
        Ok(swaps)
    }

    /// Where the store of `spec` answers now, for stores outside the env files.
    pub async fn address(&self, spec: &StoreSpec) -> Result<Option<StoreAddress>> {
        let kind = spec.store_kind();
        if !kind.is_external() {
            return Ok(None);
        }
        if let Some(uri) = store_uri(self.options, spec)? {
            return Ok(Some(StoreAddress::from_uri(kind, uri)?));
        }
        let Some(locator) = self.locator(spec)? else {
            bail!("cannot find the {kind} service: pass {}", crate::stores::URI_FLAG);
        };
        Ok(Some(locator.locate().await?))
    }

    /// The store's answers to the new and the old value of a journal (`None`: env files only), for a recovery
    /// plan; an unreachable store answers `unreachable` to both.
    pub async fn accepts(&self, spec: &StoreSpec, new: &Secret, old: &Secret) -> Result<Option<(Probe, Probe)>> {
        if !spec.external() {
            return Ok(None);
        }
        Ok(match self.address(spec).await {
            Ok(Some(address)) => Some((probe(spec, &address, new).await, probe(spec, &address, old).await)),
            Ok(None) => None,
            Err(err) => Some((Probe::Unreachable(err.to_string()), Probe::Unreachable(err.to_string()))),
        })
    }

    /// Opens the store of `spec` at `address`, logged in with `login`.
    pub async fn open(
        &self,
        spec: &StoreSpec,
        address: Option<StoreAddress>,
        login: &Secret,
        read_secret: SecretReader<'_>,
    ) -> Result<AnyStore> {
        let (kind, address) = match address {
            Some(address) => (spec.store_kind(), address),
            // Offline, or a store outside the env files: nothing to reach.
            None => (StoreKind::env(), StoreAddress::Uri(String::new())),
        };
        let admin = match (&self.options.admin_user, kind.is_external()) {
            (Some(user), true) => {
                let password = read_secret(&format!("password of {kind} admin {user}"))?;
                Some(Admin { user: user.clone(), password })
            }
            _ => None,
        };
        let via_exec = match kind.is_external() {
            true => self.via_exec(spec).await?,
            false => None,
        };
        let locator = self.locator(spec)?;
        let request = OpenRequest { spec: spec.clone(), address, locator, login: login.clone(), admin, via_exec };
        Ok(kind.open(request).await?)
    }

    /// How to find the store again once the rotation recreated its container (not for a `--store-uri`).
    fn locator(&self, spec: &StoreSpec) -> Result<Option<StoreLocator>> {
        if store_uri(self.options, spec)?.is_some() || !spec.external() {
            return Ok(None);
        }
        let (Some(client), Some(project), Some(service)) = (self.client.as_ref(), self.project, spec.service()) else {
            return Ok(None);
        };
        Ok(Some(StoreLocator {
            client: client.clone(),
            project: project.name.clone(),
            service: service.to_string(),
            kind: spec.store_kind(),
            stack: self.options.stack.is_some(),
        }))
    }

    /// `--via-exec`: the store's running container and how to `docker exec` in it.
    async fn via_exec(&self, spec: &StoreSpec) -> Result<Option<ContainerExec>> {
        if !self.options.via_exec {
            return Ok(None);
        }
        let (Some(client), Some(project), Some(service)) = (&self.client, self.project, spec.service()) else {
            bail!("--via-exec needs the store's service running in a compose project");
        };
        let containers = match self.options.stack {
            Some(_) => {
                let mut all = client.stack_containers(&project.name).await?;
                all.retain(|c| c.service == service);
                all
            }
            None => client.service_containers(&project.name, service).await?,
        };
        let Some(container) = ContainerInfo::representative(&containers).filter(|c| c.is_running()) else {
            bail!("--via-exec: service {service} has no running container");
        };
        let docker = std::env::var(ORIGINAL_CLI_ENV).ok().filter(|d| !d.is_empty()).unwrap_or_else(|| "docker".into());
        Ok(Some(ContainerExec {
            docker,
            global_args: self.options.global.to_args(),
            container: container.id.clone(),
            image: container.image.clone(),
        }))
    }
}

/// The swap of a secret whose `name:` ends with a version variable defined in an env file
/// (`name: ${STACK}_db_pw_${DB_PW_VERSION}`, `DB_PW_VERSION=3` in `.env`), when the stack runs the object that
/// name gives now: the variable goes to the next version no object has, so the next `docker stack deploy` of the
/// files names the object the services run. `None` otherwise (the name's next `_<n>` version is used instead).
fn bump_version(project: &Project, secret: &ComposeSecret, old: &str, existing: &[String]) -> Option<SecretObjectSwap> {
    let template = &secret.name_substitution.as_ref()?.template;
    if secret.name.as_deref() != Some(old) {
        return None;
    }
    let key = secret.name_substitution.as_ref()?.variables.iter().find(|v| ends_with_variable(template, v))?;
    let (file, _) = project.variable_sources.get(key)?;
    let doc = crate::envfile::EnvDocument::read(file).ok()?;
    let current = doc.get(key)?.value.clone()?;
    let number: u32 = current.parse().ok().filter(|_| current.bytes().all(|b| b.is_ascii_digit()))?;
    let prefix = old.strip_suffix(current.as_str())?;
    let version = (number.checked_add(1)?..number.saturating_add(10_000))
        .find(|v| !existing.iter().any(|name| *name == format!("{prefix}{v}")))?;
    Some(SecretObjectSwap {
        secret: secret.key.clone(),
        old: old.to_string(),
        new: format!("{prefix}{version}"),
        version,
        version_variable: Some(VersionVariable { file: file.clone(), key: key.clone(), old: current }),
    })
}

/// True when `template` ends with a reference to `name`: `$NAME`, `${NAME}`, `${NAME:-1}`, `${NAME-1}`.
fn ends_with_variable(template: &str, name: &str) -> bool {
    if template.ends_with(&format!("${name}")) || template.ends_with(&format!("${{{name}}}")) {
        return true;
    }
    let Some(start) = template.rfind("${") else { return false };
    let last = &template[start + 2..];
    last.ends_with('}')
        && !last[..last.len() - 1].contains(['{', '}', '$'])
        && (last.starts_with(&format!("{name}:-")) || last.starts_with(&format!("{name}-")))
}

/// Tries `secret` against the store of `spec` at `address`.
pub async fn probe(spec: &StoreSpec, address: &StoreAddress, secret: &Secret) -> Probe {
    spec.store_kind().probe(address, spec, secret).await
}

/// The `--store-uri` whose scheme is the store's of `spec`, if one was given.
fn store_uri<'o>(options: &'o RotateOptions, spec: &StoreSpec) -> Result<Option<&'o str>> {
    for uri in &options.store_uris {
        if StoreKind::from_uri(uri)? == spec.store_kind() {
            return Ok(Some(uri));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::ends_with_variable;

    #[test]
    fn a_version_variable_is_the_one_the_name_ends_with() {
        for template in ["${STACK}_pw_${V}", "pw_$V", "pw_${V:-1}", "pw_${V-1}"] {
            assert!(ends_with_variable(template, "V"), "{template}");
        }
        for template in ["${V}_pw", "pw_${VERSION}", "pw_${V:-${W}}", "pw_${W:-V}", "pw_$VV"] {
            assert!(!ends_with_variable(template, "V"), "{template}");
        }
    }
}
