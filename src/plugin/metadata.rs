//! The JSON the docker CLI reads to list and describe the plugin.

use serde::Serialize;

/// Plugin metadata in the shape the docker CLI expects (schema 0.1.0).
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Metadata {
    pub schema_version: &'static str,
    pub vendor: &'static str,
    pub version: &'static str,
    pub short_description: &'static str,
    #[serde(rename = "URL")]
    pub url: &'static str,
}

impl Metadata {
    /// The metadata of this build.
    pub fn current() -> Self {
        Metadata {
            schema_version: "0.1.0",
            vendor: "docker-secops",
            version: env!("CARGO_PKG_VERSION"),
            short_description: "Audit, rotate and recreate Compose credentials safely",
            url: "https://github.com/docker-secops/docker-secops",
        }
    }
}
