//! `connectd` as users run it: a child process driven over gRPC, for the numbers only a
//! separate process shows (start-up time, resident memory) and for time to first record.
//!
//! - **Startup**: from `spawn` until `ListConnectors` answers (retried every 2 ms).
//! - **RSS**: `VmRSS` of `/proc/<pid>/status`. *Idle* is with one running datagen connector
//!   whose task has nothing to produce (`count=0`: its producer is up, it polls once a
//!   second), 2 s after its task reported RUNNING, median of 20 samples over 2 s. *Under
//!   load* is `VmHWM` (the kernel's peak RSS since start) once a datagen -> counting sink
//!   pipeline has moved every record; the highest `VmRSS` sampled every 50 ms meanwhile is
//!   kept as a cross-check.
//! - **Time to first record**: from the first `CreateConnector` of the pipeline (the sink;
//!   the source is created right after) to the first counting-sink report with records.
//!   The sink writes its report on every flush, i.e. every `offset.flush.interval.ms` (100
//!   here) while records flow, and the report is read every 2 ms, so the figure is late by
//!   at most one flush interval plus 2 ms. A bare consumer assigned to the topic (no group,
//!   `fetch.wait.max.ms=5`) also notes when the first record reaches Kafka, which splits
//!   the total into source side and sink side.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use connect_bench::pipeline::{median, proc_status_kib};
use connect_client::ConnectClient;
use connect_proto::v1;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use crate::inprocess::{sink_config, source_config, worker_props};
use crate::kafka::create_topic;

/// What the `connectd` run measured.
pub(crate) struct ConnectdRun {
    /// From spawning the process to the first answered `ListConnectors`.
    pub(crate) startup: Duration,
    /// `VmRSS` right after start-up, no connectors (KiB).
    pub(crate) rss_ready_kib: u64,
    /// `VmRSS` with one idle connector (KiB).
    pub(crate) rss_idle_kib: u64,
    /// `VmHWM` after the load (KiB).
    pub(crate) rss_peak_kib: u64,
    /// The highest `VmRSS` sampled during the load (KiB).
    pub(crate) rss_load_sampled_kib: u64,
    /// `VmRSS` 2 s after the load finished, both connectors still there (KiB).
    pub(crate) rss_after_kib: u64,
    /// From the pipeline's first `CreateConnector` to the first record in the topic.
    pub(crate) first_in_kafka: Option<Duration>,
    /// From the pipeline's first `CreateConnector` to the first sink report with records.
    pub(crate) first_at_sink: Duration,
    /// From the pipeline's first `CreateConnector` to the report of all records.
    pub(crate) all_at_sink: Duration,
}

/// Settings of the `connectd` run.
pub(crate) struct ConnectdSettings<'a> {
    /// The `connectd` executable.
    pub(crate) binary: &'a Path,
    /// The broker.
    pub(crate) bootstrap: &'a str,
    /// Records the load pipeline moves.
    pub(crate) records: u64,
    /// Value size.
    pub(crate) payload_size: usize,
    /// datagen `batch.size`.
    pub(crate) batch_size: usize,
    /// The worker's `offset.flush.interval.ms`.
    pub(crate) flush_interval_ms: u64,
    /// More worker settings (`--worker-prop`).
    pub(crate) extra: &'a [(String, String)],
    /// Topic partitions.
    pub(crate) partitions: i32,
    /// A unique prefix for names.
    pub(crate) prefix: &'a str,
}

/// A child process that is stopped (SIGTERM, then SIGKILL) when dropped.
struct ChildGuard(Child);

impl ChildGuard {
    fn pid(&self) -> u32 {
        self.0.id()
    }

    fn stop(&mut self) {
        if let Ok(Some(_)) = self.0.try_wait() {
            return;
        }
        // Graceful first, like an orchestrator would; our own child, by pid.
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

fn rss(pid: u32) -> Result<u64, String> {
    proc_status_kib(pid, "VmRSS").ok_or_else(|| format!("cannot read VmRSS of pid {pid}"))
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Notes when the first record of `topic` reaches Kafka, reading partitions `0..partitions`
/// directly (no consumer group, so no join delay).
fn watch_first_record(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
    stop: &AtomicBool,
) -> Result<Option<Instant>, String> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("fetch.wait.max.ms", "5")
        .set("enable.auto.commit", "false")
        // Required by the client, but unused: partitions are assigned, not subscribed.
        .set("group.id", format!("{topic}-watcher"))
        .create()
        .map_err(|e| format!("cannot create the watcher: {e}"))?;
    let mut list = TopicPartitionList::new();
    for partition in 0..partitions {
        list.add_partition_offset(topic, partition, Offset::Beginning)
            .map_err(|e| format!("watcher: {e}"))?;
    }
    consumer
        .assign(&list)
        .map_err(|e| format!("watcher assign: {e}"))?;
    while !stop.load(Ordering::Relaxed) {
        if let Some(Ok(_)) = consumer.poll(Duration::from_millis(5)) {
            return Ok(Some(Instant::now()));
        }
    }
    Ok(None)
}

fn report_records(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("records")?.as_u64()
}

async fn wait_tasks_running(
    client: &mut ConnectClient,
    name: &str,
    timeout: Duration,
) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        let response = client
            .get_connector(name)
            .await
            .map_err(|e| format!("GetConnector {name}: {e}"))?;
        if let Some(status) = &response.status
            && !status.tasks.is_empty()
            && status
                .tasks
                .iter()
                .all(|t| t.state == v1::State::Running as i32)
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{name}'s tasks are not RUNNING after {timeout:?}: {:?}",
                response.status
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Starts `connectd`, measures it, stops it.
pub(crate) async fn run(settings: &ConnectdSettings<'_>) -> Result<ConnectdRun, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let worker_file = dir.path().join("worker.properties");
    let mut worker = worker_props(settings.bootstrap, settings.extra);
    worker.insert(
        "offset.flush.interval.ms".to_string(),
        settings.flush_interval_ms.to_string(),
    );
    let worker: String = worker
        .into_iter()
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect();
    std::fs::write(&worker_file, worker).map_err(|e| format!("worker file: {e}"))?;
    let log_path = dir.path().join("connectd.log");
    let log = std::fs::File::create(&log_path).map_err(|e| format!("log file: {e}"))?;
    let listen = format!("127.0.0.1:{}", free_port()?);

    let spawned = Instant::now();
    let child = Command::new(settings.binary)
        .arg("--listen")
        .arg(&listen)
        .arg("--bootstrap-servers")
        .arg(settings.bootstrap)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--worker-config")
        .arg(&worker_file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", settings.binary.display()))?;
    let mut child = ChildGuard(child);
    let pid = child.pid();

    let (mut client, startup) = loop {
        if let Ok(mut client) = ConnectClient::connect(&listen).await
            && client.list_connectors(false, false).await.is_ok()
        {
            break (client, spawned.elapsed());
        }
        if let Ok(Some(status)) = child.0.try_wait() {
            return Err(format!(
                "connectd exited ({status}) before serving; its log:\n{}",
                log_tail(&log_path)
            ));
        }
        if spawned.elapsed() > Duration::from_secs(30) {
            return Err(format!(
                "connectd did not serve within 30 s; its log:\n{}",
                log_tail(&log_path)
            ));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let rss_ready_kib = rss(pid)?;

    // Idle: one connector whose task is up but has nothing to do.
    let idle = format!("{}-idle", settings.prefix);
    let idle_config = source_config(
        &format!("{}-idle", settings.prefix),
        0,
        settings.payload_size,
        settings.batch_size,
    );
    client
        .create_connector(&idle, idle_config, v1::TargetState::Running)
        .await
        .map_err(|e| format!("CreateConnector {idle}: {e}"))?;
    wait_tasks_running(&mut client, &idle, Duration::from_secs(30)).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut samples = Vec::new();
    for _ in 0..20 {
        samples.push(rss(pid)? as f64);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rss_idle_kib = median(&samples) as u64;

    // Load: datagen -> Kafka -> counting sink.
    let topic = format!("{}-load", settings.prefix);
    create_topic(settings.bootstrap, &topic, settings.partitions).await?;
    let report = dir.path().join("sink-report.json");
    let mut sink = sink_config(&topic);
    sink.insert(
        "report.file".to_string(),
        report.to_string_lossy().into_owned(),
    );
    let source = source_config(
        &topic,
        settings.records,
        settings.payload_size,
        settings.batch_size,
    );
    let stop_watcher = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (bootstrap, topic, stop) = (
            settings.bootstrap.to_string(),
            topic.clone(),
            stop_watcher.clone(),
        );
        let partitions = settings.partitions;
        std::thread::spawn(move || watch_first_record(&bootstrap, &topic, partitions, &stop))
    };
    // Give the watcher time to connect and fetch metadata before the clock starts.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let created = Instant::now();
    let sink_name = format!("{}-sink", settings.prefix);
    let source_name = format!("{}-source", settings.prefix);
    client
        .create_connector(&sink_name, sink, v1::TargetState::Running)
        .await
        .map_err(|e| format!("CreateConnector {sink_name}: {e}"))?;
    client
        .create_connector(&source_name, source, v1::TargetState::Running)
        .await
        .map_err(|e| format!("CreateConnector {source_name}: {e}"))?;
    let timeout = Duration::from_secs(60) + Duration::from_micros(settings.records * 100);
    let mut first_at_sink = None;
    let mut rss_load_sampled_kib = 0;
    let mut last_sample = Instant::now() - Duration::from_secs(1);
    let all_at_sink = loop {
        let now = Instant::now();
        if now - last_sample >= Duration::from_millis(50) {
            rss_load_sampled_kib = rss_load_sampled_kib.max(rss(pid)?);
            last_sample = now;
        }
        let records = report_records(&report).unwrap_or(0);
        if records > 0 && first_at_sink.is_none() {
            first_at_sink = Some(now - created);
        }
        if records >= settings.records {
            break now - created;
        }
        if now - created > timeout {
            stop_watcher.store(true, Ordering::Relaxed);
            return Err(format!(
                "the sink reported {records} of {} records in {timeout:?}; connectd log:\n{}",
                settings.records,
                log_tail(&log_path)
            ));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let rss_peak_kib =
        proc_status_kib(pid, "VmHWM").ok_or_else(|| "cannot read VmHWM".to_string())?;
    stop_watcher.store(true, Ordering::Relaxed);
    let first_in_kafka = match watcher.join() {
        Ok(Ok(Some(at))) => Some(at.saturating_duration_since(created)),
        Ok(Ok(None)) => None,
        Ok(Err(e)) => {
            eprintln!("note: {e}");
            None
        }
        Err(_) => None,
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after_kib = rss(pid)?;
    child.stop();
    Ok(ConnectdRun {
        startup,
        rss_ready_kib,
        rss_idle_kib,
        rss_peak_kib,
        rss_load_sampled_kib,
        rss_after_kib,
        first_in_kafka,
        first_at_sink: first_at_sink.unwrap_or(all_at_sink),
        all_at_sink,
    })
}
