//! Running a connector's transformation chain on one record under the task's error handling.
//!
//! Each stage is its own error-handling operation, as in Kafka Connect: a failure names the
//! transformation's class, a retriable failure is retried (the input record is kept for
//! that only when retries are configured), and the caller decides with the
//! [`ErrorHandler`] whether the record is skipped or the task fails. Conversions report
//! their failures the same way ([`StageFailure`]).

use connect_core::{ConnectError, ConnectRecord};
use connect_transforms::chain::{TransformChain, TransformStage};

use crate::errors::{ErrorHandler, ErrorReport, OriginalRecord, RetryTimeout, Stage};

/// A record-level operation that failed for good (after any retries): at which stage, in
/// which class, and why. The caller decides with the [`ErrorHandler`] whether the record is
/// skipped or the task fails.
#[derive(Debug)]
pub(crate) struct StageFailure {
    pub(crate) stage: Stage,
    pub(crate) class_name: String,
    pub(crate) error: ConnectError,
}

impl StageFailure {
    /// The error report of this failure, for the error handler.
    pub(crate) fn into_report(
        self,
        original: Option<OriginalRecord>,
        source_record: Option<String>,
    ) -> ErrorReport {
        ErrorReport {
            stage: self.stage,
            class_name: self.class_name,
            error: self.error,
            original,
            source_record,
        }
    }
}

/// The outcome of one record-level step.
pub(crate) type Step<T> = Result<T, StageFailure>;

/// A stage's failure.
fn failed(stage: &TransformStage, error: ConnectError) -> StageFailure {
    StageFailure {
        stage: Stage::Transformation,
        class_name: stage.class_name().to_string(),
        error,
    }
}

/// Applies every stage without retrying, for the synchronous conversion path; a retriable
/// failure that should be retried comes back as a [`StageFailure`] and the caller switches to
/// [`transform_with_retries`]. The record goes through the stages in place.
pub(crate) fn transform(
    chain: &mut TransformChain,
    mut record: ConnectRecord,
) -> Step<Option<ConnectRecord>> {
    for stage in chain.stages_mut() {
        match stage.apply_in_place(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(error) => return Err(failed(stage, error)),
        }
    }
    Ok(Some(record))
}

/// Applies every stage, retrying retriable failures as `errors.retry.timeout` allows (each
/// attempt starts from a copy of the stage's input).
pub(crate) async fn transform_with_retries(
    chain: &mut TransformChain,
    errors: &ErrorHandler,
    stopping: &(dyn Fn() -> bool + Send + Sync),
    record: ConnectRecord,
) -> Step<Option<ConnectRecord>> {
    if errors.config().retry_timeout == RetryTimeout::Never {
        return transform(chain, record);
    }
    let mut record = record;
    for stage in chain.stages_mut() {
        let input = record;
        let result = errors
            .retrying(stopping, || {
                let mut attempt = input.clone();
                let result = stage
                    .apply_in_place(&mut attempt)
                    .map(|kept| kept.then_some(attempt));
                async move { result }
            })
            .await;
        match result {
            Ok(Some(next)) => record = next,
            Ok(None) => return Ok(None),
            Err(error) => return Err(failed(stage, error)),
        }
    }
    Ok(Some(record))
}
