//! Pipeline overhead benchmark (`DESIGN.md`, "Performance goals"): datagen -> Kafka ->
//! counting sink through our runtime with bytes converters, against a bare rdkafka
//! produce+consume loop of the same records on the same broker, in one run; plus
//! `connectd`'s start-up time, resident memory (idle, under load) and time to first record.
//!
//! Each round runs, on fresh topics and consumer groups, in this order:
//! 1. baseline, concurrent: a bare consumer subscribes as a bare producer starts sending,
//!    like the pipeline, whose sink and source are created together;
//! 2. the pipeline, in this process (`Herder`, as `connectd` builds it);
//! 3. baseline, sequential: produce all, then consume all (produce-only and consume-only
//!    rates).
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
    #[arg(long, default_value_t = 1_000_000)]
    records: u64,
    /// Size of each value in bytes (keys are 8 bytes).
    #[arg(long, default_value_t = 100)]
    payload_size: usize,
    /// Rounds (each: baseline concurrent, pipeline, baseline sequential).
    #[arg(long, default_value_t = 3)]
    rounds: u32,
    /// Partitions of every topic.
    #[arg(long, default_value_t = 1)]
    partitions: i32,
    /// datagen `batch.size` (records per poll).
    #[arg(long, default_value_t = 1000)]
    batch_size: usize,
    /// The in-process worker's `offset.flush.interval.ms` (default: Kafka's 60000).
    #[arg(long)]
    flush_interval_ms: Option<u64>,
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
    /// Where to write the results as JSON.
    #[arg(long, default_value = "target/bench/pipeline.json")]
    output: PathBuf,
}

/// The throughput rounds' results.
#[derive(Default)]
struct Rounds {
    concurrent: Vec<BaselineRun>,
    sequential: Vec<BaselineRun>,
    pipeline: Vec<PipelineRun>,
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

struct Summary {
    baseline: f64,
    baseline_sequential: f64,
    produce_only: f64,
    consume_only: f64,
    baseline_concurrent_consume: f64,
    pipeline: f64,
    pipeline_sink_rate: f64,
    pipeline_first_record_ms: f64,
    baseline_first_record_ms: f64,
}

impl Summary {
    fn of(rounds: &Rounds, records: u64) -> Self {
        let rates = |runs: &[BaselineRun], f: &dyn Fn(&BaselineRun) -> Duration| {
            median(&runs.iter().map(|r| rate(records, f(r))).collect::<Vec<_>>())
        };
        Summary {
            baseline: rates(&rounds.concurrent, &|r| r.total()),
            baseline_sequential: rates(&rounds.sequential, &|r| r.total()),
            produce_only: rates(&rounds.sequential, &|r| r.produce()),
            consume_only: rates(&rounds.sequential, &|r| r.consume_span()),
            baseline_concurrent_consume: rates(&rounds.concurrent, &|r| r.consume_span()),
            pipeline: median(
                &rounds
                    .pipeline
                    .iter()
                    .map(|r| rate(records, r.total))
                    .collect::<Vec<_>>(),
            ),
            pipeline_sink_rate: median(
                &rounds
                    .pipeline
                    .iter()
                    .map(|r| rate(records, r.sink_span))
                    .collect::<Vec<_>>(),
            ),
            pipeline_first_record_ms: median(
                &rounds
                    .pipeline
                    .iter()
                    .map(|r| ms(r.first_record))
                    .collect::<Vec<_>>(),
            ),
            baseline_first_record_ms: median(
                &rounds
                    .concurrent
                    .iter()
                    .map(|r| ms(r.consumed.first - r.produced.started))
                    .collect::<Vec<_>>(),
            ),
        }
    }
}

async fn throughput_rounds(args: &Args, prefix: &str) -> Result<Rounds, String> {
    let bootstrap = args.bootstrap_servers.as_str();
    let timeout = Duration::from_secs(60) + Duration::from_micros(args.records * 100);
    let worker = InProcessWorker::start(bootstrap, args.flush_interval_ms).await?;
    let mut rounds = Rounds::default();
    for round in 1..=args.rounds {
        let name = format!("{prefix}-r{round}");

        let topic = format!("{name}-baseline-concurrent");
        create_topic(bootstrap, &topic, args.partitions).await?;
        let run = {
            let (bootstrap, topic, group) = (
                bootstrap.to_string(),
                topic.clone(),
                format!("{topic}-group"),
            );
            let (records, size) = (args.records, args.payload_size);
            tokio::task::spawn_blocking(move || {
                baseline::concurrent(&bootstrap, &topic, &group, records, size, timeout)
            })
            .await
            .map_err(|e| format!("baseline thread: {e}"))??
        };
        delete_topic(bootstrap, &topic).await;
        eprintln!(
            "round {round}: baseline concurrent {:>9} rec/s (produce {:.2} s, consumer join {:.2} s, total {:.2} s)",
            grouped(rate(args.records, run.total())),
            secs(run.produce()),
            secs(run.join()),
            secs(run.total())
        );
        rounds.concurrent.push(run);

        let topic = format!("{name}-pipeline");
        create_topic(bootstrap, &topic, args.partitions).await?;
        let run = worker
            .run(
                &name,
                &topic,
                args.records,
                args.payload_size,
                args.batch_size,
                timeout,
            )
            .await?;
        delete_topic(bootstrap, &topic).await;
        eprintln!(
            "round {round}: pipeline            {:>9} rec/s (first record {:.2} s, total {:.2} s)",
            grouped(rate(args.records, run.total)),
            secs(run.first_record),
            secs(run.total)
        );
        rounds.pipeline.push(run);

        let topic = format!("{name}-baseline-sequential");
        create_topic(bootstrap, &topic, args.partitions).await?;
        let run = {
            let (bootstrap, topic, group) = (
                bootstrap.to_string(),
                topic.clone(),
                format!("{topic}-group"),
            );
            let (records, size) = (args.records, args.payload_size);
            tokio::task::spawn_blocking(move || {
                baseline::sequential(&bootstrap, &topic, &group, records, size, timeout)
            })
            .await
            .map_err(|e| format!("baseline thread: {e}"))??
        };
        delete_topic(bootstrap, &topic).await;
        eprintln!(
            "round {round}: baseline sequential {:>9} rec/s (produce {:.2} s, consumer join {:.2} s, consume {:.2} s)",
            grouped(rate(args.records, run.total())),
            secs(run.produce()),
            secs(run.join()),
            secs(run.consume_span())
        );
        rounds.sequential.push(run);
    }
    worker.shutdown().await;
    Ok(rounds)
}

fn table(args: &Args, rounds: Option<&Rounds>, connectd: Option<&ConnectdRun>) -> String {
    let mut out = String::new();
    let mut row = |metric: &str, value: String| {
        out.push_str(&format!("| {metric} | {value} |\n"));
    };
    row(
        "records per run × value size",
        format!(
            "{} × {} B (8 B keys), {} partition(s), median of {} round(s)",
            grouped(args.records as f64),
            args.payload_size,
            args.partitions,
            args.rounds
        ),
    );
    if let Some(rounds) = rounds {
        let s = Summary::of(rounds, args.records);
        let ratio = s.pipeline / s.baseline;
        row(
            "**baseline**: bare rdkafka, produce + consume concurrently (records/s)",
            grouped(s.baseline),
        );
        row(
            "**pipeline**: datagen → Kafka → counting sink, in-process (records/s)",
            grouped(s.pipeline),
        );
        row(
            "**ratio pipeline / baseline** (goal ≥ 0.8)",
            format!(
                "**{ratio:.2}** ({})",
                if ratio >= GOAL { "met" } else { "NOT met" }
            ),
        );
        row(
            "baseline, produce all then consume all (records/s)",
            grouped(s.baseline_sequential),
        );
        row(
            "ratio pipeline / produce-then-consume baseline",
            format!("{:.2}", s.pipeline / s.baseline_sequential),
        );
        row("baseline produce only (records/s)", grouped(s.produce_only));
        row(
            "baseline consume only, first to last record (records/s)",
            grouped(s.consume_only),
        );
        row(
            "sink side, first to last record: pipeline / concurrent baseline (records/s)",
            format!(
                "{} / {} = {:.2}",
                grouped(s.pipeline_sink_rate),
                grouped(s.baseline_concurrent_consume),
                s.pipeline_sink_rate / s.baseline_concurrent_consume
            ),
        );
        row(
            "time to first record at the consumer: pipeline / baseline (ms)",
            format!(
                "{:.0} / {:.0}",
                s.pipeline_first_record_ms, s.baseline_first_record_ms
            ),
        );
    }
    if let Some(c) = connectd {
        row(
            "connectd start-up: spawn → first answered ListConnectors (ms)",
            format!("{:.0}", ms(c.startup)),
        );
        row(
            "connectd RSS: just started, no connector (MiB)",
            format!("{:.1}", mib(c.rss_ready_kib)),
        );
        row(
            "connectd RSS idle, one connector (MiB)",
            format!("{:.1}", mib(c.rss_idle_kib)),
        );
        row(
            "connectd RSS under load, peak VmHWM (highest sample) (MiB)",
            format!(
                "{:.1} ({:.1})",
                mib(c.rss_peak_kib),
                mib(c.rss_load_sampled_kib)
            ),
        );
        row(
            "connectd RSS 2 s after the load (MiB)",
            format!("{:.1}", mib(c.rss_after_kib)),
        );
        row(
            "connectd CreateConnector → first record at the sink (ms)",
            format!(
                "{:.0} (≤ {} ms late: sink report interval)",
                ms(c.first_at_sink),
                args.connectd_flush_interval_ms + 2
            ),
        );
        row(
            "connectd CreateConnector → first record in Kafka (ms)",
            c.first_in_kafka
                .map_or("n/a".to_string(), |d| format!("{:.0}", ms(d))),
        );
        let records = args.connectd_records.unwrap_or(args.records);
        row(
            "connectd CreateConnector → all records at the sink (records/s)",
            format!(
                "{:.2} s ({} records/s)",
                secs(c.all_at_sink),
                grouped(rate(records, c.all_at_sink))
            ),
        );
    }
    format!("| metric | value |\n|---|--:|\n{out}")
}

fn rounds_table(args: &Args, rounds: &Rounds) -> String {
    let mut out = String::from(
        "| round | baseline concurrent (rec/s) | pipeline (rec/s) | ratio | baseline sequential (rec/s) | produce only | consume only | pipeline first record (s) | baseline consumer join (s) |\n|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for (i, ((c, p), s)) in rounds
        .concurrent
        .iter()
        .zip(&rounds.pipeline)
        .zip(&rounds.sequential)
        .enumerate()
    {
        let (base, pipe) = (rate(args.records, c.total()), rate(args.records, p.total));
        out.push_str(&format!(
            "| {} | {} | {} | {:.2} | {} | {} | {} | {:.2} | {:.2} |\n",
            i + 1,
            grouped(base),
            grouped(pipe),
            pipe / base,
            grouped(rate(args.records, s.total())),
            grouped(rate(args.records, s.produce())),
            grouped(rate(args.records, s.consume_span())),
            secs(p.first_record),
            secs(c.join()),
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
            "records_per_s": rate(args.records, r.total()),
        })
    };
    let throughput = rounds.map(|rounds| {
        let s = Summary::of(rounds, args.records);
        json!({
            "baseline_records_per_s": s.baseline,
            "pipeline_records_per_s": s.pipeline,
            "ratio": s.pipeline / s.baseline,
            "goal": GOAL,
            "goal_met": s.pipeline / s.baseline >= GOAL,
            "baseline_sequential_records_per_s": s.baseline_sequential,
            "ratio_vs_sequential": s.pipeline / s.baseline_sequential,
            "baseline_produce_only_records_per_s": s.produce_only,
            "baseline_consume_only_records_per_s": s.consume_only,
            "baseline_concurrent_consume_records_per_s": s.baseline_concurrent_consume,
            "pipeline_sink_records_per_s": s.pipeline_sink_rate,
            "pipeline_first_record_ms": s.pipeline_first_record_ms,
            "baseline_first_record_ms": s.baseline_first_record_ms,
            "rounds": {
                "baseline_concurrent": rounds.concurrent.iter().map(baseline_json).collect::<Vec<_>>(),
                "baseline_sequential": rounds.sequential.iter().map(baseline_json).collect::<Vec<_>>(),
                "pipeline": rounds.pipeline.iter().map(|r| json!({
                    "total_s": secs(r.total),
                    "first_record_s": secs(r.first_record),
                    "sink_span_s": secs(r.sink_span),
                    "records_per_s": rate(args.records, r.total),
                })).collect::<Vec<_>>(),
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
