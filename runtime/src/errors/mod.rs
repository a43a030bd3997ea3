//! Record-level error handling with Kafka Connect's `errors.*` semantics.
//!
//! Every per-record operation (header/key/value conversion, each transformation, a sink
//! task's report of a record it could not write) runs under one [`ErrorHandler`] per task:
//! retriable failures are retried with backoff for `errors.retry.timeout`, then
//! `errors.tolerance` decides between failing the task (`none`, the default) and skipping
//! the record (`all`), which is logged when `errors.log.enable` is set and, for sink
//! connectors, written with its original bytes to the dead letter queue topic named by
//! `errors.deadletterqueue.topic.name`, with `__connect.errors.*` headers when
//! `errors.deadletterqueue.context.headers.enable` is set. Counters per task feed the
//! status API.

mod config;
mod dlq;
mod handler;
mod metrics;
mod report;
mod retry;
mod stage;

pub use config::{ErrorHandlingConfig, RetryTimeout};
pub(crate) use dlq::DeadLetterQueue;
pub(crate) use handler::ErrorHandler;
pub(crate) use handler::tolerance_exceeded as handler_tolerance_exceeded;
pub use metrics::{ErrorCounters, ErrorCounts};
pub(crate) use report::{ErrorReport, OriginalRecord};
pub use stage::Stage;
