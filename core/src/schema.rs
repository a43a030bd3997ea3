//! Schemas: the types of Connect data.
//!
//! A [`Schema`] is immutable and cheap to clone (one reference count), because the same
//! schema is attached to every record of a stream and converters and transforms cache work
//! per schema. Equality is structural, as in Kafka Connect, with a pointer fast path and a
//! hash computed once at build time so schema-keyed caches cost O(1) per record.

use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock};

use indexmap::IndexMap;

use crate::error::{ConnectError, Result};
use crate::validate::validate_default;
use crate::value::Value;

/// The physical type of a schema: the twelve types of the Connect data model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SchemaType {
    /// 8-bit signed integer.
    Int8,
    /// 16-bit signed integer.
    Int16,
    /// 32-bit signed integer (also the physical type of the Date and Time logical types).
    Int32,
    /// 64-bit signed integer (also the physical type of the Timestamp logical type).
    Int64,
    /// IEEE 754 single precision.
    Float32,
    /// IEEE 754 double precision.
    Float64,
    /// true or false.
    Boolean,
    /// UTF-8 text.
    String,
    /// Arbitrary bytes (also the physical type of the Decimal logical type).
    Bytes,
    /// An ordered list of values of one element schema.
    Array,
    /// Key/value pairs with one key schema and one value schema.
    Map,
    /// Named fields in a fixed order, each with its own schema.
    Struct,
}

impl SchemaType {
    /// Every type, in declaration order.
    pub const ALL: [SchemaType; 12] = [
        SchemaType::Int8,
        SchemaType::Int16,
        SchemaType::Int32,
        SchemaType::Int64,
        SchemaType::Float32,
        SchemaType::Float64,
        SchemaType::Boolean,
        SchemaType::String,
        SchemaType::Bytes,
        SchemaType::Array,
        SchemaType::Map,
        SchemaType::Struct,
    ];

    /// The upper-case name Kafka Connect uses in messages and configs (`INT32`, `STRUCT`).
    pub fn name(self) -> &'static str {
        match self {
            SchemaType::Int8 => "INT8",
            SchemaType::Int16 => "INT16",
            SchemaType::Int32 => "INT32",
            SchemaType::Int64 => "INT64",
            SchemaType::Float32 => "FLOAT32",
            SchemaType::Float64 => "FLOAT64",
            SchemaType::Boolean => "BOOLEAN",
            SchemaType::String => "STRING",
            SchemaType::Bytes => "BYTES",
            SchemaType::Array => "ARRAY",
            SchemaType::Map => "MAP",
            SchemaType::Struct => "STRUCT",
        }
    }

    /// Looks a type up by its name, ignoring case (`int32`, `INT32`), as Kafka's configs do.
    pub fn from_name(name: &str) -> Option<SchemaType> {
        SchemaType::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// Whether the type holds a single value rather than other values.
    pub fn is_primitive(self) -> bool {
        !matches!(
            self,
            SchemaType::Array | SchemaType::Map | SchemaType::Struct
        )
    }
}

impl fmt::Display for SchemaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One named field of a struct schema, with its position.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    name: String,
    index: usize,
    schema: Schema,
}

impl Field {
    /// A field at `index` of its struct.
    pub fn new(name: impl Into<String>, index: usize, schema: Schema) -> Self {
        Self {
            name: name.into(),
            index,
            schema,
        }
    }

    /// The field name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Position of the field in its struct, from 0.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The schema of the field's values.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

/// The type of a Connect value: physical type, optionality, default, name, version, doc,
/// parameters and, for containers, the schemas of their contents.
#[derive(Clone)]
pub struct Schema(Arc<SchemaInner>);

#[derive(Debug)]
struct SchemaInner {
    kind: SchemaType,
    optional: bool,
    default: Option<Value>,
    name: Option<String>,
    version: Option<i32>,
    doc: Option<String>,
    parameters: Option<IndexMap<String, String>>,
    fields: Vec<Field>,
    key: Option<Schema>,
    value: Option<Schema>,
    hash: u64,
}

static PRIMITIVES: LazyLock<Vec<Schema>> = LazyLock::new(|| {
    let mut all = Vec::with_capacity(18);
    for kind in SchemaType::ALL.into_iter().filter(|t| t.is_primitive()) {
        for optional in [false, true] {
            all.push(Schema::from_parts(SchemaParts {
                kind,
                optional,
                ..SchemaParts::default()
            }));
        }
    }
    all
});

impl Schema {
    /// The shared plain schema of a primitive type (no name, no default), like Kafka's
    /// `Schema.INT32_SCHEMA` / `Schema.OPTIONAL_INT32_SCHEMA`. Returns `None` for containers,
    /// which need their element schemas (use [`SchemaBuilder`]).
    pub fn primitive(kind: SchemaType, optional: bool) -> Option<Schema> {
        let position = SchemaType::ALL
            .into_iter()
            .filter(|t| t.is_primitive())
            .position(|t| t == kind)?;
        PRIMITIVES
            .get(position * 2 + usize::from(optional))
            .cloned()
    }

    fn from_parts(parts: SchemaParts) -> Schema {
        let mut hasher = DefaultHasher::new();
        parts.kind.hash(&mut hasher);
        parts.optional.hash(&mut hasher);
        parts.name.hash(&mut hasher);
        parts.version.hash(&mut hasher);
        parts.doc.hash(&mut hasher);
        if let Some(params) = &parts.parameters {
            // Order-insensitive, like equality.
            let mut sum: u64 = 0;
            for (k, v) in params {
                let mut h = DefaultHasher::new();
                (k, v).hash(&mut h);
                sum = sum.wrapping_add(h.finish());
            }
            sum.hash(&mut hasher);
        }
        parts.default.hash(&mut hasher);
        for field in &parts.fields {
            field.name.hash(&mut hasher);
            field.schema.0.hash.hash(&mut hasher);
        }
        parts.key.as_ref().map(|s| s.0.hash).hash(&mut hasher);
        parts.value.as_ref().map(|s| s.0.hash).hash(&mut hasher);
        Schema(Arc::new(SchemaInner {
            kind: parts.kind,
            optional: parts.optional,
            default: parts.default,
            name: parts.name,
            version: parts.version,
            doc: parts.doc,
            parameters: parts.parameters,
            fields: parts.fields,
            key: parts.key,
            value: parts.value,
            hash: hasher.finish(),
        }))
    }

    /// The physical type.
    pub fn kind(&self) -> SchemaType {
        self.0.kind
    }

    /// Whether null is a valid value.
    pub fn is_optional(&self) -> bool {
        self.0.optional
    }

    /// The value used in place of null where the converter is configured to do so.
    pub fn default_value(&self) -> Option<&Value> {
        self.0.default.as_ref()
    }

    /// The schema name, e.g. `com.example.Customer` or a logical type name.
    pub fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The schema version, if set.
    pub fn version(&self) -> Option<i32> {
        self.0.version
    }

    /// Documentation for humans.
    pub fn doc(&self) -> Option<&str> {
        self.0.doc.as_deref()
    }

    /// Extra string properties (e.g. a Decimal's `scale`), in insertion order.
    pub fn parameters(&self) -> Option<&IndexMap<String, String>> {
        self.0.parameters.as_ref()
    }

    /// One parameter's value.
    pub fn parameter(&self, key: &str) -> Option<&str> {
        self.0.parameters.as_ref()?.get(key).map(String::as_str)
    }

    /// The fields of a struct schema, in order; empty for every other type.
    pub fn fields(&self) -> &[Field] {
        &self.0.fields
    }

    /// The fields of a struct schema, or Kafka's error for any other type.
    pub fn struct_fields(&self) -> Result<&[Field]> {
        if self.kind() == SchemaType::Struct {
            Ok(&self.0.fields)
        } else {
            Err(ConnectError::data("Cannot list fields on non-struct type"))
        }
    }

    /// A struct field by name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.0.fields.iter().find(|f| f.name == name)
    }

    /// The key schema of a map schema.
    pub fn key_schema(&self) -> Option<&Schema> {
        self.0.key.as_ref()
    }

    /// The element schema of an array, or the value schema of a map.
    pub fn value_schema(&self) -> Option<&Schema> {
        self.0.value.as_ref()
    }

    /// Whether two handles point at the very same schema object (cheap identity check).
    pub fn ptr_eq(&self, other: &Schema) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// A builder that starts as a copy of this schema, to derive a modified schema.
    pub fn to_builder(&self) -> SchemaBuilder {
        SchemaBuilder {
            parts: SchemaParts {
                kind: self.0.kind,
                optional: self.0.optional,
                default: self.0.default.clone(),
                name: self.0.name.clone(),
                version: self.0.version,
                doc: self.0.doc.clone(),
                parameters: self.0.parameters.clone(),
                fields: self.0.fields.clone(),
                key: self.0.key.clone(),
                value: self.0.value.clone(),
            },
            error: None,
        }
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        if Arc::ptr_eq(&self.0, &other.0) {
            return true;
        }
        let (a, b) = (&*self.0, &*other.0);
        a.hash == b.hash
            && a.kind == b.kind
            && a.optional == b.optional
            && a.version == b.version
            && a.name == b.name
            && a.doc == b.doc
            && a.parameters == b.parameters
            && a.default == b.default
            && a.fields == b.fields
            && a.key == b.key
            && a.value == b.value
    }
}

impl Eq for Schema {}

impl Hash for Schema {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash.hash(state);
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.0;
        let mut s = f.debug_struct("Schema");
        s.field("type", &inner.kind)
            .field("optional", &inner.optional);
        if let Some(name) = &inner.name {
            s.field("name", name);
        }
        if let Some(version) = inner.version {
            s.field("version", &version);
        }
        if let Some(doc) = &inner.doc {
            s.field("doc", doc);
        }
        if let Some(params) = &inner.parameters {
            s.field("parameters", params);
        }
        if let Some(default) = &inner.default {
            s.field("default", default);
        }
        if !inner.fields.is_empty() {
            s.field("fields", &inner.fields);
        }
        if let Some(key) = &inner.key {
            s.field("keys", key);
        }
        if let Some(value) = &inner.value {
            s.field("values", value);
        }
        s.finish()
    }
}

impl fmt::Display for Schema {
    /// Kafka's `ConnectSchema.toString()`: `Schema{INT32}` or `Schema{name:STRUCT}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "Schema{{{name}:{}}}", self.kind()),
            None => write!(f, "Schema{{{}}}", self.kind()),
        }
    }
}

#[derive(Debug, Clone)]
struct SchemaParts {
    kind: SchemaType,
    optional: bool,
    default: Option<Value>,
    name: Option<String>,
    version: Option<i32>,
    doc: Option<String>,
    parameters: Option<IndexMap<String, String>>,
    fields: Vec<Field>,
    key: Option<Schema>,
    value: Option<Schema>,
}

impl Default for SchemaParts {
    fn default() -> Self {
        Self {
            kind: SchemaType::Struct,
            optional: false,
            default: None,
            name: None,
            version: None,
            doc: None,
            parameters: None,
            fields: Vec::new(),
            key: None,
            value: None,
        }
    }
}

/// Builds a [`Schema`] step by step. Mistakes (a duplicate field, fields on a non-struct, a
/// default that does not fit) are remembered and reported by [`SchemaBuilder::build`], with
/// Kafka Connect's messages, so building reads as one chain.
#[derive(Debug, Clone)]
pub struct SchemaBuilder {
    parts: SchemaParts,
    error: Option<ConnectError>,
}

impl SchemaBuilder {
    /// A builder for any type. Arrays and maps also need [`SchemaBuilder::array`] or
    /// [`SchemaBuilder::map`] to set their element schemas.
    pub fn new(kind: SchemaType) -> Self {
        Self {
            parts: SchemaParts {
                kind,
                ..SchemaParts::default()
            },
            error: None,
        }
    }

    /// An INT8 schema.
    pub fn int8() -> Self {
        Self::new(SchemaType::Int8)
    }
    /// An INT16 schema.
    pub fn int16() -> Self {
        Self::new(SchemaType::Int16)
    }
    /// An INT32 schema.
    pub fn int32() -> Self {
        Self::new(SchemaType::Int32)
    }
    /// An INT64 schema.
    pub fn int64() -> Self {
        Self::new(SchemaType::Int64)
    }
    /// A FLOAT32 schema.
    pub fn float32() -> Self {
        Self::new(SchemaType::Float32)
    }
    /// A FLOAT64 schema.
    pub fn float64() -> Self {
        Self::new(SchemaType::Float64)
    }
    /// A BOOLEAN schema.
    pub fn boolean() -> Self {
        Self::new(SchemaType::Boolean)
    }
    /// A STRING schema.
    pub fn string() -> Self {
        Self::new(SchemaType::String)
    }
    /// A BYTES schema.
    pub fn bytes() -> Self {
        Self::new(SchemaType::Bytes)
    }
    /// A STRUCT schema; add fields with [`SchemaBuilder::field`].
    pub fn structure() -> Self {
        Self::new(SchemaType::Struct)
    }

    /// An ARRAY schema whose elements have `items` as schema.
    pub fn array(items: Schema) -> Self {
        let mut builder = Self::new(SchemaType::Array);
        builder.parts.value = Some(items);
        builder
    }

    /// A MAP schema.
    pub fn map(keys: Schema, values: Schema) -> Self {
        let mut builder = Self::new(SchemaType::Map);
        builder.parts.key = Some(keys);
        builder.parts.value = Some(values);
        builder
    }

    /// The type being built.
    pub fn kind(&self) -> SchemaType {
        self.parts.kind
    }

    /// Marks null as a valid value.
    pub fn optional(mut self) -> Self {
        self.parts.optional = true;
        self
    }

    /// Marks null as invalid (the default).
    pub fn required(mut self) -> Self {
        self.parts.optional = false;
        self
    }

    /// Sets or clears optionality.
    pub fn set_optional(mut self, optional: bool) -> Self {
        self.parts.optional = optional;
        self
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.parts.name = Some(name.into());
        self
    }

    /// Sets or clears the name.
    pub fn set_name(mut self, name: Option<String>) -> Self {
        self.parts.name = name;
        self
    }

    /// Sets the version.
    pub fn version(mut self, version: i32) -> Self {
        self.parts.version = Some(version);
        self
    }

    /// Sets or clears the version.
    pub fn set_version(mut self, version: Option<i32>) -> Self {
        self.parts.version = version;
        self
    }

    /// Sets the documentation.
    pub fn doc(mut self, doc: impl Into<String>) -> Self {
        self.parts.doc = Some(doc.into());
        self
    }

    /// Sets or clears the documentation.
    pub fn set_doc(mut self, doc: Option<String>) -> Self {
        self.parts.doc = doc;
        self
    }

    /// Adds one parameter (kept in insertion order).
    pub fn parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts
            .parameters
            .get_or_insert_with(IndexMap::new)
            .insert(key.into(), value.into());
        self
    }

    /// Adds several parameters; an empty iterator still marks parameters as present.
    pub fn parameters<K, V>(mut self, params: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let map = self.parts.parameters.get_or_insert_with(IndexMap::new);
        for (k, v) in params {
            map.insert(k.into(), v.into());
        }
        self
    }

    /// Replaces the parameters entirely.
    pub fn set_parameters(mut self, params: Option<IndexMap<String, String>>) -> Self {
        self.parts.parameters = params;
        self
    }

    /// Sets the default value; it is checked against the schema by [`SchemaBuilder::build`].
    pub fn default_value(mut self, value: Value) -> Self {
        self.parts.default = if value.is_null() { None } else { Some(value) };
        self
    }

    /// Appends a field to a struct schema.
    pub fn field(mut self, name: impl Into<String>, schema: Schema) -> Self {
        let name = name.into();
        if self.error.is_some() {
            return self;
        }
        if self.parts.kind != SchemaType::Struct {
            self.error = Some(ConnectError::schema_builder(format!(
                "Cannot create fields on type {}",
                self.parts.kind
            )));
            return self;
        }
        if self.parts.fields.iter().any(|f| f.name == name) {
            self.error = Some(ConnectError::schema_builder(format!(
                "Cannot create field because of field name duplication {name}"
            )));
            return self;
        }
        let index = self.parts.fields.len();
        self.parts.fields.push(Field::new(name, index, schema));
        self
    }

    /// The fields added so far.
    pub fn fields(&self) -> &[Field] {
        &self.parts.fields
    }

    /// Finishes the schema, reporting the first mistake made while building it.
    pub fn build(self) -> Result<Schema> {
        if let Some(error) = self.error {
            return Err(error);
        }
        match self.parts.kind {
            SchemaType::Array if self.parts.value.is_none() => {
                return Err(ConnectError::schema_builder(
                    "Array schema did not specify the element type",
                ));
            }
            SchemaType::Map if self.parts.key.is_none() || self.parts.value.is_none() => {
                return Err(ConnectError::schema_builder(
                    "Map schema did not specify the key and value types",
                ));
            }
            _ => {}
        }
        let default = self.parts.default.clone();
        let schema = Schema::from_parts(self.parts);
        if let Some(default) = default {
            validate_default(&schema, &default).map_err(|e| {
                let cause = crate::error::ErrorCause {
                    class: e.simple_class().to_string(),
                    message: e.message().to_string(),
                };
                ConnectError::SchemaBuilder {
                    message: "Invalid default value".to_string(),
                    cause: Some(Box::new(cause)),
                }
            })?;
        }
        Ok(schema)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point() -> Schema {
        SchemaBuilder::structure()
            .name("Point")
            .field("x", Schema::primitive(SchemaType::Int32, false).unwrap())
            .field("y", Schema::primitive(SchemaType::Int32, false).unwrap())
            .build()
            .unwrap()
    }

    #[test]
    fn equal_content_means_equal_schemas() {
        assert_eq!(point(), point());
        assert!(!point().ptr_eq(&point()));
        let other = point().to_builder().name("Other").build().unwrap();
        assert_ne!(point(), other);
    }

    #[test]
    fn duplicate_fields_are_rejected_with_kafka_message() {
        let err = SchemaBuilder::structure()
            .field("a", Schema::primitive(SchemaType::Int8, false).unwrap())
            .field("a", Schema::primitive(SchemaType::Int8, false).unwrap())
            .build()
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Cannot create field because of field name duplication a"
        );
        assert_eq!(err.simple_class(), "SchemaBuilderException");
    }

    #[test]
    fn fields_only_on_structs() {
        let err = SchemaBuilder::int32()
            .field("a", Schema::primitive(SchemaType::Int8, false).unwrap())
            .build()
            .unwrap_err();
        assert_eq!(err.message(), "Cannot create fields on type INT32");
    }

    #[test]
    fn invalid_default_is_reported_with_its_cause() {
        let err = SchemaBuilder::int32()
            .default_value(Value::String("x".into()))
            .build()
            .unwrap_err();
        assert_eq!(err.message(), "Invalid default value");
        assert!(err.cause().unwrap().message.contains("INT32"));
    }

    #[test]
    fn type_names_parse_case_insensitively() {
        assert_eq!(SchemaType::from_name("int32"), Some(SchemaType::Int32));
        assert_eq!(SchemaType::from_name("FLOAT64"), Some(SchemaType::Float64));
        assert_eq!(SchemaType::from_name("date"), None);
    }

    #[test]
    fn display_matches_connect_schema_to_string() {
        assert_eq!(
            Schema::primitive(SchemaType::Int32, false)
                .unwrap()
                .to_string(),
            "Schema{INT32}"
        );
        assert_eq!(point().to_string(), "Schema{Point:STRUCT}");
    }
}
