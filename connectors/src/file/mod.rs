//! Kafka's FileStream connectors: lines of a file (or stdin) into a topic, and record values
//! into a file (or stdout).
//!
//! They answer to Kafka's class names (`org.apache.kafka.connect.file.FileStreamSourceConnector`
//! and `...FileStreamSinkConnector`), declare the same settings (`file`, `topic`,
//! `batch.size`), and write the same source partitions and offsets
//! (`{"filename": "<file as configured>"}` / `{"position": <offset after the line>}`), so a
//! quickstart config, and the offsets Kafka Connect already stored for it, carry over as they
//! are.

mod sink;
mod source;

pub use sink::{FileStreamSinkConnector, FileStreamSinkTask};
pub use source::{FileStreamSourceConnector, FileStreamSourceTask};

/// The setting naming the file to read or write; absent or empty means stdin/stdout.
pub const FILE_CONFIG: &str = "file";
/// The source setting naming the one topic lines are written to.
pub const TOPIC_CONFIG: &str = "topic";
/// The source setting bounding how many lines one poll returns.
pub const TASK_BATCH_SIZE_CONFIG: &str = "batch.size";
/// Kafka's default for [`TASK_BATCH_SIZE_CONFIG`].
pub const DEFAULT_TASK_BATCH_SIZE: i32 = 2000;
/// The source partition key holding the file name, as Kafka writes it.
pub const FILENAME_FIELD: &str = "filename";
/// The source offset key holding the byte position after the last line read, as Kafka writes it.
pub const POSITION_FIELD: &str = "position";
