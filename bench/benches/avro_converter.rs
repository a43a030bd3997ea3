//! Avro converter against plain `apache-avro`, on the same datum, in the same run, with the
//! JSON converter's figures for the same records alongside.
//!
//! For each record ({small, cdc}) two criterion groups, `avro_<record>_<direction>`, each
//! with four functions:
//! - `avro_converter`: `AvroConverter::from_connect_data` / `to_connect_data` through
//!   `&dyn Converter` (boxed future, polled once: warm caches never wait), Confluent framing
//!   included;
//! - `apache_avro`: serialize with `GenericSingleObjectWriter::write_value_ref` (the datum by
//!   reference, schema resolved once, a 10-byte single-object header); deserialize with
//!   `from_avro_datum` of our payload;
//! - `json_schemas` / `json_noschemas`: the JSON converter through the trait, with and
//!   without the schema envelope.
//!
//! `cargo run -p connect-bench --release --bin avro_report` prints the ratios afterwards
//! (`bench/run_avro.sh` does both).

use std::hint::black_box;
use std::time::Duration;

use connect_bench::avro::{APACHE_AVRO, AVRO, JSON_NO_SCHEMAS, JSON_SCHEMAS, group, prepare};
use connect_bench::{Direction, Record, TOPIC, poll_ready};
use connect_core::{Converter, Headers};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn avro_converter(c: &mut Criterion) {
    for record in [Record::Small, Record::Cdc] {
        let p = prepare(record).expect("benchmark fixture builds");
        let ours: &dyn Converter = &p.converter;
        let mut writer = apache_avro::GenericSingleObjectWriter::new_with_capacity(
            &p.apache_schema,
            p.message.len() + 16,
        )
        .expect("apache-avro writer");
        let throughput = Throughput::Bytes(p.message.len() as u64);

        let mut group_ser = c.benchmark_group(group(record, Direction::Serialize));
        group_ser.throughput(throughput.clone());
        group_ser.bench_function(AVRO, |b| {
            let mut headers = Headers::new();
            b.iter(|| {
                poll_ready(ours.from_connect_data(
                    TOPIC,
                    &mut headers,
                    Some(&p.schema),
                    black_box(&p.value),
                ))
                .expect("warm caches never wait")
                .expect("serialize")
            })
        });
        group_ser.bench_function(APACHE_AVRO, |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(64);
                writer
                    .write_value_ref(black_box(&p.apache_value), &mut out)
                    .expect("apache-avro encode");
                out
            })
        });
        for ((json, _), name) in p.json.iter().zip([JSON_SCHEMAS, JSON_NO_SCHEMAS]) {
            let json: &dyn Converter = json;
            group_ser.bench_function(name, |b| {
                let mut headers = Headers::new();
                b.iter(|| {
                    poll_ready(json.from_connect_data(
                        TOPIC,
                        &mut headers,
                        Some(&p.schema),
                        black_box(&p.value),
                    ))
                    .expect("the JSON converter never waits")
                    .expect("serialize")
                })
            });
        }
        group_ser.finish();

        let mut group_de = c.benchmark_group(group(record, Direction::Deserialize));
        group_de.throughput(throughput);
        group_de.bench_function(AVRO, |b| {
            let headers = Headers::new();
            b.iter(|| {
                poll_ready(ours.to_connect_data(TOPIC, &headers, Some(black_box(&p.message))))
                    .expect("warm caches never wait")
                    .expect("deserialize")
            })
        });
        group_de.bench_function(APACHE_AVRO, |b| {
            let payload = &p.message[5..];
            b.iter(|| {
                apache_avro::from_avro_datum(&p.apache_schema, &mut black_box(payload), None)
                    .expect("apache-avro decode")
            })
        });
        for ((json, bytes), name) in p.json.iter().zip([JSON_SCHEMAS, JSON_NO_SCHEMAS]) {
            let json: &dyn Converter = json;
            group_de.bench_function(name, |b| {
                let headers = Headers::new();
                b.iter(|| {
                    poll_ready(json.to_connect_data(TOPIC, &headers, Some(black_box(bytes))))
                        .expect("the JSON converter never waits")
                        .expect("deserialize")
                })
            });
        }
        group_de.finish();
    }
}

/// Short runs on a shared 2-core machine: the point is the ratio between neighbours
/// measured under the same conditions.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = avro_converter
}
criterion_main!(benches);
