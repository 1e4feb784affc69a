//! Parses the command line, finds the config file and starts the chosen
//! mode. Nothing else.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use ssetui::cli::{Cli, Command, ConfigCommand, HistoryArgs};
use ssetui::config::{self, Startup};
use ssetui::print::exit;
use ssetui::stdout::{self, StdoutError};
use ssetui::text::one_line;
use ssetui::{app, check, print, serve};

fn main() -> ExitCode {
    // A shell asking for completions (`COMPLETE=bash ssetui -- …`): answered, then exit.
    ssetui::cli::completions::answer_if_asked();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    // `ssetui --config F profiles`: with an option first, clap reads the
    // command as the URL. Say what to type instead of connecting to it.
    if let Some(url) = cli.request.url.as_deref()
        && cli.command.is_none()
        && Cli::command()
            .get_subcommands()
            .any(|c| c.get_name() == url)
    {
        stdout::log(&format!(
            "{url:?} is a command: put the options after it, e.g. `ssetui {url} --config FILE`"
        ));
        return ExitCode::from(exit::USAGE);
    }
    let config_path = config::location::resolve(cli.config.as_deref());
    match cli.command {
        Some(Command::Print(args)) => print::main(args, Startup::load(config_path.as_deref())),
        Some(Command::Check(args)) => check::main(args, Startup::load(config_path.as_deref())),
        Some(Command::Serve(args)) => serve::main(args),
        Some(Command::Tap(args)) => {
            ssetui::tap::run::main(args, Startup::load(config_path.as_deref()))
        }
        Some(Command::Mcp(args)) => app::mcp(
            args.request,
            args.mcp_version,
            args.mcp_capability,
            args.theme.or(cli.theme),
            Startup::load(config_path.as_deref()),
        ),
        Some(Command::Profiles) => profiles(Startup::load(config_path.as_deref())),
        Some(Command::Envs) => envs(Startup::load(config_path.as_deref())),
        Some(Command::Open { path, parse_as }) => {
            let config = Startup::load(config_path.as_deref());
            if path.as_os_str() == "-" {
                app::open_stdin(parse_as, cli.theme, config)
            } else {
                app::open(path, cli.theme, config)
            }
        }
        Some(Command::Import(ssetui::cli::ImportCommand::Openapi(args))) => {
            import_openapi(&args, Startup::load(config_path.as_deref()))
        }
        Some(Command::History(args)) => history(&args, Startup::load(config_path.as_deref())),
        Some(Command::Completions { shell }) => {
            written(stdout::write(ssetui::cli::completions::registration(shell)))
        }
        Some(Command::Man) => written(stdout::write(ssetui::cli::man::page())),
        Some(Command::Config(ConfigCommand::Path)) => match config_path {
            Some(path) => written(stdout::write(format!("{}\n", one_line(path.display())))),
            None => {
                stdout::log(&format!("{}", config::ConfigError::NoLocation));
                ExitCode::from(exit::USAGE)
            }
        },
        None => app::main(
            cli.request,
            cli.contract,
            cli.theme,
            Startup::load(config_path.as_deref()),
        ),
    }
}

/// `ssetui profiles`: the table, or where to put the first profile.
fn profiles(startup: Startup) -> ExitCode {
    list_from_config(startup, config::profile_table)
}

/// `ssetui envs`: each environment and its variables, or where to put the first one.
fn envs(startup: Startup) -> ExitCode {
    list_from_config(startup, config::environment_table)
}

/// A listing made from the config file: its warnings first, then the
/// listing, or why there is none (a file that did not load, no location).
fn list_from_config(startup: Startup, listing: fn(&config::ConfigFile) -> String) -> ExitCode {
    for warning in &startup.warnings {
        stdout::log(&format!("warning: {warning}"));
    }
    if let Some(err) = startup.error {
        stdout::log(&format!("{err}"));
        return ExitCode::from(exit::USAGE);
    }
    match startup.file {
        Some(file) => written(stdout::write(listing(&file))),
        None => {
            stdout::log(&format!("{}", config::ConfigError::NoLocation));
            ExitCode::from(exit::USAGE)
        }
    }
}

/// `ssetui history`: the requests sent, newest last, as a table or as the
/// file's JSON lines.
fn history(args: &HistoryArgs, startup: Startup) -> ExitCode {
    if let Some(err) = &startup.error {
        stdout::log(&format!("{err}"));
        return ExitCode::from(exit::USAGE);
    }
    let Some(path) = startup.path.as_deref().map(ssetui::history::path_beside) else {
        stdout::log(&format!("{}", config::ConfigError::NoLocation));
        return ExitCode::from(exit::USAGE);
    };
    if !startup.settings().keeps_history() {
        stdout::log("the history is off (history = false in [settings])");
    }
    let entries = match ssetui::history::read(&path) {
        Ok(entries) => entries,
        Err(err) => {
            stdout::log(&format!("{err}"));
            return ExitCode::from(exit::FAILED);
        }
    };
    let out = if args.json {
        // Re-encoded, not copied: nothing in a line reaches a terminal raw.
        entries.iter().map(ssetui::history::json_line).collect()
    } else {
        ssetui::history::table(&entries)
    };
    written(stdout::write(out))
}

/// The status after writing a command's output: 0 when it went, or when the
/// reader went away first (`| head -n 1`); 1 with a message otherwise.
fn written(result: Result<(), StdoutError>) -> ExitCode {
    match result {
        Ok(()) | Err(StdoutError::Closed) => ExitCode::SUCCESS,
        Err(err) => {
            stdout::log(&format!("{err:#}"));
            ExitCode::from(exit::FAILED)
        }
    }
}

/// What clap has to say instead of a command: `--help` and `--version` on
/// stdout (their write failures handled as any output's), a usage error on
/// stderr with status 2.
fn clap_exit(err: &clap::Error) -> ExitCode {
    let printed = err.print();
    if !err.use_stderr() {
        return written(printed.map_err(StdoutError::from));
    }
    ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(exit::USAGE))
}

/// `ssetui import openapi FILE`: the description's event-stream operations
/// written as profiles (or listed, with `--dry-run`).
fn import_openapi(args: &ssetui::cli::OpenapiArgs, mut startup: Startup) -> ExitCode {
    use ssetui::config::openapi;
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(err) => {
            stdout::log(&format!(
                "cannot read {}: {err}",
                one_line(args.file.display())
            ));
            return ExitCode::from(exit::USAGE);
        }
    };
    let import = match openapi::parse(&text)
        .and_then(|doc| openapi::profiles(&doc, args.server.as_deref()))
    {
        Ok(import) => import,
        Err(err) => {
            stdout::log(&format!("{}: {err}", one_line(args.file.display())));
            return ExitCode::from(exit::USAGE);
        }
    };
    for skipped in &import.skipped {
        stdout::log(&format!("skipped: {}", one_line(skipped)));
    }
    if import.profiles.is_empty() {
        stdout::log("no operation answers text/event-stream: nothing to import");
        return ExitCode::from(exit::USAGE);
    }
    let mut out = String::new();
    let describe = |p: &openapi::Imported| {
        let needs = if p.needs.is_empty() {
            String::new()
        } else {
            format!(" (set {})", p.needs.join(", "))
        };
        format!(
            "{} {} {}{needs}",
            one_line(&p.name),
            p.profile.method.as_deref().unwrap_or("GET"),
            one_line(&p.profile.url)
        )
    };
    if args.dry_run {
        for p in &import.profiles {
            out.push_str(&format!("would write {}\n", describe(p)));
        }
        return written(stdout::write(out));
    }
    let mut store = ssetui::profile_store::ProfileStore::new(&mut startup);
    let pairs: Vec<(String, ssetui::config::Profile)> = import
        .profiles
        .iter()
        .map(|p| (p.name.clone(), p.profile.clone()))
        .collect();
    match store.import(&pairs, args.force) {
        Ok((wrote, kept)) => {
            for p in &import.profiles {
                if wrote.contains(&p.name) {
                    out.push_str(&format!("wrote {}\n", describe(p)));
                } else if kept.contains(&p.name) {
                    out.push_str(&format!(
                        "kept {} (a profile of that name exists; --force overwrites it)\n",
                        one_line(&p.name)
                    ));
                }
            }
            written(stdout::write(out))
        }
        Err(err) => {
            stdout::log(&format!("not written: {err}"));
            ExitCode::from(exit::USAGE)
        }
    }
}
