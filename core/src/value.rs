//! Values of the Connect data model.
//!
//! [`Value`] mirrors the Java objects Kafka Connect passes around (Integer, Long, String,
//! byte[], List, Map, Struct, BigDecimal, java.util.Date), including for schemaless data, so
//! converters and transforms can follow Kafka Connect's rules without guessing. Equality is
//! Java's: floats compare by bits (NaN equals NaN, 0.0 differs from -0.0) and maps ignore
//! entry order.

use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::decimal::BigDecimal;
use crate::error::{ConnectError, Result};
use crate::java_format;
use crate::schema::{Field, Schema, SchemaType};
use crate::time::java_date_to_string;
use crate::validate::validate_field_value;

/// One Connect value, with or without a schema.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Absent value (Java null).
    #[default]
    Null,
    /// INT8.
    Int8(i8),
    /// INT16.
    Int16(i16),
    /// INT32.
    Int32(i32),
    /// INT64.
    Int64(i64),
    /// FLOAT32.
    Float32(f32),
    /// FLOAT64.
    Float64(f64),
    /// BOOLEAN.
    Boolean(bool),
    /// STRING.
    String(String),
    /// BYTES.
    Bytes(Vec<u8>),
    /// ARRAY.
    Array(Vec<Value>),
    /// MAP: entries in insertion order; keys may be any value. Lookups are linear because
    /// record maps are small and order must survive a round trip.
    Map(Vec<(Value, Value)>),
    /// STRUCT.
    Struct(Struct),
    /// The in-memory form of the Decimal logical type (Java `BigDecimal`).
    Decimal(BigDecimal),
    /// Milliseconds since the Unix epoch: the in-memory form of the Date, Time and Timestamp
    /// logical types (Java `java.util.Date`). A Date is midnight UTC of its day; a Time is
    /// an instant on 1970-01-01.
    Timestamp(i64),
}

impl Value {
    /// Whether this is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text of a [`Value::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The struct of a [`Value::Struct`].
    pub fn as_struct(&self) -> Option<&Struct> {
        match self {
            Value::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// The entries of a [`Value::Map`].
    pub fn as_map(&self) -> Option<&[(Value, Value)]> {
        match self {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value stored under a string key of a [`Value::Map`] (the last one if repeated).
    pub fn map_get(&self, key: &str) -> Option<&Value> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The schema type a schemaless value of this Java class maps to, as Kafka's
    /// `ConnectSchema.schemaType(Class)`; `None` for null, decimals and dates, which have no
    /// schemaless type.
    pub fn schemaless_type(&self) -> Option<SchemaType> {
        Some(match self {
            Value::Int8(_) => SchemaType::Int8,
            Value::Int16(_) => SchemaType::Int16,
            Value::Int32(_) => SchemaType::Int32,
            Value::Int64(_) => SchemaType::Int64,
            Value::Float32(_) => SchemaType::Float32,
            Value::Float64(_) => SchemaType::Float64,
            Value::Boolean(_) => SchemaType::Boolean,
            Value::String(_) => SchemaType::String,
            Value::Bytes(_) => SchemaType::Bytes,
            Value::Array(_) => SchemaType::Array,
            Value::Map(_) => SchemaType::Map,
            Value::Struct(_) => SchemaType::Struct,
            Value::Null | Value::Decimal(_) | Value::Timestamp(_) => return None,
        })
    }

    /// The Java class Kafka Connect would hold for this value, for messages such as
    /// `found: java.lang.String` that users already search for.
    pub fn java_class_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Int8(_) => "java.lang.Byte",
            Value::Int16(_) => "java.lang.Short",
            Value::Int32(_) => "java.lang.Integer",
            Value::Int64(_) => "java.lang.Long",
            Value::Float32(_) => "java.lang.Float",
            Value::Float64(_) => "java.lang.Double",
            Value::Boolean(_) => "java.lang.Boolean",
            Value::String(_) => "java.lang.String",
            Value::Bytes(_) => "[B",
            Value::Array(_) => "java.util.ArrayList",
            Value::Map(_) => "java.util.HashMap",
            Value::Struct(_) => "org.apache.kafka.connect.data.Struct",
            Value::Decimal(_) => "java.math.BigDecimal",
            Value::Timestamp(_) => "java.util.Date",
        }
    }

    /// Java's `toString()` of the equivalent object: numbers as the JVM prints them, lists as
    /// `[a, b]`, maps as `{k=v}`, structs as `Struct{a=1,b=x}` (null fields omitted), dates as
    /// `Thu Jan 01 00:00:00 UTC 1970`. Bytes, which Java prints as an identity hash, are
    /// written as base64 instead.
    pub fn to_java_string(&self) -> String {
        let mut out = String::new();
        self.write_java_string(&mut out);
        out
    }

    /// Appends the Java `toString()` of a number, boolean, decimal or null and returns true;
    /// returns false (appending nothing) for other values, whose text depends on the caller's
    /// format (`toString()`, Kafka's `Values` notation, ...).
    pub fn push_java_scalar(&self, out: &mut String) -> bool {
        use std::fmt::Write;
        match self {
            Value::Null => out.push_str("null"),
            Value::Int8(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Int16(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Int32(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Int64(v) => {
                let _ = write!(out, "{v}");
            }
            Value::Float32(v) => java_format::push_f32(out, *v),
            Value::Float64(v) => java_format::push_f64(out, *v),
            Value::Boolean(v) => out.push_str(if *v { "true" } else { "false" }),
            Value::Decimal(d) => {
                let _ = write!(out, "{d}");
            }
            _ => return false,
        }
        true
    }

    fn write_java_string(&self, out: &mut String) {
        if self.push_java_scalar(out) {
            return;
        }
        match self {
            Value::String(s) => out.push_str(s),
            Value::Bytes(b) => out.push_str(&BASE64.encode(b)),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_java_string(out);
                }
                out.push(']');
            }
            Value::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_java_string(out);
                    out.push('=');
                    v.write_java_string(out);
                }
                out.push('}');
            }
            Value::Struct(s) => {
                out.push_str("Struct{");
                let mut first = true;
                for (field, value) in s.schema().fields().iter().zip(s.values()) {
                    if value.is_null() {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(field.name());
                    out.push('=');
                    value.write_java_string(out);
                }
                out.push('}');
            }
            Value::Timestamp(millis) => out.push_str(&java_date_to_string(*millis)),
            // Scalars were written above.
            _ => {}
        }
    }
}

fn float32_eq(a: f32, b: f32) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

fn float64_eq(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Int8(a), Value::Int8(b)) => a == b,
            (Value::Int16(a), Value::Int16(b)) => a == b,
            (Value::Int32(a), Value::Int32(b)) => a == b,
            (Value::Int64(a), Value::Int64(b)) => a == b,
            (Value::Float32(a), Value::Float32(b)) => float32_eq(*a, *b),
            (Value::Float64(a), Value::Float64(b)) => float64_eq(*a, *b),
            (Value::Boolean(a), Value::Boolean(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v == v2))
            }
            (Value::Struct(a), Value::Struct(b)) => a == b,
            (Value::Decimal(a), Value::Decimal(b)) => a == b,
            (Value::Timestamp(a), Value::Timestamp(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Value::Null => {}
            Value::Int8(v) => v.hash(state),
            Value::Int16(v) => v.hash(state),
            Value::Int32(v) => v.hash(state),
            Value::Int64(v) => v.hash(state),
            Value::Float32(v) => {
                let bits = if v.is_nan() {
                    f32::NAN.to_bits()
                } else {
                    v.to_bits()
                };
                bits.hash(state)
            }
            Value::Float64(v) => {
                let bits = if v.is_nan() {
                    f64::NAN.to_bits()
                } else {
                    v.to_bits()
                };
                bits.hash(state)
            }
            Value::Boolean(v) => v.hash(state),
            Value::String(v) => v.hash(state),
            Value::Bytes(v) => v.hash(state),
            Value::Array(v) => v.hash(state),
            Value::Map(entries) => {
                // Order-insensitive, consistent with equality.
                let mut sum: u64 = 0;
                for entry in entries {
                    let mut h = DefaultHasher::new();
                    entry.hash(&mut h);
                    sum = sum.wrapping_add(h.finish());
                }
                entries.len().hash(state);
                sum.hash(state);
            }
            Value::Struct(s) => s.hash(state),
            Value::Decimal(d) => d.hash(state),
            Value::Timestamp(t) => t.hash(state),
        }
    }
}

impl fmt::Display for Value {
    /// Java's `toString()` of the equivalent object (see [`Value::to_java_string`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_java_string())
    }
}

macro_rules! value_from {
    ($($t:ty => $variant:ident),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant(v.into())
            }
        })*
    };
}

value_from!(
    i8 => Int8,
    i16 => Int16,
    i32 => Int32,
    i64 => Int64,
    f32 => Float32,
    f64 => Float64,
    bool => Boolean,
    String => String,
    &str => String,
    Vec<u8> => Bytes,
    Struct => Struct,
    BigDecimal => Decimal,
);

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A value of a struct schema: one slot per field, in field order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Struct {
    schema: Schema,
    values: Vec<Value>,
}

impl Struct {
    /// An empty struct (every field null) of a STRUCT schema.
    pub fn new(schema: Schema) -> Result<Self> {
        if schema.kind() != SchemaType::Struct {
            return Err(ConnectError::data(format!("Not a struct schema: {schema}")));
        }
        let values = vec![Value::Null; schema.fields().len()];
        Ok(Self { schema, values })
    }

    /// A struct from already-checked values, one per field, for converters that build values
    /// straight from a schema and so need no second validation pass.
    pub fn from_values_unchecked(schema: Schema, values: Vec<Value>) -> Self {
        debug_assert_eq!(schema.fields().len(), values.len());
        Self { schema, values }
    }

    /// The struct's schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The field values, in field order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Takes the field values out.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }

    /// Takes the schema and the field values out, so a transform that keeps the schema can
    /// rebuild the struct without touching the schema's reference count.
    pub fn into_parts(self) -> (Schema, Vec<Value>) {
        (self.schema, self.values)
    }

    fn lookup(&self, name: &str) -> Result<&Field> {
        self.schema
            .field(name)
            .ok_or_else(|| ConnectError::data(format!("{name} is not a valid field name")))
    }

    /// Sets a field after checking the value against the field's schema.
    pub fn put(&mut self, name: &str, value: impl Into<Value>) -> Result<&mut Self> {
        let value = value.into();
        let field = self.lookup(name)?;
        validate_field_value(field.name(), field.schema(), &value)?;
        let index = field.index();
        self.values[index] = value;
        Ok(self)
    }

    /// Sets a field by position after checking the value against the field's schema.
    pub fn put_at(&mut self, index: usize, value: Value) -> Result<&mut Self> {
        let field =
            self.schema.fields().get(index).ok_or_else(|| {
                ConnectError::data(format!("Field index {index} is out of range"))
            })?;
        validate_field_value(field.name(), field.schema(), &value)?;
        self.values[index] = value;
        Ok(self)
    }

    /// Chaining form of [`Struct::put`].
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Result<Self> {
        self.put(name, value)?;
        Ok(self)
    }

    /// A field's value, or the field's default when the value is null (Kafka's `get`).
    pub fn get(&self, name: &str) -> Result<&Value> {
        let field = self.lookup(name)?;
        let value = &self.values[field.index()];
        match (value, field.schema().default_value()) {
            (Value::Null, Some(default)) => Ok(default),
            _ => Ok(value),
        }
    }

    /// A field's value as stored, without substituting the default.
    pub fn get_without_default(&self, name: &str) -> Result<&Value> {
        let field = self.lookup(name)?;
        Ok(&self.values[field.index()])
    }

    /// Checks every field against its schema (required fields set, types right).
    pub fn validate(&self) -> Result<()> {
        for (field, value) in self.schema.fields().iter().zip(&self.values) {
            validate_field_value(field.name(), field.schema(), value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SchemaBuilder;

    fn person() -> Schema {
        SchemaBuilder::structure()
            .field("id", Schema::primitive(SchemaType::Int64, false).unwrap())
            .field(
                "score",
                SchemaBuilder::float64()
                    .optional()
                    .default_value(Value::Float64(1.5))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn floats_compare_like_java() {
        assert_eq!(Value::Float64(f64::NAN), Value::Float64(f64::NAN));
        assert_ne!(Value::Float64(0.0), Value::Float64(-0.0));
        assert_ne!(Value::Int32(1), Value::Int64(1));
    }

    #[test]
    fn maps_compare_without_order() {
        let a = Value::Map(vec![("a".into(), 1i32.into()), ("b".into(), 2i32.into())]);
        let b = Value::Map(vec![("b".into(), 2i32.into()), ("a".into(), 1i32.into())]);
        assert_eq!(a, b);
        let mut ha = DefaultHasher::new();
        let mut hb = DefaultHasher::new();
        a.hash(&mut ha);
        b.hash(&mut hb);
        assert_eq!(ha.finish(), hb.finish());
        assert_eq!(a.map_get("b"), Some(&Value::Int32(2)));
    }

    #[test]
    fn struct_put_validates_and_get_applies_defaults() {
        let mut s = Struct::new(person()).unwrap();
        s.put("id", 7i64).unwrap();
        assert_eq!(s.get("score").unwrap(), &Value::Float64(1.5));
        assert_eq!(s.get_without_default("score").unwrap(), &Value::Null);
        let err = s.put("id", "seven").unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid Java object for schema with type INT64: class java.lang.String for field: \"id\""
        );
        let err = s.put("nope", 1i64).unwrap_err();
        assert_eq!(err.message(), "nope is not a valid field name");
    }

    #[test]
    fn struct_requires_struct_schema() {
        let err = Struct::new(Schema::primitive(SchemaType::Int32, false).unwrap()).unwrap_err();
        assert_eq!(err.message(), "Not a struct schema: Schema{INT32}");
    }

    #[test]
    fn java_to_string_matches_the_jvm() {
        let s = Struct::new(person()).unwrap().with("id", 3i64).unwrap();
        assert_eq!(Value::Struct(s).to_java_string(), "Struct{id=3}");
        let list = Value::Array(vec![1i32.into(), Value::Null, "x".into()]);
        assert_eq!(list.to_java_string(), "[1, null, x]");
        let map = Value::Map(vec![("k".into(), 1.0f64.into())]);
        assert_eq!(map.to_java_string(), "{k=1.0}");
        assert_eq!(
            Value::Timestamp(0).to_java_string(),
            "Thu Jan 01 00:00:00 UTC 1970"
        );
    }
}
