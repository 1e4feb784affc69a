//! The layers of `src/`, checked: a module may use only the layers before
//! it (and, in the domain layer, the modules before it in its order). Every
//! `crate::` and `super::` path in `src/` is read, `use` groups and `pub use`
//! included; a module missing from the table fails, so a new one must be
//! placed. The allow-list holds what is known to break the rule today: it
//! may only shrink (an entry no longer needed fails too), and ends empty.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers, lowest first; each entry a module path (the longest entry that
/// is a prefix of a module names its layer) and its rank within the layer:
/// a module may use those of its layer with the same rank or a lower one.
const LAYERS: &[(&str, &[(&str, u8)])] = &[
    (
        "text",
        &[
            ("text", 0),
            ("private_file", 0),
            ("allocator", 0),
            ("limits", 0),
        ],
    ),
    ("sse", &[("sse", 0)]),
    (
        "domain",
        &[
            ("server", 0),
            ("request", 0),
            ("auth", 0),
            ("faults", 1),
            ("mcp", 1),
            ("curl", 1),
            ("capture", 2),
            ("history", 3),
            ("insight", 3),
            ("insight::contract", 3),
            ("check::core", 4),
            ("demo_server", 5),
            ("tap", 5),
        ],
    ),
    ("config", &[("config", 0)]),
    ("intents", &[("action", 0), ("keymap", 1)]),
    ("state", &[("message", 0), ("state", 0)]),
    ("ui", &[("ui", 0)]),
    (
        "edges",
        &[
            ("app", 0),
            ("print", 0),
            ("check", 0),
            ("cli", 0),
            ("profile_store", 0),
            ("external_editor", 0),
            ("runtime", 0),
            ("shutdown", 0),
            ("serve", 0),
            ("stdout", 0),
            // `ssetui tap`'s runner: the UI or --headless, --record.
            ("tap::run", 0),
        ],
    ),
];

/// Known breaks of the rule, `from -> to` by module key: to be removed, one
/// by one, until none is left.
const ALLOWED: &[(&str, &str)] = &[];

/// Where a module key sits: (layer index, rank).
fn place(module: &str) -> Option<(usize, u8, &'static str)> {
    let mut best: Option<(usize, u8, &'static str)> = None;
    for (layer, modules) in LAYERS.iter().enumerate() {
        for (key, rank) in modules.1.iter() {
            let matches = module == *key || module.starts_with(&format!("{key}::"));
            if matches && best.is_none_or(|(_, _, b)| key.len() > b.len()) {
                best = Some((layer, *rank, key));
            }
        }
    }
    best
}

/// The module path of a file under `src/`: `a/b.rs` and `a/b/mod.rs` are `a::b`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules a source text names through `crate::` or `super::` paths,
/// as absolute paths (`super::x` resolved against `module`). A `use` group
/// (`crate::{a, b::c}`) names each of its members.
fn referenced(text: &str, module: &str, is_mod_file: bool) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    // Comments name paths too, without using them.
    let code: String = text
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let bytes = code.as_bytes();
    for start in [b"crate::".as_slice(), b"super::".as_slice()] {
        let mut at = 0;
        while let Some(pos) = find(&bytes[at..], start).map(|p| p + at) {
            at = pos + start.len();
            // Only a path's start: not `foo_crate::` nor `self::super::`.
            if pos > 0 && (bytes[pos - 1].is_ascii_alphanumeric() || bytes[pos - 1] == b'_') {
                continue;
            }
            // `super` of module a::b (file `a/b.rs` or `a/b/mod.rs`) is
            // `a`; inside an inline `mod tests` it is the file's own module.
            let (base, inline_base): (Vec<&str>, Vec<&str>) = if start == b"crate::" {
                (Vec::new(), Vec::new())
            } else {
                let own: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
                let mut parts = own.clone();
                let mut inline = own;
                parts.pop();
                let mut rest = &code[at..];
                while let Some(more) = rest.strip_prefix("super::") {
                    parts.pop();
                    inline.pop();
                    rest = more;
                    at += "super::".len();
                }
                (parts, inline)
            };
            let _ = is_mod_file;
            for path in paths_at(&code[at..]) {
                let join = |base: &[&str]| {
                    let mut full: Vec<&str> = base.to_vec();
                    full.extend(path.split("::").filter(|p| !p.is_empty()));
                    full.join("::")
                };
                let full = join(&base);
                let resolved = if place(&full).is_some() || start == b"crate::" {
                    full
                } else {
                    join(&inline_base)
                };
                found.insert(resolved);
            }
        }
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The paths starting at `text`: `a::b::C` or a group `{a, b::{c, d}}`.
fn paths_at(text: &str) -> Vec<String> {
    if let Some(group) = text.strip_prefix('{') {
        let mut depth = 1;
        let mut end = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &group[..end];
        let mut out = Vec::new();
        let mut depth = 0;
        let mut from = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.extend(member_paths(inner[from..i].trim()));
                    from = i + 1;
                }
                _ => {}
            }
        }
        out.extend(member_paths(inner[from..].trim()));
        return out;
    }
    let path: String = text
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    vec![path.trim_end_matches(':').to_owned()]
}

fn member_paths(member: &str) -> Vec<String> {
    if member.is_empty() || member == "self" {
        return Vec::new();
    }
    match member.find("::{") {
        Some(at) => paths_at(&member[at + 2..])
            .into_iter()
            .map(|p| format!("{}::{p}", &member[..at]))
            .collect(),
        None => paths_at(member),
    }
}

#[test]
fn every_module_uses_only_the_layers_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut unplaced = BTreeSet::new();
    let mut breaks = BTreeSet::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some((layer, rank, from_key)) = place(&module) else {
            unplaced.insert(module.clone());
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let is_mod = file.file_name().is_some_and(|n| n == "mod.rs");
        for target in referenced(&text, &module, is_mod) {
            let Some((to_layer, to_rank, to_key)) = place(&target) else {
                // A path into the crate root (`crate::Foo`) or an item of
                // the file's own parent resolved above the table.
                if !target.is_empty() && target.split("::").count() > 0 {
                    let head = target.split("::").next().unwrap_or("");
                    if place(head).is_none() && !head.chars().next().is_some_and(char::is_uppercase)
                    {
                        unplaced.insert(head.to_owned());
                    }
                }
                continue;
            };
            let upward = to_layer > layer || (to_layer == layer && to_rank > rank);
            if upward && from_key != to_key {
                breaks.insert((from_key.to_owned(), to_key.to_owned()));
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "modules missing from the layer table (place them in tests/layers.rs): {unplaced:?}"
    );
    let allowed: BTreeSet<(String, String)> = ALLOWED
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    let new: Vec<_> = breaks.difference(&allowed).collect();
    let stale: Vec<_> = allowed.difference(&breaks).collect();
    assert!(
        new.is_empty(),
        "modules reaching a later layer (from -> to): {new:#?}"
    );
    assert!(
        stale.is_empty(),
        "allow-list entries no longer needed, remove them: {stale:#?}"
    );
}

#[test]
fn paths_are_read_from_use_groups_super_and_code_but_not_comments() {
    let text = "use crate::{config::X, sse::{a, b::C}};\nuse super::event_log::Row;\n\
                // crate::ui::draw is only mentioned\nfn f() { crate::text::quote(\"\"); }\n";
    let found = referenced(text, "state::update", false);
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(
        found,
        [
            "config::X",
            "sse::a",
            "sse::b::C",
            "state::event_log::Row",
            "text::quote"
        ]
    );
    assert_eq!(
        place("check::core::expect::Judge").map(|p| p.2),
        Some("check::core")
    );
    assert_eq!(place("check::main").map(|p| p.2), Some("check"));
}
