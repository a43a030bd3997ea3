//! `HoistField$Key` / `HoistField$Value`: wraps the key or value in a struct (or map) with a
//! single field, e.g. to give a primitive key a name a sink can map to a column.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectRecord, Result, SchemaBuilder, Struct, Transformation, Value};

use crate::schema_cache::SchemaCache;
use crate::side::Side;

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.HoistField$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.HoistField$Value";

const FIELD: &str = "field";

/// Wraps the key or value in a one-field struct or map.
#[derive(Debug)]
pub struct HoistField {
    side: Side,
    field: String,
    schemas: SchemaCache,
}

impl HoistField {
    /// The settings, as Kafka's HoistField declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(ConfigKey::new(
            FIELD,
            ConfigType::String,
            Importance::Medium,
            "Name of the single field of the struct or map that wraps the original data.",
        ))
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        Ok(Self {
            side,
            field: config.string(FIELD).unwrap_or_default().to_string(),
            schemas: SchemaCache::default(),
        })
    }
}

impl Transformation for HoistField {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        let (schema, value) = self.side.take(&mut record);
        let (schema, value) = match schema {
            None => (
                None,
                Value::Map(vec![(Value::String(self.field.clone()), value)]),
            ),
            Some(schema) => {
                let field = &self.field;
                let wrapper = self.schemas.get_or_derive(&schema, |s| {
                    SchemaBuilder::structure().field(field, s.clone()).build()
                })?;
                let mut hoisted = Struct::new(wrapper.clone())?;
                hoisted.put_at(0, value)?;
                (Some(wrapper), Value::Struct(hoisted))
            }
        };
        self.side.set(&mut record, schema, value);
        Ok(Some(record))
    }
}

/// The registry entries of both variants.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![
        crate::transformation_plugin(
            KEY_CLASS,
            "Wraps the record key in a struct or map with a single named field.",
            HoistField::config_def,
            |props| Ok(Box::new(HoistField::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Wraps the record value in a struct or map with a single named field.",
            HoistField::config_def,
            |props| Ok(Box::new(HoistField::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;
    use connect_core::{Schema, SchemaType};

    #[test]
    fn a_null_in_a_required_schema_fails_as_struct_put_does() {
        let mut smt = HoistField::new(Side::Value, &properties(&[("field", "v")])).expect("config");
        let required = Schema::primitive(SchemaType::String, false).expect("string");
        let err = smt
            .apply(ConnectRecord::source("t", Some(required), Value::Null))
            .expect_err("null in required field");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"v\", schema type: STRING"
        );
    }
}
