//! `connectctl`: the command line client of `connectd`.
//!
//! Every RPC of `connect.v1.ConnectService` has a subcommand; results print as readable
//! tables or as stable JSON (`--output json`), and the exit code says what went wrong
//! (see `connectctl --help` and `client/README.md`), so the CLI serves both people and
//! scripts.

mod args;
mod commands;
mod exit;
mod render;

use std::{io::Write, process::ExitCode};

use clap::Parser;

use crate::{args::Cli, exit::CliError};

fn main() -> ExitCode {
    // clap prints usage errors and exits with 2 (0 for --help and --version).
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("connectctl: cannot start the async runtime: {e}");
            return ExitCode::from(exit::UNEXPECTED);
        }
    };
    let stdout = std::io::stdout();
    let result = runtime.block_on(commands::run(cli, &mut stdout.lock()));
    match result {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(error) if error.is_broken_pipe() => ExitCode::from(exit::SUCCESS),
        Err(error) => {
            report(&error);
            ExitCode::from(error.exit_code())
        }
    }
}

/// Prints an error to stderr; if even that fails there is nowhere left to say so.
fn report(error: &CliError) {
    let stderr = std::io::stderr();
    let mut stderr = stderr.lock();
    let _ = error.report(&mut stderr);
    let _ = stderr.flush();
}
