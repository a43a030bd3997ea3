//! Turning a consumed batch into sink records: header, key and value conversion, then the
//! transformation chain, each record under the connector's error handling.
//!
//! Two paths produce the same result. With synchronous converters (JSON, bytes, string)
//! the batch is converted straight from the consumer's borrowed messages: one copy of each
//! key and value, no future per record. Converters that may do I/O (a schema registry)
//! work on owned copies and may be awaited and retried. A retriable failure on the
//! synchronous path, when retries are configured, sends the whole batch down the other
//! path, which retries it properly.

use std::collections::HashMap;
use std::sync::Arc;

use connect_core::record::{RecordOrigin, TimestampType};
use connect_core::{
    ConnectError, ConnectRecord, Converter, Headers, SchemaAndValue, SyncConverter,
};
use rdkafka::message::{BorrowedMessage, Headers as _, Message, Timestamp};

use crate::errors::{ErrorHandler, ErrorReport, OriginalRecord, RetryTimeout, Stage};
use crate::plugins::ConnectorConverters;
use crate::task_common::{TaskEnv, stage_failure};
use crate::transform_step::{StageFailure, Step, transform, transform_with_retries};

/// A failure that stops the task: what was being done, and the error.
pub(crate) type Failure = (String, ConnectError);

/// Identifies a consumed record: topic, partition and offset.
pub(crate) type RecordId = (String, i32, i64);

/// The outcome of converting and transforming one batch.
#[derive(Debug, Default)]
pub(crate) struct Processed {
    /// Records for the task's `put`.
    pub(crate) records: Vec<ConnectRecord>,
    /// Records that failed and were skipped (`errors.tolerance=all`), for the dead letter
    /// queue.
    pub(crate) failed: Vec<ErrorReport>,
    /// The consumed bytes of every record in `records`, kept only when the task may report
    /// errant records, so those go to the dead letter queue exactly as consumed.
    pub(crate) originals: HashMap<RecordId, OriginalRecord>,
}

/// What the synchronous path achieved.
pub(crate) enum SyncOutcome {
    /// The batch is processed.
    Done(Processed),
    /// A retriable failure must be retried: process the batch on the asynchronous path.
    Retry,
}

/// The consumed record as bytes, for error reports and the dead letter queue.
pub(crate) fn original_of(message: &BorrowedMessage<'_>) -> OriginalRecord {
    let (timestamp, timestamp_type) = timestamp_of(message);
    let headers = message
        .headers()
        .map(|hs| {
            hs.iter()
                .map(|h| (h.key.to_string(), h.value.map(<[u8]>::to_vec)))
                .collect()
        })
        .unwrap_or_default();
    OriginalRecord {
        topic: message.topic().to_string(),
        partition: message.partition(),
        offset: message.offset(),
        timestamp,
        timestamp_type,
        key: message.key().map(<[u8]>::to_vec),
        value: message.payload().map(<[u8]>::to_vec),
        headers,
    }
}

fn timestamp_of(message: &BorrowedMessage<'_>) -> (Option<i64>, TimestampType) {
    match message.timestamp() {
        Timestamp::CreateTime(t) => (Some(t), TimestampType::CreateTime),
        Timestamp::LogAppendTime(t) => (Some(t), TimestampType::LogAppendTime),
        Timestamp::NotAvailable => (None, TimestampType::NoTimestampType),
    }
}

/// Where a consumed record came from, before any transform renamed it.
struct Consumed<'a> {
    topic: &'a str,
    partition: i32,
    offset: i64,
    timestamp: Option<i64>,
    timestamp_type: TimestampType,
}

fn sink_record(
    meta: Consumed<'_>,
    original_topic: Arc<str>,
    headers: Headers,
    key: SchemaAndValue,
    value: SchemaAndValue,
) -> ConnectRecord {
    ConnectRecord {
        topic: meta.topic.to_string(),
        kafka_partition: Some(meta.partition),
        key_schema: key.schema,
        key: key.value,
        value_schema: value.schema,
        value: value.value,
        timestamp: meta.timestamp,
        headers,
        origin: RecordOrigin::Sink {
            kafka_offset: meta.offset,
            timestamp_type: meta.timestamp_type,
            original_topic,
            original_partition: meta.partition,
        },
    }
}

/// Converts header values; a failure names the header converter.
fn convert_headers<'a>(
    converters: &ConnectorConverters,
    topic: &str,
    raw: impl Iterator<Item = (&'a str, Option<&'a [u8]>)>,
) -> Step<Headers> {
    let mut headers = Headers::new();
    for (key, value) in raw {
        match converters.header.to_connect_header(topic, key, value) {
            Ok(converted) => {
                headers.add(key.to_string(), converted.schema, converted.value);
            }
            Err(error) => {
                return Err(StageFailure {
                    stage: Stage::HeaderConverter,
                    class_name: converters.class_names.header.clone(),
                    error,
                });
            }
        }
    }
    Ok(headers)
}

/// A record failed for good: kept for the dead letter queue when tolerated, otherwise the
/// failure that stops the task, with the stage, class and record in its description.
fn tolerate(
    env: &TaskEnv,
    failure: StageFailure,
    original: OriginalRecord,
    failed: &mut Vec<ErrorReport>,
) -> Result<(), Failure> {
    let report = failure.into_report(Some(original), None);
    let context = format!("{} ({})", stage_failure(report.stage), report.context(true));
    let report = env
        .errors
        .failed(report)
        .map_err(|fatal| (context, fatal))?;
    failed.push(report);
    Ok(())
}

/// Keeps a transformed record for `put` (with its consumed bytes when the task may report
/// it as errant), or handles its failure.
fn collect(
    env: &TaskEnv,
    step: Step<Option<ConnectRecord>>,
    original: impl FnOnce() -> OriginalRecord,
    keep_originals: bool,
    processed: &mut Processed,
) -> Result<(), Failure> {
    match step {
        Ok(Some(record)) => {
            if keep_originals {
                let original = original();
                processed.originals.insert(id_of(&original), original);
            }
            processed.records.push(record);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(failure) => tolerate(env, failure, original(), &mut processed.failed),
    }
}

/// The topic name shared by the records of a batch (a batch rarely spans topics): a new
/// allocation only when the topic changes.
fn shared_topic(last: &mut Option<Arc<str>>, topic: &str) -> Arc<str> {
    match last {
        Some(shared) if &**shared == topic => shared.clone(),
        _ => {
            let shared: Arc<str> = Arc::from(topic);
            *last = Some(shared.clone());
            shared
        }
    }
}

fn id_of(original: &OriginalRecord) -> RecordId {
    (original.topic.clone(), original.partition, original.offset)
}

/// Converts one consumed message's headers, key and value with synchronous converters.
fn convert_borrowed(
    converters: &ConnectorConverters,
    key_converter: &dyn SyncConverter,
    value_converter: &dyn SyncConverter,
    message: &BorrowedMessage<'_>,
) -> Step<(Headers, SchemaAndValue, SchemaAndValue)> {
    let headers = match message.headers() {
        Some(raw) => convert_headers(
            converters,
            message.topic(),
            raw.iter().map(|h| (h.key, h.value)),
        )?,
        None => Headers::new(),
    };
    let failed = |stage, class_name: &String, error| StageFailure {
        stage,
        class_name: class_name.clone(),
        error,
    };
    let key = key_converter
        .deserialize(message.key())
        .map_err(|e| failed(Stage::KeyConverter, &converters.class_names.key, e))?;
    let value = value_converter
        .deserialize(message.payload())
        .map_err(|e| failed(Stage::ValueConverter, &converters.class_names.value, e))?;
    Ok((headers, key, value))
}

/// Converts one side (key or value) of an owned record.
async fn convert_side(
    errors: &ErrorHandler,
    converter: &Arc<dyn Converter>,
    topic: &str,
    headers: &Headers,
    bytes: Option<&[u8]>,
    retry: bool,
    stopping: &(dyn Fn() -> bool + Send + Sync),
) -> Result<SchemaAndValue, ConnectError> {
    if retry {
        errors
            .retrying(stopping, || {
                converter.to_connect_data(topic, headers, bytes)
            })
            .await
    } else {
        converter.to_connect_data(topic, headers, bytes).await
    }
}

/// Converts one owned record's key and value, awaiting converters that may do I/O and
/// retrying retriable failures when `retry` is set.
async fn convert_owned(
    errors: &ErrorHandler,
    converters: &ConnectorConverters,
    original: &OriginalRecord,
    headers: &Headers,
    retry: bool,
    stopping: &(dyn Fn() -> bool + Send + Sync),
) -> Step<(SchemaAndValue, SchemaAndValue)> {
    let topic = original.topic.as_str();
    let key = convert_side(
        errors,
        &converters.key,
        topic,
        headers,
        original.key.as_deref(),
        retry,
        stopping,
    )
    .await
    .map_err(|error| StageFailure {
        stage: Stage::KeyConverter,
        class_name: converters.class_names.key.clone(),
        error,
    })?;
    let value = convert_side(
        errors,
        &converters.value,
        topic,
        headers,
        original.value.as_deref(),
        retry,
        stopping,
    )
    .await
    .map_err(|error| StageFailure {
        stage: Stage::ValueConverter,
        class_name: converters.class_names.value.clone(),
        error,
    })?;
    Ok((key, value))
}

/// Converts and transforms a batch straight from the consumed messages with synchronous
/// converters.
pub(crate) fn process_borrowed(
    env: &mut TaskEnv,
    messages: &[BorrowedMessage<'_>],
    keep_originals: bool,
) -> Result<SyncOutcome, Failure> {
    let converters = env.converters.clone();
    let (Some(key_converter), Some(value_converter)) =
        (converters.key.as_sync(), converters.value.as_sync())
    else {
        return Ok(SyncOutcome::Retry);
    };
    let mut processed = Processed {
        records: Vec::with_capacity(messages.len()),
        ..Processed::default()
    };
    let mut last_topic = None;
    for message in messages {
        let topic = message.topic();
        let record = match convert_borrowed(&converters, key_converter, value_converter, message) {
            Ok((headers, key, value)) => {
                let (timestamp, timestamp_type) = timestamp_of(message);
                let meta = Consumed {
                    topic,
                    partition: message.partition(),
                    offset: message.offset(),
                    timestamp,
                    timestamp_type,
                };
                let original_topic = shared_topic(&mut last_topic, topic);
                sink_record(meta, original_topic, headers, key, value)
            }
            Err(failure) => {
                if env.errors.retries(&failure.error) {
                    return Ok(SyncOutcome::Retry);
                }
                tolerate(env, failure, original_of(message), &mut processed.failed)?;
                continue;
            }
        };
        let step = transform(&mut env.transforms, record);
        if let Err(failure) = &step
            && env.errors.retries(&failure.error)
        {
            return Ok(SyncOutcome::Retry);
        }
        collect(
            env,
            step,
            || original_of(message),
            keep_originals,
            &mut processed,
        )?;
    }
    Ok(SyncOutcome::Done(processed))
}

/// Converts and transforms owned copies of consumed records, awaiting converters that may
/// do I/O and retrying retriable failures as `errors.retry.timeout` allows.
pub(crate) async fn process_owned(
    env: &mut TaskEnv,
    batch: Vec<OriginalRecord>,
    keep_originals: bool,
    stopping: &(dyn Fn() -> bool + Send + Sync),
) -> Result<Processed, Failure> {
    let converters = env.converters.clone();
    let retry = env.errors.config().retry_timeout != RetryTimeout::Never;
    let mut processed = Processed {
        records: Vec::with_capacity(batch.len()),
        ..Processed::default()
    };
    let mut last_topic = None;
    for original in batch {
        let headers = original
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_deref()));
        let converted = match convert_headers(&converters, &original.topic, headers) {
            Ok(headers) => convert_owned(
                &env.errors,
                &converters,
                &original,
                &headers,
                retry,
                stopping,
            )
            .await
            .map(|(key, value)| (headers, key, value)),
            Err(failure) => Err(failure),
        };
        let (headers, key, value) = match converted {
            Ok(parts) => parts,
            Err(failure) => {
                tolerate(env, failure, original, &mut processed.failed)?;
                continue;
            }
        };
        let meta = Consumed {
            topic: &original.topic,
            partition: original.partition,
            offset: original.offset,
            timestamp: original.timestamp,
            timestamp_type: original.timestamp_type,
        };
        let original_topic = shared_topic(&mut last_topic, &original.topic);
        let record = sink_record(meta, original_topic, headers, key, value);
        let step = transform_with_retries(&mut env.transforms, &env.errors, stopping, record).await;
        collect(env, step, || original, keep_originals, &mut processed)?;
    }
    Ok(processed)
}
