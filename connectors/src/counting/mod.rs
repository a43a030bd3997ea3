//! The counting sink (`io.connectrs.connect.counting.CountingSinkConnector`): counts what it
//! receives and throws it away.
//!
//! Benchmarks and tests need a sink that costs nothing and tells them what arrived:
//! - in-process, through [`counter`]`(connector_name)`: records, value bytes, when the first
//!   and the last record arrived (time to first record, throughput), and the highest `seq` per
//!   task when the values are `datagen` `sequence` records (to check nothing was lost);
//! - from another process, through `report.file`: each `flush` atomically replaces it with
//!   `{"records":N,"bytes":M}` (the connector's totals so far).
//!
//! Three settings let tests drive the runtime's error handling: `fail.on.record` fails `put`
//! for good when it sees that `seq`, `errant.on.record` reports the record with that `seq`
//! through the runtime's errant record reporter (KIP-610) instead of counting it, and
//! `retriable.failures` makes the first N non-empty `put` calls of each task fail with a
//! retriable error.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use connect_core::config::{ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Validator};
use connect_core::connector::{
    Connector, ConnectorContext, PartitionOffsets, SinkConnector, SinkTask, SinkTaskContext,
};
use connect_core::record::ConnectRecord;
use connect_core::{ConnectError, Properties, Result, Value};
use tokio::sync::Notify;

use crate::util::io_error;

/// Where each `flush` writes the connector's totals as JSON; unset for none.
pub const REPORT_FILE_CONFIG: &str = "report.file";
/// A `seq` whose arrival makes `put` fail with a non-retriable error; unset for none.
pub const FAIL_ON_RECORD_CONFIG: &str = "fail.on.record";
/// A `seq` whose record is reported as errant instead of counted; unset for none.
pub const ERRANT_ON_RECORD_CONFIG: &str = "errant.on.record";
/// How many of each task's first non-empty `put` calls fail with a retriable error.
pub const RETRIABLE_FAILURES_CONFIG: &str = "retriable.failures";
/// The connector config key the runtime passes to every task, naming the connector.
const NAME_CONFIG: &str = "name";

/// What a counting sink connector has received so far, shared by all its tasks.
///
/// Counts only grow (until [`SinkCounter::reset`]); reads are cheap atomics, so a benchmark
/// can watch them while the pipeline runs.
#[derive(Debug)]
pub struct SinkCounter {
    records: AtomicU64,
    bytes: AtomicU64,
    /// Time of the first record, as nanoseconds after `origin` plus one (0: none yet).
    first_record: AtomicU64,
    /// Time of the latest record, in the same form.
    last_record: AtomicU64,
    origin: Instant,
    max_seq: Mutex<BTreeMap<i32, i64>>,
    changed: Notify,
}

impl SinkCounter {
    fn new() -> Self {
        Self {
            records: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            first_record: AtomicU64::new(0),
            last_record: AtomicU64::new(0),
            origin: Instant::now(),
            max_seq: Mutex::new(BTreeMap::new()),
            changed: Notify::new(),
        }
    }

    /// Records received.
    pub fn records(&self) -> u64 {
        self.records.load(Ordering::Acquire)
    }

    /// Value bytes received: see [`value_size`] for how a value is measured.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Acquire)
    }

    /// When the first record arrived, for time-to-first-record measurements.
    pub fn first_record_at(&self) -> Option<Instant> {
        self.instant(&self.first_record)
    }

    /// When the latest record arrived, for throughput measurements.
    pub fn last_record_at(&self) -> Option<Instant> {
        self.instant(&self.last_record)
    }

    /// The highest `seq` received from datagen task `task`, if its values were `sequence`
    /// records (structs or maps with integer `task` and `seq` fields).
    pub fn max_seq(&self, task: i32) -> Option<i64> {
        self.seqs().get(&task).copied()
    }

    /// The highest `seq` received per datagen task.
    pub fn max_seqs(&self) -> BTreeMap<i32, i64> {
        self.seqs().clone()
    }

    /// Forgets everything, so a test can reuse a connector name.
    pub fn reset(&self) {
        self.records.store(0, Ordering::Release);
        self.bytes.store(0, Ordering::Release);
        self.first_record.store(0, Ordering::Release);
        self.last_record.store(0, Ordering::Release);
        self.seqs().clear();
    }

    /// Waits until at least `records` records arrived; false if `timeout` passed first.
    pub async fn wait_for_records(&self, records: u64, timeout: Duration) -> bool {
        tokio::time::timeout(timeout, async {
            loop {
                let changed = self.changed.notified();
                tokio::pin!(changed);
                // Registered before checking, so an update in between is not missed.
                changed.as_mut().enable();
                if self.records() >= records {
                    return;
                }
                changed.await;
            }
        })
        .await
        .is_ok()
    }

    fn seqs(&self) -> MutexGuard<'_, BTreeMap<i32, i64>> {
        // The map is always consistent, even if a holder panicked.
        self.max_seq
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn instant(&self, slot: &AtomicU64) -> Option<Instant> {
        match slot.load(Ordering::Acquire) {
            0 => None,
            n => Some(self.origin + Duration::from_nanos(n - 1)),
        }
    }

    fn add(&self, records: u64, bytes: u64, seqs: &BTreeMap<i32, i64>) {
        if records == 0 {
            return;
        }
        let now = u64::try_from(self.origin.elapsed().as_nanos())
            .unwrap_or(u64::MAX - 1)
            .saturating_add(1);
        let _ = self
            .first_record
            .compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire);
        self.last_record.fetch_max(now, Ordering::AcqRel);
        if !seqs.is_empty() {
            let mut max = self.seqs();
            for (&task, &seq) in seqs {
                let entry = max.entry(task).or_insert(seq);
                *entry = (*entry).max(seq);
            }
        }
        self.bytes.fetch_add(bytes, Ordering::AcqRel);
        // Records last: a reader that sees the new count also sees the rest.
        self.records.fetch_add(records, Ordering::AcqRel);
        self.changed.notify_waiters();
    }
}

static COUNTERS: LazyLock<Mutex<HashMap<String, Arc<SinkCounter>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The counter of the counting sink connector named `connector_name`, created on first use
/// (so a test can hold it before the connector starts). Process-wide, because the runtime
/// creates the tasks and a benchmark has no other handle on them.
pub fn counter(connector_name: &str) -> Arc<SinkCounter> {
    let mut counters = COUNTERS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    counters
        .entry(connector_name.to_string())
        .or_insert_with(|| Arc::new(SinkCounter::new()))
        .clone()
}

/// The size of a value's data in bytes, as the sink counts it: exact for BYTES and STRING
/// (UTF-8), the fixed width of numbers and booleans, the size of a Decimal's unscaled two's complement
/// (one byte more for some negative powers of two), 8 for a
/// date or time, and the sum of the contents of arrays, maps and structs. Cheap to compute,
/// and for byte and string values equal to what was on the topic.
pub fn value_size(value: &Value) -> u64 {
    match value {
        Value::Null => 0,
        Value::Int8(_) | Value::Boolean(_) => 1,
        Value::Int16(_) => 2,
        Value::Int32(_) | Value::Float32(_) => 4,
        Value::Int64(_) | Value::Float64(_) | Value::Timestamp(_) => 8,
        Value::String(s) => s.len() as u64,
        Value::Bytes(b) => b.len() as u64,
        Value::Decimal(d) => d.unscaled().bits() / 8 + 1,
        Value::Array(items) => items.iter().map(value_size).sum(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| value_size(k) + value_size(v))
            .sum(),
        Value::Struct(s) => s.values().iter().map(value_size).sum(),
    }
}

/// Counts records and throws them away (`io.connectrs.connect.counting.CountingSinkConnector`,
/// alias `CountingSink`). Every task gets the connector's config.
#[derive(Debug, Default)]
pub struct CountingSinkConnector {
    props: Properties,
}

impl CountingSinkConnector {
    /// The class name users write in `connector.class` (or its alias `CountingSink`).
    pub const CLASS_NAME: &'static str = "io.connectrs.connect.counting.CountingSinkConnector";

    /// The connector's settings.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    REPORT_FILE_CONFIG,
                    ConfigType::String,
                    Importance::Medium,
                    "A file each flush atomically replaces with the connector's totals so far, as {\"records\":N,\"bytes\":M}, for benchmarks that watch from another process. Unset for none.",
                )
                .with_null_default(),
            )
            .define(
                ConfigKey::new(
                    FAIL_ON_RECORD_CONFIG,
                    ConfigType::Long,
                    Importance::Low,
                    "For tests: put fails with a non-retriable error on the record with this seq (the 'seq' field of a datagen sequence value, else an INT64 key or an 8-byte big-endian key). Unset for never.",
                )
                .with_null_default(),
            )
            .define(
                ConfigKey::new(
                    ERRANT_ON_RECORD_CONFIG,
                    ConfigType::Long,
                    Importance::Low,
                    "For tests: the record with this seq (as for fail.on.record) is reported to the runtime's errant record reporter, which sends it to the dead letter queue, instead of being counted; put fails if the runtime refuses the report. Unset for never.",
                )
                .with_null_default(),
            )
            .define(
                ConfigKey::new(
                    RETRIABLE_FAILURES_CONFIG,
                    ConfigType::Int,
                    Importance::Low,
                    "For tests: how many of each task's first non-empty put calls fail with a retriable error, to exercise the runtime's retries.",
                )
                .with_default(ConfigValue::Int(0))
                .with_validator(Validator::Range {
                    min: Some(0),
                    max: None,
                }),
            )
    }
}

#[async_trait]
impl Connector for CountingSinkConnector {
    async fn start(
        &mut self,
        config: &Properties,
        _context: Arc<dyn ConnectorContext>,
    ) -> Result<()> {
        Self::config_def().parse(config)?;
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

impl SinkConnector for CountingSinkConnector {}

/// The task of [`CountingSinkConnector`].
#[derive(Debug, Default)]
pub struct CountingSinkTask {
    state: Option<TaskState>,
}

struct TaskState {
    counter: Arc<SinkCounter>,
    report_file: Option<PathBuf>,
    fail_on_record: Option<i64>,
    errant_on_record: Option<i64>,
    retriable_failures_left: u32,
    context: Arc<dyn SinkTaskContext>,
}

impl std::fmt::Debug for TaskState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskState")
            .field("report_file", &self.report_file)
            .field("fail_on_record", &self.fail_on_record)
            .field("errant_on_record", &self.errant_on_record)
            .finish_non_exhaustive()
    }
}

/// Distinguishes the temporary report files of tasks in one process.
static REPORT_SEQUENCE: AtomicU64 = AtomicU64::new(0);

impl CountingSinkTask {
    fn state(&mut self) -> Result<&mut TaskState> {
        self.state
            .as_mut()
            .ok_or_else(|| ConnectError::connect("CountingSinkTask used before start"))
    }
}

#[async_trait]
impl SinkTask for CountingSinkTask {
    async fn start(
        &mut self,
        config: &Properties,
        context: Arc<dyn SinkTaskContext>,
    ) -> Result<()> {
        let parsed = CountingSinkConnector::config_def().parse(config)?;
        let name = config.get(NAME_CONFIG).ok_or_else(|| {
            ConnectError::config(format!(
                "Missing required configuration \"{NAME_CONFIG}\" which has no default value."
            ))
        })?;
        let retriable = parsed.int(RETRIABLE_FAILURES_CONFIG).unwrap_or(0);
        self.state = Some(TaskState {
            counter: counter(name),
            report_file: parsed
                .string(REPORT_FILE_CONFIG)
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
            fail_on_record: parsed.long(FAIL_ON_RECORD_CONFIG),
            errant_on_record: parsed.long(ERRANT_ON_RECORD_CONFIG),
            retriable_failures_left: u32::try_from(retriable).unwrap_or(0),
            context,
        });
        Ok(())
    }

    async fn put(&mut self, records: &[ConnectRecord]) -> Result<()> {
        let state = self.state()?;
        if records.is_empty() {
            return Ok(());
        }
        if state.retriable_failures_left > 0 {
            state.retriable_failures_left -= 1;
            return Err(ConnectError::retriable(format!(
                "Counting sink failing as configured by {RETRIABLE_FAILURES_CONFIG} ({} more to come)",
                state.retriable_failures_left
            )));
        }
        let mut bytes = 0;
        let mut seqs = BTreeMap::new();
        let mut counted = 0;
        for record in records {
            if let Some(errant) = state.errant_on_record
                && record_seq(record) == Some(errant)
            {
                state.context.report_errant(
                    record,
                    ConnectError::data(format!(
                        "Counting sink rejected the record with seq {errant}, as configured by {ERRANT_ON_RECORD_CONFIG}"
                    )),
                )?;
                continue;
            }
            counted += 1;
            bytes += value_size(&record.value);
            if let Some((task, seq)) = sequence_of(&record.value) {
                let entry = seqs.entry(task).or_insert(seq);
                *entry = (*entry).max(seq);
            }
            if let Some(fail) = state.fail_on_record
                && record_seq(record) == Some(fail)
            {
                return Err(ConnectError::connect(format!(
                    "Counting sink failed on the record with seq {fail}, as configured by {FAIL_ON_RECORD_CONFIG}"
                )));
            }
        }
        state.counter.add(counted, bytes, &seqs);
        Ok(())
    }

    async fn flush(&mut self, _offsets: &PartitionOffsets) -> Result<()> {
        let state = self.state()?;
        match &state.report_file {
            Some(path) => write_report(path, &state.counter).await,
            None => Ok(()),
        }
    }

    async fn stop(&mut self) -> Result<()> {
        if let Some(state) = self.state.take()
            && let Some(path) = &state.report_file
            && let Err(error) = write_report(path, &state.counter).await
        {
            tracing::warn!(%error, "Failed to write the final counting sink report.");
        }
        Ok(())
    }
}

/// Replaces `path` with the current totals: written to a temporary file next to it, then
/// renamed over it, so a reader never sees a partial report.
async fn write_report(path: &std::path::Path, counter: &SinkCounter) -> Result<()> {
    // Written by hand to keep the documented key order.
    let report = format!(
        "{{\"records\":{},\"bytes\":{}}}",
        counter.records(),
        counter.bytes()
    );
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_string());
    let temp = path.with_file_name(format!(
        ".{file_name}.{}.{}.tmp",
        std::process::id(),
        REPORT_SEQUENCE.fetch_add(1, Ordering::Relaxed)
    ));
    let failed = |e: &std::io::Error| {
        io_error(
            format!(
                "Failed to write the counting sink report {}",
                path.display()
            ),
            e,
        )
    };
    tokio::fs::write(&temp, report)
        .await
        .map_err(|e| failed(&e))?;
    if let Err(e) = tokio::fs::rename(&temp, path).await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(failed(&e));
    }
    Ok(())
}

/// An integer field of a struct or map value.
fn integer_field(value: &Value, name: &str) -> Option<i64> {
    let field = match value {
        Value::Struct(s) => s.schema().field(name).map(|f| &s.values()[f.index()])?,
        Value::Map(_) => value.map_get(name)?,
        _ => return None,
    };
    match field {
        Value::Int8(v) => Some(i64::from(*v)),
        Value::Int16(v) => Some(i64::from(*v)),
        Value::Int32(v) => Some(i64::from(*v)),
        Value::Int64(v) => Some(*v),
        _ => None,
    }
}

/// The (task, seq) of a datagen `sequence` value, with or without its schema.
fn sequence_of(value: &Value) -> Option<(i32, i64)> {
    let task = i32::try_from(integer_field(value, "task")?).ok()?;
    Some((task, integer_field(value, "seq")?))
}

/// The sequence number of a record: the `seq` field of its value, else its INT64 key, else
/// its 8-byte big-endian key (datagen's `bytes` records).
fn record_seq(record: &ConnectRecord) -> Option<i64> {
    if let Some(seq) = integer_field(&record.value, "seq") {
        return Some(seq);
    }
    match &record.key {
        Value::Int64(seq) => Some(*seq),
        Value::Bytes(b) => Some(i64::from_be_bytes(<[u8; 8]>::try_from(b.as_slice()).ok()?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use connect_core::record::{RecordOrigin, TimestampType};
    use connect_core::{SchemaBuilder, Struct};

    use super::*;
    use crate::util::testing::{NoopSinkContext, props};

    fn sink_record(key: Value, value: Value) -> ConnectRecord {
        let mut record = ConnectRecord::source("t", None, value);
        record.key = key;
        record.origin = RecordOrigin::Sink {
            kafka_offset: 0,
            timestamp_type: TimestampType::CreateTime,
            original_topic: "t".into(),
            original_partition: 0,
        };
        record
    }

    fn sequence(task: i32, seq: i64) -> ConnectRecord {
        let schema = SchemaBuilder::structure()
            .field("task", SchemaBuilder::int32().build().unwrap())
            .field("seq", SchemaBuilder::int64().build().unwrap())
            .build()
            .unwrap();
        let value = Struct::new(schema)
            .unwrap()
            .with("task", Value::Int32(task))
            .unwrap()
            .with("seq", Value::Int64(seq))
            .unwrap();
        sink_record(Value::Int64(seq), Value::Struct(value))
    }

    async fn started(pairs: &[(&str, &str)]) -> CountingSinkTask {
        let mut task = CountingSinkTask::default();
        task.start(&props(pairs), Arc::new(NoopSinkContext))
            .await
            .unwrap();
        task
    }

    #[tokio::test]
    async fn counts_records_bytes_and_highest_seq_per_task() {
        let c = counter("counts-test");
        let mut task = started(&[("name", "counts-test")]).await;
        assert_eq!(c.first_record_at(), None);
        task.put(&[
            sink_record(Value::Null, Value::Bytes(vec![0; 10])),
            sink_record(Value::Null, Value::String("héllo".into())),
        ])
        .await
        .unwrap();
        let first = c.first_record_at().unwrap();
        task.put(&[sequence(0, 5), sequence(1, 7), sequence(0, 3)])
            .await
            .unwrap();
        assert_eq!(c.records(), 5);
        // 10 bytes + 6 UTF-8 bytes + three (int32 + int64) structs.
        assert_eq!(c.bytes(), 10 + 6 + 3 * 12);
        assert_eq!(c.max_seqs(), BTreeMap::from([(0, 5), (1, 7)]));
        assert_eq!(c.max_seq(2), None);
        assert_eq!(c.first_record_at(), Some(first));
        assert!(c.last_record_at().unwrap() >= first);
        assert!(c.wait_for_records(5, Duration::from_millis(10)).await);
        assert!(!c.wait_for_records(6, Duration::from_millis(10)).await);
        // Another task of the same connector adds to the same counter.
        let mut other = started(&[("name", "counts-test")]).await;
        other
            .put(&[sink_record(Value::Null, Value::Null)])
            .await
            .unwrap();
        assert_eq!(counter("counts-test").records(), 6);
        c.reset();
        assert_eq!((c.records(), c.bytes(), c.first_record_at()), (0, 0, None));
    }

    #[tokio::test]
    async fn waiters_wake_when_records_arrive() {
        let c = counter("wait-test");
        let mut task = started(&[("name", "wait-test")]).await;
        let waiter = {
            let c = c.clone();
            tokio::spawn(async move { c.wait_for_records(2, Duration::from_secs(5)).await })
        };
        tokio::task::yield_now().await;
        task.put(&[sequence(0, 0), sequence(0, 1)]).await.unwrap();
        assert!(waiter.await.unwrap());
    }

    #[tokio::test]
    async fn flush_replaces_the_report_file_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.json");
        let mut task = started(&[
            ("name", "report-test"),
            ("report.file", report.to_str().unwrap()),
        ])
        .await;
        task.put(&[sink_record(Value::Null, Value::Bytes(vec![1; 4]))])
            .await
            .unwrap();
        task.flush(&PartitionOffsets::new()).await.unwrap();
        assert_eq!(
            std::fs::read_to_string(&report).unwrap(),
            r#"{"records":1,"bytes":4}"#
        );
        task.put(&[sink_record(Value::Null, Value::Bytes(vec![1; 4]))])
            .await
            .unwrap();
        task.flush(&PartitionOffsets::new()).await.unwrap();
        let parsed: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        assert_eq!(parsed, serde_json::json!({"records": 2, "bytes": 8}));
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[tokio::test]
    async fn fails_for_good_on_the_configured_record() {
        let c = counter("fail-test");
        let mut task = started(&[("name", "fail-test"), ("fail.on.record", "2")]).await;
        task.put(&[sequence(0, 0), sequence(0, 1)]).await.unwrap();
        let err = task
            .put(&[sequence(0, 2), sequence(0, 3)])
            .await
            .unwrap_err();
        assert!(!err.is_retriable());
        assert_eq!(
            err.message(),
            "Counting sink failed on the record with seq 2, as configured by fail.on.record"
        );
        assert_eq!(c.records(), 2);
        // The bytes datagen schema carries the seq in its key.
        let mut bytes_task = started(&[("name", "fail-test"), ("fail.on.record", "258")]).await;
        let err = bytes_task
            .put(&[sink_record(
                Value::Bytes(258i64.to_be_bytes().to_vec()),
                Value::Bytes(vec![]),
            )])
            .await
            .unwrap_err();
        assert!(!err.is_retriable());
    }

    #[tokio::test]
    async fn first_puts_fail_retriably_when_configured() {
        let c = counter("retry-test");
        let mut task = started(&[("name", "retry-test"), ("retriable.failures", "2")]).await;
        // Empty puts do not use up the failures.
        task.put(&[]).await.unwrap();
        assert!(
            task.put(&[sequence(0, 0)])
                .await
                .unwrap_err()
                .is_retriable()
        );
        assert!(
            task.put(&[sequence(0, 0)])
                .await
                .unwrap_err()
                .is_retriable()
        );
        task.put(&[sequence(0, 0)]).await.unwrap();
        assert_eq!(c.records(), 1);
    }

    #[tokio::test]
    async fn a_task_needs_the_connector_name() {
        let mut task = CountingSinkTask::default();
        let err = task
            .start(&props(&[]), Arc::new(NoopSinkContext))
            .await
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Missing required configuration \"name\" which has no default value."
        );
    }

    #[test]
    fn value_size_measures_data() {
        assert_eq!(value_size(&Value::Null), 0);
        assert_eq!(value_size(&Value::Float64(1.0)), 8);
        assert_eq!(
            value_size(&Value::Array(vec![
                Value::Int16(1),
                Value::String("ab".into())
            ])),
            4
        );
        assert_eq!(
            value_size(&Value::Decimal(connect_core::BigDecimal::new(1234, 2))),
            2
        );
    }
}
