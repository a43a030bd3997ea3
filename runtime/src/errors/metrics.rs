//! Per-task counters of the error handler, as Kafka Connect's `task-error-metrics`.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Live counters, shared between a running task (which bumps them) and the status API
/// (which reads them). Plain atomics: they are bumped on the data path and must not
/// contend with status reads.
#[derive(Debug, Default)]
pub struct ErrorCounters {
    record_errors: AtomicU64,
    record_failures: AtomicU64,
    records_skipped: AtomicU64,
    retries: AtomicU64,
    errors_logged: AtomicU64,
    dlq_produce_requests: AtomicU64,
    dlq_produce_failures: AtomicU64,
    /// Milliseconds since the epoch of the last error; 0 when none happened.
    last_error_ms: AtomicI64,
}

/// A copy of the counters at one moment, for the status API.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErrorCounts {
    /// Records that failed after any retries (`total-record-errors`).
    pub total_record_errors: u64,
    /// Failed attempts, retries included (`total-record-failures`).
    pub total_record_failures: u64,
    /// Records skipped under `errors.tolerance=all` (`total-records-skipped`).
    pub total_records_skipped: u64,
    /// Retries of retriable failures (`total-retries`).
    pub total_retries: u64,
    /// Errors written to the log (`total-errors-logged`).
    pub total_errors_logged: u64,
    /// Records sent to the dead letter queue (`deadletterqueue-produce-requests`).
    pub dead_letter_queue_produce_requests: u64,
    /// Dead letter queue writes that failed (`deadletterqueue-produce-failures`).
    pub dead_letter_queue_produce_failures: u64,
    /// When the last error happened, in milliseconds since the epoch.
    pub last_error_ms: Option<i64>,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl ErrorCounters {
    /// One failed attempt; also stamps the time of the last error.
    pub fn record_failure(&self) {
        bump(&self.record_failures);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        self.last_error_ms.store(now, Ordering::Relaxed);
    }

    /// One record that finally failed.
    pub fn record_error(&self) {
        bump(&self.record_errors);
    }

    /// One record skipped because errors are tolerated.
    pub fn record_skipped(&self) {
        bump(&self.records_skipped);
    }

    /// One retry.
    pub fn record_retry(&self) {
        bump(&self.retries);
    }

    /// One error logged.
    pub fn record_logged(&self) {
        bump(&self.errors_logged);
    }

    /// One record sent to the dead letter queue.
    pub fn record_dlq_request(&self) {
        bump(&self.dlq_produce_requests);
    }

    /// One dead letter queue write that failed.
    pub fn record_dlq_failure(&self) {
        bump(&self.dlq_produce_failures);
    }

    /// The counters now.
    pub fn snapshot(&self) -> ErrorCounts {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let last = self.last_error_ms.load(Ordering::Relaxed);
        ErrorCounts {
            total_record_errors: get(&self.record_errors),
            total_record_failures: get(&self.record_failures),
            total_records_skipped: get(&self.records_skipped),
            total_retries: get(&self.retries),
            total_errors_logged: get(&self.errors_logged),
            dead_letter_queue_produce_requests: get(&self.dlq_produce_requests),
            dead_letter_queue_produce_failures: get(&self.dlq_produce_failures),
            last_error_ms: (last > 0).then_some(last),
        }
    }
}
