//! Differential test of the project loader against `docker compose config` (compose v2), the reference
//! implementation: for each fixture project and option set, the project name, the services, and per service the
//! image, command, environment keys with their values and the env_file list must match.
//!
//! compose runs with a cleared environment (`PATH`, `HOME` and the case's variables only) and the loader gets the
//! same variables, so the comparison is hermetic. When `docker compose` is not installed the cases are skipped
//! with a notice (CI installs compose v2).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use docker_secops::project::{
    ComposeSecret, Port, Project, ProjectOptions, SecretMount, SecretSource, Service, Volume, VolumeKind,
};
use serde_json::Value;

/// One way of loading a fixture: compose's global flags, the directory compose runs in, extra variables.
struct Case {
    fixture: &'static str,
    /// Directory compose runs in, relative to the fixture directory.
    cwd: &'static str,
    /// Global flags as given to `docker compose`: `-f`, `--env-file`, `--profile`, `-p`, `--project-directory`.
    flags: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case { fixture: "basic", cwd: "", flags: &[], env: &[("FROM_SHELL", "shell-value"), ("DEBUG", "1")] },
    Case { fixture: "basic", cwd: "conf", flags: &["-f", "../compose.yaml", "-p", "custom"], env: &[] },
    Case { fixture: "basic", cwd: "", flags: &[], env: &[("REDIS_PASSWORD", "shell-wins"), ("PROJECT_NAME", "X.Y")] },
    Case { fixture: "env-files", cwd: "", flags: &[], env: &[("BARE_FROM_SHELL", "shell")] },
    Case { fixture: "env-files", cwd: "", flags: &[], env: &[("APP_NAME", "from-shell"), ("DB_USER", "shell-user")] },
    Case { fixture: "include", cwd: "", flags: &[], env: &[] },
    Case { fixture: "include", cwd: "", flags: &[], env: &[("SUB_ONLY", "shell"), ("LIB_VAR", "shell-lib")] },
    Case { fixture: "extends", cwd: "", flags: &[], env: &[("EXTRA", "e"), ("TEMPLATE_TAG", "9")] },
    Case { fixture: "profiles", cwd: "", flags: &[], env: &[] },
    Case { fixture: "profiles", cwd: "", flags: &["--profile", "debug"], env: &[] },
    Case { fixture: "profiles", cwd: "", flags: &[], env: &[("COMPOSE_PROFILES", "tools, db")] },
    Case { fixture: "profiles", cwd: "", flags: &["--profile", "*"], env: &[] },
    Case { fixture: "multi-file", cwd: "", flags: &["-f", "compose.yaml", "-f", "override/extra.yaml"], env: &[] },
    Case { fixture: "multi-file", cwd: "override", flags: &["-f", "../compose.yaml", "-f", "extra.yaml"], env: &[] },
    Case { fixture: "override", cwd: "nested", flags: &[], env: &[] },
    Case {
        fixture: "env-file-flag",
        cwd: "",
        flags: &["--env-file", "envs/one.env", "--env-file", "envs/two.env"],
        env: &[("SHELL_WINS", "shell")],
    },
    Case { fixture: "env-file-flag", cwd: "", flags: &[], env: &[] },
    Case { fixture: "compose-file-env", cwd: "", flags: &[], env: &[] },
    Case {
        fixture: "compose-file-env",
        cwd: "",
        flags: &["--project-directory", "stack", "-f", "stack/main.yaml", "-f", "stack/extra.yaml"],
        env: &[],
    },
    Case { fixture: "refused", cwd: "", flags: &["--profile", "db"], env: &[("SECRET", "s")] },
    Case { fixture: "mounts", cwd: "", flags: &[], env: &[("HOME", "/home/someone")] },
    Case { fixture: "secrets", cwd: "", flags: &[], env: &[("API_KEY", "from-shell")] },
    Case { fixture: "secrets", cwd: "lib", flags: &["-f", "../compose.yaml", "-f", "../override.yaml"], env: &[] },
];

/// Projects compose refuses, with what the loader's error must say.
const REFUSALS: &[(Case, &str)] = &[
    // stack/.env has no COMPOSE_FILE and no default file exists upwards from stack/.
    (
        Case { fixture: "compose-file-env", cwd: "", flags: &["--project-directory", "stack"], env: &[] },
        "no compose file",
    ),
    (Case { fixture: "refused", cwd: "", flags: &["--profile", "db"], env: &[] }, "SECRET must be set"),
    (Case { fixture: "refused", cwd: "", flags: &["--profile", "db"], env: &[("SECRET", "")] }, "SECRET must be set"),
    (Case { fixture: "refused", cwd: "", flags: &[], env: &[("SECRET", "s")] }, "depends on \"db\""),
    (
        Case { fixture: "refused", cwd: "", flags: &["-p", "Not.Valid"], env: &[("SECRET", "s")] },
        "invalid project name",
    ),
];

#[test]
fn loader_matches_docker_compose_config() {
    if !compose_available() {
        return;
    }
    let mut failures = Vec::new();
    for case in CASES {
        let label = format!("{} (cwd {:?}, flags {:?}, env {:?})", case.fixture, case.cwd, case.flags, case.env);
        if let Err(diffs) = compare(case) {
            failures.push(format!("{label}:\n  {}", diffs.join("\n  ")));
        }
    }
    for (case, reason) in REFUSALS {
        let cwd = fixture_dir(case.fixture).join(case.cwd);
        let label = format!("{} (flags {:?}, env {:?})", case.fixture, case.flags, case.env);
        match (Project::load(&options(case, &cwd)), compose_json(case, &cwd, &[])) {
            (Err(ours), Err(_)) if ours.to_string().contains(reason) => {}
            (Err(ours), Err(_)) => failures.push(format!("{label}: refused for another reason: {ours}")),
            (ours, theirs) => failures.push(format!(
                "{label}: expected both to refuse ({reason}); loader ok: {}, compose ok: {}",
                ours.is_ok(),
                theirs.is_ok()
            )),
        }
    }
    assert!(failures.is_empty(), "the loader disagrees with docker compose:\n{}", failures.join("\n"));
}

/// Compares one case; `Err` lists every difference.
fn compare(case: &Case) -> Result<(), Vec<String>> {
    let cwd = fixture_dir(case.fixture).join(case.cwd);
    let project = Project::load(&options(case, &cwd)).map_err(|e| vec![format!("the loader refuses: {e}")])?;
    let resolved = compose_json(case, &cwd, &[]).map_err(|e| vec![e])?;
    let raw = compose_json(case, &cwd, &["--no-interpolate"]).map_err(|e| vec![e])?;
    let mut diffs = Vec::new();
    let their_name = resolved["name"].as_str().unwrap_or_default();
    check(&mut diffs, "name", &project.name.as_str(), &their_name);
    let services = resolved["services"].as_object().cloned().unwrap_or_default();
    let names: Vec<&String> = services.keys().collect();
    let ours: Vec<&String> = project.services.iter().map(|s| &s.name).collect();
    check(&mut diffs, "services", &ours, &names);
    for service in &project.services {
        let Some(theirs) = services.get(&service.name) else { continue };
        let name = &service.name;
        let env: BTreeMap<String, Option<String>> =
            service.environment.iter().map(|v| (v.key.clone(), v.value.clone())).collect();
        diffs.extend(map_diff(&format!("{name}.environment"), &env, &compose_environment(theirs)));
        check(&mut diffs, &format!("{name}.image"), &service.image, &theirs["image"].as_str().map(unescape));
        let command = theirs["command"]
            .as_array()
            .map(|c| c.iter().map(|w| unescape(w.as_str().unwrap_or_default())).collect::<Vec<_>>());
        check(&mut diffs, &format!("{name}.command"), &service.command, &command);
        let env_files: Vec<(String, bool)> =
            service.env_files.iter().map(|b| (b.path.to_string_lossy().into_owned(), b.required)).collect();
        let raw_files: Vec<(String, bool)> = raw["services"][name]["env_file"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| (f["path"].as_str().unwrap_or_default().to_string(), f["required"].as_bool().unwrap_or(true)))
            .collect();
        check(&mut diffs, &format!("{name}.env_file"), &env_files, &raw_files);
        let mut depends_on = service.depends_on.clone();
        depends_on.sort();
        let their_deps: Vec<String> =
            theirs["depends_on"].as_object().into_iter().flatten().map(|(k, _)| k.clone()).collect();
        check(&mut diffs, &format!("{name}.depends_on"), &depends_on, &their_deps);
        check(&mut diffs, &format!("{name}.ports"), &ports(service), &compose_ports(theirs));
        check(&mut diffs, &format!("{name}.volumes"), &volumes(service, theirs), &compose_volumes(theirs));
        check(&mut diffs, &format!("{name}.secrets"), &secret_mounts(service), &compose_secret_mounts(theirs));
    }
    check(&mut diffs, "secrets", &secrets(&project), &compose_secrets(&resolved));
    if diffs.is_empty() { Ok(()) } else { Err(diffs) }
}

/// Records a difference between the loader's and compose's view of `what`.
fn check<T: PartialEq + std::fmt::Debug>(diffs: &mut Vec<String>, what: &str, ours: &T, theirs: &T) {
    if ours != theirs {
        diffs.push(format!("{what}: loader {ours:?} != compose {theirs:?}"));
    }
}

/// The keys whose values differ between two environments, one line each.
fn map_diff(
    what: &str,
    ours: &BTreeMap<String, Option<String>>,
    theirs: &BTreeMap<String, Option<String>>,
) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    keys.into_iter()
        .filter(|k| ours.get(*k) != theirs.get(*k))
        .map(|k| format!("{what}.{k}: loader {:?} != compose {:?}", ours.get(k), theirs.get(k)))
        .collect()
}

/// (host_ip, published, target, protocol) of each port.
type PortRow = (Option<String>, Option<String>, u64, String);

fn ports(service: &Service) -> Vec<PortRow> {
    let row = |p: &Port| (p.host_ip.clone(), p.published.clone(), u64::from(p.target), p.protocol.clone());
    service.ports.iter().map(row).collect()
}

fn compose_ports(service: &Value) -> Vec<PortRow> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    let rows = service["ports"].as_array().into_iter().flatten();
    rows.map(|p| {
        let protocol = text(&p["protocol"]).unwrap_or_else(|| "tcp".into());
        (text(&p["host_ip"]), text(&p["published"]), p["target"].as_u64().unwrap_or_default(), protocol)
    })
    .collect()
}

/// (type, source, target, read_only) of each mount; the loader's volumes from the service's `tmpfs:` list (which
/// compose keeps apart) are left out.
type VolumeRow = (String, Option<String>, String, bool);

fn volumes(service: &Service, theirs: &Value) -> Vec<VolumeRow> {
    let tmpfs: Vec<&str> = theirs["tmpfs"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let from_tmpfs_list = |v: &&Volume| v.kind == VolumeKind::Tmpfs && tmpfs.iter().any(|t| t.starts_with(&v.target));
    let kind = |k: VolumeKind| match k {
        VolumeKind::Bind => "bind",
        VolumeKind::Tmpfs => "tmpfs",
        VolumeKind::Named | VolumeKind::Anonymous => "volume",
    };
    let rows = service.volumes.iter().filter(|v| !from_tmpfs_list(v));
    rows.map(|v| (kind(v.kind).to_string(), v.source.clone(), v.target.clone(), v.read_only)).collect()
}

fn compose_volumes(service: &Value) -> Vec<VolumeRow> {
    let rows = service["volumes"].as_array().into_iter().flatten();
    rows.map(|v| {
        let source = v["source"].as_str().map(str::to_string);
        let target = v["target"].as_str().unwrap_or_default().to_string();
        (v["type"].as_str().unwrap_or_default().to_string(), source, target, v["read_only"].as_bool().unwrap_or(false))
    })
    .collect()
}

/// (source, container path, uid, gid, mode) of each secret a service gets.
type SecretMountRow = (String, String, Option<String>, Option<String>, Option<u64>);

fn secret_mounts(service: &Service) -> Vec<SecretMountRow> {
    let row =
        |m: &SecretMount| (m.source.clone(), m.target.clone(), m.uid.clone(), m.gid.clone(), m.mode.map(u64::from));
    service.secrets.iter().map(row).collect()
}

fn compose_secret_mounts(service: &Value) -> Vec<SecretMountRow> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    let rows = service["secrets"].as_array().into_iter().flatten();
    rows.map(|m| {
        let source = text(&m["source"]).unwrap_or_default();
        let target = SecretMount::container_path(&source, m["target"].as_str());
        (source, target, text(&m["uid"]), text(&m["gid"]), m["mode"].as_u64())
    })
    .collect()
}

/// (key, file, environment variable, name when the file sets one) of each top-level secret.
type SecretRow = (String, Option<String>, Option<String>, Option<String>);

fn secrets(project: &Project) -> Vec<SecretRow> {
    let row = |s: &ComposeSecret| {
        let file = s.file().map(|f| f.to_string_lossy().into_owned());
        let variable = match &s.source {
            SecretSource::Environment { variable, .. } => Some(variable.clone()),
            _ => None,
        };
        (s.key.clone(), file, variable, s.name.clone())
    };
    project.secrets.iter().map(row).collect()
}

/// compose names every secret (`<project>_<key>` by default): only a name the file sets is compared.
fn compose_secrets(resolved: &Value) -> Vec<SecretRow> {
    let project = resolved["name"].as_str().unwrap_or_default();
    let text = |v: &Value| v.as_str().map(str::to_string);
    let rows = resolved["secrets"].as_object().into_iter().flatten();
    rows.map(|(key, s)| {
        let name = text(&s["name"]).filter(|n| *n != format!("{project}_{key}"));
        (key.clone(), text(&s["file"]), text(&s["environment"]), name)
    })
    .collect()
}

/// compose prints `$` as `$$` in `config` output: undo it.
fn unescape(text: &str) -> String {
    text.replace("$$", "$")
}

fn compose_environment(service: &Value) -> BTreeMap<String, Option<String>> {
    service["environment"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().map(unescape)))
        .collect()
}

/// The options the same `docker compose` flags select.
fn options(case: &Case, cwd: &Path) -> ProjectOptions {
    let mut options =
        ProjectOptions { working_dir: cwd.to_path_buf(), environ: environment(case), ..ProjectOptions::default() };
    for pair in case.flags.chunks(2) {
        let value = pair.get(1).copied().unwrap_or_default();
        match pair[0] {
            "-f" => options.files.push(PathBuf::from(value)),
            "--env-file" => options.env_files.push(PathBuf::from(value)),
            "--profile" => options.profiles.push(value.to_string()),
            "-p" => options.project_name = Some(value.to_string()),
            "--project-directory" => options.project_directory = Some(PathBuf::from(value)),
            other => panic!("unknown flag {other}"),
        }
    }
    options
}

/// `PATH`, `HOME` and the case's variables: all compose sees, and all the loader gets.
fn environment(case: &Case) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    for key in ["PATH", "HOME"] {
        if let Ok(value) = std::env::var(key) {
            env.insert(key.to_string(), value);
        }
    }
    env.extend(case.env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    env
}

fn compose_json(case: &Case, cwd: &Path, extra: &[&str]) -> Result<Value, String> {
    let output = Command::new("docker")
        .arg("compose")
        .args(case.flags)
        .args(["config", "--format", "json"])
        .args(extra)
        .current_dir(cwd)
        .env_clear()
        .envs(environment(case))
        .output()
        .map_err(|e| format!("cannot run docker compose: {e}"))?;
    if !output.status.success() {
        return Err(format!("docker compose config {extra:?} failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("docker compose printed invalid JSON: {e}"))
}

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compose").join(name)
}

/// True when `docker compose` (v2) runs; otherwise prints why the oracle is skipped.
#[allow(clippy::print_stderr)]
fn compose_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    let available = *AVAILABLE.get_or_init(|| {
        Command::new("docker")
            .args(["compose", "version"])
            .output()
            .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains("version"))
    });
    if !available {
        crate::support::skip("compose v2 not available (`docker compose version` failed)");
    }
    available
}

/// The same oracle through the CLI: the keys per service in `docker secops inventory --format json` equal the
/// environment keys `docker compose config` gives, for every case.
#[test]
fn inventory_json_keys_match_docker_compose_config() {
    if !compose_available() {
        return;
    }
    let mut failures = Vec::new();
    for case in CASES {
        let cwd = fixture_dir(case.fixture).join(case.cwd);
        let label = format!("{} (cwd {:?}, flags {:?})", case.fixture, case.cwd, case.flags);
        // Our sub-commands take compose's global flags after the sub-command name.
        let out = Command::new(env!("CARGO_BIN_EXE_docker-secops"))
            .args(["inventory", "--format", "json"])
            .args(case.flags)
            .current_dir(&cwd)
            .env_clear()
            .envs(environment(case))
            .output()
            .expect("inventory runs");
        if !out.status.success() {
            failures.push(format!("{label}: inventory failed: {}", String::from_utf8_lossy(&out.stderr)));
            continue;
        }
        let ours: Value = serde_json::from_slice(&out.stdout).expect("inventory json");
        let theirs = compose_json(case, &cwd, &[]).expect("compose config");
        assert_eq!(ours["project"], theirs["name"], "{label}");
        let their_services = theirs["services"].as_object().cloned().unwrap_or_default();
        for service in ours["services"].as_array().expect("services") {
            let name = service["name"].as_str().expect("name");
            let our_keys: Vec<&str> =
                service["environment"].as_array().expect("env").iter().filter_map(|k| k["key"].as_str()).collect();
            let their_keys: Vec<String> = compose_environment(&their_services[name]).into_keys().collect();
            if our_keys != their_keys {
                failures.push(format!("{label}: {name}: inventory {our_keys:?} vs compose {their_keys:?}"));
            }
        }
        assert_eq!(ours["services"].as_array().map(Vec::len), Some(their_services.len()), "{label}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
