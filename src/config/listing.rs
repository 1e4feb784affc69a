//! `ssetui profiles`: one aligned line per profile.

use super::ConfigFile;
use crate::text::{self, Lines};

/// Name, method, URL and description in columns; the values are shown as
/// written (references unresolved), neutralised for the terminal
/// ([`crate::text`]): escape sequences, bidirectional and zero-width
/// characters shown, not obeyed; and the URL without its secrets.
pub fn profile_table(file: &ConfigFile) -> String {
    let rows: Vec<[String; 4]> = file
        .profile_names()
        .iter()
        .filter_map(|name| {
            let p = file.profile(name)?;
            let method = p
                .method
                .clone()
                .unwrap_or_else(|| if p.body.is_some() { "POST" } else { "GET" }.to_owned());
            Some([
                name.clone(),
                method.to_ascii_uppercase(),
                p.shown_url(&file.config().settings.secret_names()),
                p.description.clone().unwrap_or_default(),
            ])
            .map(|row| row.map(|cell| text::neutralise(&cell, Lines::Single).into_owned()))
        })
        .collect();
    if rows.is_empty() {
        return format!(
            "No profiles in {}.\nAdd [profiles.NAME] tables to it: see config.example.toml in the ssetui repository.\n",
            text::one_line(file.path.display())
        );
    }
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (name_w, method_w, url_w) = (width(0), width(1), width(2));
    let mut out = String::new();
    for [name, method, url, description] in &rows {
        let line = format!("{name:<name_w$}  {method:<method_w$}  {url:<url_w$}  {description}");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
