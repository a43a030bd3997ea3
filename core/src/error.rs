//! The one error type of the data model, converters and transforms.
//!
//! Kafka Connect reports problems with a handful of exception classes whose names end up in
//! dead letter queue headers (`__connect.errors.exception.class.name`) and in the messages
//! users grep their logs for. Each variant here stands for one of those classes, so a record
//! that fails in this runtime produces the same class name and message a Kafka Connect
//! user would expect.

use std::fmt;

/// A lower-level error that caused a [`ConnectError`], kept as plain data (class and message)
/// so that it can cross a process boundary and be shown in status traces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCause {
    /// Short name of the kind of failure, e.g. `SerializationException` or `NumberFormatException`.
    pub class: String,
    /// Human-readable description of the failure.
    pub message: String,
}

impl fmt::Display for ErrorCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.message)
    }
}

impl std::error::Error for ErrorCause {}

/// Every failure the data layer can report. Variants mirror the Kafka Connect exception classes
/// (see [`ConnectError::java_class`]) so that error reporting stays compatible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// Data does not fit its schema, or cannot be converted (Kafka's `DataException`).
    #[error("{message}")]
    Data {
        /// What went wrong, in Kafka Connect's wording where one exists.
        message: String,
        /// The underlying failure, if any.
        #[source]
        cause: Option<Box<ErrorCause>>,
    },
    /// A schema could not be built, e.g. a duplicate field or an invalid default value
    /// (Kafka's `SchemaBuilderException`, a subclass of `DataException`).
    #[error("{message}")]
    SchemaBuilder {
        /// What went wrong.
        message: String,
        /// The underlying failure, if any.
        #[source]
        cause: Option<Box<ErrorCause>>,
    },
    /// A configuration is missing, malformed or out of range (Kafka's `ConfigException`).
    #[error("{message}")]
    Config {
        /// The message, in Kafka's `Invalid value X for configuration Y: reason` form where
        /// it applies, naming the offending key.
        message: String,
    },
    /// A general runtime failure that is not about one record's data (Kafka's `ConnectException`).
    #[error("{message}")]
    Connect {
        /// What went wrong.
        message: String,
        /// The underlying failure, if any.
        #[source]
        cause: Option<Box<ErrorCause>>,
    },
    /// A temporary failure, such as an unreachable broker or external system: the runtime
    /// backs off and retries instead of failing the task (Kafka's `RetriableException`).
    #[error("{message}")]
    Retriable {
        /// What went wrong.
        message: String,
        /// The underlying failure, if any.
        #[source]
        cause: Option<Box<ErrorCause>>,
    },
    /// An argument was outside what an operation accepts (Java's `IllegalArgumentException`),
    /// e.g. an unknown field in a nested field path.
    #[error("{message}")]
    InvalidArgument {
        /// What went wrong.
        message: String,
    },
    /// A failure Kafka Connect lets surface as a plain Java runtime exception, such as the
    /// `IndexOutOfBoundsException` of a RegexRouter replacement naming a missing group. The
    /// class is kept so dead letter queue headers and status traces name the same exception.
    #[error("{message}")]
    Runtime {
        /// The fully qualified Java class name, e.g. `java.lang.IndexOutOfBoundsException`.
        class: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl ConnectError {
    /// A [`ConnectError::Data`] without a cause.
    pub fn data(message: impl Into<String>) -> Self {
        Self::Data {
            message: message.into(),
            cause: None,
        }
    }

    /// A [`ConnectError::Data`] caused by a lower-level failure.
    pub fn data_caused_by(
        message: impl Into<String>,
        class: impl Into<String>,
        cause: impl Into<String>,
    ) -> Self {
        Self::Data {
            message: message.into(),
            cause: Some(Box::new(ErrorCause {
                class: class.into(),
                message: cause.into(),
            })),
        }
    }

    /// A [`ConnectError::SchemaBuilder`] without a cause.
    pub fn schema_builder(message: impl Into<String>) -> Self {
        Self::SchemaBuilder {
            message: message.into(),
            cause: None,
        }
    }

    /// A [`ConnectError::Config`].
    pub fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
        }
    }

    /// A [`ConnectError::Config`] in Kafka's standard form for a value that failed parsing or
    /// validation: `Invalid value <value> for configuration <name>: <reason>`.
    pub fn invalid_config_value(name: &str, value: &str, reason: impl fmt::Display) -> Self {
        Self::config(format!(
            "Invalid value {value} for configuration {name}: {reason}"
        ))
    }

    /// A [`ConnectError::Connect`] without a cause.
    pub fn connect(message: impl Into<String>) -> Self {
        Self::Connect {
            message: message.into(),
            cause: None,
        }
    }

    /// A [`ConnectError::Retriable`] without a cause.
    pub fn retriable(message: impl Into<String>) -> Self {
        Self::Retriable {
            message: message.into(),
            cause: None,
        }
    }

    /// Whether retrying the same operation later may succeed.
    pub fn is_retriable(&self) -> bool {
        matches!(self, Self::Retriable { .. })
    }

    /// A [`ConnectError::InvalidArgument`].
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::InvalidArgument {
            message: message.into(),
        }
    }

    /// A [`ConnectError::Runtime`] reported as the given Java exception class.
    pub fn runtime(class: &'static str, message: impl Into<String>) -> Self {
        Self::Runtime {
            class,
            message: message.into(),
        }
    }

    /// The message without the cause.
    pub fn message(&self) -> &str {
        match self {
            Self::Data { message, .. }
            | Self::SchemaBuilder { message, .. }
            | Self::Config { message }
            | Self::Connect { message, .. }
            | Self::Retriable { message, .. }
            | Self::InvalidArgument { message }
            | Self::Runtime { message, .. } => message,
        }
    }

    /// The underlying failure, if one was recorded.
    pub fn cause(&self) -> Option<&ErrorCause> {
        match self {
            Self::Data { cause, .. }
            | Self::SchemaBuilder { cause, .. }
            | Self::Connect { cause, .. }
            | Self::Retriable { cause, .. } => cause.as_deref(),
            Self::Config { .. } | Self::InvalidArgument { .. } | Self::Runtime { .. } => None,
        }
    }

    /// This error wrapped as the cause of a new [`ConnectError::Data`], as Kafka Connect does
    /// when a lower layer's exception surfaces through a higher one.
    pub fn wrap_data(self, message: impl Into<String>) -> Self {
        Self::Data {
            message: message.into(),
            cause: Some(Box::new(ErrorCause {
                class: self.simple_class().to_string(),
                message: self.message().to_string(),
            })),
        }
    }

    /// The fully qualified Kafka Connect (Java) class name of the equivalent exception, as
    /// written into the `__connect.errors.exception.class.name` dead letter queue header.
    pub fn java_class(&self) -> &'static str {
        match self {
            Self::Data { .. } => "org.apache.kafka.connect.errors.DataException",
            Self::SchemaBuilder { .. } => "org.apache.kafka.connect.errors.SchemaBuilderException",
            Self::Config { .. } => "org.apache.kafka.common.config.ConfigException",
            Self::Connect { .. } => "org.apache.kafka.connect.errors.ConnectException",
            Self::Retriable { .. } => "org.apache.kafka.connect.errors.RetriableException",
            Self::InvalidArgument { .. } => "java.lang.IllegalArgumentException",
            Self::Runtime { class, .. } => class,
        }
    }

    /// The simple (unqualified) class name, e.g. `DataException`.
    pub fn simple_class(&self) -> &'static str {
        let full = self.java_class();
        full.rsplit('.').next().unwrap_or(full)
    }
}

/// The result type of the data layer.
pub type Result<T, E = ConnectError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_follow_kafka_connect() {
        let err = ConnectError::data("bad");
        assert_eq!(err.simple_class(), "DataException");
        assert_eq!(
            ConnectError::config("x").java_class(),
            "org.apache.kafka.common.config.ConfigException"
        );
    }

    #[test]
    fn wrapping_keeps_the_inner_error_as_cause() {
        let inner = ConnectError::data("Struct schemas do not match.");
        let outer = inner.wrap_data("Invalid default value");
        assert_eq!(outer.message(), "Invalid default value");
        let cause = outer.cause().expect("cause");
        assert_eq!(cause.class, "DataException");
        assert_eq!(cause.message, "Struct schemas do not match.");
    }

    #[test]
    fn invalid_config_value_uses_kafka_wording() {
        let err =
            ConnectError::invalid_config_value("schema.version", "abc", "Not a number of type INT");
        assert_eq!(
            err.to_string(),
            "Invalid value abc for configuration schema.version: Not a number of type INT"
        );
    }
}
