//! `InsertHeader`: adds a header with a fixed value to every record, e.g. to tag records
//! with their origin. The literal is typed as Kafka's `Values.parseString` infers it
//! (`42` is an INT8, `true` a BOOLEAN, `{"a":1}` a map), so header converters downstream
//! see the same types as with Kafka Connect.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Result, SchemaAndValue, Transformation};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.InsertHeader";

const HEADER: &str = "header";
const VALUE_LITERAL: &str = "value.literal";

/// Appends one header with a typed literal value.
#[derive(Debug)]
pub struct InsertHeader {
    header: String,
    literal: SchemaAndValue,
}

impl InsertHeader {
    /// The settings, as Kafka's InsertHeader declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(ConfigKey::new(
                HEADER,
                ConfigType::String,
                Importance::High,
                "The key of the header to add.",
            ))
            .define(ConfigKey::new(
                VALUE_LITERAL,
                ConfigType::String,
                Importance::High,
                "The header value, as text; its type is inferred as Kafka's Values.parseString does.",
            ))
    }

    /// Configures the transformation.
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let text = config.string(VALUE_LITERAL).unwrap_or_default();
        let literal = connect_converters::values::parse_string(text)
            .map_err(|e| ConnectError::invalid_config_value(VALUE_LITERAL, text, e))?;
        Ok(Self {
            header: config.string(HEADER).unwrap_or_default().to_string(),
            literal,
        })
    }
}

impl Transformation for InsertHeader {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        record.headers.add(
            self.header.clone(),
            self.literal.schema.clone(),
            self.literal.value.clone(),
        );
        Ok(Some(record))
    }
}

/// The registry entry.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![crate::transformation_plugin(
        CLASS,
        "Adds a header with a fixed, type-inferred value to every record.",
        InsertHeader::config_def,
        |props| Ok(Box::new(InsertHeader::new(props)?)),
    )]
}
