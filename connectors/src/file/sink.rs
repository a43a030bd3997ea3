//! `FileStreamSinkConnector`: each record's value becomes one line of a file (or stdout).
//!
//! As Kafka's `FileStreamSinkTask`, a line is the Java `toString()` of the value
//! ([`Value::to_java_string`]: `null` for null values, `Struct{a=1}` for structs, ...)
//! followed by a newline, and the file is opened in append mode and created if missing. Kafka
//! writes each line to the file as it goes and `flush` flushes the stream; here each `put`
//! batch is written with one write and flushed before `put` returns (what Kafka's unbuffered
//! stream amounts to), and `flush` flushes again. Neither forces the data to disk (no fsync),
//! as in Kafka. Lines end with `\n` (Java's `println` on Linux and macOS).

use std::sync::Arc;

use async_trait::async_trait;
use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_core::connector::{
    Connector, ConnectorContext, PartitionOffsets, SinkConnector, SinkTask, SinkTaskContext,
};
use connect_core::record::ConnectRecord;
use connect_core::{Properties, Result, Value};
use tokio::io::{AsyncWrite, AsyncWriteExt, BufWriter};

use super::FILE_CONFIG;
use crate::util::io_error;

/// Writes record values to a file, or stdout, one line each (Kafka's
/// `org.apache.kafka.connect.file.FileStreamSinkConnector`). Every task writes to the same
/// file, as in Kafka, so more than one task interleaves lines.
#[derive(Debug, Default)]
pub struct FileStreamSinkConnector {
    props: Properties,
}

impl FileStreamSinkConnector {
    /// The Java class name, kept so Kafka Connect configs work unchanged.
    pub const CLASS_NAME: &'static str = "org.apache.kafka.connect.file.FileStreamSinkConnector";

    /// Kafka's settings for the connector: only `file` (`topics`/`topics.regex` belong to
    /// the runtime, as in Kafka).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(
                FILE_CONFIG,
                ConfigType::String,
                Importance::High,
                "Destination filename. If not specified, the standard output will be used",
            )
            .with_null_default(),
        )
    }
}

#[async_trait]
impl Connector for FileStreamSinkConnector {
    async fn start(
        &mut self,
        config: &Properties,
        _context: Arc<dyn ConnectorContext>,
    ) -> Result<()> {
        let parsed = Self::config_def().parse(config)?;
        let target = match parsed.string(FILE_CONFIG) {
            None | Some("") => "standard output",
            Some(file) => file,
        };
        tracing::info!(file = target, "Starting file sink connector.");
        self.props = config.clone();
        Ok(())
    }

    fn task_configs(&self, max_tasks: usize) -> Result<Vec<Properties>> {
        Ok(vec![self.props.clone(); max_tasks])
    }

    async fn stop(&mut self) -> Result<()> {
        Ok(())
    }
}

impl SinkConnector for FileStreamSinkConnector {}

type Output = BufWriter<Box<dyn AsyncWrite + Send + Unpin>>;

/// The task of [`FileStreamSinkConnector`]: appends one line per record.
#[derive(Default)]
pub struct FileStreamSinkTask {
    /// The file written, `None` for stdout; for messages.
    filename: Option<String>,
    output: Option<Output>,
    /// The text of the batch being written, kept to reuse its allocation.
    text: String,
}

impl std::fmt::Debug for FileStreamSinkTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStreamSinkTask")
            .field("filename", &self.filename)
            .finish_non_exhaustive()
    }
}

impl FileStreamSinkTask {
    fn target(&self) -> &str {
        self.filename.as_deref().unwrap_or("stdout")
    }

    fn output(&mut self) -> Result<&mut Output> {
        self.output.as_mut().ok_or_else(|| {
            connect_core::ConnectError::connect("FileStreamSinkTask used before start")
        })
    }
}

#[async_trait]
impl SinkTask for FileStreamSinkTask {
    async fn start(
        &mut self,
        config: &Properties,
        _context: Arc<dyn SinkTaskContext>,
    ) -> Result<()> {
        let parsed = FileStreamSinkConnector::config_def().parse(config)?;
        let writer: Box<dyn AsyncWrite + Send + Unpin> = match parsed.string(FILE_CONFIG) {
            None | Some("") => {
                self.filename = None;
                Box::new(tokio::io::stdout())
            }
            Some(filename) => {
                let file = tokio::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(filename)
                    .await
                    .map_err(|e| {
                        io_error(
                            format!(
                                "Couldn't find or create file '{filename}' for FileStreamSinkTask"
                            ),
                            &e,
                        )
                    })?;
                self.filename = Some(filename.to_string());
                Box::new(file)
            }
        };
        self.output = Some(BufWriter::new(writer));
        Ok(())
    }

    async fn put(&mut self, records: &[ConnectRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        for record in records {
            push_line(&mut text, &record.value);
        }
        tracing::trace!(
            file = self.target(),
            records = records.len(),
            "Writing lines."
        );
        let target = self.target().to_string();
        let output = self.output()?;
        let written = async {
            output.write_all(text.as_bytes()).await?;
            output.flush().await
        }
        .await;
        self.text = text;
        written.map_err(|e| io_error(format!("Failed to write to {target}"), &e))
    }

    async fn flush(&mut self, _offsets: &PartitionOffsets) -> Result<()> {
        tracing::trace!(file = self.target(), "Flushing output stream.");
        let target = self.target().to_string();
        self.output()?
            .flush()
            .await
            .map_err(|e| io_error(format!("Failed to flush {target}"), &e))
    }

    async fn stop(&mut self) -> Result<()> {
        if let Some(mut output) = self.output.take() {
            let target = self.target().to_string();
            output
                .flush()
                .await
                .map_err(|e| io_error(format!("Failed to flush {target}"), &e))?;
        }
        Ok(())
    }
}

/// Java's `println(value)`: the value's `toString()` (`null` for null) and a newline.
fn push_line(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(s),
        other => out.push_str(&other.to_java_string()),
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use connect_core::record::{RecordOrigin, TimestampType};
    use connect_core::{BigDecimal, SchemaBuilder, Struct};

    use super::*;
    use crate::util::testing::{NoopSinkContext, props};

    fn sink_record(value: Value) -> ConnectRecord {
        let mut record = ConnectRecord::source("t", None, value);
        record.origin = RecordOrigin::Sink {
            kafka_offset: 0,
            timestamp_type: TimestampType::CreateTime,
            original_topic: "t".into(),
            original_partition: 0,
        };
        record
    }

    async fn started(path: &std::path::Path) -> FileStreamSinkTask {
        let mut task = FileStreamSinkTask::default();
        task.start(
            &props(&[("file", path.to_str().unwrap())]),
            Arc::new(NoopSinkContext),
        )
        .await
        .unwrap();
        task
    }

    #[tokio::test]
    async fn writes_java_to_string_lines_and_appends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "existing\n").unwrap();
        let schema = SchemaBuilder::structure()
            .field("a", SchemaBuilder::int32().build().unwrap())
            .field("b", SchemaBuilder::string().optional().build().unwrap())
            .build()
            .unwrap();
        let value = Struct::new(schema)
            .unwrap()
            .with("a", Value::Int32(1))
            .unwrap();
        let mut task = started(&path).await;
        task.put(&[
            sink_record(Value::String("hello".into())),
            sink_record(Value::Null),
            sink_record(Value::Int64(42)),
            sink_record(Value::Struct(value)),
            sink_record(Value::Decimal(BigDecimal::new(1234, 2))),
        ])
        .await
        .unwrap();
        task.flush(&PartitionOffsets::new()).await.unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "existing\nhello\nnull\n42\nStruct{a=1}\n12.34\n"
        );
        task.stop().await.unwrap();
    }

    #[tokio::test]
    async fn lines_are_in_the_file_once_flush_returns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new").with_extension("txt");
        let mut task = started(&path).await;
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
        for i in 0..3 {
            task.put(&[sink_record(Value::Int32(i))]).await.unwrap();
        }
        task.flush(&PartitionOffsets::new()).await.unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "0\n1\n2\n");
    }

    #[tokio::test]
    async fn reports_a_file_that_cannot_be_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("out.txt");
        let mut task = FileStreamSinkTask::default();
        let err = task
            .start(
                &props(&[("file", path.to_str().unwrap())]),
                Arc::new(NoopSinkContext),
            )
            .await
            .unwrap_err();
        assert_eq!(
            err.message(),
            format!(
                "Couldn't find or create file '{}' for FileStreamSinkTask",
                path.display()
            )
        );
        assert_eq!(err.cause().unwrap().class, "IOException");
    }

    #[tokio::test]
    async fn connector_gives_every_task_the_same_config() {
        struct NoContext;
        impl ConnectorContext for NoContext {
            fn request_task_reconfiguration(&self) {}
            fn raise_error(&self, _: connect_core::ConnectError) {}
        }
        let mut connector = FileStreamSinkConnector::default();
        let config = props(&[("file", "/tmp/out"), ("topics", "a")]);
        connector.start(&config, Arc::new(NoContext)).await.unwrap();
        assert_eq!(connector.task_configs(3).unwrap(), vec![config; 3]);
    }
}
