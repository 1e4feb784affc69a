//! Parses the command line and starts the chosen mode. Nothing else.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use ssetui::cli::{Cli, Command};
use ssetui::{app, demo_server, print};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Print(args)) => print::main(args),
        Some(Command::Serve(args)) => serve(SocketAddr::new(args.bind, args.port)),
        None => app::main(cli.request, cli.theme),
    }
}

fn serve(addr: SocketAddr) -> ExitCode {
    let runtime = match ssetui::runtime::build() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    match runtime.block_on(demo_server::run(addr)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ssetui: {err:#}");
            ExitCode::from(print::exit::FAILED)
        }
    }
}
