//! The five timestamp representations TimestampConverter converts between, each read into
//! epoch milliseconds and written back out (Kafka's `TimestampTranslator`s).

use connect_core::time::MILLIS_PER_DAY;
use connect_core::{ConnectError, Result, Schema, SchemaType, Value, logical};

use crate::java_date_format::{JavaDateFormat, ParseError};

/// A timestamp representation, named as in `target.type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Text in the configured `SimpleDateFormat` pattern.
    String,
    /// A number since the epoch (`int64`) in the configured precision.
    Unix,
    /// The Date logical type (midnight UTC).
    Date,
    /// The Time logical type (time of day on 1970-01-01).
    Time,
    /// The Timestamp logical type.
    Timestamp,
}

impl Kind {
    /// The `target.type` names, in Kafka's order (also its error message's order).
    pub(super) const NAMES: [&'static str; 5] = ["string", "unix", "Date", "Time", "Timestamp"];

    pub(super) fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "string" => Kind::String,
            "unix" => Kind::Unix,
            "Date" => Kind::Date,
            "Time" => Kind::Time,
            "Timestamp" => Kind::Timestamp,
            _ => return None,
        })
    }

    /// The representation a schema stands for (`timestampTypeFromSchema`): logical names
    /// first, then strings are formatted text and int64s are Unix times.
    pub(super) fn of_schema(schema: &Schema) -> Result<Kind> {
        match (schema.name(), schema.kind()) {
            (Some(logical::TIMESTAMP_NAME), _) => Ok(Kind::Timestamp),
            (Some(logical::DATE_NAME), _) => Ok(Kind::Date),
            (Some(logical::TIME_NAME), _) => Ok(Kind::Time),
            (_, SchemaType::String) => Ok(Kind::String),
            (_, SchemaType::Int64) => Ok(Kind::Unix),
            _ => Err(ConnectError::connect(format!(
                "Schema {schema} does not correspond to a known timestamp type format"
            ))),
        }
    }

    /// The representation of a schemaless value, guessed from its Java class.
    fn of_value(value: &Value) -> Result<Kind> {
        match value {
            Value::Timestamp(_) => Ok(Kind::Timestamp),
            Value::Int64(_) => Ok(Kind::Unix),
            Value::String(_) => Ok(Kind::String),
            other => Err(ConnectError::data(format!(
                "TimestampConverter does not support class {} objects as timestamps",
                other.java_class_name()
            ))),
        }
    }

    /// The schema of this representation (`typeSchema`).
    pub(super) fn schema(self, optional: bool) -> Result<Schema> {
        let builder = match self {
            Kind::String => return primitive(SchemaType::String, optional),
            Kind::Unix => return primitive(SchemaType::Int64, optional),
            Kind::Date => logical::date_schema(),
            Kind::Time => logical::time_schema(),
            Kind::Timestamp => logical::timestamp_schema(),
        };
        builder.set_optional(optional).build()
    }
}

fn primitive(kind: SchemaType, optional: bool) -> Result<Schema> {
    Schema::primitive(kind, optional)
        .ok_or_else(|| ConnectError::data(format!("No primitive schema for {kind}")))
}

/// `unix.precision`: the unit of Unix times, read and written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Precision {
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

impl Precision {
    /// The names in Kafka's order (also its error message's order).
    pub(super) const NAMES: [&'static str; 4] =
        ["nanoseconds", "microseconds", "milliseconds", "seconds"];

    pub(super) fn from_name(name: &str) -> Option<Precision> {
        Some(match name {
            "seconds" => Precision::Seconds,
            "milliseconds" => Precision::Milliseconds,
            "microseconds" => Precision::Microseconds,
            "nanoseconds" => Precision::Nanoseconds,
            _ => return None,
        })
    }

    /// To milliseconds as Java's `TimeUnit` converts: finer units truncate toward zero,
    /// coarser ones saturate.
    fn to_millis(self, value: i64) -> i64 {
        match self {
            Precision::Seconds => value.saturating_mul(1000),
            Precision::Milliseconds => value,
            Precision::Microseconds => value / 1000,
            Precision::Nanoseconds => value / 1_000_000,
        }
    }

    fn in_unit(self, millis: i64) -> i64 {
        match self {
            Precision::Seconds => millis / 1000,
            Precision::Milliseconds => millis,
            Precision::Microseconds => millis.saturating_mul(1000),
            Precision::Nanoseconds => millis.saturating_mul(1_000_000),
        }
    }
}

/// Converts values from any representation to the configured one.
#[derive(Debug)]
pub(super) struct Translator {
    /// The representation produced.
    pub(super) target: Kind,
    /// The pattern for string timestamps, if one was configured.
    pub(super) format: Option<JavaDateFormat>,
    pub(super) precision: Precision,
}

impl Translator {
    /// `convertTimestamp`: null stays null; `source` is the input representation, or
    /// `None` to guess it from the value (schemaless records).
    pub(super) fn convert(&self, value: &Value, source: Option<Kind>) -> Result<Value> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        let source = match source {
            Some(kind) => kind,
            None => Kind::of_value(value)?,
        };
        let millis = self.to_millis(source, value)?;
        Ok(self.render(millis))
    }

    fn to_millis(&self, source: Kind, value: &Value) -> Result<i64> {
        let expected = |what: &str, java: &str| {
            ConnectError::data(format!(
                "Expected {what} to be a {java}, but found class {}",
                value.java_class_name()
            ))
        };
        match (source, value) {
            (Kind::String, Value::String(text)) => {
                let format = self.format.as_ref().ok_or_else(|| {
                    ConnectError::runtime(
                        "java.lang.NullPointerException",
                        "Cannot invoke \"java.text.SimpleDateFormat.parse(String)\" because \"config.format\" is null",
                    )
                })?;
                format.parse(text).map_err(|e: ParseError| {
                    ConnectError::data_caused_by(
                        format!(
                            "Could not parse timestamp: value ({text}) does not match pattern ({})",
                            format.pattern()
                        ),
                        ParseError::JAVA_CLASS,
                        e.message(),
                    )
                })
            }
            (Kind::String, _) => Err(expected("string timestamp", "String")),
            (Kind::Unix, Value::Int64(v)) => Ok(self.precision.to_millis(*v)),
            (Kind::Unix, _) => Err(expected("Unix timestamp", "Long")),
            (_, Value::Timestamp(millis)) => Ok(*millis),
            (Kind::Date, _) => Err(expected("Date", "java.util.Date")),
            (Kind::Time, _) => Err(expected("Time", "java.util.Date")),
            (Kind::Timestamp, _) => Err(expected("Timestamp", "java.util.Date")),
        }
    }

    fn render(&self, millis: i64) -> Value {
        match self.target {
            Kind::String => match &self.format {
                Some(format) => Value::String(format.format(millis)),
                // Configuration requires a format for string targets.
                None => Value::Null,
            },
            Kind::Unix => Value::Int64(self.precision.in_unit(millis)),
            // Midnight UTC of the day, and the time of day on 1970-01-01.
            Kind::Date => Value::Timestamp(millis.wrapping_sub(millis.rem_euclid(MILLIS_PER_DAY))),
            Kind::Time => Value::Timestamp(millis.rem_euclid(MILLIS_PER_DAY)),
            Kind::Timestamp => Value::Timestamp(millis),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translator(target: Kind, precision: Precision) -> Translator {
        Translator {
            target,
            format: Some(JavaDateFormat::new("yyyy-MM-dd HH:mm:ss.SSS").expect("pattern")),
            precision,
        }
    }

    #[test]
    fn unix_precision_truncates_toward_zero_and_saturates() {
        let t = translator(Kind::Unix, Precision::Seconds);
        assert_eq!(
            t.convert(&Value::Timestamp(-1500), None),
            Ok(Value::Int64(-1))
        );
        let t = translator(Kind::Timestamp, Precision::Seconds);
        assert_eq!(
            t.convert(&Value::Int64(i64::MAX), None),
            Ok(Value::Timestamp(i64::MAX))
        );
        let t = translator(Kind::Unix, Precision::Nanoseconds);
        assert_eq!(
            t.convert(&Value::Int64(i64::MAX), None),
            Ok(Value::Int64(9_223_372_036_854_000_000))
        );
    }

    #[test]
    fn dates_and_times_split_the_instant() {
        let t = translator(Kind::Date, Precision::Milliseconds);
        assert_eq!(
            t.convert(&Value::Int64(-1500), None),
            Ok(Value::Timestamp(-MILLIS_PER_DAY))
        );
        let t = translator(Kind::Time, Precision::Milliseconds);
        assert_eq!(
            t.convert(&Value::Int64(-1500), None),
            Ok(Value::Timestamp(MILLIS_PER_DAY - 1500))
        );
    }

    #[test]
    fn errors_name_the_java_class_found() {
        let t = translator(Kind::Unix, Precision::Milliseconds);
        let err = t.convert(&Value::Int32(5), None).expect_err("int");
        assert_eq!(
            err.message(),
            "TimestampConverter does not support class java.lang.Integer objects as timestamps"
        );
        let err = t
            .convert(&Value::Int32(5), Some(Kind::Unix))
            .expect_err("int");
        assert_eq!(
            err.message(),
            "Expected Unix timestamp to be a Long, but found class java.lang.Integer"
        );
        let err = t
            .convert(&Value::from("nope"), None)
            .expect_err("unparseable");
        assert_eq!(
            err.message(),
            "Could not parse timestamp: value (nope) does not match pattern (yyyy-MM-dd HH:mm:ss.SSS)"
        );
        let cause = err.cause().expect("cause");
        assert_eq!(
            (cause.class.as_str(), cause.message.as_str()),
            ("ParseException", "Unparseable date: \"nope\"")
        );
        let no_format = Translator {
            format: None,
            ..translator(Kind::Unix, Precision::Milliseconds)
        };
        let err = no_format
            .convert(&Value::from("2024"), None)
            .expect_err("no format");
        assert_eq!(err.simple_class(), "NullPointerException");
    }

    #[test]
    fn schemas_decide_the_source_kind() {
        let int32 = Schema::primitive(SchemaType::Int32, false).expect("int32");
        let err = Kind::of_schema(&int32).expect_err("int32");
        assert_eq!(
            (err.simple_class(), err.message()),
            (
                "ConnectException",
                "Schema Schema{INT32} does not correspond to a known timestamp type format"
            )
        );
        let date = logical::date_schema().build().expect("date");
        assert_eq!(Kind::of_schema(&date), Ok(Kind::Date));
        let schema = Kind::Timestamp.schema(true).expect("schema");
        assert_eq!(
            (schema.name(), schema.is_optional()),
            (Some(logical::TIMESTAMP_NAME), true)
        );
    }
}
