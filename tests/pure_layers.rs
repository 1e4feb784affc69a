//! What the lower layers of `src/` may not use, beyond the crate's own
//! modules (`tests/layers.rs` checks those): nothing below `config` draws
//! (ratatui, crossterm and syntect belong to the UI), and `insight`, the
//! folds over connection messages that the UI and `print` share, does no
//! I/O at all (its writers live with `print`, its drawing with `ui`).

#[path = "support/source_files.rs"]
mod source_files;

use std::path::Path;

use source_files::{rust_files, src};

/// The modules before `config` (text, sse, the domain layer), as paths
/// under `src/`: a file, or a folder read whole. Paths not there yet are
/// skipped.
const BELOW_CONFIG: &[&str] = &[
    "text.rs",
    "private_file.rs",
    "allocator.rs",
    "limits.rs",
    "sse",
    "sse.rs",
    "server",
    "server.rs",
    "request",
    "request.rs",
    "curl",
    "curl.rs",
    "capture",
    "capture.rs",
    "insight",
    "check/core",
    "demo_server",
    "demo_server.rs",
];

/// Paths that draw on a terminal.
const DRAWING: &[&str] = &["ratatui::", "crossterm::", "syntect::"];

/// Paths and macros that read or write outside the process's memory.
const IO: &[&str] = &[
    "std::io",
    "std::fs",
    "std::net",
    "tokio::",
    "print!(",
    "println!(",
    "eprint!(",
    "eprintln!(",
    "dbg!(",
];

/// `src/file:line: code` for every code line (comments are not code) of
/// `roots` under `src` naming one of `needles`; with the number of files read.
fn uses(src: &Path, roots: &[&str], needles: &[&str]) -> (Vec<String>, usize) {
    let files: Vec<_> = roots
        .iter()
        .flat_map(|root| rust_files(&src.join(root)))
        .collect();
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            if needles.iter().any(|needle| code.contains(needle)) {
                let name = file.strip_prefix(src).unwrap().display();
                found.push(format!("src/{name}:{}: {}", n + 1, code));
            }
        }
    }
    (found, files.len())
}

#[test]
fn nothing_below_config_draws_on_a_terminal() {
    let (found, files) = uses(&src(), BELOW_CONFIG, DRAWING);
    assert!(
        files > 20,
        "only {files} files read: is the table out of date?"
    );
    assert!(
        found.is_empty(),
        "drawing belongs to ui (Markdown rendering included): {found:#?}"
    );
}

#[test]
fn insight_does_no_io() {
    let (found, files) = uses(&src(), &["insight"], IO);
    assert!(files > 3, "only {files} files read under src/insight");
    assert!(
        found.is_empty(),
        "insight is fed messages and returns values; stdout and files are print's: {found:#?}"
    );
}

#[test]
fn the_needles_are_found_in_code_and_not_in_comments() {
    let dir = std::env::temp_dir().join(format!("ssetui-pure-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("insight")).unwrap();
    std::fs::write(
        dir.join("insight/probe.rs"),
        "//! ratatui:: is only named here\n    // println!(\"no\")\nuse ratatui::text::Line;\nfn f() { println!(\"x\"); }\n",
    )
    .unwrap();
    std::fs::write(dir.join("insight/notes.txt"), "use ratatui::text::Line;\n").unwrap();
    let drawing = uses(&dir, &["insight", "absent"], DRAWING);
    let io = uses(&dir, &["insight"], IO);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        drawing,
        (
            vec!["src/insight/probe.rs:3: use ratatui::text::Line;".to_owned()],
            1
        )
    );
    assert_eq!(
        io,
        (
            vec!["src/insight/probe.rs:4: fn f() { println!(\"x\"); }".to_owned()],
            1
        )
    );
}
