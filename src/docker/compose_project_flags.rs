//! The flags that select a compose project, passed on to `docker compose` exactly as the user gave them.

use std::path::PathBuf;

/// `-f`, `-p`, `--project-directory`, `--env-file`, `--profile`, with compose's meaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComposeProjectFlags {
    pub files: Vec<PathBuf>,
    pub project_name: Option<String>,
    pub project_directory: Option<PathBuf>,
    pub env_files: Vec<PathBuf>,
    pub profiles: Vec<String>,
}

impl ComposeProjectFlags {
    /// The flags as compose arguments, in a fixed order.
    pub fn to_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for file in &self.files {
            args.extend(["-f".to_string(), file.display().to_string()]);
        }
        if let Some(name) = &self.project_name {
            args.extend(["-p".to_string(), name.clone()]);
        }
        if let Some(dir) = &self.project_directory {
            args.extend(["--project-directory".to_string(), dir.display().to_string()]);
        }
        for file in &self.env_files {
            args.extend(["--env-file".to_string(), file.display().to_string()]);
        }
        for profile in &self.profiles {
            args.extend(["--profile".to_string(), profile.clone()]);
        }
        args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_flag_in_order() {
        let flags = ComposeProjectFlags {
            files: vec!["a.yml".into(), "b.yml".into()],
            project_name: Some("shop".into()),
            project_directory: Some("/srv".into()),
            env_files: vec!["envs/.env.prod".into()],
            profiles: vec!["debug".into()],
        };
        assert_eq!(
            flags.to_args().join(" "),
            "-f a.yml -f b.yml -p shop --project-directory /srv --env-file envs/.env.prod --profile debug"
        );
        assert!(ComposeProjectFlags::default().to_args().is_empty());
    }
}
