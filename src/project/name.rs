//! Project names: compose's sanitising of directory names and its validation of names given explicitly.

/// Lower-cases `raw`, keeps only `[a-z0-9_-]`, then strips leading `_` and `-` (compose-go's
/// `NormalizeProjectName`): `_My.Proj-Dir 1` becomes `myproj-dir1`.
pub fn normalize_project_name(raw: &str) -> String {
    let kept: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    kept.trim_start_matches(['_', '-']).to_string()
}

/// True when `name` is already in normalised form (compose refuses `-p` and `COMPOSE_PROJECT_NAME` otherwise).
pub fn is_valid_project_name(name: &str) -> bool {
    !name.is_empty() && normalize_project_name(name) == name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_like_compose() {
        assert_eq!(normalize_project_name("_My.Proj-Dir 1"), "myproj-dir1");
        assert_eq!(normalize_project_name("Dflt"), "dflt");
        assert_eq!(normalize_project_name("--__x_y-"), "x_y-");
        assert_eq!(normalize_project_name("Ünïcode"), "ncode");
        assert_eq!(normalize_project_name("..."), "");
    }

    #[test]
    fn validates_explicit_names() {
        assert!(is_valid_project_name("my-app_2"));
        assert!(is_valid_project_name("2app"));
        assert!(!is_valid_project_name("Bad"));
        assert!(!is_valid_project_name("bad.x"));
        assert!(!is_valid_project_name("_x"));
        assert!(!is_valid_project_name(""));
    }
}
