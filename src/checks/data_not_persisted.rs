//! `data-not-persisted`: a database whose data lives on the container layer.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::StatefulImage;
use crate::project::VolumeKind;

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
         is what applying a new credential requires. Mount a named volume on the data path."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            let Some(image) = service.image.as_deref().and_then(StatefulImage::of) else { continue };
            let persisted = service
                .volumes
                .iter()
                .any(|v| matches!(v.kind, VolumeKind::Named | VolumeKind::Bind) && image.persists(&v.target));
            if !persisted {
                findings.push(
                    self.finding(format!(
                        "{} data at {} is not on a named volume or bind mount: recreating {} wipes it",
                        image.family, image.data_paths[0], service.name
                    ))
                    .at(&service.declared_in, None)
                    .service(&service.name),
                );
            }
        }
    }
}
