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

use crate::baseline::produce_warm_up;
use crate::kafka::{BYTE_ARRAY_CONVERTER, GROUP_SETTINGS, wait_for_last_records};

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
/// converters, the consumer group settings the baseline uses too, and `extra`
/// (`--worker-prop`).
pub(crate) fn worker_props(bootstrap: &str, extra: &[(String, String)]) -> Properties {
    let mut props = props([
        ("bootstrap.servers", bootstrap),
        ("key.converter", BYTE_ARRAY_CONVERTER),
        ("value.converter", BYTE_ARRAY_CONVERTER),
    ]);
    for (k, v) in GROUP_SETTINGS {
        props.insert(format!("consumer.{k}"), v.to_string());
    }
    props.extend(extra.iter().cloned());
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
        (
            "connector.class",
            "io.connectrs.connect.datagen.DatagenConnector",
        ),
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

/// One pipeline run, or one sink-only run.
pub(crate) struct PipelineRun {
    /// From creating the connector(s) to the N-th record counted by the sink.
    pub(crate) total: Duration,
    /// From creating the connector(s) to the first record counted by the sink.
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
    pub(crate) async fn start(bootstrap: &str, extra: &[(String, String)]) -> Result<Self, String> {
        let config = WorkerConfig::new(worker_props(bootstrap, extra), "bench-worker")
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

    async fn create(&self, name: &str, config: Properties) -> Result<(), String> {
        self.herder
            .create(name, config, TargetState::Running)
            .await
            .map(|_| ())
            .map_err(|e| format!("creating {name}: {e}"))
    }

    async fn delete(&self, names: &[&str]) {
        for name in names {
            if let Err(e) = self.herder.delete(name).await {
                eprintln!("note: deleting {name} failed: {e}");
            }
        }
    }

    /// Waits for the counting sink `sink` to count `records` records; times are measured
    /// from `started`.
    async fn wait_for_sink(
        &self,
        sink: &str,
        others: &[&str],
        records: u64,
        started: Instant,
        timeout: Duration,
    ) -> Result<PipelineRun, String> {
        let counter = connect_connectors::counter(sink);
        if counter.wait_for_records(records, timeout).await {
            return match (counter.first_record_at(), counter.last_record_at()) {
                (Some(first), Some(last)) => Ok(PipelineRun {
                    total: last - started,
                    first_record: first - started,
                    sink_span: last - first,
                }),
                _ => Err("the counting sink has records but no timestamps".to_string()),
            };
        }
        let mut statuses = Vec::new();
        for connector in std::iter::once(sink).chain(others.iter().copied()) {
            statuses.push(format!("{:?}", self.herder.status(connector).await.ok()));
        }
        Err(format!(
            "the sink counted {} of {records} records in {timeout:?}; statuses: {statuses:?}",
            counter.records()
        ))
    }

    /// Runs a counting sink and a datagen source on `topic` (an existing, empty topic) at
    /// the same time, and deletes both. The sink is created first and has counted one
    /// warm-up record before the clock starts (so it has joined its consumer group, like
    /// the baseline's consumer); the clock starts when the source is created and stops
    /// when the sink has counted `records` records.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn concurrent(
        &self,
        name: &str,
        bootstrap: &str,
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
        self.create(&sink, sink_config(topic)).await?;
        let warm_up = {
            let (bootstrap, topic) = (bootstrap.to_string(), topic.to_string());
            tokio::task::spawn_blocking(move || produce_warm_up(&bootstrap, &topic, &[]))
                .await
                .map_err(|e| format!("warm-up thread: {e}"))
                .and_then(|r| r)
        };
        if let Err(e) = warm_up {
            self.delete(&[&sink]).await;
            return Err(e);
        }
        if let Err(e) = self
            .wait_for_sink(&sink, &[], 1, Instant::now(), timeout)
            .await
        {
            self.delete(&[&sink]).await;
            return Err(format!("warm-up: {e}"));
        }
        counter.reset();
        let started = Instant::now();
        let outcome = match self
            .create(
                &source,
                source_config(topic, records, payload_size, batch_size),
            )
            .await
        {
            Ok(()) => {
                self.wait_for_sink(&sink, &[&source], records, started, timeout)
                    .await
            }
            Err(e) => Err(e),
        };
        self.delete(&[&source, &sink]).await;
        outcome
    }

    /// Creates a datagen source on `topic` (an existing, empty topic) and returns how long
    /// it took until every record was in Kafka (`partition_counts`: how many records each
    /// partition will hold, as the baseline saw them); deletes the source.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn source_only(
        &self,
        name: &str,
        bootstrap: &str,
        topic: &str,
        partition_counts: &[u64],
        records: u64,
        payload_size: usize,
        batch_size: usize,
        timeout: Duration,
    ) -> Result<Duration, String> {
        let source = format!("{name}-source-only");
        let tail = {
            let (bootstrap, topic) = (bootstrap.to_string(), topic.to_string());
            let counts = partition_counts.to_vec();
            tokio::task::spawn_blocking(move || {
                wait_for_last_records(&bootstrap, &topic, &counts, timeout)
            })
        };
        let started = Instant::now();
        self.create(
            &source,
            source_config(topic, records, payload_size, batch_size),
        )
        .await?;
        let outcome = tail
            .await
            .map_err(|e| format!("tail reader thread: {e}"))
            .and_then(|done| done.map(|at| at - started));
        self.delete(&[&source]).await;
        outcome
    }

    /// Creates a counting sink on `topic`, which already holds `records` records, and
    /// waits for it to count them all; deletes the sink.
    pub(crate) async fn sink_only(
        &self,
        name: &str,
        topic: &str,
        records: u64,
        timeout: Duration,
    ) -> Result<PipelineRun, String> {
        let sink = format!("{name}-sink-only");
        connect_connectors::counter(&sink).reset();
        let started = Instant::now();
        self.create(&sink, sink_config(topic)).await?;
        let outcome = self
            .wait_for_sink(&sink, &[], records, started, timeout)
            .await;
        self.delete(&[&sink]).await;
        outcome
    }

    /// Stops the worker.
    pub(crate) async fn shutdown(self) {
        self.herder.shutdown().await;
    }
}
