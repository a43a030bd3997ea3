//! `schema-registry`: the Confluent-compatible Schema Registry as its own process.
//!
//! Flags (with environment fallbacks) say where to listen, which Kafka to use and which
//! topic holds the state; logging follows `RUST_LOG`. Serves until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use connect_schema_registry::{DEFAULT_LISTEN, DEFAULT_TOPIC, RegistryError, StoreOptions};
use tracing_subscriber::EnvFilter;

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(
    name = "schema-registry",
    version,
    about = "Confluent-compatible Schema Registry (Avro) that keeps its state in a Kafka topic",
    after_help = "Logging: set RUST_LOG (e.g. RUST_LOG=debug); default: info."
)]
struct Args {
    /// Address (`IP:PORT`) to serve the REST API on; port 0 picks a free port (logged).
    #[arg(long, env = "SCHEMA_REGISTRY_LISTEN", default_value = DEFAULT_LISTEN, value_name = "ADDR")]
    listen: SocketAddr,

    /// Kafka brokers (`host:port,...`) holding the registry's topic.
    #[arg(long, env = "KAFKA_BOOTSTRAP_SERVERS", value_name = "LIST")]
    bootstrap_servers: String,

    /// The compacted topic with every schema and setting (created when missing).
    #[arg(long, env = "SCHEMA_REGISTRY_TOPIC", default_value = DEFAULT_TOPIC, value_name = "TOPIC")]
    topic: String,

    /// Seconds one Kafka operation may take (reading the topic, a write's acknowledgement).
    #[arg(
        long,
        env = "SCHEMA_REGISTRY_KAFKA_TIMEOUT_SECS",
        default_value_t = 30,
        value_name = "SECONDS"
    )]
    kafka_timeout_secs: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    if let Err(err) = tracing_subscriber::fmt().with_env_filter(filter).try_init() {
        eprintln!("schema-registry: cannot set up logging: {err}");
        return ExitCode::FAILURE;
    }
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "schema-registry failed.");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), RegistryError> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|source| RegistryError::Bind {
            addr: args.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(RegistryError::Serve)?;
    let mut options = StoreOptions::new(args.bootstrap_servers);
    options.topic = args.topic;
    options.timeout = Duration::from_secs(args.kafka_timeout_secs.max(1));
    tracing::info!(listen = %addr, topic = %options.topic, "Starting the schema registry.");
    connect_schema_registry::serve(listener, options, shutdown_signal()).await?;
    tracing::info!("Stopped.");
    Ok(())
}

/// Ctrl-C or SIGTERM (what `docker stop`, systemd and Kubernetes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("Shutdown requested.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_consistent_and_default_to_confluents_port_and_topic() {
        use clap::CommandFactory;
        Args::command().debug_assert();
        let args = Args::try_parse_from(["schema-registry", "--bootstrap-servers", "k:9092"])
            .expect("parses");
        assert_eq!(args.listen.to_string(), "127.0.0.1:8081");
        assert_eq!(args.topic, "_schemas");
    }
}
