//! Tests of `Project::load` on the fixture projects for what `docker compose config` does not show (origins, line
//! numbers, undefined variables, missing env files) and on the projects compose refuses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::super::{Origin, Project, ProjectError, ProjectOptions, SecretSource, VolumeKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compose").join(name)
}

fn options(dir: &Path, env: &[(&str, &str)]) -> ProjectOptions {
    let environ: BTreeMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    ProjectOptions { working_dir: dir.to_path_buf(), environ, ..ProjectOptions::default() }
}

fn load(name: &str, env: &[(&str, &str)]) -> Project {
    Project::load(&options(&fixture(name), env)).expect("loads")
}

/// The 1-based line of the first line of `file` containing `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).expect("readable");
    text.lines().position(|l| l.contains(needle)).expect("needle present") + 1
}

#[test]
fn origins_of_inline_interpolated_and_anchored_values() {
    let project = load("basic", &[("FROM_SHELL", "shell-value"), ("HOME", "/home/u")]);
    let compose = fixture("basic").join("compose.yaml");
    let dotenv = fixture("basic").join(".env");
    let cache = project.service("cache").expect("cache");
    let password = cache.env("REDIS_PASSWORD").expect("key");
    assert_eq!(password.value.as_deref(), Some("s3cret-from-dotenv"));
    assert_eq!(
        password.origin,
        Origin::Interpolated {
            file: compose.clone(),
            line: Some(line_of(&compose, "REDIS_PASSWORD: ${")),
            variables: vec!["REDIS_PASSWORD".into()],
            source: Some((dotenv.clone(), line_of(&dotenv, "REDIS_PASSWORD="))),
            optional: false,
        }
    );
    let literal = cache.env("LITERAL").expect("key");
    assert_eq!(literal.value.as_deref(), Some("price is $5"));
    assert_eq!(literal.origin, Origin::Inline { file: compose.clone(), line: Some(line_of(&compose, "LITERAL:")) });
    // A value merged in through `<<: *common-env` points at its anchored definition.
    let level = cache.env("LOG_LEVEL").expect("key");
    assert!(
        matches!(&level.origin, Origin::Interpolated { line, .. } if *line == Some(line_of(&compose, "LOG_LEVEL:")))
    );
    // A bare key takes the shell's value: interpolated from the process environment, so no source file.
    let shell = cache.env("FROM_SHELL").expect("key");
    assert_eq!(shell.value.as_deref(), Some("shell-value"));
    assert!(
        matches!(&shell.origin, Origin::Interpolated { variables, source: None, .. } if variables == &["FROM_SHELL"])
    );
    assert_eq!(cache.env("NULLED").map(|v| v.value.clone()), Some(None));
    let app = project.service("app").expect("app");
    assert_eq!(app.env("HOME_DIR").and_then(|v| v.value.as_deref()), Some("/home/u"));
    assert_eq!(app.env("DEBUG").map(|v| v.value.clone()), Some(None));
}

#[test]
fn undefined_variables_name_service_key_and_line() {
    let project = load("basic", &[]);
    let compose = fixture("basic").join("compose.yaml");
    let api = project.undefined_variables.iter().find(|u| u.name == "API_TOKEN").expect("reported");
    assert_eq!(api.service.as_deref(), Some("app"));
    assert_eq!(api.key, "services.app.environment.API_TOKEN");
    assert_eq!(api.file, compose);
    assert_eq!(api.line, Some(line_of(&compose, "API_TOKEN=")));
    // Variables with a default or an alternative are not undefined.
    assert!(project.undefined_variables.iter().all(|u| !u.name.starts_with("MISSING") && u.name != "UNSET_VAR"));
    let env_files = load("env-files", &[]);
    let in_env_file = env_files.undefined_variables.iter().find(|u| u.name == "NOT_DEFINED_ANYWHERE").expect("found");
    assert_eq!(in_env_file.file, fixture("env-files").join("app.env"));
    assert_eq!(in_env_file.key, "UNDEFINED_HERE");
}

#[test]
fn project_level_facts() {
    let project = load("basic", &[]);
    let dir = fixture("basic");
    assert_eq!(project.name, "basic_app");
    assert_eq!(project.directory, dir);
    assert_eq!(project.compose_files, [dir.join("compose.yaml")]);
    assert_eq!(project.interpolation_files, [dir.join(".env")]);
    assert_eq!(project.variable_sources.get("LOG_LEVEL"), Some(&(dir.join(".env"), 3)));
    let expected =
        serde_json::json!({"stores": {"cache": {"kind": "redis", "password": "REDIS_PASSWORD"}}, "rotate_days": 90});
    assert_eq!(project.x_secops, Some(expected));
    let cache = project.service("cache").expect("cache");
    assert_eq!(cache.image.as_deref(), Some("docker.io/library/redis:7"));
    assert_eq!(cache.declared_in, dir.join("compose.yaml"));
    assert!(cache.has_healthcheck);
    assert!(!project.service("app").expect("app").has_healthcheck);
    assert_eq!(project.service("app").expect("app").depends_on, ["cache"]);
    let kinds: Vec<_> = cache.volumes.iter().map(|v| (v.kind, v.source.clone(), v.read_only)).collect();
    let conf = dir.join("conf/redis.conf").to_string_lossy().into_owned();
    assert_eq!(kinds, [(VolumeKind::Named, Some("cache-data".into()), false), (VolumeKind::Bind, Some(conf), true)]);
    assert_eq!(cache.ports[0].host_ip.as_deref(), Some("127.0.0.1"));
    let command = cache.command.as_deref().expect("command");
    assert_eq!(command[2], "${REDIS_PASSWORD}");
}

#[test]
fn env_file_bindings_and_origins() {
    let project = load("env-files", &[]);
    let dir = fixture("env-files");
    let long = project.service("long").expect("long");
    let bindings: Vec<_> = long.env_files.iter().map(|b| (b.path.clone(), b.required, b.exists)).collect();
    assert_eq!(
        bindings,
        [
            (dir.join("app.env"), true, true),
            (dir.join("missing.env"), false, false),
            (dir.join("overrides/extra.env"), true, true),
        ]
    );
    assert!(long.env_files.iter().all(|b| b.declared_in == dir.join("compose.yaml")));
    let host = long.env("DB_HOST").expect("key");
    assert_eq!(host.origin, Origin::EnvFile { file: dir.join("overrides/extra.env"), line: 1 });
    let url = long.env("DB_URL").expect("key");
    assert_eq!(url.value.as_deref(), Some("postgres://app:p@ss$word@db/app"));
    assert_eq!(url.origin, Origin::EnvFile { file: dir.join("app.env"), line: 5 });
    assert_eq!(long.env("OVERRIDDEN").and_then(|v| v.value.as_deref()), Some("inline-wins"));
    assert!(long.env("BARE_NOWHERE").is_none());
}

#[test]
fn extends_and_include_keep_the_declaring_files() {
    let project = load("extends", &[]);
    let common = fixture("extends").join("common");
    let remote = project.service("remote").expect("remote");
    let files: Vec<_> = remote.env_files.iter().map(|b| (b.path.clone(), b.declared_in.clone())).collect();
    let services = common.join("services.yaml");
    assert_eq!(files[0], (common.join("template.env"), services.clone()));
    assert_eq!(files[1], (common.join("worker.env"), services.clone()));
    assert_eq!(remote.declared_in, fixture("extends").join("compose.yaml"));
    assert_eq!(remote.volumes[0].source.as_deref(), Some(common.join("data").to_string_lossy().as_ref()));
    let include = load("include", &[]);
    let api = include.service("api").expect("api");
    assert_eq!(api.declared_in, fixture("include").join("sub/compose.yaml"));
    let source = match &api.env("FROM_SUB_DOTENV").expect("key").origin {
        Origin::Interpolated { source, .. } => source.clone(),
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(source, Some((fixture("include").join("sub/.env"), 1)));
    assert!(include.interpolation_files.contains(&fixture("include").join("lib-vars.env")));
}

/// Writes `files` (path, contents) under a new temporary directory.
fn project_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    dir
}

fn load_dir(dir: &Path) -> Result<Project, ProjectError> {
    Project::load(&options(dir, &[]))
}

#[test]
fn a_missing_required_env_file_is_recorded_not_fatal() {
    let dir = project_dir(&[("compose.yaml", "services:\n  s:\n    image: x\n    env_file: gone.env\n")]);
    let project = load_dir(dir.path()).expect("loads");
    let binding = &project.service("s").expect("s").env_files[0];
    assert!(binding.required && !binding.exists);
}

#[test]
fn refusals_name_what_is_wrong() {
    let yaml = project_dir(&[("compose.yaml", "services:\n  s:\n    image: [x\n")]);
    assert!(matches!(load_dir(yaml.path()), Err(ProjectError::Yaml { line: 3.., .. })));
    let cycle = project_dir(&[
        ("compose.yaml", "include: [a/compose.yaml]\nservices: {}\n"),
        ("a/compose.yaml", "include: [../compose.yaml]\nservices: {}\n"),
    ]);
    assert!(matches!(load_dir(cycle.path()), Err(ProjectError::IncludeCycle { .. })));
    let extends = project_dir(&[("compose.yaml", "services:\n  a:\n    extends: b\n  b:\n    extends: a\n")]);
    assert!(matches!(load_dir(extends.path()), Err(ProjectError::ExtendsCycle { .. })));
    let missing = project_dir(&[("compose.yaml", "services:\n  a:\n    extends: nope\n")]);
    assert!(matches!(load_dir(missing.path()), Err(ProjectError::ExtendsNotFound { .. })));
    let conflict = project_dir(&[
        ("compose.yaml", "include: [a/compose.yaml]\nservices:\n  s:\n    image: one\n"),
        ("a/compose.yaml", "services:\n  s:\n    image: two\n"),
    ]);
    assert!(matches!(load_dir(conflict.path()), Err(ProjectError::IncludeConflict { .. })));
    let none = project_dir(&[("readme", "")]);
    assert!(matches!(load_dir(none.path()), Err(ProjectError::NoComposeFile { .. })));
}

#[test]
fn file_variables_are_bound_to_the_secret_mounted_at_their_path() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/compose/secrets");
    let environ = [("API_KEY".to_string(), "k".to_string())].into_iter().collect();
    let options = ProjectOptions { working_dir: dir.clone(), environ, ..ProjectOptions::default() };
    let project = Project::load(&options).expect("loads");
    let db = project.service("db").expect("db");
    let var = db.env("POSTGRES_PASSWORD_FILE").expect("var");
    assert_eq!(db.file_var_secret(var).map(|m| m.source.as_str()), Some("db_password"));
    let app = project.service("app").expect("app");
    // A relative long-syntax target lands under /run/secrets.
    assert_eq!(app.file_var_secret(app.env("TOKEN_FILE").expect("var")).map(|m| m.source.as_str()), Some("token"));
    let secret = project.secret("db_password").expect("secret");
    assert_eq!(secret.file(), Some(dir.join("secrets/db_password.txt").as_path()));
    let api = project.secret("api_key").expect("api_key");
    assert!(
        matches!(&api.source, SecretSource::Environment { variable, value: Some(v), .. } if variable == "API_KEY" && v == "k")
    );
}

#[test]
fn variables_interpolated_into_arguments_are_recorded_and_escaped_dollars_are_not() {
    let compose = "services:\n  s:\n    image: x\n    command: [\"srv\", \"--pass\", \"${PASS}\", \"$$LEFT\"]\n    \
                   entrypoint: run $TOKEN\n    healthcheck:\n      test: [\"CMD\", \"ping\", \"-p${PASS}\"]\n    \
                   build:\n      context: .\n      args:\n        KEY: ${KEY}\n        OTHER: $$KEPT\n";
    let dir = project_dir(&[("compose.yaml", compose)]);
    let project = load_dir(dir.path()).expect("loads");
    let found: Vec<(String, String)> = project
        .service("s")
        .expect("s")
        .argument_variables
        .iter()
        .map(|a| (a.field.clone(), a.variable.clone()))
        .collect();
    let want = [("command", "PASS"), ("entrypoint", "TOKEN"), ("healthcheck.test", "PASS"), ("build.args.KEY", "KEY")];
    assert_eq!(found, want.map(|(f, v)| (f.to_string(), v.to_string())));
    let first = &project.service("s").expect("s").argument_variables[0];
    assert_eq!(first.line, Some(4));
}
