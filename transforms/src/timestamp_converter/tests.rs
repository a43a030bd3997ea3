use super::*;
use connect_core::config::properties;
use connect_core::{SchemaBuilder, logical};

const T: i64 = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z

fn times_schema() -> Schema {
    SchemaBuilder::structure()
        .name("com.example.Times")
        .field("id", SchemaBuilder::int32().build().expect("id"))
        .field("ts", logical::timestamp_schema().build().expect("ts"))
        .field(
            "when",
            SchemaBuilder::int64()
                .optional()
                .default_value(Value::Int64(86_400_000))
                .build()
                .expect("when"),
        )
        .build()
        .expect("struct")
}

fn record(id: i32) -> ConnectRecord {
    let schema = times_schema();
    let value = Struct::new(schema.clone())
        .expect("struct")
        .with("id", id)
        .expect("id")
        .with("ts", Value::Timestamp(T))
        .expect("ts");
    ConnectRecord::source("t", Some(schema), Value::Struct(value))
}

fn converter(props: &[(&str, &str)]) -> TimestampConverter {
    TimestampConverter::new(Side::Value, &properties(props)).expect("valid config")
}

#[test]
fn output_schema_is_derived_once_per_input_schema() {
    let mut smt = converter(&[
        ("field", "ts"),
        ("target.type", "string"),
        ("format", "yyyy-MM-dd HH:mm:ss.SSS"),
    ]);
    let a = smt.apply(record(1)).expect("apply").expect("kept");
    let b = smt.apply(record(2)).expect("apply").expect("kept");
    let (sa, sb) = (
        a.value_schema.expect("schema"),
        b.value_schema.expect("schema"),
    );
    assert!(sa.ptr_eq(&sb));
    assert_eq!(sa.name(), Some("com.example.Times"));
    assert_eq!(
        sa.field("ts").expect("ts").schema().kind(),
        connect_core::SchemaType::String
    );
    let value = b.value.as_struct().expect("struct").clone();
    assert_eq!(
        value.get("ts").expect("ts"),
        &Value::from("2023-11-14 22:13:20.123")
    );
    // Untouched null fields with a default read as the default (replace.null.with.default).
    assert_eq!(
        value.get_without_default("when").expect("when"),
        &Value::Int64(86_400_000)
    );
}

#[test]
fn replace_null_with_default_false_keeps_nulls() {
    let mut smt = converter(&[
        ("field", "when"),
        ("target.type", "Date"),
        ("replace.null.with.default", "false"),
    ]);
    let out = smt.apply(record(1)).expect("apply").expect("kept");
    let value = out.value.as_struct().expect("struct").clone();
    assert_eq!(
        value.get_without_default("when").expect("when"),
        &Value::Null
    );
    let schema = out.value_schema.expect("schema");
    let when = schema.field("when").expect("when").schema();
    assert_eq!(
        (when.name(), when.is_optional(), when.default_value()),
        (Some(logical::DATE_NAME), true, None)
    );
}

#[test]
fn whole_values_share_the_target_schema() {
    let mut smt = converter(&[("target.type", "unix"), ("unix.precision", "seconds")]);
    let ts = logical::timestamp_schema().build().expect("ts");
    let run = |smt: &mut TimestampConverter, value: Value| {
        smt.apply(ConnectRecord::source("t", Some(ts.clone()), value))
            .expect("apply")
            .expect("kept")
    };
    let a = run(&mut smt, Value::Timestamp(-1500));
    let b = run(&mut smt, Value::Timestamp(T));
    assert_eq!(
        (a.value, b.value.clone()),
        (Value::Int64(-1), Value::Int64(1_700_000_000))
    );
    assert!(
        a.value_schema
            .expect("schema")
            .ptr_eq(&b.value_schema.expect("schema"))
    );
}

#[test]
fn schema_tombstones_still_get_the_converted_schema() {
    let mut smt = converter(&[("field", "ts"), ("target.type", "unix")]);
    let schema = times_schema()
        .to_builder()
        .optional()
        .build()
        .expect("optional");
    let out = smt
        .apply(ConnectRecord::source("t", Some(schema), Value::Null))
        .expect("apply")
        .expect("kept");
    assert!(out.value.is_null());
    let ts = out
        .value_schema
        .expect("schema")
        .field("ts")
        .expect("ts")
        .schema()
        .clone();
    assert_eq!(
        (ts.name(), ts.kind()),
        (None, connect_core::SchemaType::Int64)
    );
}

#[test]
fn schemaless_fields_are_converted_or_added_as_null() {
    let mut smt = converter(&[("field", "ms"), ("target.type", "Timestamp")]);
    let value = Value::Map(vec![(Value::from("ms"), Value::Int64(5))]);
    let out = smt
        .apply(ConnectRecord::source("t", None, value))
        .expect("apply")
        .expect("kept");
    assert_eq!(
        out.value,
        Value::Map(vec![(Value::from("ms"), Value::Timestamp(5))])
    );
    let mut smt = converter(&[("field", "nope"), ("target.type", "unix")]);
    let value = Value::Map(vec![(Value::from("a"), Value::Int64(5))]);
    let out = smt
        .apply(ConnectRecord::source("t", None, value))
        .expect("apply")
        .expect("kept");
    assert_eq!(out.value.map_get("nope"), Some(&Value::Null));
}

#[test]
fn config_errors_use_kafka_wording() {
    let err = |props: &[(&str, &str)]| {
        TimestampConverter::new(Side::Value, &properties(props)).expect_err("invalid config")
    };
    assert_eq!(
        err(&[("target.type", "string")]).message(),
        "TimestampConverter requires format option to be specified when using string timestamps"
    );
    assert_eq!(
        err(&[("target.type", "string"), ("format", "yyyy-MM-dd bogus")]).message(),
        "Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'b' for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: yyyy-MM-dd bogus"
    );
    assert_eq!(
        err(&[("target.type", "datetime")]).message(),
        "Invalid value datetime for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp"
    );
    assert_eq!(
        err(&[("target.type", "unix"), ("unix.precision", "minutes")]).message(),
        "Invalid value minutes for configuration unix.precision: String must be one of: nanoseconds, microseconds, milliseconds, seconds"
    );
    assert_eq!(
        err(&[]).message(),
        "Missing required configuration \"target.type\" which has no default value."
    );
}

#[test]
fn key_variant_converts_the_key() {
    let mut smt = TimestampConverter::new(Side::Key, &properties(&[("target.type", "Timestamp")]))
        .expect("config");
    let mut record = ConnectRecord::source("t", None, Value::Int64(1));
    record.key_schema = Some(SchemaBuilder::int64().build().expect("int64"));
    record.key = Value::Int64(86_400_000);
    let out = smt.apply(record).expect("apply").expect("kept");
    assert_eq!(out.key, Value::Timestamp(86_400_000));
    assert_eq!(
        out.key_schema.expect("schema").name(),
        Some(logical::TIMESTAMP_NAME)
    );
    assert_eq!(out.value, Value::Int64(1));
}
