//! Shell completions: `ssetui completions SHELL` prints the script a shell
//! sources, and that script calls the binary back (`COMPLETE=SHELL ssetui --
//! WORDS…`) for each Tab, so the names of profiles come from the config file
//! as it is at that moment. clap_complete's `unstable-dynamic` engine does
//! the work; its version is pinned exactly in Cargo.toml.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use clap::{CommandFactory as _, ValueEnum};
use clap_complete::CompleteEnv;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Shells, Zsh};

use crate::config::{ConfigFile, location};

/// The environment variable the registration scripts set when they call the
/// binary back for candidates.
pub const ENV_VAR: &str = "COMPLETE";

/// The shells `ssetui completions` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// The shells, bash's adapter ours so that a name with a space is quoted.
const SHELLS: Shells<'static> = Shells(&[&QuotedBash, &Elvish, &Fish, &Powershell, &Zsh]);

/// Answers a shell's completion request and exits, when the process was
/// started by a registration script (`COMPLETE` set); returns otherwise.
/// Called before anything else reads the command line or writes to stdout.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(crate::cli::Cli::command)
        .var(ENV_VAR)
        .shells(SHELLS)
        .complete();
}

/// The script that registers ssetui's completions with `shell`: it calls
/// this same binary (as it was started, so `target/debug/ssetui` too) back.
pub fn registration(shell: Shell) -> Vec<u8> {
    let adapter: &dyn EnvCompleter = match shell {
        Shell::Bash => &QuotedBash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::Powershell => &Powershell,
    };
    let mut out = Vec::new();
    let completer = completer_path(std::env::args_os().next(), std::env::current_dir().ok());
    // Writing to a Vec cannot fail.
    let _ = adapter.write_registration(ENV_VAR, "ssetui", "ssetui", &completer, &mut out);
    out
}

/// How the script calls the binary: a bare name (found on `PATH`) as it
/// is, a relative path made absolute, so completion works from any directory.
fn completer_path(argv0: Option<OsString>, cwd: Option<PathBuf>) -> String {
    let argv0 = PathBuf::from(argv0.unwrap_or_else(|| OsString::from("ssetui")));
    let path = match cwd {
        Some(cwd) if argv0.components().count() > 1 && argv0.is_relative() => cwd.join(argv0),
        _ => argv0,
    };
    path.to_string_lossy().into_owned()
}

/// Candidates for `--profile`: the names in the config file, in its order.
/// A missing or broken file gives none, silently (a shell prints whatever a
/// completer writes). Extend here for other names read from the config.
pub fn profile_names() -> Vec<CompletionCandidate> {
    names_in_config(ConfigFile::profile_names)
}

/// Candidates for `--env`: the config's `[environments.NAME]`, sorted.
pub fn environment_names() -> Vec<CompletionCandidate> {
    names_in_config(|file| file.config().environment_names())
}

/// The names `list` gives from the config file the command line being
/// completed would use (its `--config`, else `SSETUI_CONFIG`, else the
/// default), as candidates. Names holding control characters are left out:
/// they would split or garble the shell's list.
pub fn names_in_config(list: impl Fn(&ConfigFile) -> Vec<String>) -> Vec<CompletionCandidate> {
    let words: Vec<OsString> = std::env::args_os().skip(1).collect();
    let Some(path) = location::resolve(config_flag(&words).as_deref()) else {
        return Vec::new();
    };
    let Ok((file, _warnings)) = ConfigFile::load(&path) else {
        return Vec::new();
    };
    list(&file)
        .into_iter()
        .filter(|name| !name.chars().any(char::is_control))
        .map(CompletionCandidate::new)
        .collect()
}

/// The `--config` value among the words being completed, if any.
fn config_flag(words: &[OsString]) -> Option<PathBuf> {
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if word == "--config" {
            return words.next().map(PathBuf::from);
        }
        if let Some(value) = word.to_str().and_then(|w| w.strip_prefix("--config=")) {
            return Some(PathBuf::from(value));
        }
    }
    None
}

/// Bash as clap_complete does it, except that each candidate is written as
/// one shell word: bash inserts a reply as it is, so `my profile` would
/// become two arguments. A word being typed with an opening quote (`'my p`)
/// is matched without it.
struct QuotedBash;

impl EnvCompleter for QuotedBash {
    fn name(&self) -> &'static str {
        Bash.name()
    }

    fn is(&self, name: &str) -> bool {
        Bash.is(name)
    }

    fn write_registration(
        &self,
        var: &str,
        name: &str,
        bin: &str,
        completer: &str,
        buf: &mut dyn std::io::Write,
    ) -> Result<(), std::io::Error> {
        Bash.write_registration(var, name, bin, completer, buf)
    }

    fn write_complete(
        &self,
        cmd: &mut clap::Command,
        mut args: Vec<OsString>,
        current_dir: Option<&Path>,
        buf: &mut dyn std::io::Write,
    ) -> Result<(), std::io::Error> {
        let index: usize = std::env::var("_CLAP_COMPLETE_INDEX")
            .ok()
            .and_then(|i| i.parse().ok())
            .unwrap_or_default();
        let ifs = std::env::var("_CLAP_IFS").unwrap_or_else(|_| "\n".to_owned());
        if let Some(word) = args.get_mut(index) {
            *word = unquoted_start(word);
        }
        let candidates = clap_complete::engine::complete(cmd, args, index, current_dir)?;
        for (i, candidate) in candidates.iter().enumerate() {
            if i != 0 {
                buf.write_all(ifs.as_bytes())?;
            }
            buf.write_all(bash_word(&candidate.get_value().to_string_lossy()).as_bytes())?;
        }
        Ok(())
    }
}

/// A word as typed so far without its opening quote.
fn unquoted_start(word: &OsStr) -> OsString {
    match word.to_str() {
        Some(text) => OsString::from(text.trim_start_matches(['\'', '"'])),
        None => word.to_owned(),
    }
}

/// `value` as one bash word: as it is when nothing in it is special to the
/// shell, single-quoted otherwise.
fn bash_word(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:@%+,=".contains(c));
    if plain {
        value.to_owned()
    } else {
        crate::curl::shell_quote(value.as_bytes())
    }
}

#[cfg(test)]
mod tests;
