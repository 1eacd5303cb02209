//! Which services to recreate, and in which order: dependencies before the services that depend on them.

use std::collections::{BTreeMap, BTreeSet};

use super::PlanError;
use crate::project::Project;

/// The services to recreate, in dependency order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecreatePlan {
    pub services: Vec<String>,
}

impl RecreatePlan {
    /// The plan for `requested` (all services when empty), plus, with `with_dependents`, every service that
    /// depends on one of them, directly or not. Dependencies outside the selection are left alone (`--no-deps`).
    pub fn new(project: &Project, requested: &[String], with_dependents: bool) -> Result<Self, PlanError> {
        let known: BTreeSet<&str> = project.services.iter().map(|s| s.name.as_str()).collect();
        for name in requested {
            if !known.contains(name.as_str()) {
                return Err(PlanError::UnknownService {
                    name: name.clone(),
                    project: project.name.clone(),
                    known: known.iter().copied().collect::<Vec<_>>().join(", "),
                });
            }
        }
        let mut selected: BTreeSet<&str> =
            if requested.is_empty() { known.clone() } else { requested.iter().map(String::as_str).collect() };
        if with_dependents {
            loop {
                let more: Vec<&str> = project
                    .services
                    .iter()
                    .filter(|s| !selected.contains(s.name.as_str()))
                    .filter(|s| s.depends_on.iter().any(|d| selected.contains(d.as_str())))
                    .map(|s| s.name.as_str())
                    .collect();
                if more.is_empty() {
                    break;
                }
                selected.extend(more);
            }
        }
        // Kahn's algorithm over the selection; ties broken by name so the order is stable.
        let mut waiting_on: BTreeMap<&str, BTreeSet<&str>> = selected
            .iter()
            .map(|&name| {
                let deps = project
                    .service(name)
                    .map(|s| s.depends_on.iter().map(String::as_str).filter(|d| selected.contains(d)).collect())
                    .unwrap_or_default();
                (name, deps)
            })
            .collect();
        let mut order = Vec::with_capacity(selected.len());
        while !waiting_on.is_empty() {
            let ready: Vec<&str> =
                waiting_on.iter().filter(|(_, deps)| deps.is_empty()).map(|(&name, _)| name).collect();
            if ready.is_empty() {
                let services = waiting_on.keys().copied().collect::<Vec<_>>().join(", ");
                return Err(PlanError::Cycle { services });
            }
            for name in ready {
                waiting_on.remove(name);
                for deps in waiting_on.values_mut() {
                    deps.remove(name);
                }
                order.push(name.to_string());
            }
        }
        Ok(RecreatePlan { services: order })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Service;

    fn project(edges: &[(&str, &[&str])]) -> Project {
        let services = edges.iter().map(|(name, deps)| Service::for_test(name, deps)).collect();
        Project {
            name: "shop".into(),
            directory: "/srv".into(),
            compose_files: vec![],
            interpolation_files: vec![],
            services,
            secrets: vec![],
            x_secops: None,
            undefined_variables: vec![],
            profiles: vec![],
            variable_sources: Default::default(),
            env_documents: Default::default(),
        }
    }

    fn plan(p: &Project, requested: &[&str], dependents: bool) -> Result<Vec<String>, PlanError> {
        let requested: Vec<String> = requested.iter().map(|s| s.to_string()).collect();
        RecreatePlan::new(p, &requested, dependents).map(|plan| plan.services)
    }

    #[test]
    fn dependencies_come_first() {
        let p = project(&[("api", &["mongo", "redis"]), ("mongo", &[]), ("redis", &[]), ("worker", &["api"])]);
        assert_eq!(plan(&p, &[], false).unwrap(), ["mongo", "redis", "api", "worker"]);
        assert_eq!(plan(&p, &["worker", "redis"], false).unwrap(), ["redis", "worker"]);
    }

    #[test]
    fn with_dependents_adds_everything_downstream() {
        let p = project(&[("api", &["redis"]), ("redis", &[]), ("worker", &["api"]), ("web", &[])]);
        assert_eq!(plan(&p, &["redis"], true).unwrap(), ["redis", "api", "worker"]);
        assert_eq!(plan(&p, &["redis"], false).unwrap(), ["redis"]);
    }

    #[test]
    fn unknown_services_and_cycles_are_errors() {
        let p = project(&[("a", &["b"]), ("b", &["a"]), ("c", &[])]);
        assert_eq!(plan(&p, &["c"], false).unwrap(), ["c"]);
        assert!(matches!(plan(&p, &[], false), Err(PlanError::Cycle { services }) if services == "a, b"));
        let err = plan(&p, &["nope"], false).unwrap_err();
        assert_eq!(err.to_string(), "no service \"nope\" in compose project shop (services: a, b, c)");
    }
}
