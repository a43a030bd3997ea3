//! The connect runtime: runs connectors and their tasks against Kafka.
//!
//! - [`herder::Herder`] is the control plane of a standalone worker: it validates, persists
//!   and applies every request, serialized.
//! - [`worker::Worker`] starts and stops connector instances and tasks.
//! - Source tasks ([`source_task`]) and sink tasks ([`sink_task`]) move the data, with
//!   offsets committed only after delivery.
//! - [`status::StatusHub`] holds live statuses and streams their changes to watchers.
//! - [`errors`] applies the `errors.*` settings: retries, tolerance, log and dead letter queue.
//! - [`offsets`] and [`config_store`] keep state across restarts.

mod atomic_file;
pub mod config_store;
pub mod connector_config;
pub mod error;
pub mod errors;
pub mod herder;
pub mod kafka;
pub mod offsets;
pub mod plugins;
mod sink_convert;
mod sink_offsets;
pub mod sink_task;
pub mod source_task;
pub mod status;
pub mod task_common;
mod topics;
mod transform_step;
pub mod worker;
pub mod worker_config;

pub use config_store::{ConfigStore, FileConfigStore, StoredConnector, TargetState};
pub use error::{FieldViolation, Result, RuntimeError};
pub use herder::{ConnectorInfo, Herder};
pub use offsets::{FileOffsetStore, OffsetStore};
pub use status::{ConnectorStatus, InstanceStatus, State, StatusChange, StatusEvent, StatusHub};
pub use worker_config::WorkerConfig;
