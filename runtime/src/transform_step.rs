//! Running a connector's transformation chain on one record under the task's error handling.
//!
//! Each stage is its own error-handling operation, as in Kafka Connect: a failure names the
//! transformation's class, a retriable failure is retried (the input record is kept for
//! that only when retries are configured), and the caller decides with the
//! [`ErrorHandler`] whether the record is skipped or the task fails.

use connect_core::{ConnectError, ConnectRecord};
use connect_transforms::chain::{TransformChain, TransformStage};

use crate::errors::{ErrorHandler, RetryTimeout, Stage};

/// The outcome of one record-level step.
#[derive(Debug)]
pub(crate) enum Step<T> {
    /// It worked.
    Done(T),
    /// It failed for good (after any retries) at this stage and class.
    Failed {
        stage: Stage,
        class_name: String,
        error: ConnectError,
    },
}

/// A stage's failure as a step outcome.
fn failed(stage: &TransformStage, error: ConnectError) -> Step<Option<ConnectRecord>> {
    Step::Failed {
        stage: Stage::Transformation,
        class_name: stage.class_name().to_string(),
        error,
    }
}

/// Applies every stage without retrying, for the synchronous conversion path; a retriable
/// failure that should be retried comes back as `Failed` and the caller switches to
/// [`transform_with_retries`]. The record goes through the stages in place.
pub(crate) fn transform(
    chain: &mut TransformChain,
    mut record: ConnectRecord,
) -> Step<Option<ConnectRecord>> {
    for stage in chain.stages_mut() {
        match stage.apply_in_place(&mut record) {
            Ok(true) => {}
            Ok(false) => return Step::Done(None),
            Err(error) => return failed(stage, error),
        }
    }
    Step::Done(Some(record))
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
            Ok(None) => return Step::Done(None),
            Err(error) => return failed(stage, error),
        }
    }
    Step::Done(Some(record))
}
