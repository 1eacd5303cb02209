//! `--via-exec`: runs a statement with `psql` inside the PostgreSQL container, where the official image trusts
//! local connections, for a database whose password nobody knows any more (the runbook's "wrong password" row).
//! The SQL goes on stdin; nothing secret is ever on a command line (the statement holds only a SCRAM verifier).

use std::process::Stdio;

use tokio::io::AsyncWriteExt;

/// How to reach `psql` in the server's container.
#[derive(Debug, Clone)]
pub struct ViaExec {
    /// The docker binary (the one that invoked the plugin).
    pub docker: String,
    /// Docker's global flags (`--context`, `-H`, ...), passed on unchanged.
    pub global_args: Vec<String>,
    /// The container running the server.
    pub container: String,
    /// The role to connect as (the image's superuser, `POSTGRES_USER`).
    pub user: String,
    /// The database to connect to.
    pub database: String,
}

impl ViaExec {
    /// The arguments of `docker exec`: no value among them.
    pub fn args(&self) -> Vec<String> {
        let mut args = self.global_args.clone();
        args.extend(["exec", "-i", "-u", "postgres", &self.container, "psql", "-X", "-q", "-w"].map(String::from));
        args.extend(["-v", "ON_ERROR_STOP=1", "-U", &self.user, "-d", &self.database, "-f", "-"].map(String::from));
        args
    }

    /// Runs `sql` through `psql` on the container's local socket; the error is psql's first line of complaint.
    pub async fn run(&self, sql: &str) -> Result<(), String> {
        let mut child = tokio::process::Command::new(&self.docker)
            .args(self.args())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| format!("cannot run {} exec: {err}", self.docker))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(sql.as_bytes()).await.map_err(|err| format!("cannot write to psql: {err}"))?;
            stdin.write_all(b";\n").await.map_err(|err| format!("cannot write to psql: {err}"))?;
        }
        let output = child.wait_with_output().await.map_err(|err| format!("psql did not finish: {err}"))?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message").to_string();
        let line = if line.contains("SCRAM-SHA-256$") { "psql rejected the statement".to_string() } else { line };
        Err(if line.contains("password") {
            format!("the container does not trust local connections, so --via-exec cannot be used: {line}")
        } else {
            format!("docker exec psql failed ({}): {line}", output.status)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_names_the_container_and_database_only() {
        let via = ViaExec {
            docker: "docker".into(),
            global_args: vec!["--context".into(), "prod".into()],
            container: "abc123".into(),
            user: "app".into(),
            database: "app".into(),
        };
        let args = via.args().join(" ");
        assert_eq!(
            args,
            "--context prod exec -i -u postgres abc123 psql -X -q -w -v ON_ERROR_STOP=1 -U app -d app -f -"
        );
    }
}
