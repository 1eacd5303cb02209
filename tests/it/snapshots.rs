//! CLI behaviour pinned by trycmd cases in `tests/cmd/*.toml`, typos-style: args, expected output and exit code.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("docker-secops", std::path::Path::new(env!("CARGO_BIN_EXE_docker-secops")))
        .case("tests/cmd/*.toml");
}
