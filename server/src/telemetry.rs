//! Logging setup for the `connectd` binary.

use std::io::IsTerminal;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::{EnvFilter, layer::SubscriberExt, util::SubscriberInitExt};

use crate::ServerError;

/// The filter when `RUST_LOG` is unset: our own info lines, only warnings from the
/// embedded broker's crates.
const QUIET_DEFAULT: &str = "info,tansu_broker=warn,tansu_storage=warn,tansu_service=warn,tansu_sans_io=warn,tansu_schema=warn";

/// Installs the global `tracing` subscriber: human-readable lines on stderr, filtered by
/// `RUST_LOG` (e.g. `debug`, `connect_server=trace,h2=info`), `info` when it is unset.
/// Colors only when stderr is a terminal, so log files and collectors get plain text.
///
/// An invalid `RUST_LOG` is an error rather than silently ignored, so a typo does not
/// hide the logs someone is trying to see. Call it once, from `main`; libraries and tests
/// leave the subscriber to their host.
pub fn init_tracing() -> Result<(), ServerError> {
    let filter = match std::env::var(EnvFilter::DEFAULT_ENV) {
        Ok(_) => EnvFilter::builder()
            .with_default_directive(LevelFilter::INFO.into())
            .from_env()?,
        // The embedded broker logs every request at info; keep the default readable.
        Err(_) => EnvFilter::new(QUIET_DEFAULT),
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::stderr().is_terminal()),
        )
        .try_init()?;
    Ok(())
}
