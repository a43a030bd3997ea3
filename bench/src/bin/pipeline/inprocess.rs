//! The pipeline: our runtime, in this process, moving datagen `bytes` records through Kafka
//! to the counting sink, assembled the way `connectd` assembles it
//! (`server/src/worker_setup.rs`) but with in-memory config and offset stores.

use std::sync::Arc;
use std::time::{Duration, Instant};

use connect_core::Properties;
use connect_runtime::{
    ConfigStore, FileConfigStore, FileOffsetStore, Herder, OffsetStore, StatusHub, TargetState,
    WorkerConfig,
};

use crate::kafka::{BYTE_ARRAY_CONVERTER, GROUP_SETTINGS};

/// How many status changes a watcher may lag behind (as in `connectd`).
const STATUS_BUFFER: usize = 4096;

/// Builds a `Properties` from pairs.
pub(crate) fn props<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Properties {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The worker settings of both the in-process worker and `connectd`: the broker, bytes
/// converters, and the consumer group settings the baseline uses too.
pub(crate) fn worker_props(bootstrap: &str, flush_interval_ms: Option<u64>) -> Properties {
    let mut props = props([
        ("bootstrap.servers", bootstrap),
        ("key.converter", BYTE_ARRAY_CONVERTER),
        ("value.converter", BYTE_ARRAY_CONVERTER),
    ]);
    for (k, v) in GROUP_SETTINGS {
        props.insert(format!("consumer.{k}"), v.to_string());
    }
    if let Some(ms) = flush_interval_ms {
        props.insert("offset.flush.interval.ms".to_string(), ms.to_string());
    }
    props
}

/// The datagen `bytes` source config: `records` records as fast as possible.
pub(crate) fn source_config(
    topic: &str,
    records: u64,
    payload_size: usize,
    batch_size: usize,
) -> Properties {
    props([
        ("connector.class", "io.connectrs.connect.datagen.DatagenConnector"),
        ("tasks.max", "1"),
        ("topic", topic),
        ("schema", "bytes"),
        ("count", &records.to_string()),
        ("rate", "0"),
        ("payload.size", &payload_size.to_string()),
        ("batch.size", &batch_size.to_string()),
        ("key.converter", BYTE_ARRAY_CONVERTER),
        ("value.converter", BYTE_ARRAY_CONVERTER),
    ])
}

/// The counting sink config.
pub(crate) fn sink_config(topic: &str) -> Properties {
    props([
        (
            "connector.class",
            "io.connectrs.connect.counting.CountingSinkConnector",
        ),
        ("tasks.max", "1"),
        ("topics", topic),
        ("key.converter", BYTE_ARRAY_CONVERTER),
        ("value.converter", BYTE_ARRAY_CONVERTER),
    ])
}

/// One pipeline round.
pub(crate) struct PipelineRun {
    /// From creating the connectors to the N-th record counted by the sink.
    pub(crate) total: Duration,
    /// From creating the connectors to the first record counted by the sink.
    pub(crate) first_record: Duration,
    /// From the first record counted to the N-th.
    pub(crate) sink_span: Duration,
}

/// A worker running in this process.
pub(crate) struct InProcessWorker {
    herder: Arc<Herder>,
}

impl InProcessWorker {
    /// Starts the worker against `bootstrap`.
    pub(crate) async fn start(
        bootstrap: &str,
        flush_interval_ms: Option<u64>,
    ) -> Result<Self, String> {
        let config = WorkerConfig::new(worker_props(bootstrap, flush_interval_ms), "bench-worker")
            .map_err(|e| format!("worker config: {e}"))?;
        let store: Arc<dyn ConfigStore> = Arc::new(FileConfigStore::in_memory());
        let offsets: Arc<dyn OffsetStore> = Arc::new(FileOffsetStore::in_memory());
        let registry = Arc::new(connect_connectors::registry());
        let hub = Arc::new(StatusHub::new("bench-worker", STATUS_BUFFER));
        let herder = Herder::start(config, registry, store, offsets, hub)
            .await
            .map_err(|e| format!("starting the worker: {e}"))?;
        Ok(Self { herder })
    }

    /// Creates a counting sink and a datagen source on `topic` (an existing, empty topic),
    /// waits for the sink to count `records` records, then deletes both connectors.
    pub(crate) async fn run(
        &self,
        name: &str,
        topic: &str,
        records: u64,
        payload_size: usize,
        batch_size: usize,
        timeout: Duration,
    ) -> Result<PipelineRun, String> {
        let sink = format!("{name}-sink");
        let source = format!("{name}-source");
        let counter = connect_connectors::counter(&sink);
        counter.reset();
        let started = Instant::now();
        self.herder
            .create(&sink, sink_config(topic), TargetState::Running)
            .await
            .map_err(|e| format!("creating {sink}: {e}"))?;
        self.herder
            .create(
                &source,
                source_config(topic, records, payload_size, batch_size),
                TargetState::Running,
            )
            .await
            .map_err(|e| format!("creating {source}: {e}"))?;
        let arrived = counter.wait_for_records(records, timeout).await;
        let outcome = if arrived {
            match (counter.first_record_at(), counter.last_record_at()) {
                (Some(first), Some(last)) => Ok(PipelineRun {
                    total: last - started,
                    first_record: first - started,
                    sink_span: last - first,
                }),
                _ => Err("the counting sink has records but no timestamps".to_string()),
            }
        } else {
            let mut statuses = Vec::new();
            for connector in [&sink, &source] {
                statuses.push(format!("{:?}", self.herder.status(connector).await.ok()));
            }
            Err(format!(
                "the sink counted {} of {records} records in {timeout:?}; statuses: {statuses:?}",
                counter.records()
            ))
        };
        for connector in [&source, &sink] {
            if let Err(e) = self.herder.delete(connector).await {
                eprintln!("note: deleting {connector} failed: {e}");
            }
        }
        outcome
    }

    /// Stops the worker.
    pub(crate) async fn shutdown(self) {
        self.herder.shutdown().await;
    }
}
