//! Retrying retriable failures with exponential backoff, bounded by `errors.retry.timeout`.

use std::future::Future;
use std::time::Duration;

use connect_core::ConnectError;
use tokio::time::Instant;

use super::config::{ErrorHandlingConfig, RetryTimeout};
use super::metrics::ErrorCounters;

/// The first backoff; it doubles after every failed attempt (Kafka's 300 ms).
const FIRST_BACKOFF: Duration = Duration::from_millis(300);

/// Runs `operation` until it succeeds, fails with a non-retriable error, or the retry
/// timeout has passed; returns the last error then. Every failed attempt and every retry is
/// counted. `stopping` is checked between attempts so a stopped task does not wait out its
/// retry timeout.
pub(crate) async fn with_retries<T, F, Fut>(
    config: &ErrorHandlingConfig,
    counters: &ErrorCounters,
    stopping: impl Fn() -> bool,
    mut operation: F,
) -> Result<T, ConnectError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ConnectError>>,
{
    let started = Instant::now();
    let deadline = match config.retry_timeout {
        RetryTimeout::Never => Some(started),
        RetryTimeout::For(timeout) => Some(started + timeout),
        RetryTimeout::Forever => None,
    };
    let mut backoff = FIRST_BACKOFF.min(config.retry_delay_max);
    loop {
        let error = match operation().await {
            Ok(value) => return Ok(value),
            Err(e) if e.is_retriable() => e,
            Err(e) => return Err(e),
        };
        counters.record_failure();
        let now = Instant::now();
        let wait = match deadline {
            Some(deadline) if now >= deadline => return Err(error),
            Some(deadline) => backoff.min(deadline - now),
            None => backoff,
        };
        if stopping() {
            return Err(error);
        }
        tracing::debug!(error = %error, wait_ms = wait.as_millis() as u64, "Retriable failure; retrying.");
        tokio::time::sleep(wait).await;
        counters.record_retry();
        backoff = (backoff * 2).min(config.retry_delay_max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn config(timeout: RetryTimeout) -> ErrorHandlingConfig {
        ErrorHandlingConfig {
            retry_timeout: timeout,
            retry_delay_max: Duration::from_millis(5),
            ..ErrorHandlingConfig::default()
        }
    }

    #[tokio::test]
    async fn retries_retriable_failures_until_success() {
        let counters = ErrorCounters::default();
        let attempts = Cell::new(0);
        let result = with_retries(
            &config(RetryTimeout::For(Duration::from_secs(5))),
            &counters,
            || false,
            || {
                attempts.set(attempts.get() + 1);
                let n = attempts.get();
                async move {
                    if n < 3 {
                        Err(ConnectError::retriable("registry unreachable"))
                    } else {
                        Ok(n)
                    }
                }
            },
        )
        .await;
        assert_eq!(result.expect("third attempt succeeds"), 3);
        let counts = counters.snapshot();
        assert_eq!((counts.total_record_failures, counts.total_retries), (2, 2));
    }

    #[tokio::test]
    async fn gives_up_at_the_timeout_and_never_retries_other_errors() {
        let counters = ErrorCounters::default();
        let err = with_retries(
            &config(RetryTimeout::Never),
            &counters,
            || false,
            || async { Err::<(), _>(ConnectError::retriable("down")) },
        )
        .await
        .expect_err("no retries allowed");
        assert!(err.is_retriable());
        assert_eq!(counters.snapshot().total_retries, 0);

        let attempts = Cell::new(0);
        let err = with_retries(
            &config(RetryTimeout::Forever),
            &counters,
            || false,
            || {
                attempts.set(attempts.get() + 1);
                async { Err::<(), _>(ConnectError::data("bad record")) }
            },
        )
        .await
        .expect_err("data errors are not retried");
        assert_eq!(err.message(), "bad record");
        assert_eq!(attempts.get(), 1);
    }

    #[tokio::test]
    async fn bounded_timeout_stops_retrying() {
        let counters = ErrorCounters::default();
        let started = std::time::Instant::now();
        let result = with_retries(
            &config(RetryTimeout::For(Duration::from_millis(50))),
            &counters,
            || false,
            || async { Err::<(), _>(ConnectError::retriable("down")) },
        )
        .await;
        assert!(result.is_err());
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(counters.snapshot().total_retries >= 1);
    }
}
