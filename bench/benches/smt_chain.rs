//! A chain of five common SMTs against the JSON converter, per record, in the same run.
//!
//! The design goal (`shared/DESIGN.md`) is that a typical chain costs under 10% of the
//! converter: transforms run on every record next to a serialize (source) or deserialize
//! (sink), so that is the budget they are measured against. One criterion group,
//! `smt_chain_order`, holds:
//! - `clone_record`: cloning and dropping the input record, the baseline of `chain`.
//! - `chain`: InsertField$Value (static field) -> ReplaceField$Value (rename + exclude) ->
//!   Cast$Value (int32 field to int64) -> MaskField$Value -> ValueToKey on a 10-field
//!   struct, built from a connector config through `TransformChain::from_config` exactly as
//!   a task builds it, applied to a clone of the record and dropped; its cost is reported
//!   net of `clone_record`.
//! - `json_serialize_deserialize`: `JsonConverter` (Kafka's default `schemas.enable=true`)
//!   writing the same record's value and reading the bytes back (freeing both results).
//! - `json_noschemas_serialize_deserialize`: the same with `schemas.enable=false`.
//! - `passthrough_chain`: five stages whose transformation returns the record untouched
//!   and implements only `apply`, applied like `chain` (net of `clone_record`): what a
//!   transformation without `apply_in_place` costs for handing the record by value through
//!   the default in-place adapter, before doing any work. The five SMTs of `chain`
//!   implement `apply_in_place`, so they do not pay this.
//!
//! Every function is a plain `iter` loop: criterion's batched modes (which keep the clone
//! out of the timing) add page faults and copies of their own that swamp a few hundred
//! nanoseconds, so the clone is measured and subtracted instead. Subtracting clone+drop of
//! the input from clone+chain+drop of the output charges the chain for everything it
//! allocates, copies and frees, but not for the one record every pipeline frees anyway. A
//! second group, `smt_single_order`, times each of the five SMTs alone on the same input
//! (reported net of the same baseline).
//!
//! After criterion finishes, the ratios of the medians are printed (see `bench/README.md`).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use connect_bench::json_converter;
use connect_core::config::Properties;
use connect_core::logical;
use connect_core::plugin::PluginRegistry;
use connect_core::{
    ConnectRecord, Result, Schema, SchemaBuilder, Struct, SyncConverter, Transformation, Value,
};
use connect_transforms::chain::{TransformChain, TransformStage};
use criterion::Criterion;

const GROUP: &str = "smt_chain_order";
const SINGLE_GROUP: &str = "smt_single_order";
const SINGLE: [&str; 5] = ["insert", "rename", "cast", "mask", "key"];
const CHAIN: &str = "chain";
const CLONE: &str = "clone_record";
const JSON: &str = "json_serialize_deserialize";
const JSON_NO_SCHEMAS: &str = "json_noschemas_serialize_deserialize";
const PASSTHROUGH: &str = "passthrough_chain";

/// The five SMTs, as a connector config lists them.
const CHAIN_CONFIG: &[(&str, &str)] = &[
    ("transforms", "insert,rename,cast,mask,key"),
    (
        "transforms.insert.type",
        "org.apache.kafka.connect.transforms.InsertField$Value",
    ),
    ("transforms.insert.static.field", "pipeline"),
    ("transforms.insert.static.value", "orders-v1"),
    (
        "transforms.rename.type",
        "org.apache.kafka.connect.transforms.ReplaceField$Value",
    ),
    ("transforms.rename.renames", "customer:customer_name"),
    ("transforms.rename.exclude", "note"),
    (
        "transforms.cast.type",
        "org.apache.kafka.connect.transforms.Cast$Value",
    ),
    ("transforms.cast.spec", "qty:int64"),
    (
        "transforms.mask.type",
        "org.apache.kafka.connect.transforms.MaskField$Value",
    ),
    ("transforms.mask.fields", "email"),
    (
        "transforms.key.type",
        "org.apache.kafka.connect.transforms.ValueToKey",
    ),
    ("transforms.key.fields", "id"),
];

/// An order with ten fields of the common types.
fn order_schema() -> Schema {
    let field = |b: SchemaBuilder| b.build().expect("field schema builds");
    SchemaBuilder::structure()
        .name("com.example.Order")
        .version(1)
        .field("id", field(SchemaBuilder::int64()))
        .field("customer", field(SchemaBuilder::string()))
        .field("email", field(SchemaBuilder::string()))
        .field("amount", field(SchemaBuilder::float64()))
        .field("qty", field(SchemaBuilder::int32()))
        .field("active", field(SchemaBuilder::boolean()))
        .field("country", field(SchemaBuilder::string()))
        .field("created", field(logical::timestamp_schema()))
        .field("note", field(SchemaBuilder::string().optional()))
        .field(
            "tags",
            field(SchemaBuilder::array(field(SchemaBuilder::string())).optional()),
        )
        .build()
        .expect("order schema builds")
}

fn order_record(schema: &Schema) -> ConnectRecord {
    let value = Struct::new(schema.clone())
        .and_then(|s| s.with("id", 1_001i64))
        .and_then(|s| s.with("customer", "Alice Martin"))
        .and_then(|s| s.with("email", "alice.martin@example.com"))
        .and_then(|s| s.with("amount", 99.5f64))
        .and_then(|s| s.with("qty", 3i32))
        .and_then(|s| s.with("active", true))
        .and_then(|s| s.with("country", "FR"))
        .and_then(|s| s.with("created", Value::Timestamp(1_700_000_000_123)))
        .and_then(|s| s.with("note", "leave at the door"))
        .and_then(|s| s.with("tags", Value::Array(vec!["new".into(), "vip".into()])))
        .expect("order value is valid");
    let mut record = ConnectRecord::source("orders", Some(schema.clone()), Value::Struct(value));
    record.kafka_partition = Some(0);
    record.timestamp = Some(1_700_000_000_000);
    record
}

/// The chain of the given aliases of [`CHAIN_CONFIG`] (all five by default).
fn chain_of(aliases: &str) -> TransformChain {
    let mut props: Properties = CHAIN_CONFIG
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    props.insert("transforms".to_string(), aliases.to_string());
    let registry = PluginRegistry::new(connect_transforms::plugins());
    TransformChain::from_config(&props, &registry).expect("the benchmark chain is valid")
}

/// A transformation that does nothing: the stage overhead alone.
struct Passthrough;

impl Transformation for Passthrough {
    fn apply(&mut self, record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        Ok(Some(record))
    }
}

/// Five [`Passthrough`] stages, as many as the measured chain has.
fn passthrough_chain() -> TransformChain {
    TransformChain::new(
        (0..5)
            .map(|_| TransformStage::new("passthrough", "Passthrough", Box::new(Passthrough)))
            .collect(),
    )
}

fn smt_chain(c: &mut Criterion) {
    let schema = order_schema();
    let record = order_record(&schema);
    let mut chain = chain_of("insert,rename,cast,mask,key");
    // The chain must really transform: check the output once before timing it.
    let out = chain
        .apply(record.clone())
        .expect("chain applies")
        .expect("chain keeps the record");
    let value = out.value.as_struct().expect("struct value");
    assert_eq!(value.get("qty").expect("qty"), &Value::Int64(3));
    assert_eq!(value.get("email").expect("email"), &Value::from(""));
    assert!(value.schema().field("customer_name").is_some());
    assert!(value.schema().field("note").is_none());
    assert!(out.key.as_struct().is_some());

    let with_schemas = json_converter(true).expect("json converter");
    let without_schemas = json_converter(false).expect("json converter");

    let mut group = c.benchmark_group(GROUP);
    // The baseline the chain is measured against: making and dropping the input record.
    group.bench_function(CLONE, |b| b.iter(|| black_box(record.clone())));
    group.bench_function(CHAIN, |b| {
        b.iter(|| {
            chain
                .apply(black_box(record.clone()))
                .expect("chain applies")
        })
    });
    for (name, converter) in [(JSON, &with_schemas), (JSON_NO_SCHEMAS, &without_schemas)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let bytes = converter
                    .serialize(Some(&schema), black_box(&record.value))
                    .expect("serialize")
                    .expect("a struct serializes to bytes");
                converter
                    .deserialize(Some(black_box(&bytes)))
                    .expect("deserialize")
            })
        });
    }
    let mut passthrough = passthrough_chain();
    group.bench_function(PASSTHROUGH, |b| {
        b.iter(|| {
            passthrough
                .apply(black_box(record.clone()))
                .expect("passthrough applies")
        })
    });
    group.finish();

    // Each SMT alone on the same input, to see where the chain's time goes.
    let mut group = c.benchmark_group(SINGLE_GROUP);
    for alias in SINGLE {
        let mut single = chain_of(alias);
        group.bench_function(alias, |b| {
            b.iter(|| {
                single
                    .apply(black_box(record.clone()))
                    .expect("transform applies")
            })
        });
    }
    group.finish();
}

/// Where criterion writes: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion`.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")
}

/// The median time per iteration, in nanoseconds, of one benchmark.
fn median(group: &str, function: &str) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json.get("median")?.get("point_estimate")?.as_f64()
}

fn report() {
    let (Some(clone), Some(chain), Some(json), Some(plain)) = (
        median(GROUP, CLONE),
        median(GROUP, CHAIN),
        median(GROUP, JSON),
        median(GROUP, JSON_NO_SCHEMAS),
    ) else {
        println!("(no complete criterion estimates to report ratios from)");
        return;
    };
    let chain = chain - clone;
    println!("\nSMT chain vs JSON converter, medians per record (10-field struct):");
    println!("  5-SMT chain (minus the {clone:.0} ns record clone+drop)  {chain:>6.0} ns");
    if let Some(passthrough) = median(GROUP, PASSTHROUGH) {
        println!(
            "  (5 by-value no-op stages, for comparison)         {:>6.0} ns",
            passthrough - clone
        );
    }
    for alias in SINGLE {
        if let Some(single) = median(SINGLE_GROUP, alias) {
            println!(
                "    {alias:<8} alone (with its stage)              {:>6.0} ns",
                single - clone
            );
        }
    }
    println!("  JSON serialize+deserialize, schemas.enable=true    {json:>6.0} ns");
    println!("  JSON serialize+deserialize, schemas.enable=false   {plain:>6.0} ns");
    for (label, converter) in [
        ("schemas.enable=true", json),
        ("schemas.enable=false", plain),
    ] {
        let ratio = chain / converter * 100.0;
        let verdict = if ratio < 10.0 { "meets" } else { "misses" };
        println!("  chain / converter ({label}): {ratio:.1}% ({verdict} the < 10% goal)");
    }
}

/// Short runs: a dozen functions on a shared 2-core machine; the ratio between neighbours
/// measured under the same conditions is the point.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

fn main() {
    let mut criterion = config().configure_from_args();
    smt_chain(&mut criterion);
    criterion.final_summary();
    report();
}
