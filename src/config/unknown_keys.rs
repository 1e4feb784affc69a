//! Keys the program does not know: reported as warnings (a typo should not
//! stop the program), and kept in the file when it is saved.

use std::path::Path;

use toml_edit::{Item, Table, TableLike};

use super::Warning;
use super::file::line_column;

const TOP: &[&str] = &["settings", "keys", "profiles", "environments"];
const SETTINGS: &[&str] = &[
    "retry_delay",
    "max_retry_delay",
    "max_events",
    "max_bytes",
    "time_format",
    "theme",
    "colors",
    "show_line_endings",
    "stall_after",
    "headers",
    "secret_names",
    "public_names",
    "vars",
    "history",
];
const PROFILE: &[&str] = &[
    "url",
    "method",
    "headers",
    "secret_headers",
    "body",
    "auth",
    "last_event_id",
    "reconnect",
    "parse_as",
    "kind",
    "mcp_version",
    "search",
    "transcript_path",
    "list_column",
    "mcp_client_id",
    "description",
    "check",
    "schema",
    "schemas",
    "env",
    "vars",
];

/// One warning per unknown key, with its line and column. Tables whose keys
/// are the user's own (`[keys]`, headers, colours) are not checked here.
pub(super) fn find(path: &Path, text: &str, doc: &Table) -> Vec<Warning> {
    let mut found = Vec::new();
    let mut report = |table: &dyn TableLike, prefix: &str, known: &[&str]| {
        for (key, _) in table.iter() {
            if known.contains(&key) {
                continue;
            }
            let offset = table
                .get_key_value(key)
                .and_then(|(k, _)| k.span())
                .map_or(0, |s| s.start);
            let (line, column) = line_column(text, offset);
            found.push(Warning(format!(
                "{}:{line}:{column}: unknown key {prefix}{key} (ignored)",
                path.display()
            )));
        }
    };
    report(doc, "", TOP);
    if let Some(settings) = doc.get("settings").and_then(Item::as_table_like) {
        report(settings, "settings.", SETTINGS);
    }
    let Some(profiles) = doc.get("profiles").and_then(Item::as_table_like) else {
        return found;
    };
    for (name, item) in profiles.iter() {
        let Some(profile) = item.as_table_like() else {
            continue;
        };
        let prefix = format!("profiles.{name}.");
        report(profile, &prefix, PROFILE);
        if let Some(auth) = profile.get("auth").and_then(Item::as_table_like) {
            let kind = auth.get("kind").and_then(Item::as_str).unwrap_or("none");
            let fields: &[&str] = match kind {
                "bearer" => &["kind", "token"],
                "basic" => &["kind", "user", "password"],
                "api-key" => &["kind", "name", "value", "location"],
                "command" => &["kind", "command", "ttl", "timeout", "header", "prefix"],
                "oauth2" => &[
                    "kind",
                    "grant",
                    "token_url",
                    "client_id",
                    "client_secret",
                    "scope",
                    "audience",
                    "refresh_token",
                    "authorize_url",
                    "device_url",
                    "persist",
                    "header",
                    "prefix",
                ],
                _ => &["kind"],
            };
            report(auth, &format!("{prefix}auth."), fields);
        }
    }
    found
}
