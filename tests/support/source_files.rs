//! The Rust files of `src/`, for the tests that read the code itself: what
//! a layer may use (`pure_layers.rs`), how large a file may grow
//! (`file_sizes.rs`).

use std::path::{Path, PathBuf};

/// This crate's `src/`.
pub fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files at `path`, sorted: the file itself, or every one below a
/// folder; none when nothing is there (a module not written yet).
pub fn rust_files(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(path, &mut out);
    out.sort();
    out
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.to_owned());
        }
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries {
        collect(&entry.unwrap().path(), out);
    }
}
