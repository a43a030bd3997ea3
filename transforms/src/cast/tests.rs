use super::*;
use connect_core::config::properties;

fn order_schema() -> Schema {
    SchemaBuilder::structure()
        .name("com.example.Order")
        .field("id", SchemaBuilder::int64().build().expect("int64"))
        .field("qty", SchemaBuilder::int32().build().expect("int32"))
        .field(
            "note",
            SchemaBuilder::int32()
                .optional()
                .default_value(Value::Int32(7))
                .build()
                .expect("optional int32 with default"),
        )
        .build()
        .expect("struct")
}

fn order(id: i64) -> ConnectRecord {
    let schema = order_schema();
    let value = Struct::new(schema.clone())
        .expect("struct")
        .with("id", id)
        .expect("id")
        .with("qty", 3i32)
        .expect("qty");
    ConnectRecord::source("orders", Some(schema), Value::Struct(value))
}

fn cast(spec: &[(&str, &str)]) -> Cast {
    Cast::new(Side::Value, &properties(spec)).expect("valid config")
}

#[test]
fn output_schema_is_derived_once_per_input_schema() {
    let mut smt = cast(&[("spec", "id:string,note:string")]);
    let first = smt.apply(order(1)).expect("apply").expect("kept");
    let second = smt.apply(order(2)).expect("apply").expect("kept");
    let (a, b) = (
        first.value_schema.expect("schema"),
        second.value_schema.expect("schema"),
    );
    assert!(a.ptr_eq(&b), "the cached schema is reused");
    let value = second.value.as_struct().expect("struct").clone();
    assert_eq!(value.get("id").expect("id"), &Value::from("2"));
    // The null field reads as its default (7), which is cast too; so is the schema default.
    assert_eq!(
        value.get_without_default("note").expect("note"),
        &Value::from("7")
    );
    let note = a.field("note").expect("note field");
    assert_eq!(note.schema().default_value(), Some(&Value::from("7")));
    assert!(note.schema().is_optional());
}

#[test]
fn replace_null_with_default_false_keeps_nulls() {
    let mut smt = cast(&[
        ("spec", "note:string"),
        ("replace.null.with.default", "false"),
    ]);
    let out = smt.apply(order(1)).expect("apply").expect("kept");
    let value = out.value.as_struct().expect("struct").clone();
    assert_eq!(
        value.get_without_default("note").expect("note"),
        &Value::Null
    );
}

#[test]
fn whole_value_keeps_schema_identity_and_optionality() {
    let mut smt = cast(&[("spec", "string")]);
    let schema = SchemaBuilder::int64()
        .name("com.example.Id")
        .optional()
        .build()
        .expect("schema");
    let record = ConnectRecord::source("t", Some(schema), Value::Int64(5));
    let out = smt.apply(record).expect("apply").expect("kept");
    let schema = out.value_schema.expect("schema");
    assert_eq!(
        (schema.kind(), schema.name(), schema.is_optional()),
        (SchemaType::String, Some("com.example.Id"), true)
    );
    assert_eq!(out.value, Value::from("5"));
}

#[test]
fn key_variant_touches_only_the_key() {
    let mut smt = Cast::new(Side::Key, &properties(&[("spec", "string")])).expect("config");
    let mut record = ConnectRecord::source("t", None, Value::Int64(9));
    record.key = Value::Int32(1);
    let out = smt.apply(record).expect("apply").expect("kept");
    assert_eq!((out.key, out.value), (Value::from("1"), Value::Int64(9)));
}

#[test]
fn schemaless_maps_gain_missing_fields_as_null() {
    let mut smt = cast(&[("spec", "a:int32,nope:string")]);
    let value = Value::Map(vec![
        (Value::from("a"), Value::from("12")),
        (Value::from("b"), Value::Int64(1)),
    ]);
    let out = smt
        .apply(ConnectRecord::source("t", None, value))
        .expect("apply")
        .expect("kept");
    let expected = Value::Map(vec![
        (Value::from("a"), Value::Int32(12)),
        (Value::from("b"), Value::Int64(1)),
        (Value::from("nope"), Value::Null),
    ]);
    assert_eq!(out.value, expected);
}

#[test]
fn tombstones_pass_through_unchanged() {
    let mut smt = cast(&[("spec", "int32")]);
    let schema = SchemaBuilder::int64().optional().build().expect("schema");
    let record = ConnectRecord::source("t", Some(schema.clone()), Value::Null);
    let out = smt.apply(record).expect("apply").expect("kept");
    assert!(out.value_schema.expect("schema").ptr_eq(&schema));
}

#[test]
fn spec_errors_use_kafka_wording() {
    let err = |spec: &str| {
        Cast::new(Side::Value, &properties(&[("spec", spec)])).expect_err("invalid spec")
    };
    let e = err("");
    assert_eq!(
        (e.simple_class(), e.message()),
        (
            "ConfigException",
            "Must specify at least one field to cast."
        )
    );
    let e = err("id:date");
    assert_eq!(
        e.message(),
        "Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.DATE for configuration Invalid type found in casting spec: date"
    );
    let e = err("id:int32:extra");
    assert_eq!(
        e.message(),
        "Invalid value [id:int32:extra] for configuration renames: Invalid rename mapping: id:int32:extra"
    );
    let e = err("date");
    assert_eq!(
        (e.simple_class(), e.message()),
        (
            "ConfigException",
            "Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.DATE for configuration Invalid type found in casting spec: date"
        )
    );
    let e = err("id:bytes");
    assert_eq!(
        e.message(),
        "Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]"
    );
    let e = err("int32,id:int64");
    assert_eq!(
        e.message(),
        "Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec"
    );
    assert_eq!(err(":").simple_class(), "ArrayIndexOutOfBoundsException");
    // A trailing colon leaves one part: a whole-value type named "ID".
    assert!(
        err("id:")
            .message()
            .contains("No enum constant org.apache.kafka.connect.data.Schema.Type.ID for")
    );
    let e = Cast::new(Side::Value, &properties(&[])).expect_err("missing spec");
    assert_eq!(
        e.message(),
        "Missing required configuration \"spec\" which has no default value."
    );
}

#[test]
fn field_casts_need_a_struct_schema() {
    let mut smt = cast(&[("spec", "a:int32")]);
    let schema = SchemaBuilder::int64().build().expect("schema");
    let err = smt
        .apply(ConnectRecord::source("t", Some(schema), Value::Int64(1)))
        .expect_err("not a struct");
    assert_eq!(err.message(), "Cannot list fields on non-struct type");
    let err = smt
        .apply(ConnectRecord::source("t", None, Value::Int64(1)))
        .expect_err("not a map");
    assert_eq!(
        err.message(),
        "Only Map objects supported in absence of schema for [cast types], found: java.lang.Long"
    );
}

#[test]
fn structs_of_another_schema_are_cast_by_field_name() {
    let mut smt = cast(&[("spec", "id:string")]);
    let mut record = order(5);
    // The record claims a schema with the fields in another order than the struct's own.
    let reordered = SchemaBuilder::structure()
        .name("com.example.Order")
        .field("qty", SchemaBuilder::int32().build().expect("int32"))
        .field("id", SchemaBuilder::int64().build().expect("int64"))
        .field(
            "note",
            order_schema().field("note").expect("note").schema().clone(),
        )
        .build()
        .expect("struct");
    record.value_schema = Some(reordered);
    let out = smt.apply(record).expect("apply").expect("kept");
    let value = out.value.as_struct().expect("struct").clone();
    assert_eq!(value.schema().fields()[0].name(), "qty");
    assert_eq!(value.get("id").expect("id"), &Value::from("5"));
    assert_eq!(value.get("qty").expect("qty"), &Value::Int32(3));
}

#[test]
fn invalid_input_structs_fail_as_kafka_put_does() {
    let mut smt = cast(&[("spec", "id:string")]);
    let schema = order_schema();
    // A required field left null, as a lax converter may produce.
    let value = Struct::from_values_unchecked(
        schema.clone(),
        vec![Value::Int64(1), Value::Null, Value::Null],
    );
    let err = smt
        .apply(ConnectRecord::source(
            "t",
            Some(schema),
            Value::Struct(value),
        ))
        .expect_err("required field is null");
    assert_eq!(
        err.message(),
        "Invalid value: null used for required field: \"qty\", schema type: INT32"
    );
}

#[test]
fn failed_casts_and_failed_puts_are_reported_in_field_order() {
    let text = || SchemaBuilder::string().build().expect("string");
    let int = || SchemaBuilder::int32().build().expect("int32");
    let run = |schema: Schema, values: Vec<Value>| {
        let value = Struct::from_values_unchecked(schema.clone(), values);
        let record = ConnectRecord::source("t", Some(schema), Value::Struct(value));
        cast(&[("spec", "s:int32")])
            .apply(record)
            .expect_err("one field fails")
    };
    let null_first = SchemaBuilder::structure()
        .field("qty", int())
        .field("s", text())
        .build()
        .expect("struct");
    let err = run(null_first, vec![Value::Null, Value::from("abc")]);
    assert_eq!(
        err.message(),
        "Invalid value: null used for required field: \"qty\", schema type: INT32"
    );
    let cast_first = SchemaBuilder::structure()
        .field("s", text())
        .field("qty", int())
        .build()
        .expect("struct");
    let err = run(cast_first, vec![Value::from("abc"), Value::Null]);
    assert!(err.message().contains("abc"), "{}", err.message());
}
