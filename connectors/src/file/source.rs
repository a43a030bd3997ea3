//! `FileStreamSourceConnector`: each line of a file (or stdin) becomes one record.
//!
//! Behaviour follows Kafka's `FileStreamSourceTask`:
//! - lines end at LF, CR or CRLF; a CR at the end of the data read so far waits for the next
//!   byte (it may be the first half of a CRLF), and a last line without terminator is only
//!   emitted once it is terminated, because the file may still be being written;
//! - each record has no key, a `STRING` value schema, the line as value, the configured topic,
//!   the wall-clock time as timestamp, source partition `{"filename": <file as configured>}`
//!   and offset `{"position": <offset just after the line's terminator>}`; stdin records carry
//!   neither, since stdin cannot be resumed;
//! - on start the task seeks to the committed position; a missing file is waited for (checked
//!   again while polling), and an existing file is followed as it grows;
//! - bytes that are not UTF-8 become U+FFFD, exactly as Java's UTF-8 decoder replaces them.
//!
//! Where Kafka has known gaps this task does better, without changing what a well-behaved
//! pipeline sees: positions count bytes (Kafka counts UTF-16 characters but seeks by bytes, so
//! its offsets are only right for ASCII files); a committed position beyond the end of the file,
//! a file truncated while being read, or a file replaced under the same name (log rotation) is
//! read again from the beginning, where Kafka would spin, stall or keep reading the old file.

use std::collections::BTreeMap;
use std::io::SeekFrom;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use connect_converters::simple_header::decode_utf8_like_java;
use connect_core::config::{ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Validator};
use connect_core::connector::{
    Connector, ConnectorContext, OffsetReader, SourceConnector, SourceTask, SourceTaskContext,
};
use connect_core::record::{ConnectRecord, OffsetMap, RecordOrigin, SourcePartition};
use connect_core::{ConnectError, Properties, Result, Schema, SchemaType, Value};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio::time::Instant;

use super::{
    DEFAULT_TASK_BATCH_SIZE, FILE_CONFIG, FILENAME_FIELD, POSITION_FIELD, TASK_BATCH_SIZE_CONFIG,
    TOPIC_CONFIG,
};
use crate::util::{io_error, json_integer, now_millis, parse_partition_key};

/// How long `poll` waits for new data before returning an empty batch (Kafka waits one
/// second too), so pause and stop requests are seen promptly.
const IDLE_WAIT: Duration = Duration::from_secs(1);
/// How often an idle poll looks at the file again within [`IDLE_WAIT`], so appended lines
/// are picked up with low latency.
const RECHECK_INTERVAL: Duration = Duration::from_millis(100);
/// How much is read from the file or stdin at once.
const READ_CHUNK: usize = 64 * 1024;

/// Kafka's message when a topic list is given where one topic is expected.
const SINGLE_TOPIC_MESSAGE: &str =
    "'topic' in FileStreamSourceConnector configuration requires definition of a single topic";

/// Reads a file, or stdin, line by line into one topic (Kafka's
/// `org.apache.kafka.connect.file.FileStreamSourceConnector`). Only one task makes sense,
/// whatever `tasks.max` says: one stream has one reader.
#[derive(Debug, Default)]
pub struct FileStreamSourceConnector {
    props: Properties,
}

impl FileStreamSourceConnector {
    /// The Java class name, kept so Kafka Connect configs work unchanged.
    pub const CLASS_NAME: &'static str = "org.apache.kafka.connect.file.FileStreamSourceConnector";

    /// Kafka's settings for the connector: `file`, `topic`, `batch.size`.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    FILE_CONFIG,
                    ConfigType::String,
                    Importance::High,
                    "Source filename. If not specified, the standard input will be used",
                )
                .with_null_default(),
            )
            .define(
                ConfigKey::new(
                    TOPIC_CONFIG,
                    ConfigType::String,
                    Importance::High,
                    "The topic to publish data to",
                )
                .with_validator(single_topic_validator()),
            )
            .define(
                ConfigKey::new(
                    TASK_BATCH_SIZE_CONFIG,
                    ConfigType::Int,
                    Importance::Low,
                    "The maximum number of records the source task can read from the file each time it is polled",
                )
                .with_default(ConfigValue::Int(DEFAULT_TASK_BATCH_SIZE)),
            )
    }
}

/// Kafka's `NonEmptyString`, plus a clear error for a comma-separated list: a topic name can
/// never contain a comma, and older Kafka versions rejected lists with this message.
fn single_topic_validator() -> Validator {
    Validator::Custom {
        description: "non-empty string naming a single topic".to_string(),
        check: Arc::new(|name, value| match value {
            ConfigValue::String(s) if s.is_empty() => Err(ConnectError::invalid_config_value(
                name,
                s,
                "String must be non-empty",
            )),
            ConfigValue::String(s) if s.contains(',') => {
                Err(ConnectError::config(SINGLE_TOPIC_MESSAGE))
            }
            _ => Ok(()),
        }),
    }
}

#[async_trait]
impl Connector for FileStreamSourceConnector {
    async fn start(
        &mut self,
        config: &Properties,
        _context: Arc<dyn ConnectorContext>,
    ) -> Result<()> {
        let parsed = Self::config_def().parse(config)?;
        let source = match parsed.string(FILE_CONFIG) {
            None | Some("") => "standard input",
            Some(file) => file,
        };
        tracing::info!(file = source, "Starting file source connector.");
        self.props = config.clone();
        Ok(())
    }

    fn task_configs(&self, _max_tasks: usize) -> Result<Vec<Properties>> {
        // Only one input stream makes sense.
        Ok(vec![self.props.clone()])
    }

    async fn stop(&mut self) -> Result<()> {
        Ok(())
    }
}

#[async_trait]
impl SourceConnector for FileStreamSourceConnector {
    /// Kafka's checks (KIP-875): stdin has no offsets to alter; every non-null offset needs a
    /// non-negative integer `position` and its partition a `filename`. Whether the position
    /// fits the file is only known when the task opens it.
    async fn alter_offsets(
        &self,
        config: &Properties,
        offsets: &BTreeMap<String, Option<OffsetMap>>,
    ) -> Result<bool> {
        let parsed = Self::config_def().parse(config)?;
        if matches!(parsed.string(FILE_CONFIG), None | Some("")) {
            return Err(ConnectError::connect(format!(
                "Offsets cannot be modified if the '{FILE_CONFIG}' configuration is unspecified. \
                 This is because stdin is used for input and offsets are not tracked."
            )));
        }
        for (partition, offset) in offsets {
            // Tombstones are always allowed, so leftovers of old configurations can be removed.
            let Some(offset) = offset else { continue };
            let Some(position) = offset.get(POSITION_FIELD) else {
                return Err(ConnectError::connect(format!(
                    "Offset objects should either be null or contain the key '{POSITION_FIELD}'"
                )));
            };
            let Some(position) = json_integer(position) else {
                return Err(ConnectError::connect(format!(
                    "The value for the '{POSITION_FIELD}' key in the offset is expected to be a Long value"
                )));
            };
            if position < 0 {
                return Err(ConnectError::connect(format!(
                    "The value for the '{POSITION_FIELD}' key in the offset should be a non-negative value"
                )));
            }
            let Some(partition) = parse_partition_key(partition)? else {
                return Err(ConnectError::connect("Partition objects cannot be null"));
            };
            if !partition.contains_key(FILENAME_FIELD) {
                return Err(ConnectError::connect(format!(
                    "Partition objects should contain the key '{FILENAME_FIELD}'"
                )));
            }
        }
        Ok(true)
    }
}

/// The task of [`FileStreamSourceConnector`]: follows one file (or stdin) and turns each
/// complete line into a record.
pub struct FileStreamSourceTask {
    idle_wait: Duration,
    state: Option<SourceState>,
}

impl Default for FileStreamSourceTask {
    fn default() -> Self {
        Self {
            idle_wait: IDLE_WAIT,
            state: None,
        }
    }
}

impl std::fmt::Debug for FileStreamSourceTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStreamSourceTask")
            .finish_non_exhaustive()
    }
}

/// Everything a started task holds.
struct SourceState {
    topic: String,
    batch_size: usize,
    value_schema: Schema,
    input: Input,
    lines: LineBuffer,
    chunk: Vec<u8>,
}

/// Where lines come from.
enum Input {
    /// Standard input: no positions, no resuming.
    Stdin {
        stdin: tokio::io::Stdin,
        closed: bool,
    },
    /// A file followed as it grows.
    File(FileInput),
}

/// A file being followed, and how to find where to start in it.
struct FileInput {
    /// The path exactly as configured: it is also the source partition.
    filename: String,
    /// `{"filename": ...}`, shared by every record of the file.
    partition: SourcePartition,
    offsets: Arc<dyn OffsetReader>,
    file: Option<tokio::fs::File>,
    /// Where to reopen after a read error or a rotation, instead of the committed offset
    /// (which may lag behind what was already emitted).
    reopen_at: Option<u64>,
    /// Whether the file being missing was already logged, so a long wait logs once.
    missing_logged: bool,
}

#[async_trait]
impl SourceTask for FileStreamSourceTask {
    async fn start(&mut self, config: &Properties, context: SourceTaskContext) -> Result<()> {
        let parsed = FileStreamSourceConnector::config_def().parse(config)?;
        let topic = parsed
            .string(TOPIC_CONFIG)
            .ok_or_else(|| {
                ConnectError::connect("FileStreamSourceTask config missing topic setting")
            })?
            .to_string();
        let batch_size = parsed
            .int(TASK_BATCH_SIZE_CONFIG)
            .unwrap_or(DEFAULT_TASK_BATCH_SIZE);
        // Kafka returns after the first record whenever batch.size < 1.
        let batch_size = usize::try_from(batch_size).unwrap_or(1).max(1);
        // The partition holds the file name exactly as written in the config (Kafka reads it
        // untrimmed), so offsets stored by Kafka Connect match.
        let input = match config.get(FILE_CONFIG).map(String::as_str) {
            None | Some("") => Input::Stdin {
                stdin: tokio::io::stdin(),
                closed: false,
            },
            Some(filename) => {
                let mut partition = OffsetMap::new();
                partition.insert(FILENAME_FIELD.to_string(), filename.into());
                Input::File(FileInput {
                    filename: filename.to_string(),
                    partition: SourcePartition::new(partition),
                    offsets: context.offsets,
                    file: None,
                    reopen_at: None,
                    missing_logged: false,
                })
            }
        };
        let value_schema = Schema::primitive(SchemaType::String, false)
            .ok_or_else(|| ConnectError::connect("STRING schema unavailable"))?;
        self.state = Some(SourceState {
            topic,
            batch_size,
            value_schema,
            input,
            lines: LineBuffer::default(),
            chunk: vec![0; READ_CHUNK],
        });
        Ok(())
    }

    async fn poll(&mut self) -> Result<Vec<ConnectRecord>> {
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| ConnectError::connect("FileStreamSourceTask polled before start"))?;
        let deadline = Instant::now() + self.idle_wait;
        loop {
            let records = state.read_batch(deadline).await?;
            let now = Instant::now();
            if !records.is_empty() || now >= deadline {
                return Ok(records);
            }
            tokio::time::sleep_until((now + RECHECK_INTERVAL).min(deadline)).await;
        }
    }

    async fn stop(&mut self) -> Result<()> {
        tracing::trace!("Stopping file source task.");
        self.state = None;
        Ok(())
    }
}

impl SourceState {
    /// Up to `batch_size` records from the data available now; waits for stdin data until
    /// `deadline`, never for file data (the caller rechecks the file).
    async fn read_batch(&mut self, deadline: Instant) -> Result<Vec<ConnectRecord>> {
        match &mut self.input {
            Input::File(input) => {
                if !input.ensure_open(&mut self.lines).await? {
                    return Ok(Vec::new());
                }
                let mut raw = Vec::new();
                let outcome = fill_lines(
                    input,
                    &mut self.lines,
                    &mut self.chunk,
                    self.batch_size,
                    &mut raw,
                )
                .await;
                let partition = input.partition.clone();
                let records = raw
                    .into_iter()
                    .map(|(line, position)| {
                        self.record(line, Some(partition.clone()), position_offset(position))
                    })
                    .collect::<Vec<_>>();
                match outcome {
                    ReadOutcome::Full | ReadOutcome::Interrupted => {}
                    ReadOutcome::Eof if records.is_empty() => {
                        if let Input::File(input) = &mut self.input {
                            input.check_rewritten(&mut self.lines).await;
                        }
                    }
                    ReadOutcome::Eof => {}
                }
                Ok(records)
            }
            Input::Stdin { stdin, closed } => {
                let mut raw = Vec::new();
                loop {
                    while raw.len() < self.batch_size {
                        match self.lines.next_line() {
                            Some(line) => raw.push(line.0),
                            None => break,
                        }
                    }
                    // Return what is there rather than wait for more.
                    if !raw.is_empty() || *closed {
                        break;
                    }
                    self.lines.compact();
                    let read = tokio::time::timeout_at(deadline, stdin.read(&mut self.chunk));
                    match read.await {
                        // Nothing arrived in time. The read in flight is kept by `Stdin` and
                        // its data returned by the next read, so nothing is lost.
                        Err(_elapsed) => break,
                        Ok(Ok(0)) => {
                            tracing::info!("Standard input was closed.");
                            *closed = true;
                        }
                        Ok(Ok(n)) => self.lines.extend(&self.chunk[..n]),
                        Ok(Err(e)) => return Err(io_error("Failed to read standard input", &e)),
                    }
                }
                Ok(raw
                    .into_iter()
                    .map(|line| self.record(line, None, None))
                    .collect())
            }
        }
    }

    fn record(
        &self,
        line: String,
        partition: Option<SourcePartition>,
        offset: Option<OffsetMap>,
    ) -> ConnectRecord {
        let mut record = ConnectRecord::source(
            self.topic.clone(),
            Some(self.value_schema.clone()),
            Value::String(line),
        );
        record.timestamp = Some(now_millis());
        record.origin = RecordOrigin::Source { partition, offset };
        record
    }
}

fn position_offset(position: Option<u64>) -> Option<OffsetMap> {
    let mut offset = OffsetMap::new();
    offset.insert(POSITION_FIELD.to_string(), position?.into());
    Some(offset)
}

/// How a read of the available data ended.
enum ReadOutcome {
    /// A whole batch is ready.
    Full,
    /// Some data was read, but reading stopped early (an error, logged and recovered from).
    Interrupted,
    /// The end of the data currently in the file was reached.
    Eof,
}

/// Reads the open file until `batch_size` lines are complete or its current end is reached.
async fn fill_lines(
    input: &mut FileInput,
    lines: &mut LineBuffer,
    chunk: &mut [u8],
    batch_size: usize,
    out: &mut Vec<(String, Option<u64>)>,
) -> ReadOutcome {
    let Some(file) = input.file.as_mut() else {
        return ReadOutcome::Eof;
    };
    loop {
        while out.len() < batch_size {
            match lines.next_line() {
                Some(line) => out.push(line),
                None => break,
            }
        }
        if out.len() >= batch_size {
            return ReadOutcome::Full;
        }
        lines.compact();
        match file.read(chunk).await {
            Ok(0) => return ReadOutcome::Eof,
            Ok(n) => lines.extend(&chunk[..n]),
            Err(e) => {
                // Kafka swallows read errors; reopen at the next unread line instead, so
                // nothing is skipped or emitted twice.
                tracing::warn!(file = %input.filename, error = %e, "Failed to read the file; reopening it.");
                input.file = None;
                input.reopen_at = lines.position;
                lines.reset(lines.position);
                return ReadOutcome::Interrupted;
            }
        }
    }
}

impl FileInput {
    /// Opens the file if it is not open yet, at the position to resume from. `Ok(false)`
    /// when the file does not exist (yet).
    async fn ensure_open(&mut self, lines: &mut LineBuffer) -> Result<bool> {
        if self.file.is_some() {
            return Ok(true);
        }
        let mut file = match tokio::fs::File::open(&self.filename).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !self.missing_logged {
                    tracing::warn!(
                        file = %self.filename,
                        "Couldn't find file for FileStreamSourceTask, waiting for it to be created."
                    );
                    self.missing_logged = true;
                }
                return Ok(false);
            }
            Err(e) => {
                return Err(io_error(
                    format!("Error while trying to open file {}", self.filename),
                    &e,
                ));
            }
        };
        self.missing_logged = false;
        let wanted = match self.reopen_at.take() {
            Some(position) => position,
            None => self.committed_position()?,
        };
        let length = file
            .metadata()
            .await
            .map_err(|e| io_error(format!("Failed to inspect file {}", self.filename), &e))?
            .len();
        let start = if wanted > length {
            tracing::warn!(
                file = %self.filename,
                position = wanted,
                length,
                "The file is shorter than the position to resume from, so it was truncated or replaced; reading it from the beginning."
            );
            0
        } else {
            wanted
        };
        if start > 0 {
            file.seek(SeekFrom::Start(start)).await.map_err(|e| {
                io_error(
                    format!(
                        "Error while trying to seek to previous offset in file {}",
                        self.filename
                    ),
                    &e,
                )
            })?;
            tracing::debug!(file = %self.filename, position = start, "Skipped to the previous offset.");
        }
        lines.reset(Some(start));
        self.file = Some(file);
        tracing::debug!(file = %self.filename, "Opened the file for reading.");
        Ok(true)
    }

    /// The committed position of this file, 0 if none.
    fn committed_position(&self) -> Result<u64> {
        let Some(offset) = self.offsets.offset(&self.partition) else {
            return Ok(0);
        };
        match offset.get(POSITION_FIELD) {
            None | Some(serde_json::Value::Null) => Ok(0),
            Some(value) => match json_integer(value) {
                Some(position) => Ok(u64::try_from(position).unwrap_or_else(|_| {
                    tracing::warn!(
                        file = %self.filename,
                        position,
                        "The committed position is negative; reading the file from the beginning."
                    );
                    0
                })),
                None => Err(ConnectError::connect(
                    "Offset position is the incorrect type",
                )),
            },
        }
    }

    /// At the end of the data: notices a truncated file (shorter than what was read) or a file
    /// replaced under the same name, and starts over at its beginning.
    async fn check_rewritten(&mut self, lines: &mut LineBuffer) {
        let Some(file) = self.file.as_mut() else {
            return;
        };
        let read_to = lines.position.unwrap_or(0) + lines.pending() as u64;
        let Ok(open) = file.metadata().await else {
            return;
        };
        if open.len() < read_to {
            tracing::warn!(file = %self.filename, "The file was truncated; reading it again from the beginning.");
            if let Err(e) = file.seek(SeekFrom::Start(0)).await {
                tracing::warn!(file = %self.filename, error = %e, "Failed to rewind the file; reopening it.");
                self.file = None;
                self.reopen_at = Some(0);
            }
            lines.reset(Some(0));
            return;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(current) = tokio::fs::metadata(&self.filename).await
                && (current.dev(), current.ino()) != (open.dev(), open.ino())
            {
                tracing::warn!(file = %self.filename, "The file was replaced; reading the new file from the beginning.");
                self.file = None;
                self.reopen_at = Some(0);
                lines.reset(Some(0));
            }
        }
    }
}

/// Bytes read but not yet returned as lines, and the stream position of the first of them.
#[derive(Default)]
struct LineBuffer {
    buf: Vec<u8>,
    /// Index of the first byte not yet returned.
    start: usize,
    /// Bytes from `start` up to here hold no line terminator: the next search starts here.
    scanned: usize,
    /// Stream position of `buf[start]`; `None` for stdin, which has no positions.
    position: Option<u64>,
}

impl LineBuffer {
    fn extend(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Bytes not yet returned as lines.
    fn pending(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Drops the bytes already returned, so the buffer only grows with unfinished lines.
    fn compact(&mut self) {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.scanned -= self.start;
            self.start = 0;
        }
    }

    /// Forgets everything buffered; the next byte added is at `position`.
    fn reset(&mut self, position: Option<u64>) {
        self.buf.clear();
        self.start = 0;
        self.scanned = 0;
        self.position = position;
    }

    /// The next complete line without its terminator, and the stream position just after
    /// the terminator.
    fn next_line(&mut self) -> Option<(String, Option<u64>)> {
        let from = self.scanned.max(self.start);
        let Some(found) = self.buf[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
        else {
            self.scanned = self.buf.len();
            return None;
        };
        let end = from + found;
        let next = if self.buf[end] == b'\r' {
            match self.buf.get(end + 1) {
                // Maybe the first half of a CRLF: decide once the next byte is here.
                None => {
                    self.scanned = end;
                    return None;
                }
                Some(b'\n') => end + 2,
                Some(_) => end + 1,
            }
        } else {
            end + 1
        };
        let line = decode_utf8_like_java(&self.buf[self.start..end]);
        let consumed = (next - self.start) as u64;
        self.start = next;
        self.scanned = next;
        if let Some(position) = self.position.as_mut() {
            *position += consumed;
        }
        Some((line, self.position))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use serde_json::json;

    use super::*;
    use crate::util::testing::{MemoryOffsets, props};

    struct NoContext;
    impl ConnectorContext for NoContext {
        fn request_task_reconfiguration(&self) {}
        fn raise_error(&self, _: ConnectError) {}
    }

    fn fast_task() -> FileStreamSourceTask {
        FileStreamSourceTask {
            idle_wait: Duration::from_millis(50),
            state: None,
        }
    }

    async fn started(path: &str, offsets: MemoryOffsets) -> FileStreamSourceTask {
        let mut task = fast_task();
        task.start(
            &props(&[("file", path), ("topic", "lines")]),
            offsets.context(),
        )
        .await
        .unwrap();
        task
    }

    fn append(path: &std::path::Path, data: &[u8]) {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        f.write_all(data).unwrap();
    }

    fn lines_and_positions(records: &[ConnectRecord]) -> Vec<(String, i64)> {
        records
            .iter()
            .map(|r| {
                let RecordOrigin::Source {
                    offset: Some(offset),
                    ..
                } = &r.origin
                else {
                    panic!("no offset");
                };
                (
                    r.value.as_str().unwrap().to_string(),
                    offset[POSITION_FIELD].as_i64().unwrap(),
                )
            })
            .collect()
    }

    #[tokio::test]
    async fn reads_lines_with_kafka_records_and_positions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"one\ntwo\r\nthree\rfour\n");
        let path_str = path.to_str().unwrap();
        let mut task = started(path_str, MemoryOffsets::default()).await;
        let records = task.poll().await.unwrap();
        assert_eq!(
            lines_and_positions(&records),
            [
                ("one".to_string(), 4),
                ("two".to_string(), 9),
                ("three".to_string(), 15),
                ("four".to_string(), 20)
            ]
        );
        let first = &records[0];
        assert_eq!(first.topic, "lines");
        assert_eq!(first.key, Value::Null);
        assert_eq!(first.key_schema, None);
        assert_eq!(
            first.value_schema,
            Schema::primitive(SchemaType::String, false)
        );
        assert!(first.timestamp.is_some());
        let RecordOrigin::Source { partition, .. } = &first.origin else {
            panic!("not a source record");
        };
        assert_eq!(
            serde_json::Value::Object(partition.as_deref().cloned().unwrap()),
            json!({ "filename": path_str })
        );
    }

    #[tokio::test]
    async fn partial_last_line_and_trailing_cr_wait_for_their_terminator() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"a\nhalf");
        let mut task = started(path.to_str().unwrap(), MemoryOffsets::default()).await;
        assert_eq!(
            lines_and_positions(&task.poll().await.unwrap()),
            [("a".to_string(), 2)]
        );
        assert!(task.poll().await.unwrap().is_empty());
        // A CR at the end may be half of a CRLF: still nothing.
        append(&path, b" done\r");
        assert!(task.poll().await.unwrap().is_empty());
        append(&path, b"\nnext\n");
        assert_eq!(
            lines_and_positions(&task.poll().await.unwrap()),
            [("half done".to_string(), 13), ("next".to_string(), 18)]
        );
    }

    #[tokio::test]
    async fn resumes_from_the_committed_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"one\ntwo\nthree\n");
        let path_str = path.to_str().unwrap();
        let offsets =
            MemoryOffsets::with(json!({ "filename": path_str }), json!({ "position": 4 }));
        let mut task = started(path_str, offsets).await;
        assert_eq!(
            lines_and_positions(&task.poll().await.unwrap()),
            [("two".to_string(), 8), ("three".to_string(), 14)]
        );
    }

    #[tokio::test]
    async fn rejects_a_committed_position_that_is_not_a_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"one\n");
        let path_str = path.to_str().unwrap();
        let offsets =
            MemoryOffsets::with(json!({ "filename": path_str }), json!({ "position": "4" }));
        let mut task = started(path_str, offsets).await;
        let err = task.poll().await.unwrap_err();
        assert_eq!(err.message(), "Offset position is the incorrect type");
    }

    #[tokio::test]
    async fn batches_are_bounded_by_batch_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"1\n2\n3\n4\n5\n");
        let mut task = fast_task();
        task.start(
            &props(&[
                ("file", path.to_str().unwrap()),
                ("topic", "t"),
                ("batch.size", "2"),
            ]),
            MemoryOffsets::default().context(),
        )
        .await
        .unwrap();
        let sizes = [
            task.poll().await.unwrap().len(),
            task.poll().await.unwrap().len(),
            task.poll().await.unwrap().len(),
        ];
        assert_eq!(sizes, [2, 2, 1]);
    }

    #[tokio::test]
    async fn waits_for_a_missing_file_and_then_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("later.txt");
        let mut task = started(path.to_str().unwrap(), MemoryOffsets::default()).await;
        let started_at = std::time::Instant::now();
        assert!(task.poll().await.unwrap().is_empty());
        assert!(started_at.elapsed() < Duration::from_secs(1));
        append(&path, b"hello\n");
        assert_eq!(
            lines_and_positions(&task.poll().await.unwrap()),
            [("hello".to_string(), 6)]
        );
    }

    #[tokio::test]
    async fn picks_up_lines_appended_while_polling() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"");
        let mut task = FileStreamSourceTask::default();
        task.start(
            &props(&[("file", path.to_str().unwrap()), ("topic", "t")]),
            MemoryOffsets::default().context(),
        )
        .await
        .unwrap();
        let writer_path = path.clone();
        let writer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            append(&writer_path, b"late\n");
        });
        let started_at = std::time::Instant::now();
        let records = task.poll().await.unwrap();
        writer.await.unwrap();
        assert_eq!(lines_and_positions(&records), [("late".to_string(), 5)]);
        assert!(started_at.elapsed() < Duration::from_millis(900));
    }

    #[tokio::test]
    async fn starts_over_when_the_file_is_truncated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"first line\nsecond line\n");
        let mut task = started(path.to_str().unwrap(), MemoryOffsets::default()).await;
        assert_eq!(task.poll().await.unwrap().len(), 2);
        std::fs::write(&path, b"new\n").unwrap();
        // The first poll after the truncation notices it; the data then comes from position 0.
        let mut records = task.poll().await.unwrap();
        if records.is_empty() {
            records = task.poll().await.unwrap();
        }
        assert_eq!(lines_and_positions(&records), [("new".to_string(), 4)]);
    }

    #[tokio::test]
    async fn starts_over_when_the_committed_position_is_past_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"short\n");
        let path_str = path.to_str().unwrap();
        let offsets =
            MemoryOffsets::with(json!({ "filename": path_str }), json!({ "position": 500 }));
        let mut task = started(path_str, offsets).await;
        assert_eq!(
            lines_and_positions(&task.poll().await.unwrap()),
            [("short".to_string(), 6)]
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn follows_a_file_replaced_under_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"old one\nold two\n");
        let mut task = started(path.to_str().unwrap(), MemoryOffsets::default()).await;
        assert_eq!(task.poll().await.unwrap().len(), 2);
        std::fs::rename(&path, dir.path().join("in.txt.1")).unwrap();
        append(&path, b"fresh content that is longer\n");
        let mut records = task.poll().await.unwrap();
        if records.is_empty() {
            records = task.poll().await.unwrap();
        }
        assert_eq!(
            lines_and_positions(&records),
            [("fresh content that is longer".to_string(), 29)]
        );
    }

    #[tokio::test]
    async fn replaces_malformed_utf8_and_counts_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        append(&path, b"caf\xc3\xa9\nbad\xff\xfeend\n");
        let mut task = started(path.to_str().unwrap(), MemoryOffsets::default()).await;
        assert_eq!(
            lines_and_positions(&task.poll().await.unwrap()),
            [
                ("café".to_string(), 6),
                ("bad\u{FFFD}\u{FFFD}end".to_string(), 15)
            ]
        );
    }

    #[test]
    fn line_buffer_splits_like_kafka_across_reads() {
        let mut lines = LineBuffer {
            position: Some(0),
            ..LineBuffer::default()
        };
        let mut out = Vec::new();
        for piece in [&b"ab\r"[..], b"\ncd", b"\r", b"ef\n\n"] {
            lines.extend(piece);
            while let Some(line) = lines.next_line() {
                out.push(line);
            }
            lines.compact();
        }
        assert_eq!(
            out,
            [
                ("ab".to_string(), Some(4)),
                ("cd".to_string(), Some(7)),
                ("ef".to_string(), Some(10)),
                (String::new(), Some(11))
            ]
        );
    }

    #[test]
    fn stdin_lines_have_no_position() {
        let mut lines = LineBuffer::default();
        lines.extend(b"x\ny");
        assert_eq!(lines.next_line(), Some(("x".to_string(), None)));
        assert_eq!(lines.next_line(), None);
    }

    #[tokio::test]
    async fn connector_runs_one_task_and_validates_the_topic() {
        let mut connector = FileStreamSourceConnector::default();
        let config = props(&[("file", "/tmp/x"), ("topic", "t")]);
        connector.start(&config, Arc::new(NoContext)).await.unwrap();
        assert_eq!(connector.task_configs(4).unwrap(), vec![config]);

        let err = FileStreamSourceConnector::config_def()
            .parse(&props(&[("topic", "a,b")]))
            .unwrap_err();
        assert_eq!(err.message(), SINGLE_TOPIC_MESSAGE);
        let err = FileStreamSourceConnector::config_def()
            .parse(&props(&[("topic", "")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value  for configuration topic: String must be non-empty"
        );
        let err = FileStreamSourceConnector::config_def()
            .parse(&props(&[]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Missing required configuration \"topic\" which has no default value."
        );
    }

    #[tokio::test]
    async fn alter_offsets_checks_like_kafka() {
        let connector = FileStreamSourceConnector::default();
        let config = props(&[("file", "/tmp/x"), ("topic", "t")]);
        let check = |partition: serde_json::Value, offset: serde_json::Value| {
            let mut offsets = BTreeMap::new();
            offsets.insert(partition.to_string(), offset.as_object().cloned());
            offsets
        };
        let ok = check(json!({"filename": "/tmp/x"}), json!({"position": 10}));
        assert!(connector.alter_offsets(&config, &ok).await.unwrap());
        let tombstone = check(json!({"anything": 1}), json!(null));
        assert!(connector.alter_offsets(&config, &tombstone).await.unwrap());
        let whole_double = check(json!({"filename": "/tmp/x"}), json!({"position": 10.0}));
        assert!(
            connector
                .alter_offsets(&config, &whole_double)
                .await
                .unwrap()
        );

        let cases = [
            (
                check(json!({"filename": "f"}), json!({"pos": 1})),
                "Offset objects should either be null or contain the key 'position'",
            ),
            (
                check(json!({"filename": "f"}), json!({"position": "1"})),
                "The value for the 'position' key in the offset is expected to be a Long value",
            ),
            (
                check(json!({"filename": "f"}), json!({"position": -1})),
                "The value for the 'position' key in the offset should be a non-negative value",
            ),
            (
                check(json!({"file": "f"}), json!({"position": 1})),
                "Partition objects should contain the key 'filename'",
            ),
            (
                check(json!(null), json!({"position": 1})),
                "Partition objects cannot be null",
            ),
        ];
        for (offsets, message) in cases {
            let err = connector
                .alter_offsets(&config, &offsets)
                .await
                .unwrap_err();
            assert_eq!(err.message(), message);
        }
        let stdin = props(&[("topic", "t")]);
        let err = connector.alter_offsets(&stdin, &ok).await.unwrap_err();
        assert!(
            err.message().starts_with(
                "Offsets cannot be modified if the 'file' configuration is unspecified."
            )
        );
    }
}
