//! Pipeline overhead benchmark (`DESIGN.md`, "Performance goals"): datagen -> Kafka ->
//! counting sink through our runtime with bytes converters, against a bare rdkafka
//! produce+consume loop of the same records on the same broker, in one run; plus
//! `connectd`'s start-up time, resident memory (idle, under load) and time to first record.
//!
//! Each round runs, on fresh topics and consumer groups, in this order:
//! 1. baseline together: a bare consumer joins its group (it reads one warm-up record), then
//!    a bare producer sends N records; the clock runs from the first send to the N-th
//!    record consumed;
//! 2. pipeline together, in this process (`Herder`, as `connectd` builds it): a counting
//!    sink is created and counts one warm-up record, then the datagen source is created;
//!    the clock runs from creating the source to the sink counting the N-th record;
//! 3. baseline sequential: produce all (produce-only rate), then a new group consumes all
//!    (consume-only rate, first to last record; the group join is reported apart);
//! 4. pipeline sequential: the source alone until its last record is in Kafka, then a
//!    counting sink alone on that topic.
//!
//! Medians over the rounds are reported, as a Markdown table on stdout and as JSON (see
//! `--output`). Usage: see `bench/README.md`, or `bench/run_pipeline.sh`.

mod baseline;
mod connectd;
mod inprocess;
mod kafka;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;
use connect_bench::pipeline::{median, rate};
use serde_json::json;

use crate::baseline::BaselineRun;
use crate::connectd::{ConnectdRun, ConnectdSettings};
use crate::inprocess::{InProcessWorker, PipelineRun};
use crate::kafka::{create_topic, delete_topic};

/// The design goal: pipeline records/s at least this fraction of the baseline's.
const GOAL: f64 = 0.8;

#[derive(Debug, Parser)]
#[command(
    name = "pipeline",
    about = "datagen -> Kafka -> counting sink vs bare rdkafka, and connectd memory/start-up"
)]
struct Args {
    /// Kafka bootstrap servers.
    #[arg(long, env = "KAFKA_BOOTSTRAP_SERVERS")]
    bootstrap_servers: String,
    /// Records per run.
    #[arg(long, default_value_t = 2_000_000)]
    records: u64,
    /// Size of each value in bytes (keys are 8 bytes).
    #[arg(long, default_value_t = 100)]
    payload_size: usize,
    /// Rounds (each: baseline and pipeline together, then baseline and pipeline sequential).
    #[arg(long, default_value_t = 3)]
    rounds: u32,
    /// Partitions of every topic.
    #[arg(long, default_value_t = 1)]
    partitions: i32,
    /// datagen `batch.size` (records per poll).
    #[arg(long, default_value_t = 1000)]
    batch_size: usize,
    /// A worker setting (`offset.flush.interval.ms=1000`, `consumer.fetch.queue.backoff.ms=10`,
    /// ...) for the in-process worker and connectd; `producer.*` and `consumer.*` ones also
    /// go to the baseline's clients, so both sides keep the same client settings. Repeatable.
    #[arg(long = "worker-prop", value_name = "KEY=VALUE", value_parser = key_value)]
    worker_props: Vec<(String, String)>,
    /// The `connectd` executable.
    #[arg(long, default_value = "target/release/connectd")]
    connectd: PathBuf,
    /// Records of the `connectd` load run (default: --records).
    #[arg(long)]
    connectd_records: Option<u64>,
    /// `connectd`'s `offset.flush.interval.ms`: the resolution of its time to first record.
    #[arg(long, default_value_t = 100)]
    connectd_flush_interval_ms: u64,
    /// Skip the `connectd` measurements.
    #[arg(long)]
    skip_connectd: bool,
    /// Skip the throughput rounds (only measure `connectd`).
    #[arg(long)]
    skip_throughput: bool,
    /// Which runs of each round to do (for profiling one of them).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "together,sequential"
    )]
    phases: Vec<Phase>,
    /// Which sides to run (for profiling one of them).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "baseline,pipeline"
    )]
    sides: Vec<Side>,
    /// Keep the benchmark's topics instead of deleting them after each run (to inspect
    /// them).
    #[arg(long)]
    keep_topics: bool,
    /// Where to write the results as JSON.
    #[arg(long, default_value = "target/bench/pipeline.json")]
    output: PathBuf,
}

fn key_value(text: &str) -> Result<(String, String), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected KEY=VALUE, got {text:?}"))?;
    Ok((key.trim().to_string(), value.trim().to_string()))
}

/// The runs of a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Phase {
    /// Producing and consuming at the same time.
    Together,
    /// Producing all, then consuming all.
    Sequential,
}

/// The two sides of the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Side {
    /// Bare rdkafka.
    Baseline,
    /// Our runtime.
    Pipeline,
}

/// The throughput rounds' results.
#[derive(Default)]
struct Rounds {
    concurrent: Vec<BaselineRun>,
    sequential: Vec<BaselineRun>,
    pipeline: Vec<PipelineRun>,
    source_only: Vec<Duration>,
    sink_only: Vec<PipelineRun>,
}

/// One sequential pipeline run: the source alone, then the sink alone.
struct SequentialPipeline<'a> {
    source: Duration,
    sink: &'a PipelineRun,
}

impl SequentialPipeline<'_> {
    fn total(&self) -> Duration {
        self.source + self.sink.total
    }
}

impl Rounds {
    fn pipeline_sequential(&self) -> impl Iterator<Item = SequentialPipeline<'_>> {
        self.source_only
            .iter()
            .zip(&self.sink_only)
            .map(|(&source, sink)| SequentialPipeline { source, sink })
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Thousands separators for a rate.
fn grouped(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Medians over the rounds, in records/s unless named otherwise.
struct Summary {
    baseline: f64,
    pipeline: f64,
    baseline_sequential: f64,
    pipeline_sequential: f64,
    produce_only: f64,
    source_only: f64,
    consume_only: f64,
    sink_only: f64,
    consumer_join_ms: f64,
    sink_join_ms: f64,
    pipeline_first_record_ms: f64,
    baseline_first_record_ms: f64,
}

fn median_of<T>(items: impl IntoIterator<Item = T>, f: impl Fn(T) -> f64) -> f64 {
    median(&items.into_iter().map(f).collect::<Vec<_>>())
}

impl Summary {
    fn of(rounds: &Rounds, records: u64) -> Self {
        let per_s = |d: Duration| rate(records, d);
        Summary {
            baseline: median_of(&rounds.concurrent, |r| per_s(r.total())),
            pipeline: median_of(&rounds.pipeline, |r| per_s(r.total)),
            baseline_sequential: median_of(&rounds.sequential, |r| per_s(r.total())),
            pipeline_sequential: median_of(rounds.pipeline_sequential(), |r| per_s(r.total())),
            produce_only: median_of(&rounds.sequential, |r| per_s(r.produce())),
            source_only: median_of(&rounds.source_only, |d| per_s(*d)),
            consume_only: median_of(&rounds.sequential, |r| per_s(r.consume_span())),
            sink_only: median_of(&rounds.sink_only, |r| per_s(r.sink_span)),
            consumer_join_ms: median_of(&rounds.sequential, |r| ms(r.join())),
            sink_join_ms: median_of(&rounds.sink_only, |r| ms(r.first_record)),
            pipeline_first_record_ms: median_of(&rounds.pipeline, |r| ms(r.first_record)),
            baseline_first_record_ms: median_of(&rounds.concurrent, |r| ms(r.first_record())),
        }
    }
}

/// Deletes a topic the benchmark is done with, unless `--keep-topics`.
async fn drop_topic(args: &Args, topic: &str) {
    if !args.keep_topics {
        delete_topic(&args.bootstrap_servers, topic).await;
    }
}

async fn throughput_rounds(args: &Args, prefix: &str) -> Result<Rounds, String> {
    let bootstrap = args.bootstrap_servers.as_str();
    let timeout = Duration::from_secs(60) + Duration::from_micros(args.records * 100);
    let worker = InProcessWorker::start(bootstrap, &args.worker_props).await?;
    // Where the sequential baseline's producer delivers its warm-up record.
    let warm_up_topic = format!("{prefix}-warm-up");
    create_topic(bootstrap, &warm_up_topic, 1).await?;
    let mut rounds = Rounds::default();
    let runs =
        |phase: Phase, side: Side| args.phases.contains(&phase) && args.sides.contains(&side);
    for round in 1..=args.rounds {
        let name = format!("{prefix}-r{round}");

        if runs(Phase::Together, Side::Baseline) {
            let topic = format!("{name}-baseline-concurrent");
            create_topic(bootstrap, &topic, args.partitions).await?;
            let run = {
                let (bootstrap, topic, group) = (
                    bootstrap.to_string(),
                    topic.clone(),
                    format!("{topic}-group"),
                );
                let (records, size) = (args.records, args.payload_size);
                let worker = args.worker_props.clone();
                tokio::task::spawn_blocking(move || {
                    baseline::concurrent(
                        &bootstrap, &topic, &group, records, size, timeout, &worker,
                    )
                })
                .await
                .map_err(|e| format!("baseline thread: {e}"))??
            };
            drop_topic(args, &topic).await;
            eprintln!(
                "round {round}: baseline together   {:>9} rec/s (produce {:.2} s, first ack {:.3} s, first record {:.3} s, total {:.2} s)",
                grouped(rate(args.records, run.total())),
                secs(run.produce()),
                secs(run.first_ack()),
                secs(run.first_record()),
                secs(run.total())
            );
            rounds.concurrent.push(run);
        }

        if runs(Phase::Together, Side::Pipeline) {
            let topic = format!("{name}-pipeline");
            create_topic(bootstrap, &topic, args.partitions).await?;
            let run = worker
                .concurrent(
                    &name,
                    bootstrap,
                    &topic,
                    args.records,
                    args.payload_size,
                    args.batch_size,
                    timeout,
                )
                .await?;
            drop_topic(args, &topic).await;
            eprintln!(
                "round {round}: pipeline together   {:>9} rec/s (first record {:.3} s, total {:.2} s)",
                grouped(rate(args.records, run.total)),
                secs(run.first_record),
                secs(run.total)
            );
            rounds.pipeline.push(run);
        }

        if runs(Phase::Sequential, Side::Baseline) {
            let topic = format!("{name}-baseline-sequential");
            create_topic(bootstrap, &topic, args.partitions).await?;
            let run = {
                let (bootstrap, topic, group) = (
                    bootstrap.to_string(),
                    topic.clone(),
                    format!("{topic}-group"),
                );
                let (records, size) = (args.records, args.payload_size);
                let worker = args.worker_props.clone();
                let warm_up = warm_up_topic.clone();
                tokio::task::spawn_blocking(move || {
                    baseline::sequential(
                        &bootstrap, &topic, &group, records, size, timeout, &worker, &warm_up,
                    )
                })
                .await
                .map_err(|e| format!("baseline thread: {e}"))??
            };
            drop_topic(args, &topic).await;
            eprintln!(
                "round {round}: baseline sequential {:>9} rec/s (produce {:.2} s, consumer join {:.2} s, consume {:.2} s)",
                grouped(rate(args.records, run.total())),
                secs(run.produce()),
                secs(run.join()),
                secs(run.consume_span())
            );
            rounds.sequential.push(run);
        }

        if runs(Phase::Sequential, Side::Pipeline) {
            let topic = format!("{name}-pipeline-sequential");
            create_topic(bootstrap, &topic, args.partitions).await?;
            // How many records each partition gets, as the baseline saw them (same keys, same
            // partitioner); with one partition, all of them.
            let counts = match rounds.sequential.last() {
                Some(run) => run.consumed.partition_counts.clone(),
                None if args.partitions == 1 => vec![args.records],
                None => {
                    return Err(
                    "the sequential pipeline needs the sequential baseline to know how many records each partition gets"
                        .to_string(),
                );
                }
            };
            let source = worker
                .source_only(
                    &name,
                    bootstrap,
                    &topic,
                    &counts,
                    args.records,
                    args.payload_size,
                    args.batch_size,
                    timeout,
                )
                .await?;
            let sink = worker
                .sink_only(&name, &topic, args.records, timeout)
                .await?;
            drop_topic(args, &topic).await;
            eprintln!(
                "round {round}: pipeline sequential {:>9} rec/s (source {:.2} s, sink join {:.2} s, sink {:.2} s)",
                grouped(rate(args.records, source + sink.total)),
                secs(source),
                secs(sink.first_record),
                secs(sink.sink_span)
            );
            rounds.source_only.push(source);
            rounds.sink_only.push(sink);
        }
    }
    worker.shutdown().await;
    drop_topic(args, &warm_up_topic).await;
    Ok(rounds)
}

fn ratio_cell(ours: f64, theirs: f64) -> String {
    format!("{:.2}", ours / theirs)
}

fn table(args: &Args, rounds: Option<&Rounds>, connectd: Option<&ConnectdRun>) -> String {
    let settings = if args.worker_props.is_empty() {
        "default worker settings".to_string()
    } else {
        let props: Vec<String> = args
            .worker_props
            .iter()
            .map(|(k, v)| format!("`{k}={v}`"))
            .collect();
        format!("worker settings {}", props.join(", "))
    };
    let mut out = format!(
        "{} records of {} B values (8 B keys), {} partition(s), datagen batch.size {}, {settings}, median of {} round(s).\n\n",
        grouped(args.records as f64),
        args.payload_size,
        args.partitions,
        args.batch_size,
        args.rounds
    );
    if let Some(rounds) = rounds {
        let s = Summary::of(rounds, args.records);
        let ratio = s.pipeline / s.baseline;
        out.push_str("| records/s | bare rdkafka | our pipeline | ratio |\n|---|--:|--:|--:|\n");
        let mut row = |what: &str, theirs: f64, ours: f64, ratio: String| {
            out.push_str(&format!(
                "| {what} | {} | {} | {ratio} |\n",
                grouped(theirs),
                grouped(ours)
            ));
        };
        row(
            "**end to end, produce and consume together** (goal ≥ 0.8)",
            s.baseline,
            s.pipeline,
            format!(
                "**{ratio:.2}** ({})",
                if ratio >= GOAL { "met" } else { "NOT met" }
            ),
        );
        row(
            "end to end, produce all then consume all",
            s.baseline_sequential,
            s.pipeline_sequential,
            ratio_cell(s.pipeline_sequential, s.baseline_sequential),
        );
        row(
            "produce only (source side)",
            s.produce_only,
            s.source_only,
            ratio_cell(s.source_only, s.produce_only),
        );
        row(
            "consume only, first to last record (sink side)",
            s.consume_only,
            s.sink_only,
            ratio_cell(s.sink_only, s.consume_only),
        );
        out.push_str(&format!(
            "| first record produced → consumed, together, group already joined (ms) | {:.0} | {:.0} | |\n",
            s.baseline_first_record_ms, s.pipeline_first_record_ms
        ));
        out.push_str(&format!(
            "| new consumer group: subscribe → first record, consume only (ms) | {:.0} | {:.0} | |\n",
            s.consumer_join_ms, s.sink_join_ms
        ));
        out.push('\n');
    }
    if let Some(c) = connectd {
        let records = args.connectd_records.unwrap_or(args.records);
        out.push_str("| connectd | |\n|---|--:|\n");
        let mut row = |metric: &str, value: String| {
            out.push_str(&format!("| {metric} | {value} |\n"));
        };
        row(
            "start-up: spawn → first answered `ListConnectors` (ms)",
            format!("{:.0}", ms(c.startup)),
        );
        row(
            "RSS just started, no connector (MiB)",
            format!("{:.1}", mib(c.rss_ready_kib)),
        );
        row(
            "**RSS idle, one connector** (MiB)",
            format!("**{:.1}**", mib(c.rss_idle_kib)),
        );
        row(
            "**RSS under load**, peak `VmHWM` (highest 50 ms sample) (MiB)",
            format!(
                "**{:.1}** ({:.1})",
                mib(c.rss_peak_kib),
                mib(c.rss_load_sampled_kib)
            ),
        );
        row(
            "RSS 2 s after the load (MiB)",
            format!("{:.1}", mib(c.rss_after_kib)),
        );
        row(
            "**time to first record**: `CreateConnector` → first record at the sink (ms)",
            format!(
                "**{:.0}** (≤ {} ms late)",
                ms(c.first_at_sink),
                args.connectd_flush_interval_ms + 2
            ),
        );
        row(
            "`CreateConnector` → first record in Kafka (ms)",
            c.first_in_kafka
                .map_or("n/a".to_string(), |d| format!("{:.0}", ms(d))),
        );
        row(
            &format!(
                "`CreateConnector` → all {} records at the sink",
                grouped(records as f64)
            ),
            format!(
                "{:.2} s ({} records/s)",
                secs(c.all_at_sink),
                grouped(rate(records, c.all_at_sink))
            ),
        );
    }
    out
}

fn rounds_table(args: &Args, rounds: &Rounds) -> String {
    let mut out = String::from(
        "| round | together: rdkafka | together: pipeline | ratio | sequential: rdkafka | sequential: pipeline | produce only | source only | consume only | sink only |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    let per_s =
        |d: Option<Duration>| d.map_or("n/a".to_string(), |d| grouped(rate(args.records, d)));
    let sequential: Vec<SequentialPipeline<'_>> = rounds.pipeline_sequential().collect();
    for i in 0..args.rounds as usize {
        let together = rounds.concurrent.get(i).map(BaselineRun::total);
        let pipeline = rounds.pipeline.get(i).map(|p| p.total);
        let ratio = match (together, pipeline) {
            (Some(t), Some(p)) => format!("{:.2}", t.as_secs_f64() / p.as_secs_f64()),
            _ => "n/a".to_string(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {ratio} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            per_s(together),
            per_s(pipeline),
            per_s(rounds.sequential.get(i).map(BaselineRun::total)),
            per_s(sequential.get(i).map(SequentialPipeline::total)),
            per_s(rounds.sequential.get(i).map(BaselineRun::produce)),
            per_s(rounds.source_only.get(i).copied()),
            per_s(rounds.sequential.get(i).map(BaselineRun::consume_span)),
            per_s(rounds.sink_only.get(i).map(|r| r.sink_span)),
        ));
    }
    out
}

fn to_json(
    args: &Args,
    rounds: Option<&Rounds>,
    connectd: Option<&ConnectdRun>,
) -> serde_json::Value {
    let baseline_json = |r: &BaselineRun| {
        json!({
            "total_s": secs(r.total()),
            "produce_s": secs(r.produce()),
            "consumer_join_s": secs(r.join()),
            "consume_span_s": secs(r.consume_span()),
        })
    };
    let pipeline_json = |r: &PipelineRun| {
        json!({
            "total_s": secs(r.total),
            "first_record_s": secs(r.first_record),
            "sink_span_s": secs(r.sink_span),
        })
    };
    let throughput = rounds.map(|rounds| {
        let s = Summary::of(rounds, args.records);
        json!({
            "goal": GOAL,
            "ratio": s.pipeline / s.baseline,
            "goal_met": s.pipeline / s.baseline >= GOAL,
            "records_per_s": {
                "baseline_together": s.baseline,
                "pipeline_together": s.pipeline,
                "baseline_sequential": s.baseline_sequential,
                "pipeline_sequential": s.pipeline_sequential,
                "baseline_produce_only": s.produce_only,
                "pipeline_source_only": s.source_only,
                "baseline_consume_only": s.consume_only,
                "pipeline_sink_only": s.sink_only,
            },
            "ratios": {
                "together": s.pipeline / s.baseline,
                "sequential": s.pipeline_sequential / s.baseline_sequential,
                "source_vs_produce": s.source_only / s.produce_only,
                "sink_vs_consume": s.sink_only / s.consume_only,
            },
            "first_record_ms": {
                "baseline_together": s.baseline_first_record_ms,
                "pipeline_together": s.pipeline_first_record_ms,
            },
            "group_join_ms": {
                "baseline_consume_only": s.consumer_join_ms,
                "pipeline_sink_only": s.sink_join_ms,
            },
            "rounds": {
                "baseline_together": rounds.concurrent.iter().map(baseline_json).collect::<Vec<_>>(),
                "pipeline_together": rounds.pipeline.iter().map(pipeline_json).collect::<Vec<_>>(),
                "baseline_sequential": rounds.sequential.iter().map(baseline_json).collect::<Vec<_>>(),
                "pipeline_source_only_s": rounds.source_only.iter().map(|d| secs(*d)).collect::<Vec<_>>(),
                "pipeline_sink_only": rounds.sink_only.iter().map(pipeline_json).collect::<Vec<_>>(),
            },
        })
    });
    let connectd = connectd.map(|c| {
        json!({
            "startup_ms": ms(c.startup),
            "rss_ready_mib": mib(c.rss_ready_kib),
            "rss_idle_mib": mib(c.rss_idle_kib),
            "rss_load_peak_mib": mib(c.rss_peak_kib),
            "rss_load_max_sampled_mib": mib(c.rss_load_sampled_kib),
            "rss_after_load_mib": mib(c.rss_after_kib),
            "first_record_at_sink_ms": ms(c.first_at_sink),
            "first_record_at_sink_resolution_ms": args.connectd_flush_interval_ms + 2,
            "first_record_in_kafka_ms": c.first_in_kafka.map(ms),
            "all_records_at_sink_s": secs(c.all_at_sink),
            "records": args.connectd_records.unwrap_or(args.records),
        })
    });
    json!({
        "benchmark": "pipeline",
        "unix_time": SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0),
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "records": args.records,
        "payload_size": args.payload_size,
        "partitions": args.partitions,
        "rounds": args.rounds,
        "batch_size": args.batch_size,
        "worker_props": args
            .worker_props
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect::<serde_json::Map<_, _>>(),
        "throughput": throughput,
        "connectd": connectd,
    })
}

async fn run(args: Args) -> Result<(), String> {
    let prefix = format!(
        "bench-{}-{}",
        std::process::id(),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    );
    let rounds = if args.skip_throughput {
        None
    } else {
        Some(throughput_rounds(&args, &prefix).await?)
    };
    let connectd = if args.skip_connectd {
        None
    } else {
        let settings = ConnectdSettings {
            binary: &args.connectd,
            bootstrap: &args.bootstrap_servers,
            records: args.connectd_records.unwrap_or(args.records),
            payload_size: args.payload_size,
            batch_size: args.batch_size,
            flush_interval_ms: args.connectd_flush_interval_ms,
            extra: &args.worker_props,
            partitions: args.partitions,
            prefix: &format!("{prefix}-connectd"),
        };
        let run = connectd::run(&settings).await?;
        delete_topic(&args.bootstrap_servers, &format!("{prefix}-connectd-load")).await;
        eprintln!(
            "connectd: ready in {:.0} ms, RSS idle {:.1} MiB, peak {:.1} MiB, first record at sink {:.0} ms",
            ms(run.startup),
            mib(run.rss_idle_kib),
            mib(run.rss_peak_kib),
            ms(run.first_at_sink)
        );
        Some(run)
    };
    println!("{}", table(&args, rounds.as_ref(), connectd.as_ref()));
    if let Some(rounds) = &rounds {
        println!("{}", rounds_table(&args, rounds));
    }
    let json = to_json(&args, rounds.as_ref(), connectd.as_ref());
    if let Some(dir) = args.output.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    std::fs::write(&args.output, text + "\n")
        .map_err(|e| format!("{}: {e}", args.output.display()))?;
    eprintln!("results written to {}", args.output.display());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    // The runtime's logs (RUST_LOG=info, ...) go to stderr; silent by default.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipeline benchmark failed: {e}");
            ExitCode::FAILURE
        }
    }
}
