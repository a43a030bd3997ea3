//! Casting one value to a primitive type with Java's conversion rules: narrowing wraps
//! (`300` as int8 is `44`), floats truncate toward zero and saturate, NaN becomes 0, strings
//! parse with the `parseX` methods, and `toString()` gives Java's text.

use std::sync::LazyLock;

use connect_core::time::MILLIS_PER_DAY;
use connect_core::{BigDecimal, ConnectError, Result, Schema, SchemaType, Value, logical};

use super::java_number::{self, NumberFormatError};
use crate::java_date_format::JavaDateFormat;

/// What Cast accepts as input.
const INPUT_TYPES: &str = "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]";

/// Casts `value` (described by `schema`, or by its Java class when schemaless) to `target`
/// (Kafka's `Cast.castValueToType`). Null stays null.
pub(super) fn cast_value(
    schema: Option<&Schema>,
    value: &Value,
    target: SchemaType,
) -> Result<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let inferred = match schema {
        Some(schema) => schema.kind(),
        None => value.schemaless_type().ok_or_else(|| {
            ConnectError::data(format!(
                "Cast transformation was passed a value of type class {} which is not supported by Connect's data API",
                value.java_class_name()
            ))
        })?,
    };
    if matches!(
        inferred,
        SchemaType::Array | SchemaType::Map | SchemaType::Struct
    ) {
        return Err(ConnectError::data(format!(
            "Cast transformation does not support casting from {inferred}; supported types are {INPUT_TYPES}"
        )));
    }
    let encoded;
    let value = match schema {
        Some(schema) if schema.name().is_some() && target != SchemaType::String => {
            encoded = encode_logical(schema, value)?;
            &encoded
        }
        _ => value,
    };
    let out_of_range = |cause: NumberFormatError| {
        ConnectError::data_caused_by(
            format!(
                "Value ({}) was out of range for requested data type",
                value.to_java_string()
            ),
            "NumberFormatException",
            cause,
        )
    };
    Ok(match target {
        SchemaType::Int8 => Value::Int8(match value {
            Value::String(s) => java_number::parse_byte(s).map_err(out_of_range)?,
            other => to_int(other)? as i8,
        }),
        SchemaType::Int16 => Value::Int16(match value {
            Value::String(s) => java_number::parse_short(s).map_err(out_of_range)?,
            other => to_int(other)? as i16,
        }),
        SchemaType::Int32 => Value::Int32(match value {
            Value::String(s) => java_number::parse_int(s).map_err(out_of_range)?,
            other => to_int(other)?,
        }),
        SchemaType::Int64 => Value::Int64(match value {
            Value::String(s) => java_number::parse_long(s).map_err(out_of_range)?,
            other => to_long(other)?,
        }),
        SchemaType::Float32 => Value::Float32(match value {
            Value::String(s) => java_number::parse_float(s).map_err(out_of_range)?,
            Value::Float64(v) => *v as f32,
            Value::Decimal(d) => d.to_f32(),
            Value::Int64(v) => *v as f32,
            other => to_double(other)? as f32,
        }),
        SchemaType::Float64 => Value::Float64(match value {
            Value::String(s) => java_number::parse_double(s).map_err(out_of_range)?,
            other => to_double(other)?,
        }),
        SchemaType::Boolean => Value::Boolean(match value {
            Value::String(s) => s.eq_ignore_ascii_case("true"),
            Value::Boolean(b) => *b,
            other => to_long(other)? != 0,
        }),
        SchemaType::String => Value::String(to_java_string(value)?),
        other => {
            return Err(ConnectError::data(format!(
                "{other} is not supported in the Cast transformation."
            )));
        }
    })
}

/// Kafka's `Cast.encodeLogicalType`: Date, Time and Timestamp values become their
/// underlying numbers before a numeric cast; other named schemas pass the value through.
fn encode_logical(schema: &Schema, value: &Value) -> Result<Value> {
    let millis = || match value {
        Value::Timestamp(millis) => Ok(*millis),
        other => Err(ConnectError::runtime(
            "java.lang.ClassCastException",
            format!(
                "class {class} cannot be cast to class java.util.Date ({class} and java.util.Date are in module java.base of loader 'bootstrap')",
                class = other.java_class_name()
            ),
        )),
    };
    Ok(match schema.name() {
        Some(logical::DATE_NAME) => Value::Int32(logical::date_from_logical(schema, millis()?)?),
        Some(logical::TIME_NAME) => Value::Int32(logical::time_from_logical(schema, millis()?)?),
        Some(logical::TIMESTAMP_NAME) => Value::Int64(millis()?),
        _ => value.clone(),
    })
}

fn unexpected(value: &Value) -> ConnectError {
    ConnectError::data(format!(
        "Unexpected type in Cast transformation: class {}",
        value.java_class_name()
    ))
}

/// Java's `Number.longValue()` (booleans count as 1 and 0): integers widen, floats truncate
/// toward zero and saturate (NaN is 0), decimals keep the low 64 bits of their integer part.
fn to_long(value: &Value) -> Result<i64> {
    Ok(match value {
        Value::Int8(v) => i64::from(*v),
        Value::Int16(v) => i64::from(*v),
        Value::Int32(v) => i64::from(*v),
        Value::Int64(v) => *v,
        Value::Float32(v) => *v as i64,
        Value::Float64(v) => *v as i64,
        Value::Decimal(d) => d.to_i64_wrapping(),
        Value::Boolean(b) => i64::from(*b),
        other => return Err(unexpected(other)),
    })
}

/// Java's `Number.intValue()`, which `byteValue()` and `shortValue()` narrow further: floats
/// saturate at the `int` bounds first (`(byte) 1e10` is `(byte) Integer.MAX_VALUE`, -1),
/// everything else keeps its low bits.
fn to_int(value: &Value) -> Result<i32> {
    Ok(match value {
        Value::Float32(v) => *v as i32,
        Value::Float64(v) => *v as i32,
        other => to_long(other)? as i32,
    })
}

/// Java's `Number.doubleValue()` (booleans count as 1.0 and 0.0).
fn to_double(value: &Value) -> Result<f64> {
    Ok(match value {
        Value::Int8(v) => f64::from(*v),
        Value::Int16(v) => f64::from(*v),
        Value::Int32(v) => f64::from(*v),
        Value::Int64(v) => *v as f64,
        Value::Float32(v) => f64::from(*v),
        Value::Float64(v) => *v,
        Value::Decimal(d) => d.to_f64(),
        Value::Boolean(b) => f64::from(u8::from(*b)),
        other => return Err(unexpected(other)),
    })
}

/// Kafka's `Cast.castToString`: dates in ISO 8601 (`Values.dateFormatFor`), bytes in
/// base64, everything else by Java's `toString()`.
fn to_java_string(value: &Value) -> Result<String> {
    Ok(match value {
        Value::Timestamp(millis) => iso_format(*millis),
        // Connect's Java `toString()` of bytes is already base64 (what Kafka writes here).
        Value::Bytes(_) => value.to_java_string(),
        Value::String(s) => s.clone(),
        Value::Decimal(d) => BigDecimal::to_string(d),
        other => {
            let mut out = String::new();
            if !other.push_java_scalar(&mut out) {
                return Err(unexpected(other));
            }
            out
        }
    })
}

/// The three ISO 8601 formats of Kafka's `Values.dateFormatFor`, in the worker's time zone
/// (UTC).
static ISO_FORMATS: LazyLock<[JavaDateFormat; 3]> = LazyLock::new(|| {
    [
        "HH:mm:ss.SSS'Z'",
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
    ]
    .map(|pattern| JavaDateFormat::new(pattern).expect("Kafka's ISO 8601 patterns are valid"))
});

/// `Values.dateFormatFor(date).format(date)`: a time of day for instants before the end of
/// the first epoch day (negative ones included, as Kafka does), a date for midnights, and a
/// full timestamp otherwise.
fn iso_format(millis: i64) -> String {
    let [time, date, timestamp] = &*ISO_FORMATS;
    let format = if millis < MILLIS_PER_DAY {
        time
    } else if millis % MILLIS_PER_DAY == 0 {
        date
    } else {
        timestamp
    };
    format.format(millis)
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;

    fn cast(value: Value, target: SchemaType) -> Result<Value> {
        cast_value(None, &value, target)
    }

    #[test]
    fn numbers_narrow_like_java() {
        assert_eq!(
            cast(Value::Int64(3_000_000_000), SchemaType::Int32),
            Ok(Value::Int32(-1_294_967_296))
        );
        assert_eq!(
            cast(Value::Float64(300.7), SchemaType::Int8),
            Ok(Value::Int8(44))
        );
        assert_eq!(
            cast(Value::Float64(f64::NAN), SchemaType::Int32),
            Ok(Value::Int32(0))
        );
        assert_eq!(
            cast(Value::Float64(1e20), SchemaType::Int32),
            Ok(Value::Int32(i32::MAX))
        );
        assert_eq!(
            cast(Value::Float64(0.5), SchemaType::Boolean),
            Ok(Value::Boolean(false))
        );
        assert_eq!(
            cast(Value::Int32(-7), SchemaType::Boolean),
            Ok(Value::Boolean(true))
        );
        assert_eq!(
            cast(Value::Boolean(true), SchemaType::Float32),
            Ok(Value::Float32(1.0))
        );
        assert_eq!(
            cast(Value::Float64(1e10), SchemaType::String),
            Ok(Value::from("1.0E10"))
        );
        assert_eq!(
            cast(Value::Int64(9_007_199_254_740_993), SchemaType::Float64),
            Ok(Value::Float64(9_007_199_254_740_992.0))
        );
    }

    #[test]
    fn float_to_narrow_int_saturates_at_int_first() {
        // Java: (byte) 1e10 == (byte) Integer.MAX_VALUE == -1; (short) -1e10 == 0.
        assert_eq!(
            cast(Value::Float64(1e10), SchemaType::Int8),
            Ok(Value::Int8(-1))
        );
        assert_eq!(
            cast(Value::Float64(-1e10), SchemaType::Int16),
            Ok(Value::Int16(0))
        );
    }

    #[test]
    fn strings_parse_with_java_rules() {
        assert_eq!(
            cast(Value::from("TRUE"), SchemaType::Boolean),
            Ok(Value::Boolean(true))
        );
        assert_eq!(
            cast(Value::from("yes"), SchemaType::Boolean),
            Ok(Value::Boolean(false))
        );
        let err = cast(Value::from("12a"), SchemaType::Int32).expect_err("not a number");
        assert_eq!(
            err.message(),
            "Value (12a) was out of range for requested data type"
        );
        let cause = err.cause().expect("cause");
        assert_eq!(
            (cause.class.as_str(), cause.message.as_str()),
            ("NumberFormatException", "For input string: \"12a\"")
        );
    }

    #[test]
    fn logical_values_encode_unless_cast_to_string() {
        let date = logical::date_schema().build().expect("date");
        let day = Value::Timestamp(19_675 * MILLIS_PER_DAY);
        assert_eq!(
            cast_value(Some(&date), &day, SchemaType::Int32),
            Ok(Value::Int32(19_675))
        );
        assert_eq!(
            cast_value(Some(&date), &day, SchemaType::String),
            Ok(Value::from("2023-11-14"))
        );
        let ts = logical::timestamp_schema().build().expect("timestamp");
        let value = Value::Timestamp(1_700_000_000_123);
        assert_eq!(
            cast_value(Some(&ts), &value, SchemaType::String),
            Ok(Value::from("2023-11-14T22:13:20.123Z"))
        );
        let time = logical::time_schema().build().expect("time");
        assert_eq!(
            cast_value(
                Some(&time),
                &Value::Timestamp(45_296_789),
                SchemaType::String
            ),
            Ok(Value::from("12:34:56.789Z"))
        );
        let decimal = logical::decimal_schema(3).build().expect("decimal");
        let value = Value::Decimal(BigDecimal::new(-1250, 3));
        assert_eq!(
            cast_value(Some(&decimal), &value, SchemaType::Float64),
            Ok(Value::Float64(-1.25))
        );
        assert_eq!(
            cast_value(Some(&decimal), &value, SchemaType::Int32),
            Ok(Value::Int32(-1))
        );
        assert_eq!(
            cast_value(Some(&decimal), &value, SchemaType::String),
            Ok(Value::from("-1.250"))
        );
    }

    #[test]
    fn unsupported_inputs_name_their_type() {
        let err = cast(Value::Map(Vec::new()), SchemaType::String).expect_err("map");
        assert_eq!(
            err.message(),
            format!(
                "Cast transformation does not support casting from MAP; supported types are {INPUT_TYPES}"
            )
        );
        let err = cast(Value::Decimal(BigDecimal::new(1, 0)), SchemaType::Int32)
            .expect_err("schemaless decimal");
        assert_eq!(
            err.message(),
            "Cast transformation was passed a value of type class java.math.BigDecimal which is not supported by Connect's data API"
        );
        let bytes = SchemaBuilder::bytes().build().expect("bytes");
        let err = cast_value(Some(&bytes), &Value::Bytes(vec![1]), SchemaType::Int32)
            .expect_err("bytes to int");
        assert_eq!(
            err.message(),
            "Unexpected type in Cast transformation: class [B"
        );
        assert_eq!(
            cast_value(
                Some(&bytes),
                &Value::Bytes(vec![1, 2, 3]),
                SchemaType::String
            ),
            Ok(Value::from("AQID"))
        );
    }
}
