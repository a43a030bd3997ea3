//! Our Avro codec checked against `apache-avro`, an independent implementation: what we
//! write, apache-avro reads and writes back byte for byte; and reading data written with
//! one schema into another (schema resolution) gives what apache-avro's resolution gives.

use std::sync::Arc;

use connect_converters::avro::data::{AvroDataConfig, to_connect_schema};
use connect_converters::avro::decode::DecodePlan;
use connect_converters::avro::encode::EncodePlan;
use connect_converters::avro::schema::AvroSchema;
use connect_converters::avro::{AvroConverter, AvroConverterConfig};
use connect_converters::schema_registry::SchemaRegistryClient;
use connect_converters::schema_registry::memory::InMemorySchemaRegistry;
use connect_core::config::properties;
use connect_core::logical::{date_schema, decimal_schema, time_schema, timestamp_schema};
use connect_core::{
    BigDecimal, Converter, ConverterType, Headers, Schema, SchemaBuilder, SchemaType, Struct, Value,
};
use futures::executor::block_on;

fn primitive(kind: SchemaType, optional: bool) -> Schema {
    Schema::primitive(kind, optional).expect("primitive schema")
}

fn build(builder: SchemaBuilder) -> Schema {
    builder.build().expect("schema builds")
}

/// Records covering every mapping: nested and optional structs, arrays, string-keyed and
/// int-keyed maps, logical types, int8/int16, Avro unions and enums.
fn cases() -> Vec<(Schema, Value)> {
    let point = build(
        SchemaBuilder::structure()
            .name("geo.Point")
            .field("x", primitive(SchemaType::Float64, false))
            .field("y", primitive(SchemaType::Float32, true)),
    );
    let union = build(
        SchemaBuilder::structure()
            .name("io.confluent.connect.avro.Union")
            .optional()
            .field("int", primitive(SchemaType::Int32, true))
            .field("string", primitive(SchemaType::String, true)),
    );
    let color = build(
        SchemaBuilder::string()
            .name("com.example.Color")
            .parameter("io.confluent.connect.avro.Enum", "com.example.Color")
            .parameter("io.confluent.connect.avro.Enum.RED", "RED")
            .parameter("io.confluent.connect.avro.Enum.BLUE", "BLUE"),
    );
    let schema = build(
        SchemaBuilder::structure()
            .name("com.example.Everything")
            .field("i8", primitive(SchemaType::Int8, false))
            .field("i16", primitive(SchemaType::Int16, true))
            .field("l", primitive(SchemaType::Int64, false))
            .field("b", primitive(SchemaType::Boolean, false))
            .field("s", primitive(SchemaType::String, false))
            .field("raw", primitive(SchemaType::Bytes, true))
            .field("price", build(decimal_schema(2)))
            .field("day", build(date_schema()))
            .field("at", build(time_schema().optional()))
            .field("ts", build(timestamp_schema()))
            .field("home", point.clone())
            .field("work", build(point.to_builder().optional()))
            .field("path", build(SchemaBuilder::array(point.clone())))
            .field(
                "tags",
                build(SchemaBuilder::map(
                    primitive(SchemaType::String, false),
                    primitive(SchemaType::Int32, true),
                )),
            )
            .field(
                "by_id",
                build(SchemaBuilder::map(
                    primitive(SchemaType::Int32, false),
                    primitive(SchemaType::String, false),
                )),
            )
            .field("either", union.clone())
            .field("color", color),
    );
    let mut home = Struct::new(point.clone()).expect("struct");
    home.put("x", 1.5f64).expect("x");
    let mut corner = Struct::new(point).expect("struct");
    corner
        .put("x", -2.0f64)
        .expect("x")
        .put("y", 0.25f32)
        .expect("y");
    let mut either = Struct::new(union).expect("struct");
    either.put("string", "right").expect("string");
    let mut value = Struct::new(schema.clone()).expect("struct");
    value
        .put("i8", -7i8)
        .and_then(|s| s.put("i16", 300i16))
        .and_then(|s| s.put("l", i64::MIN))
        .and_then(|s| s.put("b", true))
        .and_then(|s| s.put("s", "héllo 😀"))
        .and_then(|s| s.put("price", BigDecimal::new(-123456, 2)))
        .and_then(|s| s.put("day", Value::Timestamp(19737 * 86_400_000)))
        .and_then(|s| s.put("at", Value::Timestamp(45_296_789)))
        .and_then(|s| s.put("ts", Value::Timestamp(1_700_000_000_123)))
        .and_then(|s| s.put("home", Value::Struct(home.clone())))
        .and_then(|s| {
            s.put(
                "path",
                Value::Array(vec![Value::Struct(home), Value::Struct(corner)]),
            )
        })
        .and_then(|s| {
            s.put(
                "tags",
                Value::Map(vec![
                    ("zeta".into(), Value::Int32(1)),
                    ("alpha".into(), Value::Null),
                    ("mid".into(), Value::Int32(-1)),
                ]),
            )
        })
        .and_then(|s| {
            s.put(
                "by_id",
                Value::Map(vec![
                    (Value::Int32(2), "two".into()),
                    (Value::Int32(1), "one".into()),
                ]),
            )
        })
        .and_then(|s| s.put("either", Value::Struct(either)))
        .and_then(|s| s.put("color", "BLUE"))
        .expect("valid record");
    vec![
        (schema, Value::Struct(value)),
        (
            build(SchemaBuilder::array(primitive(SchemaType::String, true))),
            Value::Array(vec!["a".into(), Value::Null, "".into()]),
        ),
        (
            primitive(SchemaType::Float64, false),
            Value::Float64(f64::NAN),
        ),
        (primitive(SchemaType::Int64, true), Value::Int64(i64::MAX)),
    ]
}

/// The value with every struct replaced by its (field name, value) pairs.
fn data_only(value: &Value) -> Value {
    match value {
        Value::Struct(s) => Value::Array(
            s.schema()
                .fields()
                .iter()
                .zip(s.values())
                .map(|(f, v)| Value::Array(vec![f.name().into(), data_only(v)]))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(data_only).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (data_only(k), data_only(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn apache_avro_reads_and_rewrites_what_we_write() {
    for enhanced in ["false", "true"] {
        let registry = Arc::new(InMemorySchemaRegistry::new());
        let config = AvroConverterConfig::from_props(&properties(&[
            ("schema.registry.url", "mock://cross-check"),
            ("enhanced.avro.schema.support", enhanced),
        ]))
        .expect("valid config");
        let converter =
            AvroConverter::with_registry(&config, ConverterType::Value, registry.clone());
        for (schema, value) in cases() {
            let message = block_on(converter.from_connect_data(
                "t",
                &mut Headers::new(),
                Some(&schema),
                &value,
            ))
            .expect("serializes")
            .expect("not null");
            let id = i32::from_be_bytes([message[1], message[2], message[3], message[4]]);
            let text = block_on(registry.schema_by_id(id)).expect("registered");
            let apache_schema = apache_avro::Schema::parse_str(&text)
                .unwrap_or_else(|e| panic!("apache-avro rejects {text}: {e}"));
            let payload = &message[5..];
            let datum = apache_avro::from_avro_datum(&apache_schema, &mut &payload[..], None)
                .unwrap_or_else(|e| panic!("apache-avro cannot read {schema:?}: {e}"));
            let rewritten =
                apache_avro::to_avro_datum(&apache_schema, datum).expect("apache-avro writes");
            // apache-avro keeps maps in a HashMap, so its bytes may order map entries
            // differently: compare what both byte strings read back as.
            let mut theirs = message[..5].to_vec();
            theirs.extend_from_slice(&rewritten);
            for bytes in [&message, &theirs] {
                let back = block_on(converter.to_connect_data("t", &Headers::new(), Some(bytes)))
                    .expect("deserializes");
                // Read-back schemas gain what Confluent adds (the registry version,
                // field-default markers): compare the data.
                match (&back.value, &value) {
                    (Value::Float64(a), Value::Float64(b)) if b.is_nan() => assert!(a.is_nan()),
                    _ => assert_eq!(data_only(&back.value), data_only(&value), "{text}"),
                }
                assert_eq!(
                    back.schema.map(|s| s.name().map(str::to_string)),
                    Some(schema.name().map(str::to_string))
                );
            }
        }
    }
}

/// Data written with `writer` by apache-avro, read into `reader` by us and by apache-avro:
/// both results, written with `reader`, give the same bytes.
fn check_resolution(writer: &str, reader: &str, datum: apache_avro::types::Value) {
    let config = AvroDataConfig::default();
    let apache_writer = apache_avro::Schema::parse_str(writer).expect("writer parses");
    let apache_reader = apache_avro::Schema::parse_str(reader).expect("reader parses");
    let written = apache_avro::to_avro_datum(&apache_writer, datum).expect("apache-avro writes");
    let expected =
        apache_avro::from_avro_datum(&apache_writer, &mut &written[..], Some(&apache_reader))
            .expect("apache-avro resolves");
    let expected = apache_avro::to_avro_datum(&apache_reader, expected).expect("rewrites");

    let ours_writer = Arc::new(AvroSchema::parse(writer).expect("parses"));
    let ours_reader = AvroSchema::parse(reader).expect("parses");
    let connect = to_connect_schema(&config, &ours_reader, None).expect("maps to Connect");
    let plan = DecodePlan::new(&config, ours_writer, &ours_reader, connect.as_ref())
        .expect("resolution plan");
    let value = plan.decode(&written).expect("we resolve");
    let mut ours = Vec::new();
    EncodePlan::new(&config, connect.as_ref(), &ours_reader)
        .expect("encoder")
        .encode(&value, &mut ours)
        .expect("re-encodes");
    assert_eq!(ours, expected, "{writer} -> {reader}");
}

#[test]
fn schema_resolution_agrees_with_apache_avro() {
    use apache_avro::types::Value as A;
    let writer = r#"{"type":"record","name":"C","fields":[
        {"name":"id","type":"int"},
        {"name":"dropped","type":{"type":"array","items":{"type":"map","values":"string"}}},
        {"name":"score","type":"float"},
        {"name":"name","type":"string"},
        {"name":"kind","type":{"type":"enum","name":"K","symbols":["A","B","C"]}},
        {"name":"maybe","type":["null","int"]}]}"#;
    let reader = r#"{"type":"record","name":"C","fields":[
        {"name":"kind","type":{"type":"enum","name":"K","symbols":["C","B","A"]}},
        {"name":"id","type":"long"},
        {"name":"score","type":"double"},
        {"name":"name","type":"bytes"},
        {"name":"added","type":"string","default":"new"},
        {"name":"maybe","type":["null","long"],"default":null},
        {"name":"list","type":{"type":"array","items":"int"},"default":[1,2]}]}"#;
    let datum = A::Record(vec![
        ("id".into(), A::Int(-5)),
        (
            "dropped".into(),
            A::Array(vec![A::Map(
                [("k".to_string(), A::String("v".into()))].into(),
            )]),
        ),
        ("score".into(), A::Float(0.1)),
        ("name".into(), A::String("n".into())),
        ("kind".into(), A::Enum(1, "B".into())),
        ("maybe".into(), A::Union(1, Box::new(A::Int(9)))),
    ]);
    check_resolution(writer, reader, datum);

    // A writer union branch the reader takes as a plain (promoted) value.
    check_resolution(
        r#"["null","int","string"]"#,
        r#"["null","long","string"]"#,
        A::Union(1, Box::new(A::Int(3))),
    );
    check_resolution(r#""int""#, r#"["null","double"]"#, A::Int(3));
}
