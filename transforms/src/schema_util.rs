//! Schema helpers shared by the SMTs that derive a new struct schema from an old one.

use connect_core::{ConnectError, Result, Schema, SchemaBuilder, SchemaType, Struct, Value};

/// A builder of `kind` carrying the source schema's name, version, doc and parameters but not
/// its optionality or default: Kafka's `SchemaUtil.copySchemaBasics`, which the SMTs use so
/// that a derived schema keeps the identity (and logical type) of the one it came from.
pub fn copy_schema_basics(source: &Schema, kind: SchemaType) -> SchemaBuilder {
    SchemaBuilder::new(kind)
        .set_name(source.name().map(str::to_string))
        .set_version(source.version())
        .set_doc(source.doc().map(str::to_string))
        .set_parameters(source.parameters().cloned())
}

/// A struct builder with the basics of `source` (see [`copy_schema_basics`]).
pub fn copy_struct_basics(source: &Schema) -> SchemaBuilder {
    copy_schema_basics(source, SchemaType::Struct)
}

/// A struct field's value as the SMTs copy it: with `replace.null.with.default` on (Kafka's
/// default) a null field with a schema default reads as the default (`Struct.get`),
/// otherwise as stored (`Struct.getWithoutDefault`).
pub fn field_value(value: &Struct, name: &str, with_default: bool) -> Result<Value> {
    let found = if with_default {
        value.get(name)?
    } else {
        value.get_without_default(name)?
    };
    Ok(found.clone())
}

/// A struct's field values moved out in field order, each null replaced by its field's
/// default when `with_default` is set: [`field_value`] for every field at once, without
/// copying, for SMTs that rebuild the struct they own.
pub fn into_field_values(value: Struct, with_default: bool) -> Vec<Value> {
    let schema = value.schema().clone();
    let mut values = value.into_values();
    if with_default {
        for (slot, field) in values.iter_mut().zip(schema.fields()) {
            if slot.is_null()
                && let Some(default) = field.schema().default_value()
            {
                *slot = default.clone();
            }
        }
    }
    values
}

/// A struct schema's field by name, failing for other schema types with Kafka's message
/// (`ConnectSchema.field` throws rather than returning null for non-structs).
pub fn lookup_field<'a>(schema: &'a Schema, name: &str) -> Result<Option<&'a connect_core::Field>> {
    if schema.kind() != SchemaType::Struct {
        return Err(ConnectError::data(
            "Cannot look up fields on non-struct type",
        ));
    }
    Ok(schema.field(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_value_honours_replace_null_with_default() {
        let schema = SchemaBuilder::structure()
            .field(
                "n",
                SchemaBuilder::int32()
                    .optional()
                    .default_value(Value::Int32(7))
                    .build()
                    .expect("int32 with default"),
            )
            .build()
            .expect("struct");
        let value = Struct::new(schema.clone()).expect("struct value");
        assert_eq!(
            field_value(&value, "n", true).expect("field"),
            Value::Int32(7)
        );
        assert_eq!(field_value(&value, "n", false).expect("field"), Value::Null);
        assert!(lookup_field(&schema, "n").expect("struct").is_some());
        let int = Schema::primitive(SchemaType::Int32, false).expect("int32");
        assert_eq!(
            lookup_field(&int, "n").expect_err("not a struct").message(),
            "Cannot look up fields on non-struct type"
        );
    }

    #[test]
    fn keeps_identity_but_not_optionality() {
        let source = SchemaBuilder::structure()
            .name("com.example.Order")
            .version(3)
            .doc("an order")
            .parameter("p", "v")
            .optional()
            .build()
            .expect("schema");
        let copy = copy_struct_basics(&source).build().expect("copy");
        assert_eq!(copy.name(), Some("com.example.Order"));
        assert_eq!(copy.version(), Some(3));
        assert_eq!(copy.doc(), Some("an order"));
        assert_eq!(copy.parameter("p"), Some("v"));
        assert!(!copy.is_optional());
    }
}
