//! Benchmark fixtures for the Connect runtime, shared by the criterion benches in `benches/`
//! and by the `json_report` binary that turns their results into a ratio table.
//!
//! The performance goals in `DESIGN.md` are ratios measured in one run (ours against a plain
//! library doing the same job on the same bytes), so every benchmark needs the same data on
//! both sides. This crate builds that data once, deterministically, and names the criterion
//! groups and functions in one place so the benches and the report cannot drift apart.
//!
//! Two records are provided:
//! - a small flat record ([`small_schema`], [`small_value`]): the per-call overhead case;
//! - a Debezium-style change event ([`cdc_schema`], [`cdc_value`]): an update with
//!   `before`/`after` rows of 15 columns (Decimal, Date, Timestamp, strings, numbers,
//!   booleans, nulls), a `source` block and `op`/`ts_ms`, about 1 KB of JSON payload. That is
//!   what most Connect pipelines actually carry, and it exercises nesting, logical types,
//!   optional fields and string escapes.
//!
//! [`pipeline`] holds what the `pipeline` binary (runtime vs bare rdkafka throughput,
//! `connectd` memory and start-up) shares with its tests.

pub mod avro;
pub mod pipeline;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use connect_converters::json::{JsonConverter, SCHEMAS_ENABLE_CONFIG};
use connect_core::logical::{date_schema, decimal_schema, timestamp_schema};
use connect_core::{
    BigDecimal, ConnectError, ConverterType, Properties, Result, Schema, SchemaBuilder, SchemaType,
    Struct, SyncConverter, Value,
};

/// Topic name passed to the [`connect_core::Converter`] trait methods. The JSON converter
/// ignores it; a realistic value keeps the call identical to what the runtime makes.
pub const TOPIC: &str = "dbserver1.public.orders";

/// Criterion function id of the JSON converter called through its inherent methods
/// (`serialize`/`deserialize`): the converter's own cost.
pub const OURS: &str = "connect";
/// Criterion function id of the JSON converter called through the async
/// [`connect_core::Converter`] trait, as the runtime calls it (boxed future, dynamic
/// dispatch), polled once with a no-op waker.
pub const OURS_TRAIT: &str = "connect_trait";
/// Criterion function id of the baseline: plain `serde_json` on the same JSON.
pub const BASELINE: &str = "serde_json";

/// The record shapes benchmarked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Record {
    /// Four flat fields: measures fixed per-record overhead.
    Small,
    /// A ~1 KB Debezium-style change event: the typical CDC pipeline record.
    Cdc,
}

impl Record {
    /// Short name used in criterion group ids and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Record::Small => "small",
            Record::Cdc => "cdc",
        }
    }

    /// The record's schema.
    pub fn schema(self) -> Result<Schema> {
        match self {
            Record::Small => small_schema(),
            Record::Cdc => cdc_schema(),
        }
    }

    /// The record's value, built for `schema` (which must come from [`Record::schema`]).
    pub fn value(self, schema: &Schema) -> Result<Value> {
        match self {
            Record::Small => small_value(schema),
            Record::Cdc => cdc_value(schema),
        }
    }
}

/// Which converter method a benchmark group measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Connect data to bytes (the source side: `from_connect_data`).
    Serialize,
    /// Bytes to Connect data (the sink side: `to_connect_data`).
    Deserialize,
}

impl Direction {
    /// Both directions, serialize first.
    pub const ALL: [Direction; 2] = [Direction::Serialize, Direction::Deserialize];

    /// Short name used in criterion group ids and in the report.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Serialize => "serialize",
            Direction::Deserialize => "deserialize",
        }
    }
}

/// One benchmarked configuration: a record shape and the `schemas.enable` setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    /// The record shape.
    pub record: Record,
    /// The converter's `schemas.enable` setting: `true` writes and expects the
    /// `{"schema":...,"payload":...}` envelope, `false` plain payloads.
    pub schemas_enable: bool,
}

impl Case {
    /// Every case, in report order.
    pub const ALL: [Case; 4] = [
        Case {
            record: Record::Small,
            schemas_enable: true,
        },
        Case {
            record: Record::Small,
            schemas_enable: false,
        },
        Case {
            record: Record::Cdc,
            schemas_enable: true,
        },
        Case {
            record: Record::Cdc,
            schemas_enable: false,
        },
    ];

    /// The criterion group id for this case and direction, e.g.
    /// `json_cdc_schemas_serialize`. Only `[a-z_]` so it is also the directory name
    /// criterion writes under `target/criterion/`.
    pub fn group(self, direction: Direction) -> String {
        let schemas = if self.schemas_enable {
            "schemas"
        } else {
            "noschemas"
        };
        format!(
            "json_{}_{}_{}",
            self.record.name(),
            schemas,
            direction.name()
        )
    }

    /// Builds everything a benchmark of this case needs.
    pub fn prepare(self) -> Result<Prepared> {
        let schema = self.record.schema()?;
        let value = self.record.value(&schema)?;
        let converter = json_converter(self.schemas_enable)?;
        let bytes = converter
            .serialize(Some(&schema), &value)?
            .ok_or_else(|| ConnectError::data("the converter wrote no bytes for a non-null"))?;
        let json = serde_json::from_slice(&bytes).map_err(|e| {
            ConnectError::data(format!(
                "serde_json cannot read the converter's output: {e}"
            ))
        })?;
        Ok(Prepared {
            case: self,
            schema,
            value,
            converter,
            bytes,
            json,
        })
    }

    /// The exact bytes the JSON converter writes for this case (and the input of its
    /// deserialize benchmarks).
    pub fn serialized(self) -> Result<Vec<u8>> {
        Ok(self.prepare()?.bytes)
    }
}

/// A case ready to benchmark: the Connect data, a configured converter, the bytes it
/// writes, and the same JSON as a `serde_json` tree for the baseline.
#[derive(Debug)]
pub struct Prepared {
    /// The case this was built for.
    pub case: Case,
    /// The record schema passed to `serialize`.
    pub schema: Schema,
    /// The record value passed to `serialize`.
    pub value: Value,
    /// A JSON converter configured for the case.
    pub converter: JsonConverter,
    /// What the converter writes for `value`; the input of both deserialize benchmarks.
    pub bytes: Vec<u8>,
    /// `bytes` parsed by `serde_json`: the input of the baseline serialize benchmark, so
    /// both sides write the same document.
    pub json: serde_json::Value,
}

/// A JSON converter configured as a Connect worker would (`value.converter.` prefix
/// removed), with only `schemas.enable` set so every other setting is Kafka's default.
pub fn json_converter(schemas_enable: bool) -> Result<JsonConverter> {
    let mut props = Properties::new();
    props.insert(
        SCHEMAS_ENABLE_CONFIG.to_string(),
        schemas_enable.to_string(),
    );
    JsonConverter::new(&props, ConverterType::Value)
}

/// Polls a future once with a no-op waker and returns its output if it is ready.
///
/// The JSON converter never awaits, so its [`connect_core::Converter`] futures are ready
/// on the first poll. Polling directly measures what the trait itself adds (boxing the
/// future, dynamic dispatch) without an executor's per-call bookkeeping, which in the
/// runtime is paid once per task wake-up rather than once per record.
pub fn poll_ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

fn primitive(kind: SchemaType, optional: bool) -> Result<Schema> {
    Schema::primitive(kind, optional)
        .ok_or_else(|| ConnectError::data(format!("{kind} is not a primitive type")))
}

/// Schema of the small record: `id` int64, `name` string, `active` boolean, `score`
/// float64, all required. Small enough that fixed per-record costs (envelope, schema
/// cache lookup, allocation) dominate.
pub fn small_schema() -> Result<Schema> {
    SchemaBuilder::structure()
        .name("com.example.User")
        .field("id", primitive(SchemaType::Int64, false)?)
        .field("name", primitive(SchemaType::String, false)?)
        .field("active", primitive(SchemaType::Boolean, false)?)
        .field("score", primitive(SchemaType::Float64, false)?)
        .build()
}

/// The small record's value for [`small_schema`]; fixed content.
pub fn small_value(schema: &Schema) -> Result<Value> {
    Ok(Value::Struct(
        Struct::new(schema.clone())?
            .with("id", 42i64)?
            .with("name", "Ada Lovelace")?
            .with("active", true)?
            .with("score", 97.25f64)?,
    ))
}

/// Milliseconds per day, for the Date column (midnight UTC).
const DAY_MILLIS: i64 = 86_400_000;

/// Schema of the `before`/`after` row of the change event: an `orders` table with 15
/// columns as Debezium maps them with `time.precision.mode=connect` and
/// `decimal.handling.mode=precise` (so Connect's Decimal, Date and Timestamp logical types).
pub fn cdc_row_schema() -> Result<Schema> {
    SchemaBuilder::structure()
        .name("dbserver1.public.orders.Value")
        .optional()
        .field("id", primitive(SchemaType::Int64, false)?)
        .field("order_number", primitive(SchemaType::String, false)?)
        .field("customer_id", primitive(SchemaType::Int64, false)?)
        .field("customer_email", primitive(SchemaType::String, true)?)
        .field("status", primitive(SchemaType::String, false)?)
        .field("total_amount", decimal_schema(2).build()?)
        .field("currency", primitive(SchemaType::String, false)?)
        .field("item_count", primitive(SchemaType::Int32, false)?)
        .field("is_paid", primitive(SchemaType::Boolean, false)?)
        .field("discount_code", primitive(SchemaType::String, true)?)
        .field("notes", primitive(SchemaType::String, true)?)
        .field("weight_kg", primitive(SchemaType::Float64, true)?)
        .field("order_date", date_schema().build()?)
        .field("created_at", timestamp_schema().build()?)
        .field("updated_at", timestamp_schema().optional().build()?)
        .build()
}

/// Schema of the Debezium PostgreSQL connector's `source` block (including its
/// `io.debezium.data.Enum` string with parameters and a default).
pub fn cdc_source_schema() -> Result<Schema> {
    let snapshot = SchemaBuilder::string()
        .name("io.debezium.data.Enum")
        .version(1)
        .parameter("allowed", "true,last,false,incremental")
        .optional()
        .default_value(Value::String("false".to_string()))
        .build()?;
    SchemaBuilder::structure()
        .name("io.debezium.connector.postgresql.Source")
        .field("version", primitive(SchemaType::String, false)?)
        .field("connector", primitive(SchemaType::String, false)?)
        .field("name", primitive(SchemaType::String, false)?)
        .field("ts_ms", primitive(SchemaType::Int64, false)?)
        .field("snapshot", snapshot)
        .field("db", primitive(SchemaType::String, false)?)
        .field("sequence", primitive(SchemaType::String, true)?)
        .field("schema", primitive(SchemaType::String, false)?)
        .field("table", primitive(SchemaType::String, false)?)
        .field("txId", primitive(SchemaType::Int64, true)?)
        .field("lsn", primitive(SchemaType::Int64, true)?)
        .field("xmin", primitive(SchemaType::Int64, true)?)
        .build()
}

/// Schema of Debezium's optional `transaction` block (null in the fixture, as when
/// transaction metadata is off).
fn cdc_transaction_schema() -> Result<Schema> {
    SchemaBuilder::structure()
        .name("event.block")
        .version(1)
        .optional()
        .field("id", primitive(SchemaType::String, false)?)
        .field("total_order", primitive(SchemaType::Int64, false)?)
        .field(
            "data_collection_order",
            primitive(SchemaType::Int64, false)?,
        )
        .build()
}

/// Schema of the change event envelope: `before`, `after`, `source`, `op`, `ts_ms`,
/// `transaction`, as Debezium writes it.
pub fn cdc_schema() -> Result<Schema> {
    let row = cdc_row_schema()?;
    SchemaBuilder::structure()
        .name("dbserver1.public.orders.Envelope")
        .version(2)
        .field("before", row.clone())
        .field("after", row)
        .field("source", cdc_source_schema()?)
        .field("op", primitive(SchemaType::String, false)?)
        .field("ts_ms", primitive(SchemaType::Int64, true)?)
        .field("transaction", cdc_transaction_schema()?)
        .build()
}

/// One row of the `orders` table; `paid` distinguishes the `after` image from `before`.
fn cdc_row(schema: &Schema, paid: bool) -> Result<Value> {
    let created_at: i64 = 1_700_000_000_123;
    let row = Struct::new(schema.clone())?
        .with("id", 1_000_042i64)?
        .with("order_number", "ORD-2023-000042")?
        .with("customer_id", 87_311i64)?
        .with("customer_email", "jane.doe@example.com")?
        .with("status", if paid { "PAID" } else { "PENDING" })?
        .with("total_amount", BigDecimal::new(1_234_599, 2))?
        .with("currency", "EUR")?
        .with("item_count", 3i32)?
        .with("is_paid", paid)?
        .with("discount_code", Value::Null)?
        .with(
            "notes",
            if paid {
                Value::from("Leave at the \"side\" door, Kurfürstendamm 21")
            } else {
                Value::Null
            },
        )?
        .with("weight_kg", 2.75f64)?
        .with("order_date", Value::Timestamp(19_675 * DAY_MILLIS))?
        .with("created_at", Value::Timestamp(created_at))?
        .with(
            "updated_at",
            Value::Timestamp(if paid {
                created_at + 123_456
            } else {
                created_at
            }),
        )?;
    Ok(Value::Struct(row))
}

/// The change event's value for [`cdc_schema`]: an update (`op` = `u`) of one order from
/// PENDING to PAID, with fixed content. Its JSON payload is about 1 KB.
pub fn cdc_value(schema: &Schema) -> Result<Value> {
    let field_schema = |name: &str| {
        schema
            .field(name)
            .map(|f| f.schema().clone())
            .ok_or_else(|| ConnectError::data(format!("{name} is not a valid field name")))
    };
    let source = Struct::new(field_schema("source")?)?
        .with("version", "2.7.3.Final")?
        .with("connector", "postgresql")?
        .with("name", "dbserver1")?
        .with("ts_ms", 1_700_000_123_456i64)?
        .with("snapshot", "false")?
        .with("db", "inventory")?
        .with("sequence", "[\"24023119\",\"24023128\"]")?
        .with("schema", "public")?
        .with("table", "orders")?
        .with("txId", 780i64)?
        .with("lsn", 24_023_128i64)?
        .with("xmin", Value::Null)?;
    let row_schema = field_schema("before")?;
    let envelope = Struct::new(schema.clone())?
        .with("before", cdc_row(&row_schema, false)?)?
        .with("after", cdc_row(&row_schema, true)?)?
        .with("source", source)?
        .with("op", "u")?
        .with("ts_ms", 1_700_000_123_789i64)?
        .with("transaction", Value::Null)?;
    Ok(Value::Struct(envelope))
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::{Converter, Headers};

    #[test]
    fn cdc_payload_is_about_one_kilobyte() {
        let bytes = Case {
            record: Record::Cdc,
            schemas_enable: false,
        }
        .serialized()
        .unwrap();
        assert!((900..=1300).contains(&bytes.len()), "{} bytes", bytes.len());
    }

    #[test]
    fn fixtures_are_deterministic() {
        for case in Case::ALL {
            assert_eq!(case.serialized().unwrap(), case.serialized().unwrap());
        }
    }

    #[test]
    fn every_case_round_trips_and_baseline_reads_the_same_document() {
        for case in Case::ALL {
            let p = case.prepare().unwrap();
            let back = p.converter.deserialize(Some(&p.bytes)).unwrap();
            if case.schemas_enable {
                assert_eq!(back.schema.as_ref(), Some(&p.schema), "{case:?}");
                assert_eq!(back.value, p.value, "{case:?}");
            }
            // serde_json writes the same document (keys may be reordered).
            let baseline = serde_json::to_vec(&p.json).unwrap();
            let reparsed: serde_json::Value = serde_json::from_slice(&baseline).unwrap();
            assert_eq!(reparsed, p.json, "{case:?}");
            assert_eq!(baseline.len(), p.bytes.len(), "{case:?}");
        }
    }

    #[test]
    fn trait_path_matches_inherent_methods() {
        let p = Case::ALL[2].prepare().unwrap();
        let mut headers = Headers::new();
        let via_trait = poll_ready(p.converter.from_connect_data(
            TOPIC,
            &mut headers,
            Some(&p.schema),
            &p.value,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(via_trait, Some(p.bytes.clone()));
        let back = poll_ready(p.converter.to_connect_data(TOPIC, &headers, Some(&p.bytes)))
            .unwrap()
            .unwrap();
        assert_eq!(back.value, p.value);
    }

    #[test]
    fn group_ids_are_directory_safe_and_unique() {
        let mut all: Vec<String> = Case::ALL
            .iter()
            .flat_map(|c| Direction::ALL.map(|d| c.group(d)))
            .collect();
        assert!(
            all.iter()
                .all(|g| g.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 8);
    }
}
