//! Entry point of the `docker-secops` binary: hands the arguments to the library and maps the outcome to an exit code.

fn main() -> std::process::ExitCode {
    docker_secops::run(std::env::args_os().collect())
}
