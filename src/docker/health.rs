//! A container's health as the engine reports it.

use std::fmt;

use bollard::models::HealthStatusEnum;

/// The health of a container: `None` when it has no healthcheck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// No healthcheck is configured (or it is disabled).
    None,
    /// The healthcheck has not passed yet.
    Starting,
    /// The last healthcheck passed.
    Healthy,
    /// The healthcheck failed `retries` times in a row.
    Unhealthy,
}

impl Health {
    /// The health from bollard's model (absent means no healthcheck).
    pub fn from_model(status: Option<HealthStatusEnum>) -> Self {
        match status {
            Some(HealthStatusEnum::STARTING) => Health::Starting,
            Some(HealthStatusEnum::HEALTHY) => Health::Healthy,
            Some(HealthStatusEnum::UNHEALTHY) => Health::Unhealthy,
            Some(HealthStatusEnum::NONE | HealthStatusEnum::EMPTY) | None => Health::None,
        }
    }

    /// The word used in output and JSON: `healthy`, `starting`, `unhealthy` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::None => "none",
            Health::Starting => "starting",
            Health::Healthy => "healthy",
            Health::Unhealthy => "unhealthy",
        }
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_empty_status_means_no_healthcheck() {
        assert_eq!(Health::from_model(None), Health::None);
        assert_eq!(Health::from_model(Some(HealthStatusEnum::EMPTY)), Health::None);
        assert_eq!(Health::from_model(Some(HealthStatusEnum::HEALTHY)).to_string(), "healthy");
        assert_eq!(Health::from_model(Some(HealthStatusEnum::UNHEALTHY)).as_str(), "unhealthy");
    }
}
