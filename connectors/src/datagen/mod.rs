//! `datagen`: deterministic generated records for demos, tests and benchmarks
//! (`io.connectrs.connect.datagen.DatagenConnector`, alias `Datagen`).
//!
//! Every record is a pure function of (seed, task, sequence number), so a restarted task
//! regenerates exactly the records it produced before, and end-to-end tests can predict the
//! topic's contents. Task `i` owns the sequence numbers `i * count .. (i + 1) * count` (with
//! `count = -1`, blocks of 2^48), so tasks never produce the same key. Source partition
//! `{"task": i}`, offset `{"seq": <next sequence number>}`; a task resumes from its committed
//! offset. Records carry no timestamp (the producer stamps them), because deterministic
//! timestamps in the past would expire at once under time-based retention; the generated
//! `ts`/`*_at` fields are deterministic instead.
//!
//! `rate` paces each task with a token bucket on tokio's clock (at most one second, or one
//! batch, of burst); once `count` records are out, `poll` idles and returns empty batches.

mod generate;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use connect_core::config::{ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Validator};
use connect_core::connector::{
    Connector, ConnectorContext, SourceConnector, SourceTask, SourceTaskContext,
};
use connect_core::record::{ConnectRecord, OffsetMap, RecordOrigin, SourcePartition};
use connect_core::{ConnectError, Headers, Properties, Result};
use tokio::time::Instant;

use crate::util::{json_integer, parse_partition_key};
use generate::{Generator, Kind};

/// The topic records are written to.
pub const TOPIC_CONFIG: &str = "topic";
/// Which data to generate: `users`, `orders`, `sequence` or `bytes`.
pub const SCHEMA_CONFIG: &str = "schema";
/// Records per task; -1 for no end.
pub const COUNT_CONFIG: &str = "count";
/// Records per second per task; 0 for as fast as possible.
pub const RATE_CONFIG: &str = "rate";
/// Size of each `bytes` value.
pub const PAYLOAD_SIZE_CONFIG: &str = "payload.size";
/// The seed all generated data derives from.
pub const SEED_CONFIG: &str = "seed";
/// Most records one poll returns.
pub const BATCH_SIZE_CONFIG: &str = "batch.size";
/// Set by the connector in each task config: the task's index, which picks its sequence range.
pub const TASK_INDEX_CONFIG: &str = "datagen.task.index";
/// The source partition key holding the task index.
pub const TASK_FIELD: &str = "task";
/// The source offset key holding the next sequence number.
pub const SEQ_FIELD: &str = "seq";

/// Size of each task's sequence range when `count` is -1: large enough never to run out
/// (2^48 records), small enough for 32768 tasks to fit in an `i64`.
const UNBOUNDED_BLOCK: i64 = 1 << 48;
/// How long an idle `poll` (count reached, or waiting on the rate) waits before returning an
/// empty batch: short enough for pause and stop requests to be seen promptly.
const IDLE_WAIT: Duration = Duration::from_secs(1);

/// Generates deterministic records (`io.connectrs.connect.datagen.DatagenConnector`). Runs
/// `tasks.max` tasks, each with its own sequence range.
#[derive(Debug, Default)]
pub struct DatagenConnector {
    props: Properties,
}

impl DatagenConnector {
    /// The class name users write in `connector.class` (or its alias `Datagen`).
    pub const CLASS_NAME: &'static str = "io.connectrs.connect.datagen.DatagenConnector";

    /// The connector's settings.
    pub fn config_def() -> ConfigDef {
        let at_least = |min: i64| Validator::Range {
            min: Some(min),
            max: None,
        };
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    TOPIC_CONFIG,
                    ConfigType::String,
                    Importance::High,
                    "The topic to write generated records to.",
                )
                .with_validator(Validator::NonEmptyString),
            )
            .define(
                ConfigKey::new(
                    SCHEMA_CONFIG,
                    ConfigType::String,
                    Importance::High,
                    "What to generate: 'sequence' ({task, seq, ts} structs keyed by seq, easy to check for loss and duplicates), 'users' and 'orders' (realistic typed structs, orders with Decimal amounts), or 'bytes' (opaque values of payload.size bytes keyed by the big-endian seq, for the ByteArrayConverter).",
                )
                .with_default(ConfigValue::String("sequence".to_string()))
                .with_validator(Validator::OneOf(
                    Kind::NAMES.iter().map(|s| s.to_string()).collect(),
                )),
            )
            .define(
                ConfigKey::new(
                    COUNT_CONFIG,
                    ConfigType::Long,
                    Importance::High,
                    "How many records each task produces before going idle; -1 for no end.",
                )
                .with_default(ConfigValue::Long(-1))
                .with_validator(at_least(-1)),
            )
            .define(
                ConfigKey::new(
                    RATE_CONFIG,
                    ConfigType::Double,
                    Importance::Medium,
                    "Records per second per task; 0 for as fast as possible. Fractions are allowed (0.5 is one record every two seconds).",
                )
                .with_default(ConfigValue::Double(0.0))
                .with_validator(at_least(0)),
            )
            .define(
                ConfigKey::new(
                    PAYLOAD_SIZE_CONFIG,
                    ConfigType::Int,
                    Importance::Medium,
                    "Size in bytes of each value of the 'bytes' schema.",
                )
                .with_default(ConfigValue::Int(100))
                .with_validator(at_least(0)),
            )
            .define(
                ConfigKey::new(
                    SEED_CONFIG,
                    ConfigType::Long,
                    Importance::Low,
                    "The seed every generated value derives from: the same seed gives the same records.",
                )
                .with_default(ConfigValue::Long(0)),
            )
            .define(
                ConfigKey::new(
                    BATCH_SIZE_CONFIG,
                    ConfigType::Int,
                    Importance::Low,
                    "The maximum number of records one poll returns.",
                )
                .with_default(ConfigValue::Int(1000))
                .with_validator(at_least(1)),
            )
    }
}

#[async_trait]
impl Connector for DatagenConnector {
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
        Ok((0..max_tasks)
            .map(|i| {
                let mut config = self.props.clone();
                config.insert(TASK_INDEX_CONFIG.to_string(), i.to_string());
                config
            })
            .collect())
    }

    async fn stop(&mut self) -> Result<()> {
        Ok(())
    }
}

#[async_trait]
impl SourceConnector for DatagenConnector {
    /// Accepts offsets a task can resume from: partition `{"task": <non-negative integer>}`,
    /// offset `{"seq": <non-negative integer>}` or null.
    async fn alter_offsets(
        &self,
        config: &Properties,
        offsets: &BTreeMap<String, Option<OffsetMap>>,
    ) -> Result<bool> {
        Self::config_def().parse(config)?;
        for (partition, offset) in offsets {
            let Some(partition) = parse_partition_key(partition)? else {
                return Err(ConnectError::connect("Partition objects cannot be null"));
            };
            if partition
                .get(TASK_FIELD)
                .and_then(json_integer)
                .is_none_or(|t| t < 0)
            {
                return Err(ConnectError::connect(format!(
                    "Partition objects should contain the key '{TASK_FIELD}' with a non-negative integer value"
                )));
            }
            let Some(offset) = offset else { continue };
            if offset
                .get(SEQ_FIELD)
                .and_then(json_integer)
                .is_none_or(|s| s < 0)
            {
                return Err(ConnectError::connect(format!(
                    "Offset objects should either be null or contain the key '{SEQ_FIELD}' with a non-negative integer value"
                )));
            }
        }
        Ok(true)
    }
}

/// The task of [`DatagenConnector`]: produces its sequence range, paced by `rate`.
pub struct DatagenTask {
    idle_wait: Duration,
    state: Option<TaskState>,
}

impl Default for DatagenTask {
    fn default() -> Self {
        Self {
            idle_wait: IDLE_WAIT,
            state: None,
        }
    }
}

impl std::fmt::Debug for DatagenTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatagenTask").finish_non_exhaustive()
    }
}

struct TaskState {
    topic: String,
    generator: Generator,
    partition: SourcePartition,
    /// The next sequence number to produce.
    next: i64,
    /// One past the last sequence number of the task's range.
    end: i64,
    batch_size: usize,
    pacer: Option<Pacer>,
    task: i64,
    done_logged: bool,
}

#[async_trait]
impl SourceTask for DatagenTask {
    async fn start(&mut self, config: &Properties, context: SourceTaskContext) -> Result<()> {
        let parsed = DatagenConnector::config_def().parse(config)?;
        let text = |key: &str| parsed.string(key).unwrap_or_default().to_string();
        let task: i64 = match config.get(TASK_INDEX_CONFIG) {
            None => 0,
            Some(raw) => raw.trim().parse().map_err(|_| {
                ConnectError::invalid_config_value(TASK_INDEX_CONFIG, raw, "Not a task index")
            })?,
        };
        let count = parsed.long(COUNT_CONFIG).unwrap_or(-1);
        let block = if count < 0 { UNBOUNDED_BLOCK } else { count };
        let range = task
            .checked_mul(block)
            .and_then(|start| Some((start, start.checked_add(block)?)))
            .filter(|_| (0..=i64::from(i32::MAX)).contains(&task));
        let Some((start, end)) = range else {
            return Err(ConnectError::invalid_config_value(
                TASK_INDEX_CONFIG,
                &task.to_string(),
                "The task's sequence range does not fit in a 64-bit integer",
            ));
        };
        let kind = Kind::from_name(&text(SCHEMA_CONFIG))
            .ok_or_else(|| ConnectError::config("Unknown datagen schema"))?;
        let payload_size = parsed.int(PAYLOAD_SIZE_CONFIG).unwrap_or(100);
        let generator = Generator::new(
            kind,
            parsed.long(SEED_CONFIG).unwrap_or(0),
            task as i32,
            usize::try_from(payload_size).unwrap_or(0),
        )?;
        let mut partition = OffsetMap::new();
        partition.insert(TASK_FIELD.to_string(), task.into());
        let next = match context.offsets.offset(&partition) {
            None => start,
            Some(offset) => match offset.get(SEQ_FIELD) {
                None | Some(serde_json::Value::Null) => start,
                Some(value) => match json_integer(value) {
                    Some(seq) if (start..=end).contains(&seq) => seq,
                    Some(seq) => {
                        tracing::warn!(
                            task,
                            seq,
                            start,
                            end,
                            "The committed sequence number is outside the task's range (count changed?); starting at the beginning of the range."
                        );
                        start
                    }
                    None => {
                        return Err(ConnectError::connect(format!(
                            "The '{SEQ_FIELD}' of the committed offset is not an integer: {value}"
                        )));
                    }
                },
            },
        };
        let rate = parsed.double(RATE_CONFIG).unwrap_or(0.0);
        let batch_size = usize::try_from(parsed.int(BATCH_SIZE_CONFIG).unwrap_or(1000))
            .unwrap_or(1)
            .max(1);
        tracing::info!(task, start, end, next, "Starting datagen task.");
        self.state = Some(TaskState {
            topic: text(TOPIC_CONFIG),
            generator,
            partition: SourcePartition::new(partition),
            next,
            end,
            batch_size,
            pacer: (rate > 0.0).then(|| Pacer::new(rate, batch_size)),
            task,
            done_logged: false,
        });
        Ok(())
    }

    async fn poll(&mut self) -> Result<Vec<ConnectRecord>> {
        let state = self
            .state
            .as_mut()
            .ok_or_else(|| ConnectError::connect("DatagenTask polled before start"))?;
        let deadline = Instant::now() + self.idle_wait;
        if state.next >= state.end {
            if !state.done_logged {
                tracing::info!(task = state.task, "Datagen task produced all its records.");
                state.done_logged = true;
            }
            tokio::time::sleep_until(deadline).await;
            return Ok(Vec::new());
        }
        let remaining = usize::try_from(state.end - state.next).unwrap_or(usize::MAX);
        let wanted = state.batch_size.min(remaining);
        let n = match state.pacer.as_mut() {
            None => wanted,
            Some(pacer) => pacer.acquire(wanted, deadline).await,
        };
        let last = state.next + n as i64 - 1;
        // Only the batch's last record carries an offset: the runtime commits the latest
        // offset of the acknowledged prefix, so the others need none (and cost nothing).
        let records = (state.next..=last)
            .map(|seq| state.record(seq, seq == last))
            .collect();
        state.next += n as i64;
        Ok(records)
    }

    async fn stop(&mut self) -> Result<()> {
        self.state = None;
        Ok(())
    }
}

impl TaskState {
    fn record(&self, seq: i64, with_offset: bool) -> ConnectRecord {
        let generated = self.generator.generate(seq);
        let offset = with_offset.then(|| {
            let mut offset = OffsetMap::new();
            offset.insert(SEQ_FIELD.to_string(), (seq + 1).into());
            offset
        });
        ConnectRecord {
            topic: self.topic.clone(),
            kafka_partition: None,
            key_schema: Some(generated.key_schema),
            key: generated.key,
            value_schema: Some(generated.value_schema),
            value: generated.value,
            timestamp: None,
            headers: Headers::new(),
            origin: RecordOrigin::Source {
                partition: Some(self.partition.clone()),
                offset,
            },
        }
    }
}

/// A token bucket on tokio's clock: `rate` tokens a second, holding at most one second's
/// worth (and at most one batch), so a task that was paused does not burst far above its rate.
struct Pacer {
    rate: f64,
    capacity: f64,
    tokens: f64,
    refilled_at: Instant,
}

impl Pacer {
    fn new(rate: f64, batch_size: usize) -> Self {
        Self {
            rate,
            capacity: rate.min(batch_size as f64).max(1.0),
            // The first record goes out at once.
            tokens: 1.0,
            refilled_at: Instant::now(),
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        self.refilled_at = now;
    }

    /// Takes up to `max` tokens, sleeping until at least one is there or `deadline` passes
    /// (then 0).
    async fn acquire(&mut self, max: usize, deadline: Instant) -> usize {
        loop {
            let now = Instant::now();
            self.refill(now);
            if self.tokens >= 1.0 {
                let n = (self.tokens.floor() as usize).min(max);
                self.tokens -= n as f64;
                return n;
            }
            if now >= deadline {
                return 0;
            }
            let wait = Duration::from_secs_f64((1.0 - self.tokens) / self.rate);
            tokio::time::sleep_until((now + wait).min(deadline)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use connect_core::Value;
    use serde_json::json;

    use super::*;
    use crate::util::testing::{MemoryOffsets, props};

    struct NoContext;
    impl ConnectorContext for NoContext {
        fn request_task_reconfiguration(&self) {}
        fn raise_error(&self, _: ConnectError) {}
    }

    async fn task(pairs: &[(&str, &str)], offsets: MemoryOffsets) -> DatagenTask {
        let mut task = DatagenTask::default();
        task.start(&props(pairs), offsets.context()).await.unwrap();
        task
    }

    async fn drain(task: &mut DatagenTask) -> Vec<ConnectRecord> {
        let mut all = Vec::new();
        loop {
            let batch = task.poll().await.unwrap();
            if batch.is_empty() {
                return all;
            }
            all.extend(batch);
        }
    }

    fn seq_of(record: &ConnectRecord) -> i64 {
        match record.key {
            Value::Int64(seq) => seq,
            _ => panic!("key is not a seq"),
        }
    }

    fn offset_of(record: &ConnectRecord) -> serde_json::Value {
        match &record.origin {
            RecordOrigin::Source {
                partition: Some(p),
                offset: Some(o),
            } => json!([p.as_ref(), o]),
            _ => panic!("no partition and offset"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn sequence_records_carry_task_seq_and_offsets() {
        let mut t = task(
            &[("topic", "seq"), ("count", "3"), (TASK_INDEX_CONFIG, "2")],
            MemoryOffsets::default(),
        )
        .await;
        let records = drain(&mut t).await;
        assert_eq!(records.len(), 3);
        let first = &records[0];
        assert_eq!(first.topic, "seq");
        assert_eq!(first.key, Value::Int64(6));
        assert_eq!(
            first.value.to_java_string(),
            "Struct{task=2,seq=6,ts=Mon Jan 01 00:00:00 UTC 2024}"
        );
        // Every record names its partition; only the batch's last carries the offset.
        let RecordOrigin::Source { partition, offset } = &first.origin else {
            panic!("not a source record")
        };
        assert_eq!(json!(partition.as_deref()), json!({"task": 2}));
        assert_eq!(offset, &None);
        assert_eq!(offset_of(&records[2]), json!([{"task": 2}, {"seq": 9}]));
    }

    #[tokio::test(start_paused = true)]
    async fn restarted_task_regenerates_identical_records_from_its_offset() {
        for schema in ["users", "orders", "sequence", "bytes"] {
            let config = [
                ("topic", "t"),
                ("schema", schema),
                ("count", "20"),
                ("seed", "42"),
                ("batch.size", "7"),
                (TASK_INDEX_CONFIG, "1"),
            ];
            let mut first = task(&config, MemoryOffsets::default()).await;
            let all = drain(&mut first).await;
            assert_eq!(all.len(), 20);
            // Batches of 7: records 6, 13 and 19 end a batch and carry offsets.
            let resume_at = all[13].clone();
            let RecordOrigin::Source {
                partition: Some(partition),
                offset: Some(offset),
            } = &resume_at.origin
            else {
                panic!()
            };
            let offsets = MemoryOffsets::with(json!(partition.as_ref()), json!(offset));
            let mut second = task(&config, offsets).await;
            let rest = drain(&mut second).await;
            assert_eq!(rest, all[14..].to_vec(), "schema {schema}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn tasks_produce_disjoint_sequence_ranges() {
        let mut connector = DatagenConnector::default();
        connector
            .start(
                &props(&[("topic", "t"), ("count", "50")]),
                Arc::new(NoContext),
            )
            .await
            .unwrap();
        let configs = connector.task_configs(3).unwrap();
        assert_eq!(configs.len(), 3);
        let mut seen = BTreeSet::new();
        for config in configs {
            let mut t = DatagenTask::default();
            t.start(&config, MemoryOffsets::default().context())
                .await
                .unwrap();
            let records = drain(&mut t).await;
            assert_eq!(records.len(), 50);
            for record in &records {
                assert!(
                    seen.insert(seq_of(record)),
                    "duplicate seq {}",
                    seq_of(record)
                );
            }
        }
        assert_eq!(seen, (0..150).collect());
    }

    #[tokio::test(start_paused = true)]
    async fn rate_is_honoured_without_busy_polling() {
        let mut t = task(
            &[
                ("topic", "t"),
                ("count", "300"),
                ("rate", "100"),
                ("batch.size", "50"),
            ],
            MemoryOffsets::default(),
        )
        .await;
        let started = Instant::now();
        let mut produced = 0;
        let mut polls = 0;
        while produced < 300 {
            let batch = t.poll().await.unwrap();
            assert!(batch.len() <= 50);
            produced += batch.len();
            polls += 1;
        }
        let elapsed = started.elapsed();
        // The first record is immediate, then 100 a second: 299 more take ~2.99 s.
        assert!(
            elapsed >= Duration::from_millis(2900) && elapsed <= Duration::from_millis(3100),
            "{elapsed:?}"
        );
        // One record per millisecond tick at most would be ~300 polls; a busy loop far more.
        assert!(polls <= 320, "{polls} polls");
    }

    #[tokio::test(start_paused = true)]
    async fn slow_rates_return_empty_batches_within_a_second() {
        let mut t = task(
            &[("topic", "t"), ("rate", "0.25")],
            MemoryOffsets::default(),
        )
        .await;
        assert_eq!(t.poll().await.unwrap().len(), 1);
        let started = Instant::now();
        assert!(t.poll().await.unwrap().is_empty());
        assert!(started.elapsed() <= Duration::from_secs(1));
        let mut waited = Duration::ZERO;
        loop {
            let begun = Instant::now();
            let batch = t.poll().await.unwrap();
            waited += begun.elapsed();
            if !batch.is_empty() {
                break;
            }
        }
        // Four seconds per record, one of which passed in the first empty poll.
        assert!(waited >= Duration::from_millis(2900), "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn finished_task_idles_with_empty_batches() {
        let mut t = task(&[("topic", "t"), ("count", "2")], MemoryOffsets::default()).await;
        assert_eq!(t.poll().await.unwrap().len(), 2);
        for _ in 0..3 {
            let started = Instant::now();
            assert!(t.poll().await.unwrap().is_empty());
            assert!(started.elapsed() <= Duration::from_secs(1));
        }
    }

    #[tokio::test(start_paused = true)]
    async fn offsets_outside_the_range_restart_the_range() {
        let offsets = MemoryOffsets::with(json!({"task": 0}), json!({"seq": 999}));
        let mut t = task(&[("topic", "t"), ("count", "5")], offsets).await;
        let records = drain(&mut t).await;
        assert_eq!(
            records.iter().map(seq_of).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4]
        );

        let finished = MemoryOffsets::with(json!({"task": 0}), json!({"seq": 5}));
        let mut t = task(&[("topic", "t"), ("count", "5")], finished).await;
        assert!(t.poll().await.unwrap().is_empty());
    }

    #[test]
    fn config_rejects_unknown_schemas_and_bad_numbers() {
        let def = DatagenConnector::config_def();
        let err = def
            .parse(&props(&[("topic", "t"), ("schema", "cats")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value cats for configuration schema: String must be one of: users, orders, sequence, bytes"
        );
        let err = def
            .parse(&props(&[("topic", "t"), ("count", "-2")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value -2 for configuration count: Value must be at least -1"
        );
        let err = def
            .parse(&props(&[("topic", "t"), ("rate", "-1")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value -1.0 for configuration rate: Value must be at least 0"
        );
    }

    #[tokio::test]
    async fn alter_offsets_accepts_task_partitions_only() {
        let connector = DatagenConnector::default();
        let config = props(&[("topic", "t")]);
        let one = |p: serde_json::Value, o: serde_json::Value| {
            BTreeMap::from([(p.to_string(), o.as_object().cloned())])
        };
        assert!(
            connector
                .alter_offsets(&config, &one(json!({"task": 1}), json!({"seq": 10})))
                .await
                .unwrap()
        );
        assert!(
            connector
                .alter_offsets(&config, &one(json!({"task": 1}), json!(null)))
                .await
                .unwrap()
        );
        for (p, o) in [
            (json!({"file": 1}), json!({"seq": 1})),
            (json!({"task": -1}), json!({"seq": 1})),
            (json!({"task": 0}), json!({"seq": -1})),
            (json!({"task": 0}), json!({"position": 1})),
        ] {
            assert!(connector.alter_offsets(&config, &one(p, o)).await.is_err());
        }
    }
}
