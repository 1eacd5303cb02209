//! A service volume mount.

/// The kind of mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeKind {
    Named,
    Bind,
    Anonymous,
    Tmpfs,
}

/// One mount: its kind, its source (volume name, or for a bind mount the host path made absolute as compose makes it:
/// relative to the declaring file's project directory, `~` expanded) and its target in the container. The service's
/// `tmpfs:` entries are listed too, as `Tmpfs` mounts without source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    pub kind: VolumeKind,
    pub source: Option<String>,
    pub target: String,
    pub read_only: bool,
}
