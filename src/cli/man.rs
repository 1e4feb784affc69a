//! `ssetui man`: the manual page, in roff, generated from the same clap
//! definitions as `--help` (at run time: no build script, nothing to keep
//! in step by hand).

use clap::CommandFactory as _;

/// The page for ssetui and, after it, a section per command with its own
/// options, so `ssetui man | man -l -` shows everything `--help` does.
pub fn page() -> Vec<u8> {
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    let mut out = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = clap_mangen::Man::new(cmd.clone()).render(&mut out);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("ssetui {}", sub.get_name());
        let sub = sub.clone().bin_name(name.clone());
        let mut section = Vec::new();
        let man = clap_mangen::Man::new(sub);
        if man.render_synopsis_section(&mut section).is_ok()
            && man.render_description_section(&mut section).is_ok()
            && man.render_options_section(&mut section).is_ok()
        {
            out.extend(format!(".SH \"{}\"\n", name.to_uppercase()).into_bytes());
            out.extend(demoted(&section));
        }
    }
    out
}

/// A command's sections as subsections of its own section (`.SH` → `.SS`),
/// so the page keeps one NAME and one SYNOPSIS at the top level.
fn demoted(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match line.strip_prefix(".SH ") {
            Some(title) => {
                out.push_str(".SS ");
                out.push_str(title);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.into_bytes()
}
