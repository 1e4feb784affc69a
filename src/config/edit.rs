//! Changing profiles in the document without disturbing the rest: values
//! that did not change keep their formatting and comments, unknown keys stay,
//! and a new profile goes at the end.

use clap::ValueEnum;
use toml_edit::{Array, InlineTable, Item, Key, Table, TableLike, Value};

use super::model::{Profile, ProfileAuth};
use super::{ConfigError, ConfigFile, atomic};

impl ConfigFile {
    /// Adds `name`, or overwrites it keeping its comments and unknown keys.
    /// Written to disk by [`ConfigFile::save`].
    pub fn set_profile(&mut self, name: &str, profile: &Profile) {
        let inline = profiles_is_inline(self.doc.as_table());
        let profiles = profiles_table(self.doc.as_table_mut());
        match profiles.get_mut(name).and_then(Item::as_table_like_mut) {
            Some(existing) => write_profile(existing, profile),
            None => {
                profiles.remove(name);
                if inline {
                    let mut table = InlineTable::new();
                    write_profile(&mut table, profile);
                    profiles.insert(name, Item::Value(Value::InlineTable(table)));
                } else {
                    let mut table = Table::new();
                    write_profile(&mut table, profile);
                    profiles.insert(name, Item::Table(table));
                }
            }
        }
        self.config
            .profiles
            .insert(name.to_owned(), profile.clone());
    }

    /// Renames a profile in place (its position and comments kept).
    pub fn rename_profile(&mut self, from: &str, to: &str) -> Result<(), ConfigError> {
        if from == to {
            return self.require_profile(from).map(drop);
        }
        if self.config.profiles.contains_key(to) {
            return Err(ConfigError::ProfileExists(to.to_owned()));
        }
        let profile = self.require_profile(from)?.clone();
        let table = profiles_table(self.doc.as_table_mut());
        let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
        let mut entries = Vec::with_capacity(keys.len());
        for key in keys {
            let formatted = table.key(&key).cloned().unwrap_or_else(|| Key::new(&key));
            if let Some(item) = table.remove(&key) {
                entries.push((formatted, item));
            }
        }
        for (key, item) in entries {
            let key = if key.get() == from {
                Key::new(to).with_leaf_decor(key.leaf_decor().clone())
            } else {
                key
            };
            if let toml_edit::Entry::Vacant(slot) = table.entry_format(&key) {
                slot.insert(item);
            }
        }
        self.config.profiles.remove(from);
        self.config.profiles.insert(to.to_owned(), profile);
        Ok(())
    }

    /// Removes a profile; false when there was none by that name.
    pub fn delete_profile(&mut self, name: &str) -> bool {
        let in_config = self.config.profiles.remove(name).is_some();
        let in_doc = self
            .doc
            .get_mut("profiles")
            .and_then(Item::as_table_like_mut)
            .and_then(|t| t.remove(name))
            .is_some();
        in_config || in_doc
    }

    /// Writes the file atomically, keeping the previous one as `.bak`, mode
    /// 0600 on Unix. On failure the file on disk is unchanged.
    pub fn save(&self) -> Result<(), ConfigError> {
        atomic::write(&self.path, self.doc.to_string().as_bytes()).map_err(|source| {
            ConfigError::Write {
                path: self.path.clone(),
                source,
            }
        })
    }
}

fn profiles_is_inline(doc: &Table) -> bool {
    matches!(
        doc.get("profiles"),
        Some(Item::Value(Value::InlineTable(_)))
    )
}

/// The `profiles` table, created (implicit, so no empty `[profiles]` header
/// is written) when missing or not a table.
fn profiles_table(doc: &mut Table) -> &mut dyn TableLike {
    if doc.get("profiles").and_then(Item::as_table_like).is_none() {
        let mut table = Table::new();
        table.set_implicit(true);
        doc.insert("profiles", Item::Table(table));
    }
    match doc.get_mut("profiles").and_then(Item::as_table_like_mut) {
        Some(table) => table,
        None => unreachable!("inserted above"),
    }
}

fn write_profile(table: &mut dyn TableLike, profile: &Profile) {
    set_str(table, "description", profile.description.as_deref());
    set_str(table, "url", Some(&profile.url));
    set_str(table, "method", profile.method.as_deref());
    if profile.headers.0.is_empty() {
        table.remove("headers");
    } else {
        if table.get("headers").and_then(Item::as_table_like).is_none() {
            table.insert(
                "headers",
                Item::Value(Value::InlineTable(InlineTable::new())),
            );
        }
        if let Some(headers) = table.get_mut("headers").and_then(Item::as_table_like_mut) {
            let stale: Vec<String> = headers
                .iter()
                .map(|(k, _)| k.to_owned())
                .filter(|k| !profile.headers.0.iter().any(|(n, _)| n == k))
                .collect();
            for key in stale {
                headers.remove(&key);
            }
            for (name, value) in &profile.headers.0 {
                set_str(headers, name, Some(value));
            }
        }
    }
    set_string_list(table, "secret_headers", &profile.secret_headers);
    set_str(table, "body", profile.body.as_deref());
    write_auth(table, &profile.auth);
    set_str(table, "last_event_id", profile.last_event_id.as_deref());
    set_value_enum(table, "reconnect", profile.reconnect);
    set_value_enum(table, "parse_as", profile.parse_as);
    set_value_enum(table, "kind", profile.kind);
    set_str(table, "mcp_version", profile.mcp_version.as_deref());
    set_str(table, "search", profile.view.search.as_deref());
    set_str(
        table,
        "transcript_path",
        profile.view.transcript_path.as_deref(),
    );
    set_str(table, "list_column", profile.view.list_column.as_deref());
}

fn write_auth(table: &mut dyn TableLike, auth: &ProfileAuth) {
    let (kind, fields): (&str, Vec<(&str, String)>) = match auth {
        ProfileAuth::None => {
            table.remove("auth");
            return;
        }
        // Not edited in the UI: the table stays as the user wrote it.
        ProfileAuth::Command { .. } | ProfileAuth::Oauth2(_) => return,
        ProfileAuth::Bearer { token } => ("bearer", vec![("token", token.clone())]),
        ProfileAuth::Basic { user, password } => (
            "basic",
            vec![("user", user.clone()), ("password", password.clone())],
        ),
        ProfileAuth::ApiKey {
            name,
            value,
            location,
        } => {
            let location = location
                .to_possible_value()
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default();
            (
                "api-key",
                vec![
                    ("name", name.clone()),
                    ("value", value.clone()),
                    ("location", location),
                ],
            )
        }
    };
    if table.get("auth").and_then(Item::as_table_like).is_none() {
        table.insert("auth", Item::Value(Value::InlineTable(InlineTable::new())));
    }
    let Some(auth_table) = table.get_mut("auth").and_then(Item::as_table_like_mut) else {
        return;
    };
    // Fields of another kind go; keys we do not know stay.
    for field in ["token", "user", "password", "name", "value", "location"] {
        if !fields.iter().any(|(f, _)| *f == field) {
            auth_table.remove(field);
        }
    }
    set_str(auth_table, "kind", Some(kind));
    for (field, value) in &fields {
        set_str(auth_table, field, Some(value));
    }
}

/// A clap value (`reconnect`, `parse_as`) by the name the CLI takes; `None` removes the key.
fn set_value_enum(table: &mut dyn TableLike, key: &str, value: Option<impl clap::ValueEnum>) {
    let name = value
        .and_then(|v| v.to_possible_value())
        .map(|v| v.get_name().to_owned());
    set_str(table, key, name.as_deref());
}

/// Sets a string, or removes the key for `None`. An unchanged value is left
/// alone; a changed one keeps the old one's surrounding whitespace and comment.
fn set_str(table: &mut dyn TableLike, key: &str, value: Option<&str>) {
    let Some(value) = value else {
        table.remove(key);
        return;
    };
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            if old.as_str() != Some(value) {
                let decor = old.decor().clone();
                let mut new = Value::from(value);
                *new.decor_mut() = decor;
                *old = new;
            }
        }
        _ => {
            table.insert(key, Item::Value(Value::from(value)));
        }
    }
}

fn set_string_list(table: &mut dyn TableLike, key: &str, values: &[String]) {
    if values.is_empty() {
        table.remove(key);
        return;
    }
    let current: Option<Vec<&str>> = table
        .get(key)
        .and_then(Item::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect());
    if current.as_deref() != Some(&values.iter().map(String::as_str).collect::<Vec<_>>()[..]) {
        let array: Array = values.iter().map(String::as_str).collect();
        table.insert(key, Item::Value(Value::Array(array)));
    }
}
