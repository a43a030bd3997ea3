//! Which half of a record an SMT works on.
//!
//! Kafka Connect ships most SMTs as two nested classes, `Foo$Key` and `Foo$Value`, that share
//! all logic and differ only in which schema and value they read and replace. Here that is one
//! generic type parameterised by a [`Side`].

use connect_core::{ConnectRecord, Schema, Value};

/// The key or the value of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The record key (`Foo$Key`).
    Key,
    /// The record value (`Foo$Value`).
    Value,
}

impl Side {
    /// The schema of this side.
    #[inline]
    pub fn schema(self, record: &ConnectRecord) -> Option<&Schema> {
        match self {
            Side::Key => record.key_schema.as_ref(),
            Side::Value => record.value_schema.as_ref(),
        }
    }

    /// The value of this side.
    #[inline]
    pub fn value(self, record: &ConnectRecord) -> &Value {
        match self {
            Side::Key => &record.key,
            Side::Value => &record.value,
        }
    }

    /// Takes the schema and value out of the record, leaving no schema and null.
    #[inline]
    pub fn take(self, record: &mut ConnectRecord) -> (Option<Schema>, Value) {
        match self {
            Side::Key => (record.key_schema.take(), std::mem::take(&mut record.key)),
            Side::Value => (
                record.value_schema.take(),
                std::mem::take(&mut record.value),
            ),
        }
    }

    /// Replaces this side's schema and value.
    #[inline]
    pub fn set(self, record: &mut ConnectRecord, schema: Option<Schema>, value: Value) {
        match self {
            Side::Key => {
                record.key_schema = schema;
                record.key = value;
            }
            Side::Value => {
                record.value_schema = schema;
                record.value = value;
            }
        }
    }

    /// The nested class suffix Kafka uses, `$Key` or `$Value`.
    pub fn class_suffix(self) -> &'static str {
        match self {
            Side::Key => "$Key",
            Side::Value => "$Value",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_and_set_touch_only_their_side() {
        let mut record = ConnectRecord::source("t", None, Value::Int32(7));
        record.key = Value::String("k".into());
        let (schema, value) = Side::Value.take(&mut record);
        assert!(schema.is_none());
        assert_eq!(value, Value::Int32(7));
        assert!(record.value.is_null());
        Side::Value.set(&mut record, None, Value::Int64(8));
        assert_eq!(Side::Value.value(&record), &Value::Int64(8));
        assert_eq!(Side::Key.value(&record), &Value::String("k".into()));
    }
}
