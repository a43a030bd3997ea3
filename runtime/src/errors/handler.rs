//! The per-task decision on a failed record: fail the task or skip (log, dead letter queue).

use std::future::Future;
use std::sync::Arc;

use connect_core::{ConnectError, ErrorCause};

use super::config::ErrorHandlingConfig;
use super::metrics::ErrorCounters;
use super::report::{ErrorReport, log_error};
use super::retry::with_retries;

/// Applies a connector's `errors.*` settings to the failures of one task.
#[derive(Debug)]
pub(crate) struct ErrorHandler {
    config: ErrorHandlingConfig,
    counters: Arc<ErrorCounters>,
    connector: String,
    task_id: u32,
}

impl ErrorHandler {
    /// A handler reporting into `counters` (shared with the status API).
    pub(crate) fn new(
        config: ErrorHandlingConfig,
        counters: Arc<ErrorCounters>,
        connector: &str,
        task_id: u32,
    ) -> Self {
        Self {
            config,
            counters,
            connector: connector.to_string(),
            task_id,
        }
    }

    /// The settings.
    pub(crate) fn config(&self) -> &ErrorHandlingConfig {
        &self.config
    }

    /// The counters.
    pub(crate) fn counters(&self) -> &ErrorCounters {
        &self.counters
    }

    /// Whether a failure should be retried rather than handled now.
    pub(crate) fn retries(&self, error: &ConnectError) -> bool {
        error.is_retriable() && self.config.retry_timeout != super::RetryTimeout::Never
    }

    /// Runs an operation with the configured retries of retriable failures.
    pub(crate) async fn retrying<T, F, Fut>(
        &self,
        stopping: impl Fn() -> bool,
        operation: F,
    ) -> Result<T, ConnectError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ConnectError>>,
    {
        with_retries(&self.config, &self.counters, stopping, operation).await
    }

    /// A record failed for good (after any retries). With `errors.tolerance=all` it is
    /// skipped: counted, logged if asked, and handed back for the dead letter queue. With
    /// `none` the returned error fails the task, naming the original failure as its cause.
    pub(crate) fn failed(&self, report: ErrorReport) -> Result<ErrorReport, ConnectError> {
        self.counters.record_failure();
        self.counters.record_error();
        if !self.config.tolerate_all {
            return Err(tolerance_exceeded(&report.error));
        }
        self.counters.record_skipped();
        if self.config.log_enable {
            log_error(
                &self.connector,
                self.task_id,
                &report,
                self.config.log_include_messages,
            );
            self.counters.record_logged();
        }
        Ok(report)
    }
}

/// Kafka Connect's error when a failure is not tolerated, keeping the whole original error
/// (and its own cause) as the cause, so the task's status trace says what went wrong.
pub(crate) fn tolerance_exceeded(error: &ConnectError) -> ConnectError {
    let mut message = error.message().to_string();
    if let Some(cause) = error.cause() {
        message.push_str(&format!("\nCaused by: {cause}"));
    }
    ConnectError::Connect {
        message: "Tolerance exceeded in error handler".to_string(),
        cause: Some(Box::new(ErrorCause {
            class: error.simple_class().to_string(),
            message,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::Stage;

    fn report() -> ErrorReport {
        ErrorReport {
            stage: Stage::ValueConverter,
            class_name: "org.apache.kafka.connect.json.JsonConverter".into(),
            error: ConnectError::data_caused_by(
                "Converting byte[] to Kafka Connect data failed due to serialization error: ",
                "JsonParseException",
                "Unexpected end-of-input",
            ),
            original: None,
            source_record: None,
        }
    }

    #[test]
    fn tolerance_none_fails_with_the_cause() {
        let counters = Arc::new(ErrorCounters::default());
        let handler = ErrorHandler::new(ErrorHandlingConfig::default(), counters.clone(), "c", 0);
        let err = handler.failed(report()).expect_err("not tolerated");
        assert_eq!(err.message(), "Tolerance exceeded in error handler");
        let cause = err.cause().expect("cause");
        assert_eq!(cause.class, "DataException");
        assert!(cause.message.contains("Unexpected end-of-input"), "{cause}");
        let counts = counters.snapshot();
        assert_eq!(
            (counts.total_record_errors, counts.total_records_skipped),
            (1, 0)
        );
        assert!(counts.last_error_ms.is_some());
    }

    #[test]
    fn tolerance_all_skips_and_counts() {
        let counters = Arc::new(ErrorCounters::default());
        let config = ErrorHandlingConfig {
            tolerate_all: true,
            log_enable: true,
            ..ErrorHandlingConfig::default()
        };
        let handler = ErrorHandler::new(config, counters.clone(), "c", 0);
        let report = handler.failed(report()).expect("tolerated");
        assert_eq!(report.stage, Stage::ValueConverter);
        let counts = counters.snapshot();
        assert_eq!(counts.total_records_skipped, 1);
        assert_eq!(counts.total_errors_logged, 1);
    }
}
