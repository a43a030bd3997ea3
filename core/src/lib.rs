//! The Connect data model and plugin contracts.
//!
//! Everything a plugin author needs and nothing more: the typed schema layer (schemas,
//! values, structs, the Decimal/Date/Time/Timestamp logical types), records and headers,
//! typed configuration definitions, and the converter, transformation and predicate traits.
//! No Kafka client and no gRPC here, so plugins depend on this crate alone.
//!
//! The model follows Apache Kafka Connect closely (same types, same rules, same error
//! messages) because compatibility is the point: configs, data and expectations carry over.

pub mod config;
pub mod config_file;
pub mod connector;
pub mod converter;
pub mod decimal;
pub mod error;
pub mod header;
pub mod java_format;
pub mod logical;
pub mod plugin;
pub mod record;
pub mod schema;
pub mod time;
pub mod transform;
pub mod validate;
pub mod value;

pub use config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, ParsedConfig, Properties, Validator,
};
pub use converter::{Converter, ConverterType, HeaderConverter, SyncConverter};
pub use decimal::BigDecimal;
pub use error::{ConnectError, ErrorCause, Result};
pub use header::{Header, Headers};
pub use record::{
    ConnectRecord, OffsetMap, RecordOrigin, SchemaAndValue, SourcePartition, TimestampType,
};
pub use schema::{Field, Schema, SchemaBuilder, SchemaType};
pub use transform::{Predicate, Transformation};
pub use validate::validate_value;
pub use value::{Struct, Value};
