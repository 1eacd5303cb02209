//! The lines `status --stack` adds under a service: its tasks and rolling update, and the secret versions it runs.

use super::{Console, sanitize};
use crate::docker::StackService;

/// `  tasks 2/2 running, update completed` and one line per secret object, a version the files no longer name
/// marked with what they name instead.
pub fn stack_lines(console: &Console, swarm: &StackService) -> String {
    let wanted =
        swarm.replicas.map_or_else(|| format!("{} (global)", swarm.current_tasks().count()), |r| r.to_string());
    let tasks = format!("{}/{wanted} running", swarm.running());
    let tasks = if swarm.down().is_some() { console.paint("31", &tasks) } else { console.paint("32", &tasks) };
    let update = match swarm.update_state.as_deref() {
        Some(state) => format!(", update {}", sanitize(state)),
        None => String::new(),
    };
    let mut text = format!("  {} {tasks}{update}\n", console.dim("tasks"));
    for task in swarm.current_tasks().filter(|t| t.state != "running") {
        let slot = task.slot.map(|s| format!(".{s}")).unwrap_or_default();
        let error = task.error.as_deref().map(|e| format!(": {}", sanitize(e))).unwrap_or_default();
        text.push_str(&format!("    {}{slot} {}{error}\n", sanitize(&swarm.name), sanitize(&task.state)));
    }
    for secret in &swarm.secrets {
        let runs = format!("{} -> /run/secrets/{}", sanitize(&secret.secret_name), sanitize(&secret.target));
        let verdict = match &secret.declared {
            Some(declared) if *declared != secret.secret_name => console.paint(
                "31",
                &format!("the files name {}: run docker stack deploy (or rotate) to move to it", sanitize(declared)),
            ),
            Some(_) => console.paint("32", "as the files name it"),
            None => console.dim("not in the files"),
        };
        text.push_str(&format!("  {} {runs}  {verdict}\n", console.dim("secret")));
    }
    text
}
