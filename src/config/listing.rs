//! The profiles as lists show them: `ssetui profiles` (one aligned line
//! each) and the UI's profile picker ([`ProfileSummary`]).

use super::ConfigFile;
use crate::text::{self, Lines};

/// A profile as a list shows it: the values as written (references
/// unresolved), the method as [`Profile::shown_method`](super::Profile::shown_method)
/// gives it and the URL without its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSummary {
    pub name: String,
    pub method: String,
    pub url: String,
    pub description: String,
}

impl ConfigFile {
    /// The profiles in the file's order.
    pub fn profile_summaries(&self) -> Vec<ProfileSummary> {
        let secret_names = self.config().settings.secret_names();
        self.profile_names()
            .into_iter()
            .filter_map(|name| {
                let profile = self.profile(&name)?;
                Some(ProfileSummary {
                    method: profile.shown_method(),
                    url: profile.shown_url(&secret_names),
                    description: profile.description.clone().unwrap_or_default(),
                    name,
                })
            })
            .collect()
    }
}

/// Name, method, URL and description in columns, neutralised for the
/// terminal ([`crate::text`]): escape sequences, bidirectional and
/// zero-width characters shown, not obeyed.
pub fn profile_table(file: &ConfigFile) -> String {
    let rows: Vec<[String; 4]> = file
        .profile_summaries()
        .into_iter()
        .map(|p| {
            [p.name, p.method, p.url, p.description]
                .map(|cell| text::neutralise(&cell, Lines::Single).into_owned())
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

/// Each environment's name, then its keys and values, one per line, values
/// of secret-named keys masked (`Config::environment_summaries`), all
/// neutralised for the terminal.
pub fn environment_table(file: &ConfigFile) -> String {
    let summaries = file.config().environment_summaries();
    if summaries.is_empty() {
        return format!(
            "No environments in {}.\nAdd [environments.NAME] tables to it: see config.example.toml in the ssetui repository.\n",
            text::one_line(file.path.display())
        );
    }
    let safe = |cell: &str| text::neutralise(cell, Lines::Single).into_owned();
    let mut out = String::new();
    for env in summaries {
        out.push_str(&safe(&env.name));
        out.push('\n');
        let width = env.vars.iter().map(|(k, _)| safe(k).chars().count()).max();
        for (key, value) in &env.vars {
            let key = safe(key);
            let line = format!("  {key:<w$}  {}", safe(value), w = width.unwrap_or(0));
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}
