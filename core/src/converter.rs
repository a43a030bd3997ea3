//! The converter plugin traits: Connect data to bytes and back.
//!
//! Converters sit at the Kafka boundary of every pipeline. [`Converter`] is async because
//! some formats do I/O on a cache miss (Avro asks a schema registry once per new schema);
//! pure converters simply never await. [`HeaderConverter`] stays synchronous: header
//! formats never need I/O, and headers are many and small.

use async_trait::async_trait;

use crate::error::Result;
use crate::header::Headers;
use crate::record::SchemaAndValue;
use crate::schema::Schema;
use crate::value::Value;

/// Which part of a record a converter is configured for; some formats differ (the Avro
/// subject suffix, the JSON converter's behaviour is the same for both).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConverterType {
    /// Record keys (`key.converter`).
    Key,
    /// Record values (`value.converter`).
    Value,
    /// Header values (`header.converter`).
    Header,
}

impl ConverterType {
    /// The lower-case name Kafka uses in the `converter.type` setting.
    pub fn name(self) -> &'static str {
        match self {
            ConverterType::Key => "key",
            ConverterType::Value => "value",
            ConverterType::Header => "header",
        }
    }

    /// Whether this converter handles keys.
    pub fn is_key(self) -> bool {
        self == ConverterType::Key
    }
}

/// Turns record keys or values into bytes for Kafka and back (Kafka's `Converter`).
///
/// Method names follow Kafka's (`fromConnectData`/`toConnectData`) so plugin authors coming
/// from Java find their way.
#[async_trait]
#[allow(clippy::wrong_self_convention)]
pub trait Converter: Send + Sync {
    /// Serializes a Connect value with its schema; `None` means "write a null" (tombstone).
    /// Headers are passed for formats that record schema information there.
    async fn from_connect_data(
        &self,
        topic: &str,
        headers: &mut Headers,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>>;

    /// Deserializes bytes read from Kafka (`None` for a null/tombstone).
    async fn to_connect_data(
        &self,
        topic: &str,
        headers: &Headers,
        data: Option<&[u8]>,
    ) -> Result<SchemaAndValue>;

    /// The converter as a [`SyncConverter`], when it never does I/O. The data path then
    /// converts without creating a future per record, which matters at hundreds of
    /// thousands of records per second.
    fn as_sync(&self) -> Option<&dyn SyncConverter> {
        None
    }
}

/// Turns header values into bytes and back (Kafka's `HeaderConverter`).
#[allow(clippy::wrong_self_convention)]
pub trait HeaderConverter: Send + Sync {
    /// Serializes one header value; `None` writes a null header value.
    fn from_connect_header(
        &self,
        topic: &str,
        header_key: &str,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>>;

    /// Deserializes one header value read from Kafka.
    fn to_connect_header(
        &self,
        topic: &str,
        header_key: &str,
        data: Option<&[u8]>,
    ) -> Result<SchemaAndValue>;
}

/// A converter that never does I/O (JSON, string, raw bytes): implementing this one trait
/// gives both [`Converter`] and [`HeaderConverter`], and lets tests and benchmarks call the
/// conversion directly, without an executor.
pub trait SyncConverter: Send + Sync {
    /// Serializes a Connect value with its schema; `None` means "write a null".
    fn serialize(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>>;

    /// Deserializes bytes (`None` for a null/tombstone).
    fn deserialize(&self, data: Option<&[u8]>) -> Result<SchemaAndValue>;

    /// Serializes a value the caller no longer needs, so a converter that would copy it
    /// (raw bytes) can move it instead.
    fn serialize_owned(&self, schema: Option<&Schema>, value: Value) -> Result<Option<Vec<u8>>> {
        self.serialize(schema, &value)
    }
}

#[async_trait]
impl<T: SyncConverter> Converter for T {
    async fn from_connect_data(
        &self,
        _topic: &str,
        _headers: &mut Headers,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        self.serialize(schema, value)
    }

    async fn to_connect_data(
        &self,
        _topic: &str,
        _headers: &Headers,
        data: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        self.deserialize(data)
    }

    fn as_sync(&self) -> Option<&dyn SyncConverter> {
        Some(self)
    }
}

impl<T: SyncConverter> HeaderConverter for T {
    fn from_connect_header(
        &self,
        _topic: &str,
        _header_key: &str,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        self.serialize(schema, value)
    }

    fn to_connect_header(
        &self,
        _topic: &str,
        _header_key: &str,
        data: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        self.deserialize(data)
    }
}
