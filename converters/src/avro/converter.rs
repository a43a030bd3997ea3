//! `AvroConverter`: Confluent's `io.confluent.connect.avro.AvroConverter`, byte for byte.
//!
//! Wire format: magic byte 0, the schema id (4 bytes, big endian), the Avro binary value.
//! Writing: the Connect schema is mapped to Avro (AvroData rules), registered or looked up
//! under the subject its strategy names, and the value encoded. Reading: the id selects the
//! writer schema, the subject gives its version (the Connect schema's version unless the
//! schema carries `connect.version`), and the value is decoded, resolved into the subject's
//! latest schema with `use.latest.version`.
//!
//! Caching is what keeps the registry off the data path: the Avro schema and encoder of a
//! Connect schema are built once (per schema, LRU of `schemas.cache.config` entries), its id
//! is fetched once per subject, and the decoder for an id is built once per topic. A stream
//! of records with one schema makes one registry round trip, not one per record.
//!
//! Errors keep Confluent's classes and messages (a `DataException` whose cause is the
//! serializer's `SerializationException`), with one deliberate difference: a registry that
//! cannot be reached gives a [`ConnectError::Retriable`], so the runtime retries instead of
//! sending good records to the dead letter queue. An unknown schema id is a
//! [`ConnectError::Data`] naming the id.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use connect_core::config::Properties;
use connect_core::{
    ConnectError, Converter, ConverterType, Headers, Result, Schema, SchemaAndValue, Value,
};
use lru::LruCache;

use super::config::AvroConverterConfig;
use super::data::{self, AvroDataConfig};
use super::decode::{DecodeError, DecodePlan};
use super::encode::EncodePlan;
use super::schema::AvroSchema;
use super::subject::SubjectNameStrategy;
use crate::schema_registry::http::HttpSchemaRegistryClient;
use crate::schema_registry::memory::InMemorySchemaRegistry;
use crate::schema_registry::{RegistryError, SchemaRegistryClient};

/// First byte of every Confluent-framed message.
pub const MAGIC_BYTE: u8 = 0;
const SERIALIZATION_EXCEPTION: &str = "SerializationException";

/// What a Connect schema becomes once: its Avro schema, registered text, encoder, and the
/// ids (and encoders, with `use.latest.version`) of the subjects it was written to.
#[derive(Debug)]
struct WriteEntry {
    avro: AvroSchema,
    text: String,
    plan: EncodePlan,
    /// Per topic: the id to write and, when the subject's latest schema is used, its
    /// encoder. Few topics per schema, so a small list.
    targets: Mutex<Vec<(String, Arc<Target>)>>,
}

#[derive(Debug)]
struct Target {
    id: i32,
    plan: Option<EncodePlan>,
}

/// What a schema id becomes once: its writer schema and, per topic, a decoder.
#[derive(Debug)]
struct ReadEntry {
    writer: Arc<AvroSchema>,
    text: String,
    decoders: Mutex<Vec<(String, Arc<Decoder>)>>,
}

#[derive(Debug)]
struct Decoder {
    schema: Option<Schema>,
    plan: DecodePlan,
}

/// Confluent's Avro converter.
pub struct AvroConverter {
    registry: Arc<dyn SchemaRegistryClient>,
    is_key: bool,
    auto_register: bool,
    use_latest_version: bool,
    latest_compatibility_strict: bool,
    strategy: SubjectNameStrategy,
    data: AvroDataConfig,
    writers: Mutex<LruCache<Option<Schema>, Arc<WriteEntry>>>,
    readers: Mutex<LruCache<i32, Arc<ReadEntry>>>,
}

impl std::fmt::Debug for AvroConverter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AvroConverter")
            .field("registry", &self.registry)
            .field("is_key", &self.is_key)
            .field("auto_register", &self.auto_register)
            .field("use_latest_version", &self.use_latest_version)
            .field("strategy", &self.strategy)
            .field("data", &self.data)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere cannot leave these caches in a state that matters.
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

impl AvroConverter {
    /// The converter's settings, for validation and `ListPlugins`.
    pub fn config_def() -> connect_core::ConfigDef {
        AvroConverterConfig::config_def()
    }

    /// A converter configured from Kafka Connect settings (prefix removed). The registry is
    /// reached over HTTP, or is the process-wide in-memory registry of a `mock://<scope>`
    /// URL.
    pub fn new(props: &Properties, kind: ConverterType) -> Result<Self> {
        let config = AvroConverterConfig::from_props(props)?;
        let registry: Arc<dyn SchemaRegistryClient> = match config.registry.urls.first() {
            Some(url) if url.starts_with("mock://") => {
                InMemorySchemaRegistry::scoped(url.trim_start_matches("mock://"))
            }
            _ => Arc::new(HttpSchemaRegistryClient::new(&config.registry)?),
        };
        Ok(Self::with_registry(&config, kind, registry))
    }

    /// A converter on a given registry client (tests, benchmarks, embedding).
    pub fn with_registry(
        config: &AvroConverterConfig,
        kind: ConverterType,
        registry: Arc<dyn SchemaRegistryClient>,
    ) -> Self {
        let is_key = kind.is_key();
        let capacity = NonZeroUsize::new(config.cache_size).unwrap_or(NonZeroUsize::MIN);
        Self {
            registry,
            is_key,
            auto_register: config.auto_register,
            use_latest_version: config.use_latest_version,
            latest_compatibility_strict: config.latest_compatibility_strict,
            strategy: if is_key {
                config.key_strategy
            } else {
                config.value_strategy
            },
            data: config.data,
            writers: Mutex::new(LruCache::new(capacity)),
            readers: Mutex::new(LruCache::new(capacity)),
        }
    }

    fn part(&self) -> &'static str {
        if self.is_key { "key" } else { "value" }
    }

    /// The Avro schema and encoder of a Connect schema, built on first use.
    fn write_entry(&self, schema: Option<&Schema>) -> Result<Arc<WriteEntry>> {
        let key = schema.cloned();
        if let Some(entry) = lock(&self.writers).get(&key) {
            return Ok(entry.clone());
        }
        let avro = data::from_connect_schema(&self.data, schema)?;
        let text = avro.to_canonical_string()?;
        let plan = EncodePlan::new(&self.data, schema, &avro)?;
        let entry = Arc::new(WriteEntry {
            avro,
            text,
            plan,
            targets: Mutex::new(Vec::new()),
        });
        lock(&self.writers).put(key, entry.clone());
        Ok(entry)
    }

    fn serialize_error(topic: &str, cause_class: &str, cause: impl Into<String>) -> ConnectError {
        ConnectError::data_caused_by(
            format!("Failed to serialize Avro data from topic {topic} :"),
            cause_class,
            cause,
        )
    }

    fn registry_error(
        &self,
        topic: &str,
        context: String,
        error: RegistryError,
        serialize: bool,
    ) -> ConnectError {
        match error {
            RegistryError::Unavailable { message } => ConnectError::Retriable {
                message: format!("{context}: {message}"),
                cause: None,
            },
            RegistryError::Unauthorized { .. } => ConnectError::config(format!(
                "Failed to access Avro data from topic {topic} : {error}"
            )),
            other => {
                tracing::debug!(topic, error = %other, "Schema registry refused a request.");
                if serialize {
                    Self::serialize_error(topic, SERIALIZATION_EXCEPTION, context)
                } else {
                    Self::deserialize_error(topic, context)
                }
            }
        }
    }

    /// The id (and encoder) a Connect schema is written with to `topic`: registered,
    /// looked up, or the subject's latest, once per topic.
    async fn target(
        &self,
        topic: &str,
        entry: &WriteEntry,
        schema: Option<&Schema>,
    ) -> Result<Arc<Target>> {
        if let Some((_, target)) = lock(&entry.targets).iter().find(|(t, _)| t == topic) {
            return Ok(target.clone());
        }
        let subject = self
            .strategy
            .subject(topic, self.is_key, &entry.avro)
            .map_err(|e| Self::serialize_error(topic, e.simple_class(), e.message()))?;
        let target = if self.auto_register {
            let id = self
                .registry
                .register(&subject, &entry.text)
                .await
                .map_err(|e| {
                    self.registry_error(
                        topic,
                        format!("Error registering Avro schema{}", entry.text),
                        e,
                        true,
                    )
                })?;
            Target { id, plan: None }
        } else if self.use_latest_version {
            let latest = self.registry.latest(&subject).await.map_err(|e| {
                self.registry_error(
                    topic,
                    format!(
                        "Error retrieving latest version of Avro schema{}",
                        entry.text
                    ),
                    e,
                    true,
                )
            })?;
            let latest_avro = AvroSchema::parse(&latest.schema)
                .map_err(|e| Self::serialize_error(topic, e.simple_class(), e.message()))?;
            if self.latest_compatibility_strict {
                self.check_can_read(&latest_avro, &entry.avro).map_err(|why| {
                    Self::serialize_error(
                        topic,
                        SERIALIZATION_EXCEPTION,
                        format!(
                            "Incompatible schema {} with refs [] of type AVRO for schema {}. Set latest.compatibility.strict=false to disable this check ({why})",
                            latest.schema, entry.text
                        ),
                    )
                })?;
            }
            let plan = EncodePlan::new(&self.data, schema, &latest_avro)
                .map_err(|e| Self::serialize_error(topic, e.simple_class(), e.message()))?;
            Target {
                id: latest.id,
                plan: Some(plan),
            }
        } else {
            let found = self
                .registry
                .lookup(&subject, &entry.text)
                .await
                .map_err(|e| {
                    self.registry_error(
                        topic,
                        format!("Error retrieving Avro schema{}", entry.text),
                        e,
                        true,
                    )
                })?;
            Target {
                id: found.id,
                plan: None,
            }
        };
        let target = Arc::new(target);
        lock(&entry.targets).push((topic.to_string(), target.clone()));
        Ok(target)
    }

    /// Whether data written with `writer` can be read with `reader` (Avro resolution).
    fn check_can_read(&self, reader: &AvroSchema, writer: &AvroSchema) -> Result<()> {
        let connect = data::to_connect_schema(&self.data, reader, None)?;
        DecodePlan::new(
            &self.data,
            Arc::new(writer.clone()),
            reader,
            connect.as_ref(),
        )
        .map(|_| ())
    }

    fn deserialize_error(topic: &str, cause: impl Into<String>) -> ConnectError {
        ConnectError::data_caused_by(
            format!("Failed to deserialize data for topic {topic} to Avro: "),
            SERIALIZATION_EXCEPTION,
            cause,
        )
    }

    /// The writer schema of an id, fetched once.
    async fn read_entry(&self, topic: &str, id: i32) -> Result<Arc<ReadEntry>> {
        if let Some(entry) = lock(&self.readers).get(&id) {
            return Ok(entry.clone());
        }
        let context = || format!("Error retrieving Avro {} schema for id {id}", self.part());
        let text = self
            .registry
            .schema_by_id(id)
            .await
            .map_err(|e| self.registry_error(topic, context(), e, false))?;
        let writer = AvroSchema::parse(&text).map_err(|e| {
            ConnectError::data_caused_by(
                format!("Failed to deserialize data for topic {topic} to Avro: "),
                e.simple_class(),
                format!("{}: {}", context(), e.message()),
            )
        })?;
        let entry = Arc::new(ReadEntry {
            writer: Arc::new(writer),
            text,
            decoders: Mutex::new(Vec::new()),
        });
        lock(&self.readers).put(id, entry.clone());
        Ok(entry)
    }

    /// The decoder of an id for `topic`: the subject gives the version (and, with
    /// `use.latest.version`, the reader schema), once per topic.
    async fn decoder(&self, topic: &str, id: i32, entry: &ReadEntry) -> Result<Arc<Decoder>> {
        if let Some((_, decoder)) = lock(&entry.decoders).iter().find(|(t, _)| t == topic) {
            return Ok(decoder.clone());
        }
        let subject = self
            .strategy
            .subject(topic, self.is_key, &entry.writer)
            .map_err(|e| {
                ConnectError::data_caused_by(
                    format!("Failed to deserialize data for topic {topic} to Avro: "),
                    e.simple_class(),
                    e.message(),
                )
            })?;
        let version_context = || {
            format!(
                "Error retrieving Avro {} schema version for id {id}",
                self.part()
            )
        };
        let (reader, version) = if self.use_latest_version {
            let latest = self
                .registry
                .latest(&subject)
                .await
                .map_err(|e| self.registry_error(topic, version_context(), e, false))?;
            let reader = AvroSchema::parse(&latest.schema)
                .map_err(|e| Self::deserialize_error(topic, e.message()))?;
            (Some(reader), latest.version)
        } else {
            let found = self
                .registry
                .lookup(&subject, &entry.text)
                .await
                .map_err(|e| self.registry_error(topic, version_context(), e, false))?;
            (None, found.version)
        };
        let reader = reader.as_ref().unwrap_or(&entry.writer);
        let schema = data::to_connect_schema(&self.data, reader, Some(version))?;
        // A writer schema the reader schema cannot resolve fails while reading in Avro
        // Java, so it is reported as a deserialization failure, with the reason.
        let plan = DecodePlan::new(&self.data, entry.writer.clone(), reader, schema.as_ref())
            .map_err(|e| {
                Self::deserialize_error(
                    topic,
                    format!(
                        "Error deserializing Avro message for id {id}: {}",
                        e.message()
                    ),
                )
            })?;
        let decoder = Arc::new(Decoder { schema, plan });
        lock(&entry.decoders).push((topic.to_string(), decoder.clone()));
        Ok(decoder)
    }
}

#[async_trait]
impl Converter for AvroConverter {
    async fn from_connect_data(
        &self,
        topic: &str,
        _headers: &mut Headers,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        if schema.is_none() && value.is_null() {
            return Ok(None);
        }
        let entry = self.write_entry(schema)?;
        if value.is_null() {
            // A null is written as a Kafka null (a tombstone), never registered.
            return match schema {
                Some(s) if !s.is_optional() => Err(ConnectError::data(
                    "Found null value for non-optional schema",
                )),
                _ => Ok(None),
            };
        }
        let target = self.target(topic, &entry, schema).await?;
        let mut out = Vec::with_capacity(64);
        out.push(MAGIC_BYTE);
        out.extend_from_slice(&target.id.to_be_bytes());
        target
            .plan
            .as_ref()
            .unwrap_or(&entry.plan)
            .encode(value, &mut out)?;
        Ok(Some(out))
    }

    async fn to_connect_data(
        &self,
        topic: &str,
        _headers: &Headers,
        data: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        let Some(data) = data else {
            return Ok(SchemaAndValue::NULL);
        };
        // Confluent reads the header from a Java ByteBuffer: an empty or short payload
        // underflows it (after the magic byte check).
        let underflow = || ConnectError::runtime("java.nio.BufferUnderflowException", "");
        match data.first() {
            None => return Err(underflow()),
            Some(&MAGIC_BYTE) => {}
            Some(_) => return Err(Self::deserialize_error(topic, "Unknown magic byte!")),
        }
        let Some(id_bytes) = data.get(1..5) else {
            return Err(underflow());
        };
        let id = i32::from_be_bytes([id_bytes[0], id_bytes[1], id_bytes[2], id_bytes[3]]);
        let entry = self.read_entry(topic, id).await?;
        let decoder = self.decoder(topic, id, &entry).await?;
        match decoder.plan.decode(&data[5..]) {
            Ok(Value::Null) => Ok(SchemaAndValue::NULL),
            Ok(value) => Ok(SchemaAndValue::new(decoder.schema.clone(), value)),
            Err(DecodeError::Data(e)) => Err(e),
            Err(DecodeError::Malformed(why)) => {
                tracing::debug!(topic, id, reason = %why, "Malformed Avro payload.");
                Err(Self::deserialize_error(
                    topic,
                    format!("Error deserializing Avro message for id {id}"),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avro::config::{AUTO_REGISTER_CONFIG, USE_LATEST_VERSION_CONFIG};
    use connect_core::config::properties;
    use connect_core::{SchemaBuilder, SchemaType, Struct};
    use futures::executor::block_on;

    fn converter(
        pairs: &[(&str, &str)],
        kind: ConverterType,
    ) -> (AvroConverter, Arc<InMemorySchemaRegistry>) {
        let mut all = vec![("schema.registry.url", "http://unused.invalid:1")];
        all.extend_from_slice(pairs);
        let config = AvroConverterConfig::from_props(&properties(&all)).expect("valid config");
        let registry = Arc::new(InMemorySchemaRegistry::new());
        let converter = AvroConverter::with_registry(&config, kind, registry.clone());
        (converter, registry)
    }

    fn user_schema() -> Schema {
        SchemaBuilder::structure()
            .name("com.example.User")
            .field(
                "id",
                Schema::primitive(SchemaType::Int64, false).expect("primitive"),
            )
            .field(
                "name",
                Schema::primitive(SchemaType::String, true).expect("primitive"),
            )
            .build()
            .expect("schema")
    }

    fn user(id: i64) -> Value {
        let mut s = Struct::new(user_schema()).expect("struct");
        s.put("id", id).expect("id");
        s.put("name", format!("user {id}")).expect("name");
        Value::Struct(s)
    }

    fn write(
        c: &AvroConverter,
        topic: &str,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        block_on(c.from_connect_data(topic, &mut Headers::new(), schema, value))
    }

    fn read(c: &AvroConverter, topic: &str, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        block_on(c.to_connect_data(topic, &Headers::new(), bytes))
    }

    #[test]
    fn many_records_of_one_schema_make_one_registry_call_each_way() {
        let (writer, registry) = converter(&[], ConverterType::Value);
        let mut messages = Vec::new();
        for i in 0..1000 {
            // A fresh but equal schema per record, as a source task typically builds.
            let bytes = write(&writer, "users", Some(&user_schema()), &user(i))
                .expect("serializes")
                .expect("not null");
            messages.push(bytes);
        }
        assert_eq!(registry.calls().register, 1);
        assert_eq!(registry.calls().total(), 1);

        let (reader, _) = converter(&[], ConverterType::Value);
        let reader = AvroConverter {
            registry: registry.clone(),
            ..reader
        };
        for (i, bytes) in messages.iter().enumerate() {
            let back = read(&reader, "users", Some(bytes)).expect("deserializes");
            assert_eq!(
                back.value.as_struct().and_then(|s| s.get("id").ok()),
                Some(&Value::Int64(i as i64))
            );
        }
        let calls = registry.calls();
        assert_eq!(
            (calls.schema_by_id, calls.lookup),
            (1, 1),
            "one fetch, one version lookup"
        );
    }

    #[test]
    fn unknown_ids_are_data_errors_naming_the_id() {
        let (c, _) = converter(&[], ConverterType::Key);
        let err = read(&c, "orders", Some(&[0, 0, 0, 0, 99, 10])).expect_err("unknown id");
        assert_eq!(err.simple_class(), "DataException");
        assert_eq!(
            err.message(),
            "Failed to deserialize data for topic orders to Avro: "
        );
        let cause = err.cause().expect("cause");
        assert_eq!(cause.class, "SerializationException");
        assert_eq!(cause.message, "Error retrieving Avro key schema for id 99");
        let err = read(&c, "orders", Some(&[1, 0, 0, 0, 1])).expect_err("bad magic");
        assert_eq!(err.cause().expect("cause").message, "Unknown magic byte!");
    }

    #[test]
    fn an_unreachable_registry_is_retriable() {
        let config = AvroConverterConfig::from_props(&properties(&[(
            "schema.registry.url",
            "http://127.0.0.1:9",
        )]))
        .expect("valid");
        let registry =
            Arc::new(HttpSchemaRegistryClient::new(&config.registry).expect("client builds"));
        let c = AvroConverter::with_registry(&config, ConverterType::Value, registry);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let err = runtime
            .block_on(c.to_connect_data("t", &Headers::new(), Some(&[0, 0, 0, 0, 1, 2])))
            .expect_err("unreachable");
        assert!(err.is_retriable(), "{err:?}");
        assert!(err.message().contains("schema for id 1"), "{err}");
        let err = runtime
            .block_on(c.from_connect_data("t", &mut Headers::new(), Some(&user_schema()), &user(1)))
            .expect_err("unreachable");
        assert!(err.is_retriable(), "{err:?}");
    }

    #[test]
    fn tombstones_are_never_registered() {
        let (c, registry) = converter(&[], ConverterType::Value);
        let optional = user_schema()
            .to_builder()
            .optional()
            .build()
            .expect("schema");
        assert_eq!(
            write(&c, "t", Some(&optional), &Value::Null).expect("null"),
            None
        );
        assert_eq!(write(&c, "t", None, &Value::Null).expect("null"), None);
        let err = write(&c, "t", Some(&user_schema()), &Value::Null).expect_err("required");
        assert_eq!(err.message(), "Found null value for non-optional schema");
        assert_eq!(registry.calls().total(), 0);
    }

    #[test]
    fn use_latest_version_writes_and_reads_with_the_latest_schema() {
        let (v1_writer, registry) = converter(&[], ConverterType::Value);
        let v1 = write(&v1_writer, "users", Some(&user_schema()), &user(1))
            .expect("serializes")
            .expect("not null");
        // A newer schema with an extra field with a default becomes the latest.
        let v2 = r#"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"name","type":["null","string"],"default":null},{"name":"tier","type":"string","default":"free"}],"connect.name":"com.example.User"}"#;
        let registered = registry.register_now("users-value", v2).expect("registers");

        let (latest, _) = converter(
            &[
                (AUTO_REGISTER_CONFIG, "false"),
                (USE_LATEST_VERSION_CONFIG, "true"),
            ],
            ConverterType::Value,
        );
        let latest = AvroConverter {
            registry: registry.clone(),
            ..latest
        };
        let v2_bytes = write(&latest, "users", Some(&user_schema()), &user(2))
            .expect("serializes with the latest schema")
            .expect("not null");
        assert_eq!(
            &v2_bytes[1..5],
            &registered.id.to_be_bytes(),
            "written with v2's id"
        );

        // Reading old (v1) data resolves into v2, the latest: the new field gets its default.
        let back = read(&latest, "users", Some(&v1)).expect("resolves");
        let schema = back.schema.expect("schema");
        assert_eq!(schema.version(), Some(2));
        let s = back.value.as_struct().expect("struct");
        assert_eq!(s.get("tier").expect("field"), &Value::String("free".into()));
        assert_eq!(s.get("id").expect("field"), &Value::Int64(1));
        let back = read(&latest, "users", Some(&v2_bytes)).expect("reads v2");
        assert_eq!(
            back.value.as_struct().and_then(|s| s.get("tier").ok()),
            Some(&Value::String("free".into()))
        );
    }

    #[test]
    fn without_auto_registration_an_unregistered_schema_fails_like_confluent() {
        let (c, _) = converter(&[(AUTO_REGISTER_CONFIG, "false")], ConverterType::Value);
        let err = write(&c, "customers", Some(&user_schema()), &user(1)).expect_err("missing");
        assert_eq!(
            err.message(),
            "Failed to serialize Avro data from topic customers :"
        );
        let cause = err.cause().expect("cause");
        assert_eq!(cause.class, "SerializationException");
        assert!(
            cause
                .message
                .starts_with("Error retrieving Avro schema{\"type\":\"record\"")
        );
    }
}
