//! `connectd`: the connect runtime's worker process, controlled over gRPC.
//!
//! Parses flags (`--help` lists them with their environment variables), sets up logging
//! from `RUST_LOG`, and serves until Ctrl-C or SIGTERM. All logic lives in the
//! `connect_server` library so tests exercise the same code.

use std::process::ExitCode;

use clap::Parser;
use connect_server::Config;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    if let Err(err) = connect_server::init_tracing() {
        // No subscriber means no `tracing` output: report on stderr directly.
        eprintln!("connectd: {err}");
        return ExitCode::FAILURE;
    }
    match connect_server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "connectd failed.");
            ExitCode::FAILURE
        }
    }
}
