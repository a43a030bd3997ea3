//! The four logical types of Kafka Connect: Decimal, Date, Time and Timestamp.
//!
//! A logical type is a named schema over a physical type (bytes, int32, int64). Their names
//! are part of the wire contract (they appear in JSON and Avro schemas), so they are the Java
//! class names Kafka Connect uses. The conversions here enforce the same invariants Kafka
//! Connect does (a Date has no time of day, a Decimal's scale matches its schema).

use crate::decimal::BigDecimal;
use crate::error::{ConnectError, Result};
use crate::schema::{Schema, SchemaBuilder};
use crate::time::MILLIS_PER_DAY;

/// Name of the Decimal logical type (BYTES holding a two's complement unscaled value).
pub const DECIMAL_NAME: &str = "org.apache.kafka.connect.data.Decimal";
/// Name of the Date logical type (INT32 days since epoch).
pub const DATE_NAME: &str = "org.apache.kafka.connect.data.Date";
/// Name of the Time logical type (INT32 milliseconds since midnight).
pub const TIME_NAME: &str = "org.apache.kafka.connect.data.Time";
/// Name of the Timestamp logical type (INT64 milliseconds since epoch).
pub const TIMESTAMP_NAME: &str = "org.apache.kafka.connect.data.Timestamp";
/// The Decimal schema parameter holding the scale.
pub const SCALE_PARAMETER: &str = "scale";

/// Whether `name` is one of the four logical type names.
pub fn is_logical_name(name: &str) -> bool {
    matches!(name, DECIMAL_NAME | DATE_NAME | TIME_NAME | TIMESTAMP_NAME)
}

/// A builder for a Decimal schema with `scale` (version 1, as Kafka's `Decimal.builder`).
pub fn decimal_schema(scale: i32) -> SchemaBuilder {
    SchemaBuilder::bytes()
        .name(DECIMAL_NAME)
        .parameter(SCALE_PARAMETER, scale.to_string())
        .version(1)
}

/// A builder for the Date schema.
pub fn date_schema() -> SchemaBuilder {
    SchemaBuilder::int32().name(DATE_NAME).version(1)
}

/// A builder for the Time schema.
pub fn time_schema() -> SchemaBuilder {
    SchemaBuilder::int32().name(TIME_NAME).version(1)
}

/// A builder for the Timestamp schema.
pub fn timestamp_schema() -> SchemaBuilder {
    SchemaBuilder::int64().name(TIMESTAMP_NAME).version(1)
}

/// The scale declared by a Decimal schema.
pub fn decimal_scale(schema: &Schema) -> Result<i32> {
    let text = schema
        .parameter(SCALE_PARAMETER)
        .ok_or_else(|| ConnectError::data("Invalid Decimal schema: scale parameter not found."))?;
    text.parse::<i32>().map_err(|e| {
        ConnectError::data_caused_by(
            "Invalid scale parameter found in Decimal schema: ",
            "NumberFormatException",
            format!("For input string: \"{text}\" ({e})"),
        )
    })
}

/// Encodes a decimal for its schema; the value's scale must be the schema's.
pub fn decimal_from_logical(schema: &Schema, value: &BigDecimal) -> Result<Vec<u8>> {
    let scale = decimal_scale(schema)?;
    if value.scale() != scale {
        return Err(ConnectError::data(format!(
            "Decimal value has mismatching scale for given Decimal schema. Schema has scale {scale}, value has scale {}.",
            value.scale()
        )));
    }
    Ok(value.unscaled_twos_complement())
}

/// Decodes a decimal's two's complement bytes with the schema's scale.
pub fn decimal_to_logical(schema: &Schema, bytes: &[u8]) -> Result<BigDecimal> {
    let scale = decimal_scale(schema)?;
    BigDecimal::from_twos_complement(bytes, scale).map_err(|e| {
        ConnectError::data_caused_by(
            "Invalid Decimal bytes",
            "NumberFormatException",
            e.to_string(),
        )
    })
}

fn check_name(schema: &Schema, expected: &str, what: &str) -> Result<()> {
    if schema.name() == Some(expected) {
        Ok(())
    } else {
        Err(ConnectError::data(format!(
            "Requested conversion of {what} object but the schema does not match."
        )))
    }
}

/// Days since epoch of a Date value; the value must be midnight UTC.
pub fn date_from_logical(schema: &Schema, millis: i64) -> Result<i32> {
    check_name(schema, DATE_NAME, "Date")?;
    if millis.rem_euclid(MILLIS_PER_DAY) != 0 {
        return Err(ConnectError::data(
            "Kafka Connect Date type should not have any time fields set to non-zero values.",
        ));
    }
    Ok((millis / MILLIS_PER_DAY) as i32)
}

/// The Date value (midnight UTC, in epoch milliseconds) of a day count.
pub fn date_to_logical(schema: &Schema, days: i32) -> Result<i64> {
    check_name(schema, DATE_NAME, "Date")?;
    Ok(days as i64 * MILLIS_PER_DAY)
}

/// Milliseconds since midnight of a Time value; the value must lie on 1970-01-01.
pub fn time_from_logical(schema: &Schema, millis: i64) -> Result<i32> {
    check_name(schema, TIME_NAME, "Time")?;
    if !(0..=MILLIS_PER_DAY).contains(&millis) {
        return Err(ConnectError::data(
            "Kafka Connect Time type should not have any date fields set to non-zero values.",
        ));
    }
    Ok(millis as i32)
}

/// The Time value of a count of milliseconds since midnight.
pub fn time_to_logical(schema: &Schema, millis: i32) -> Result<i64> {
    check_name(schema, TIME_NAME, "Time")?;
    if millis < 0 || millis as i64 > MILLIS_PER_DAY {
        return Err(ConnectError::data(
            "Time values must use number of milliseconds greater than 0 and less than 86400000",
        ));
    }
    Ok(millis as i64)
}

/// Epoch milliseconds of a Timestamp value.
pub fn timestamp_from_logical(schema: &Schema, millis: i64) -> Result<i64> {
    check_name(schema, TIMESTAMP_NAME, "Timestamp")?;
    Ok(millis)
}

/// The Timestamp value of epoch milliseconds.
pub fn timestamp_to_logical(schema: &Schema, millis: i64) -> Result<i64> {
    check_name(schema, TIMESTAMP_NAME, "Timestamp")?;
    Ok(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_scale_must_match() {
        let schema = decimal_schema(2).build().unwrap();
        assert_eq!(
            decimal_from_logical(&schema, &BigDecimal::new(1234, 2)).unwrap(),
            vec![0x04, 0xD2]
        );
        let err = decimal_from_logical(&schema, &BigDecimal::new(1999, 3)).unwrap_err();
        assert_eq!(
            err.message(),
            "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 3."
        );
        assert_eq!(
            decimal_to_logical(&schema, &[0x04, 0xD2]).unwrap(),
            BigDecimal::new(1234, 2)
        );
    }

    #[test]
    fn dates_must_be_midnight() {
        let schema = date_schema().build().unwrap();
        assert_eq!(
            date_from_logical(&schema, -365 * MILLIS_PER_DAY).unwrap(),
            -365
        );
        assert!(date_from_logical(&schema, 1).is_err());
        assert_eq!(date_to_logical(&schema, 2).unwrap(), 2 * MILLIS_PER_DAY);
        let wrong = timestamp_schema().build().unwrap();
        assert_eq!(
            date_to_logical(&wrong, 1).unwrap_err().message(),
            "Requested conversion of Date object but the schema does not match."
        );
    }

    #[test]
    fn times_stay_within_one_day() {
        let schema = time_schema().build().unwrap();
        assert_eq!(time_from_logical(&schema, 45_296_789).unwrap(), 45_296_789);
        assert!(time_from_logical(&schema, MILLIS_PER_DAY + 1).is_err());
        assert!(time_to_logical(&schema, -1).is_err());
    }
}
