//! Command-line and environment configuration of `connectd`.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

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

    /// Kafka brokers (`host:port,...`). Overrides `bootstrap.servers` of the worker
    /// config. With neither, connectd starts an embedded Kafka-compatible broker.
    #[arg(long, env = "KAFKA_BOOTSTRAP_SERVERS", value_name = "LIST")]
    pub bootstrap_servers: Option<String>,

    /// A Kafka Connect worker properties file (`bootstrap.servers`, `key.converter`,
    /// `offset.flush.interval.ms`, `producer.*`, ...).
    #[arg(long, env = "CONNECTD_WORKER_CONFIG", value_name = "FILE")]
    pub worker_config: Option<PathBuf>,

    /// Where connectd keeps connector configs and source offsets between runs.
    #[arg(long, env = "CONNECTD_DATA_DIR", default_value = DEFAULT_DATA_DIR, value_name = "DIR")]
    pub data_dir: PathBuf,

    /// Address of the embedded broker, used when no Kafka is configured.
    #[arg(long, env = "CONNECTD_EMBEDDED_KAFKA_LISTEN", default_value = DEFAULT_EMBEDDED_KAFKA, value_name = "ADDR")]
    pub embedded_kafka_listen: SocketAddr,

    /// Where the built-in Confluent-compatible Schema Registry listens. It runs by default
    /// (on 127.0.0.1:8081) when connectd starts the embedded broker; with an external
    /// Kafka it runs only when this flag is given.
    #[arg(long, env = "CONNECTD_SCHEMA_REGISTRY_LISTEN", value_name = "ADDR")]
    pub schema_registry_listen: Option<SocketAddr>,

    /// Do not run the built-in Schema Registry (wins over `--schema-registry-listen`).
    #[arg(long, env = "CONNECTD_NO_SCHEMA_REGISTRY")]
    pub no_schema_registry: bool,

    /// The compacted Kafka topic that holds the Schema Registry's schemas and settings.
    #[arg(long, env = "CONNECTD_SCHEMA_REGISTRY_TOPIC", default_value = connect_schema_registry::DEFAULT_TOPIC, value_name = "TOPIC")]
    pub schema_registry_topic: String,

    /// How this worker is named in statuses; defaults to the gRPC listen address.
    #[arg(long, env = "CONNECTD_WORKER_ID", value_name = "ID")]
    pub worker_id: Option<String>,

    /// Connector config files (`.properties` or JSON) to create or update at start, like
    /// connect-standalone's arguments.
    #[arg(value_name = "CONNECTOR_FILE")]
    pub connector_files: Vec<PathBuf>,
}

/// The default data directory, relative to where connectd starts.
pub const DEFAULT_DATA_DIR: &str = "connectd-data";

/// The default address of the embedded broker: Kafka's usual port, on loopback.
pub const DEFAULT_EMBEDDED_KAFKA: &str = "127.0.0.1:9092";

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
