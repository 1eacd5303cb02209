//! Who is acting, for the audit log.

/// `explicit`, else `$SUDO_USER` or `$USER`, with git's `user.name` when it is set.
pub fn operator(explicit: Option<&str>) -> String {
    if let Some(op) = explicit {
        return op.to_string();
    }
    let user = std::env::var("SUDO_USER").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "unknown".into());
    let git_name = std::process::Command::new("git")
        .args(["config", "--get", "user.name"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|n| !n.is_empty());
    match git_name {
        Some(name) => format!("{user} ({name})"),
        None => user,
    }
}
