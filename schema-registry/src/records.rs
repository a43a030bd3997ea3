//! The records of the `_schemas` topic, keyed and valued like Confluent's.
//!
//! Keys matter most: the topic is compacted, so the byte-exact key is what makes a later
//! record replace an earlier one (a soft delete replaces the registration, a tombstone
//! removes it). Writing Confluent's keys field for field, in Jackson's order, also lets
//! the topic be read by Confluent's own registry, or ours read one it wrote.
//!
//! | key | value |
//! |---|---|
//! | `{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}` | `{"subject":"s","version":1,"id":1,"schema":"...","deleted":false}`; a tombstone is a permanent delete |
//! | `{"keytype":"CONFIG","subject":"s","magic":0}` (no subject: global) | `{"compatibilityLevel":"FULL"}`; a tombstone removes the setting |
//! | `{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}` | `{"subject":"s","version":3}`: versions up to 3 are soft-deleted |
//!
//! Other key types Confluent writes (`NOOP`, `MODE`, `CONTEXT`, ...) are ignored.

use serde::{Deserialize, Serialize};

use crate::level::CompatibilityLevel;

/// A registration of a schema under a subject, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SchemaValue {
    pub(crate) subject: String,
    pub(crate) version: i32,
    pub(crate) id: i32,
    /// `AVRO` when absent, as Confluent writes it.
    #[serde(
        rename = "schemaType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub(crate) schema_type: Option<String>,
    /// Kept only to show what another registry stored; this one writes none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) references: Option<serde_json::Value>,
    pub(crate) schema: String,
    #[serde(default)]
    pub(crate) deleted: bool,
}

/// One change to the registry's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record {
    /// A version registered or soft-deleted (`Some`), or permanently deleted (`None`).
    Schema {
        subject: String,
        version: i32,
        value: Option<SchemaValue>,
    },
    /// The compatibility level of a subject, or the global one (`subject: None`);
    /// `level: None` removes the setting.
    Config {
        subject: Option<String>,
        level: Option<CompatibilityLevel>,
    },
    /// Every version of `subject` up to `version` is soft-deleted.
    DeleteSubject { subject: String, version: i32 },
}

#[derive(Serialize)]
struct SchemaKeyOut<'a> {
    keytype: &'static str,
    subject: &'a str,
    version: i32,
    magic: i32,
}

#[derive(Serialize)]
struct SubjectKeyOut<'a> {
    keytype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    magic: i32,
}

#[derive(Serialize, Deserialize)]
struct ConfigValue {
    #[serde(rename = "compatibilityLevel", default)]
    compatibility_level: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct DeleteSubjectValue {
    subject: String,
    version: i32,
}

#[derive(Deserialize)]
struct KeyIn {
    keytype: String,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    version: Option<i32>,
}

impl Record {
    /// The record's key bytes.
    pub(crate) fn key(&self) -> Vec<u8> {
        let json = match self {
            Record::Schema {
                subject, version, ..
            } => serde_json::to_vec(&SchemaKeyOut {
                keytype: "SCHEMA",
                subject,
                version: *version,
                magic: 1,
            }),
            Record::Config { subject, .. } => serde_json::to_vec(&SubjectKeyOut {
                keytype: "CONFIG",
                subject: subject.as_deref(),
                magic: 0,
            }),
            Record::DeleteSubject { subject, .. } => serde_json::to_vec(&SubjectKeyOut {
                keytype: "DELETE_SUBJECT",
                subject: Some(subject),
                magic: 0,
            }),
        };
        // Plain structs of strings and integers always serialize.
        json.unwrap_or_default()
    }

    /// The record's value bytes; `None` is a tombstone.
    pub(crate) fn value(&self) -> Option<Vec<u8>> {
        let json = match self {
            Record::Schema { value, .. } => serde_json::to_vec(value.as_ref()?),
            Record::Config { level, .. } => serde_json::to_vec(&ConfigValue {
                compatibility_level: Some(level.as_ref()?.as_str().to_owned()),
            }),
            Record::DeleteSubject { subject, version } => serde_json::to_vec(&DeleteSubjectValue {
                subject: subject.clone(),
                version: *version,
            }),
        };
        json.ok()
    }

    /// Reads a record of the topic: `Ok(None)` for key types the registry ignores, `Err`
    /// with a reason for bytes that are not a registry record.
    pub(crate) fn parse(key: &[u8], value: Option<&[u8]>) -> Result<Option<Record>, String> {
        let key: KeyIn =
            serde_json::from_slice(key).map_err(|err| format!("unreadable key: {err}"))?;
        let subject = key.subject.filter(|s| !s.is_empty());
        let record = match key.keytype.as_str() {
            "SCHEMA" => {
                let subject = subject.ok_or("SCHEMA key without a subject")?;
                let version = key.version.ok_or("SCHEMA key without a version")?;
                let value = match value {
                    Some(bytes) => Some(
                        serde_json::from_slice::<SchemaValue>(bytes)
                            .map_err(|err| format!("unreadable SCHEMA value: {err}"))?,
                    ),
                    None => None,
                };
                Record::Schema {
                    subject,
                    version,
                    value,
                }
            }
            "CONFIG" => {
                let level = match value {
                    Some(bytes) => {
                        let config: ConfigValue = serde_json::from_slice(bytes)
                            .map_err(|err| format!("unreadable CONFIG value: {err}"))?;
                        match config.compatibility_level {
                            Some(name) => Some(
                                name.parse::<CompatibilityLevel>()
                                    .map_err(|_| format!("unknown compatibility level '{name}'"))?,
                            ),
                            None => None,
                        }
                    }
                    None => None,
                };
                Record::Config { subject, level }
            }
            "DELETE_SUBJECT" => {
                let Some(bytes) = value else {
                    return Ok(None);
                };
                let value: DeleteSubjectValue = serde_json::from_slice(bytes)
                    .map_err(|err| format!("unreadable DELETE_SUBJECT value: {err}"))?;
                Record::DeleteSubject {
                    subject: value.subject,
                    version: value.version,
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("utf-8")
    }

    #[test]
    fn keys_are_byte_exact_confluent_keys() {
        let schema = Record::Schema {
            subject: "orders-value".into(),
            version: 3,
            value: None,
        };
        assert_eq!(
            text(&schema.key()),
            r#"{"keytype":"SCHEMA","subject":"orders-value","version":3,"magic":1}"#
        );
        let global = Record::Config {
            subject: None,
            level: Some(CompatibilityLevel::Full),
        };
        assert_eq!(text(&global.key()), r#"{"keytype":"CONFIG","magic":0}"#);
        assert_eq!(
            text(&global.value().expect("value")),
            r#"{"compatibilityLevel":"FULL"}"#
        );
        let delete = Record::DeleteSubject {
            subject: "s".into(),
            version: 2,
        };
        assert_eq!(
            text(&delete.key()),
            r#"{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}"#
        );
        assert_eq!(
            text(&delete.value().expect("value")),
            r#"{"subject":"s","version":2}"#
        );
    }

    #[test]
    fn records_round_trip_and_tombstones_stay_tombstones() {
        let records = [
            Record::Schema {
                subject: "s".into(),
                version: 1,
                value: Some(SchemaValue {
                    subject: "s".into(),
                    version: 1,
                    id: 7,
                    schema_type: None,
                    references: None,
                    schema: r#""string""#.into(),
                    deleted: false,
                }),
            },
            Record::Schema {
                subject: "s".into(),
                version: 1,
                value: None,
            },
            Record::Config {
                subject: Some("s".into()),
                level: Some(CompatibilityLevel::ForwardTransitive),
            },
            Record::Config {
                subject: Some("s".into()),
                level: None,
            },
            Record::DeleteSubject {
                subject: "s".into(),
                version: 4,
            },
        ];
        for record in records {
            let value = record.value();
            let parsed = Record::parse(&record.key(), value.as_deref()).expect("parses");
            assert_eq!(parsed, Some(record));
        }
    }

    #[test]
    fn values_written_by_confluent_are_read() {
        let key = br#"{"keytype":"SCHEMA","subject":"t-value","version":1,"magic":1}"#;
        let value = br#"{"subject":"t-value","version":1,"id":21,"schemaType":"JSON","schema":"{}","deleted":false,"metadata":null}"#;
        match Record::parse(key, Some(value)) {
            Ok(Some(Record::Schema { value: Some(v), .. })) => {
                assert_eq!(v.id, 21);
                assert_eq!(v.schema_type.as_deref(), Some("JSON"));
            }
            other => panic!("{other:?}"),
        }
        let noop = br#"{"keytype":"NOOP","magic":0}"#;
        assert_eq!(Record::parse(noop, None), Ok(None));
        assert!(Record::parse(b"not json", None).is_err());
    }
}
