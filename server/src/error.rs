//! The errors that stop `connectd` from starting or serving.

use std::net::SocketAddr;

/// Why `connectd` could not start or stopped serving.
///
/// Every variant says what the server was doing, so the one log line printed on exit is
/// enough to act on. RPC-level failures are not here: they are `tonic::Status` values
/// returned to the caller, not reasons to stop the process.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The listen address could not be bound (in use, not local, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address from `--listen` / `CONNECTD_LISTEN`.
        addr: SocketAddr,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },

    /// The bound socket could not report its local address.
    #[error("cannot read the local address of the listener: {0}")]
    LocalAddr(#[source] std::io::Error),

    /// The Ctrl-C or SIGTERM handler could not be installed, so graceful shutdown would
    /// not work.
    #[error("cannot install the shutdown signal handler: {0}")]
    Signal(#[source] std::io::Error),

    /// The embedded descriptor sets could not be turned into a reflection service. This
    /// points at a build problem, not at the environment.
    #[error("cannot build the gRPC reflection service: {0}")]
    Reflection(#[from] tonic_reflection::server::Error),

    /// The gRPC server failed while serving.
    #[error("gRPC server failed: {0}")]
    Transport(#[from] tonic::transport::Error),

    /// The worker could not be set up (bad worker config, unreadable state files).
    #[error("cannot start the worker: {0}")]
    Runtime(Box<connect_runtime::RuntimeError>),

    /// A config file given on the command line could not be read.
    #[error("{0}")]
    ConfigFile(#[from] connect_core::config_file::ConfigFileError),

    /// A connector file given on the command line was rejected.
    #[error("connector file {path}: {source}")]
    ConnectorFile {
        /// The file.
        path: std::path::PathBuf,
        /// Why it was rejected.
        #[source]
        source: Box<connect_runtime::RuntimeError>,
    },

    /// No Kafka cluster is configured and this build has no embedded broker.
    #[error(
        "no Kafka configured: set --bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS or bootstrap.servers in the worker config"
    )]
    NoKafka,

    /// The embedded broker could not start.
    #[cfg(feature = "embedded-kafka")]
    #[error("cannot start the embedded Kafka broker: {0}")]
    EmbeddedBroker(#[from] crate::embedded_broker::EmbeddedBrokerError),

    /// The schema registry asked for with `--schema-registry-listen` could not start.
    #[error("cannot start the schema registry: {0}")]
    SchemaRegistry(#[source] Box<connect_schema_registry::RegistryError>),

    /// The data directory could not be created.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: std::path::PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },

    /// `RUST_LOG` is not a valid filter.
    #[error("invalid RUST_LOG filter: {0}")]
    LogFilter(#[from] tracing_subscriber::filter::FromEnvError),

    /// A global tracing subscriber was already installed.
    #[error("cannot install the log subscriber: {0}")]
    LogInit(#[from] tracing_subscriber::util::TryInitError),
}

impl From<connect_runtime::RuntimeError> for ServerError {
    fn from(error: connect_runtime::RuntimeError) -> Self {
        Self::Runtime(Box::new(error))
    }
}
