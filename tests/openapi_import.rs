//! `ssetui import openapi`: the shipped example description imported into
//! a config with a comment, the profiles then connecting to the demo.

mod support;

use std::process::Stdio;
use std::time::Duration;

use support::*;

const PATIENCE: Duration = Duration::from_secs(30);

fn run(config: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = app();
    // Options go after the command (`ssetui --config F import` reads `import` as a URL).
    cmd.args(args).arg("--config").arg(config);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_example_description_imports_profiles_that_connect_and_keeps_the_files_comments() {
    let (_demo, base) = demo("/");
    let base = base.trim_end_matches('/').to_owned();
    let dir = scratch("openapi");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "# my settings\n[profiles.mine]\nurl = \"http://127.0.0.1:9/x\"\n",
    )
    .unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi-demo.yaml");
    let import = ["import", "openapi", example, "--server", base.as_str()];

    let (status, out, err) = run(&config, &[&import[..], &["--dry-run"]].concat());
    assert_eq!(status, Some(0), "{err}");
    assert!(out.contains("would write demoClock GET"), "{out}");
    assert!(
        !std::fs::read_to_string(&config)
            .unwrap()
            .contains("demoClock")
    );

    let (status, out, err) = run(&config, &import);
    assert_eq!(status, Some(0), "{err}");
    assert!(out.contains("wrote demoProtected GET"), "{out}");
    assert!(out.contains("(set ${env:DEMOTOKEN_TOKEN})"), "{out}");
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.starts_with("# my settings\n"), "{written}");
    assert!(written.contains("[profiles.mine]"), "{written}");
    assert!(!written.contains("health"), "not a stream: {written}");

    // The profiles connect to the demo.
    let (status, out, err) = run(
        &config,
        &["print", "--profile", "demoClock", "--max-events", "2"],
    );
    assert_eq!(status, Some(0), "{err}");
    assert_eq!(out.lines().count(), 2, "{out}");
    let mut cmd = app();
    cmd.args(["print", "--profile", "demoProtected", "--max-events", "1"])
        .arg("--config")
        .arg(&config)
        .env("DEMOTOKEN_TOKEN", ssetui::demo_server::DEMO_BEARER_TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Again: kept unless --force.
    let (_, out, _) = run(&config, &import);
    assert!(out.contains("kept demoClock"), "{out}");
    let (_, out, _) = run(&config, &[&import[..], &["--force"]].concat());
    assert!(out.contains("wrote demoClock"), "{out}");
}

#[test]
fn a_file_that_is_no_description_exits_2_saying_why() {
    let dir = scratch("openapi-bad");
    let config = dir.join("config.toml");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "title: not openapi\n").unwrap();
    let (status, _, err) = run(&config, &["import", "openapi", bad.to_str().unwrap()]);
    assert_eq!(status, Some(2));
    assert!(err.contains("not an OpenAPI description"), "{err}");
}
