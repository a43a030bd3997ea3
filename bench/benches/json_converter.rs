//! JSON converter against plain `serde_json`, on the same bytes, in the same run.
//!
//! For each record ({small, cdc}) and `schemas.enable` ({true, false}) there are two
//! criterion groups, one per direction, each holding three functions:
//! - `connect`: `JsonConverter::serialize` / `deserialize` (the converter's own cost);
//! - `connect_trait`: the same through a `&dyn Converter` (the async trait the runtime calls:
//!   boxed future, dynamic dispatch), polled once with a no-op waker;
//! - `serde_json`: `serde_json::to_vec` of a `serde_json::Value` holding the same document /
//!   `serde_json::from_slice::<serde_json::Value>` of the same bytes.
//!
//! `cargo run -p connect-bench --release --bin json_report` prints the ratios afterwards
//! (see `bench/README.md`, or run `bench/run.sh` to do both).

use std::hint::black_box;
use std::time::Duration;

use connect_bench::{BASELINE, Case, Direction, OURS, OURS_TRAIT, TOPIC, poll_ready};
use connect_core::{Converter, Headers, SyncConverter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn json_converter(c: &mut Criterion) {
    for case in Case::ALL {
        let p = case.prepare().expect("benchmark fixture builds");
        let bytes_per_record = Throughput::Bytes(p.bytes.len() as u64);
        // The runtime holds converters as trait objects.
        let via_trait: &dyn Converter = &p.converter;

        let mut group = c.benchmark_group(case.group(Direction::Serialize));
        group.throughput(bytes_per_record.clone());
        group.bench_function(OURS, |b| {
            b.iter(|| {
                p.converter
                    .serialize(Some(&p.schema), black_box(&p.value))
                    .expect("serialize")
            })
        });
        group.bench_function(OURS_TRAIT, |b| {
            let mut headers = Headers::new();
            b.iter(|| {
                poll_ready(via_trait.from_connect_data(
                    TOPIC,
                    &mut headers,
                    Some(&p.schema),
                    black_box(&p.value),
                ))
                .expect("the JSON converter never waits")
                .expect("serialize")
            })
        });
        group.bench_function(BASELINE, |b| {
            b.iter(|| serde_json::to_vec(black_box(&p.json)).expect("serde_json serialize"))
        });
        group.finish();

        let mut group = c.benchmark_group(case.group(Direction::Deserialize));
        group.throughput(bytes_per_record);
        group.bench_function(OURS, |b| {
            b.iter(|| {
                p.converter
                    .deserialize(Some(black_box(&p.bytes)))
                    .expect("deserialize")
            })
        });
        group.bench_function(OURS_TRAIT, |b| {
            let headers = Headers::new();
            b.iter(|| {
                poll_ready(
                    p.converter
                        .to_connect_data(TOPIC, &headers, Some(black_box(&p.bytes))),
                )
                .expect("the JSON converter never waits")
                .expect("deserialize")
            })
        });
        group.bench_function(BASELINE, |b| {
            b.iter(|| {
                serde_json::from_slice::<serde_json::Value>(black_box(&p.bytes))
                    .expect("serde_json parse")
            })
        });
        group.finish();
    }
}

/// Short runs: 24 functions must finish in a couple of minutes on a 2-core machine, and the
/// point is the ratio between neighbours measured under the same conditions.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = json_converter
}
criterion_main!(benches);
