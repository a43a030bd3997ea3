//! The runtime's error type.
//!
//! Each variant says what kind of failure it is (not found, invalid, wrong state,
//! unavailable...) so the gRPC layer can map it to a status code in one place, and carries
//! enough context for the message to be useful on its own.

use connect_core::ConnectError;

/// One invalid config key and why, reported back to the user field by field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldViolation {
    /// The config key.
    pub field: String,
    /// What is wrong with it.
    pub description: String,
}

/// Everything the runtime can report to a caller.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// No connector with this name.
    #[error("Connector {0} not found")]
    ConnectorNotFound(String),
    /// The connector exists but has no such task.
    #[error("Task {task} of connector {connector} not found")]
    TaskNotFound {
        /// The connector.
        connector: String,
        /// The task id asked for.
        task: u32,
    },
    /// A connector with this name already exists.
    #[error("Connector {0} already exists")]
    ConnectorExists(String),
    /// No installed plugin answers to this name.
    #[error("Plugin {0} not found")]
    PluginNotFound(String),
    /// The connector config is invalid; one violation per offending key.
    #[error("{message}")]
    InvalidConfig {
        /// Summary, in Kafka Connect's words.
        message: String,
        /// Every invalid key with its problem.
        violations: Vec<FieldViolation>,
    },
    /// The request itself is malformed (e.g. a name mismatch, a bad offset shape).
    #[error("{0}")]
    InvalidRequest(String),
    /// The connector is not in a state that allows the request.
    #[error("{0}")]
    FailedPrecondition(String),
    /// A dependency (Kafka) cannot be reached right now; retrying later may work.
    #[error("{0}")]
    Unavailable(String),
    /// Reading or writing the worker's state on disk failed.
    #[error("{context}: {source}")]
    Storage {
        /// What was being done.
        context: String,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// A Kafka client operation failed.
    #[error("{context}: {source}")]
    Kafka {
        /// What was being done.
        context: String,
        /// The client error.
        #[source]
        source: rdkafka::error::KafkaError,
    },
    /// A plugin (connector, task, converter) failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// A bug or an unexpected situation inside the runtime.
    #[error("{0}")]
    Internal(String),
}

impl RuntimeError {
    /// A storage error with context.
    pub fn storage(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Storage {
            context: context.into(),
            source,
        }
    }

    /// A Kafka error with context.
    pub fn kafka(context: impl Into<String>, source: rdkafka::error::KafkaError) -> Self {
        Self::Kafka {
            context: context.into(),
            source,
        }
    }

    /// An invalid-config error from per-key violations, worded like Kafka Connect's.
    pub fn invalid_config(violations: Vec<FieldViolation>) -> Self {
        let details: Vec<String> = violations
            .iter()
            .map(|v| format!("{}: {}", v.field, v.description))
            .collect();
        Self::InvalidConfig {
            message: format!(
                "Connector configuration is invalid and contains the following {} error(s):\n{}",
                violations.len(),
                details.join("\n")
            ),
            violations,
        }
    }
}

/// The result type of the runtime.
pub type Result<T, E = RuntimeError> = std::result::Result<T, E>;
