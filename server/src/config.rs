//! Command-line and environment configuration of `connectd`.

use std::{net::SocketAddr, time::Duration};

use clap::Parser;

/// The default gRPC listen address.
///
/// Loopback only, because the control plane has no authentication yet: exposing it must
/// be a deliberate choice (`--listen 0.0.0.0:8084`). Port 8084 sits next to Kafka
/// Connect's REST port 8083 without clashing with it, so both can run side by side
/// during a migration.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8084";

/// The default for [`Config::shutdown_timeout_secs`].
///
/// Long enough for unary RPCs in flight to finish, short enough that an orchestrator's
/// usual kill deadline (Kubernetes: 30 s) is not hit first.
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 10;

/// How `connectd` is started: flags, each with an environment variable fallback.
///
/// Flags win over environment variables, which win over the defaults. Logging is
/// configured separately through `RUST_LOG` (see [`crate::init_tracing`]).
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(
    name = "connectd",
    version,
    about = "Kafka Connect compatible worker, controlled over gRPC (connect.v1.ConnectService)",
    long_about = None,
    after_help = "Logging: set RUST_LOG (e.g. RUST_LOG=debug or RUST_LOG=connect_server=trace); default: info."
)]
pub struct Config {
    /// Address (`IP:PORT`) to serve gRPC on. Use `0.0.0.0:PORT` or `[::]:PORT` to listen
    /// on all interfaces, and port 0 to let the OS pick a free port (the chosen address
    /// is logged).
    #[arg(long, env = "CONNECTD_LISTEN", default_value = DEFAULT_LISTEN, value_name = "ADDR")]
    pub listen: SocketAddr,

    /// Seconds to wait, after Ctrl-C or SIGTERM, for open RPCs and connections to finish
    /// before exiting anyway.
    #[arg(
        long,
        env = "CONNECTD_SHUTDOWN_TIMEOUT_SECS",
        default_value_t = DEFAULT_SHUTDOWN_TIMEOUT_SECS,
        value_name = "SECONDS"
    )]
    pub shutdown_timeout_secs: u64,
}

impl Config {
    /// The shutdown grace period as a [`Duration`].
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_listen_on_loopback_8084() {
        let config = Config::try_parse_from(["connectd"]).unwrap();
        assert_eq!(config.listen, DEFAULT_LISTEN.parse::<SocketAddr>().unwrap());
        assert_eq!(config.shutdown_timeout(), Duration::from_secs(10));
    }

    #[test]
    fn listen_flag_overrides_default() {
        let config = Config::try_parse_from(["connectd", "--listen", "0.0.0.0:9000"]).unwrap();
        assert_eq!(config.listen, "0.0.0.0:9000".parse::<SocketAddr>().unwrap());
    }

    #[test]
    fn listen_must_be_an_ip_and_port() {
        assert!(Config::try_parse_from(["connectd", "--listen", "nonsense"]).is_err());
    }

    #[test]
    fn command_definition_is_consistent() {
        use clap::CommandFactory;
        Config::command().debug_assert();
    }
}
