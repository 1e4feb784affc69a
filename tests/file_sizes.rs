//! File sizes under `src/`: no file over 600 lines of code, so complexity
//! cannot pile up in one place (tests in their own files do not count
//! against the code they test). The folders already split are held to it;
//! a folder joins the list once its files are under the limit, until the
//! list is all of `src/`.

#[path = "support/source_files.rs"]
mod source_files;

use source_files::{rust_files, src};

/// Lines of code a file may have: not blank, not comments, not a test module.
const MAX_LINES_OF_CODE: usize = 600;

/// Paths under `src/` held to the limit: files, or folders read whole.
const HELD: &[&str] = &[
    "check",
    "insight",
    "print.rs",
    "print",
    "state",
    "ui/markdown.rs",
    "ui/markdown",
    "request",
    "cli",
    "config",
    "curl",
    "demo_server",
    "profile_store.rs",
];

/// Lines that are neither blank nor comments, up to an inline `mod tests`.
fn lines_of_code(text: &str) -> usize {
    let mut count = 0;
    let mut lines = text.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if line == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.starts_with("mod tests {"))
        {
            break;
        }
        if !line.is_empty() && !line.starts_with("//") {
            count += 1;
        }
    }
    count
}

#[test]
fn no_file_in_the_split_folders_has_over_600_lines_of_code() {
    let src = src();
    let files: Vec<_> = HELD
        .iter()
        .flat_map(|path| rust_files(&src.join(path)))
        .collect();
    assert!(files.len() > 10, "only {} files read", files.len());
    let over: Vec<String> = files
        .iter()
        .map(|file| (file, lines_of_code(&std::fs::read_to_string(file).unwrap())))
        .filter(|(_, n)| *n > MAX_LINES_OF_CODE)
        .map(|(file, n)| format!("{}: {n}", file.strip_prefix(&src).unwrap().display()))
        .collect();
    assert!(
        over.is_empty(),
        "over {MAX_LINES_OF_CODE} lines of code (split by concern, tests in their own file): {over:?}"
    );
}

#[test]
fn comments_blank_lines_and_inline_tests_are_not_code() {
    let text = "//! doc\nuse a;\n\n    // note\nfn f() {\n    g(); // call\n}\n\n#[cfg(test)]\nmod tests {\n    fn t() {}\n}\n";
    assert_eq!(lines_of_code(text), 4);
    // A `#[cfg(test)]` item that is not the test module still counts.
    assert_eq!(lines_of_code("#[cfg(test)]\nfn helper() {}\n"), 2);
}
