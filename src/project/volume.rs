//! A service volume mount.

/// The kind of mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeKind {
    Named,
    Bind,
    Anonymous,
    Tmpfs,
}

/// One mount: its kind, its source (volume name or host path) and its target in the container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    pub kind: VolumeKind,
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}
