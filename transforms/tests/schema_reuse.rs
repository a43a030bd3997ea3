//! Every SMT that derives an output schema derives it once per input schema: applying it to
//! two records with equal (but separately built) schemas yields the very same output schema
//! object, so downstream converters' per-schema caches hit too.

use connect_core::config::properties;
use connect_core::plugin::{PluginFactory, PluginKind, PluginRegistry};
use connect_core::{ConnectRecord, Schema, SchemaBuilder, Struct, Value};

fn schema() -> Schema {
    SchemaBuilder::structure()
        .name("com.example.Order")
        .field("id", SchemaBuilder::int64().build().expect("int64"))
        .field(
            "name",
            SchemaBuilder::string().optional().build().expect("string"),
        )
        .build()
        .expect("struct")
}

fn record() -> ConnectRecord {
    // A fresh schema object each time: the cache must work on equality, not identity.
    let schema = schema();
    let value = Struct::new(schema.clone())
        .expect("struct")
        .with("id", 7i64)
        .expect("id")
        .with("name", "x")
        .expect("name");
    let mut record =
        ConnectRecord::source("orders", Some(schema.clone()), Value::Struct(value.clone()));
    record.key_schema = Some(schema);
    record.key = Value::Struct(value);
    record.kafka_partition = Some(0);
    record.timestamp = Some(1);
    record
}

/// One SMT under test: class name, settings, and whether it rewrites the key (else the value).
type Case = (&'static str, &'static [(&'static str, &'static str)], bool);

#[test]
fn derived_schemas_are_reused_for_equal_input_schemas() {
    let registry = PluginRegistry::new(connect_transforms::plugins());
    let cases: &[Case] = &[
        ("InsertField$Value", &[("topic.field", "t")], false),
        ("InsertField$Key", &[("topic.field", "t")], true),
        ("ReplaceField$Value", &[("exclude", "name")], false),
        ("ValueToKey", &[("fields", "id")], true),
        ("HoistField$Value", &[("field", "wrapped")], false),
        (
            "SetSchemaMetadata$Value",
            &[("schema.name", "Renamed")],
            false,
        ),
        (
            "HeaderFrom$Value",
            &[("fields", "name"), ("headers", "h"), ("operation", "move")],
            false,
        ),
    ];
    for (class, config, key_side) in cases {
        let plugin = registry
            .find(class, &[PluginKind::Transformation])
            .unwrap_or_else(|| panic!("{class} registered"));
        let PluginFactory::Transformation(create) = plugin.factory else {
            panic!("{class} is a transformation");
        };
        let mut smt = create(&properties(config)).unwrap_or_else(|e| panic!("{class}: {e}"));
        let outputs: Vec<Schema> = (0..2)
            .map(|_| {
                let out = smt
                    .apply(record())
                    .unwrap_or_else(|e| panic!("{class}: {e}"))
                    .unwrap_or_else(|| panic!("{class} kept the record"));
                let schema = if *key_side {
                    out.key_schema
                } else {
                    out.value_schema
                };
                schema.unwrap_or_else(|| panic!("{class} output has a schema"))
            })
            .collect();
        assert!(
            outputs[0].ptr_eq(&outputs[1]),
            "{class} derived its output schema twice"
        );
    }
}
