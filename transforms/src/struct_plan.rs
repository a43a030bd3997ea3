//! The per-schema parts of rebuilding a struct, shared by the SMTs that move field values
//! from an input struct into an output struct (InsertField, ReplaceField, MaskField,
//! ValueToKey, Cast).
//!
//! Kafka's SMTs copy fields with `updated.put(name, value.get(field))`: `get` reads a null
//! field with a default as the default (`replace.null.with.default`), and `put` validates
//! the value against the output field's schema. Both depend only on the schemas, so they are
//! worked out once per input schema ([`NullDefaults`], [`PutChecks`]) and each record pays
//! for what can actually differ between records.
//!
//! What `put` can still reject is narrower than a full validation. A Kafka `Struct` only
//! ever holds values its own `put` accepted, and `put` validates nested structs, arrays and
//! maps in depth, so the one flaw a struct can carry is a required field that was never set
//! (still null). A value moved unchanged from a field into a field with an equal schema
//! therefore needs only that null check; values of a changed schema, or computed per record,
//! get the full validation.

use connect_core::validate::validate_field_value;
use connect_core::{ConnectError, Field, Result, Schema, Value};

/// The input field positions whose null value is read as the field's default, as Kafka's
/// `Struct.get` does when `replace.null.with.default` is on (the default).
#[derive(Debug, Default)]
pub struct NullDefaults(Vec<usize>);

impl NullDefaults {
    /// The fields of `schema` that have a default, restricted to those `used` says are read;
    /// none when `replace.null.with.default` is off.
    pub fn of(schema: &Schema, enabled: bool, used: impl Fn(usize) -> bool) -> Self {
        if !enabled {
            return Self::default();
        }
        Self(
            schema
                .fields()
                .iter()
                .filter(|f| f.schema().default_value().is_some() && used(f.index()))
                .map(Field::index)
                .collect(),
        )
    }

    /// Replaces the null values of the remembered fields with their defaults; `schema` is the
    /// values' struct schema (equal to the one the plan was built for).
    pub fn fill(&self, schema: &Schema, values: &mut [Value]) {
        for &index in &self.0 {
            if let (Some(slot), Some(field)) = (values.get_mut(index), schema.fields().get(index))
                && slot.is_null()
                && let Some(default) = field.schema().default_value()
            {
                *slot = default.clone();
            }
        }
    }
}

/// What Kafka's `Struct.put` can still reject for one output field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutCheck {
    /// The value came unchanged from a field of an equal schema, and the field is required:
    /// only a null can fail.
    NotNull,
    /// Anything can fail: the full validation against the field's schema.
    Full,
}

impl PutCheck {
    /// The check for a value moved unchanged from a field of schema `source` into a field of
    /// schema `target`, or `None` when `put` cannot fail.
    pub fn moved(source: &Schema, target: &Schema) -> Option<PutCheck> {
        if source != target {
            Some(PutCheck::Full)
        } else if target.is_optional() {
            None
        } else {
            Some(PutCheck::NotNull)
        }
    }

    /// Runs the check on the value put into `field`, failing with `put`'s message.
    pub fn run(self, field: &Field, value: &Value) -> Result<()> {
        match self {
            PutCheck::NotNull if !value.is_null() => Ok(()),
            // A null in a required field: the full validation words the error.
            PutCheck::NotNull | PutCheck::Full => {
                validate_field_value(field.name(), field.schema(), value)
            }
        }
    }
}

/// The checks of every output field that needs one, in field order (Kafka puts fields in
/// order, so the first failing field is the one reported).
#[derive(Debug, Default)]
pub struct PutChecks(Vec<(usize, PutCheck)>);

impl PutChecks {
    /// Adds the check of output position `index`, if any.
    pub fn push(&mut self, index: usize, check: Option<PutCheck>) {
        if let Some(check) = check {
            self.0.push((index, check));
        }
    }

    /// The checks, by output position in increasing order, for callers that interleave
    /// them with other per-field work that can fail.
    pub fn iter(&self) -> impl Iterator<Item = (usize, PutCheck)> + '_ {
        self.0.iter().copied()
    }

    /// Checks the output values (one per field of `output`, in field order).
    #[inline]
    pub fn run(&self, output: &Schema, values: &[Value]) -> Result<()> {
        // The per-record case: every check is a null check that passes.
        let passes = self.0.iter().all(|&(index, check)| {
            check == PutCheck::NotNull && values.get(index).is_some_and(|v| !v.is_null())
        });
        if passes {
            return Ok(());
        }
        self.run_before(output, usize::MAX, |index| values.get(index))
    }

    /// Checks the output positions before `end`, reading each position's value with `value`.
    pub fn run_before<'a>(
        &self,
        output: &Schema,
        end: usize,
        value: impl Fn(usize) -> Option<&'a Value>,
    ) -> Result<()> {
        for &(index, check) in self.0.iter().take_while(|(index, _)| *index < end) {
            let (Some(field), Some(value)) = (output.fields().get(index), value(index)) else {
                return Err(ConnectError::data(format!(
                    "Field index {index} is out of range"
                )));
            };
            check.run(field, value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;

    fn schema() -> Schema {
        SchemaBuilder::structure()
            .field("id", SchemaBuilder::int64().build().expect("int64"))
            .field(
                "n",
                SchemaBuilder::int32()
                    .optional()
                    .default_value(Value::Int32(7))
                    .build()
                    .expect("int32"),
            )
            .field("s", SchemaBuilder::string().build().expect("string"))
            .build()
            .expect("struct")
    }

    #[test]
    fn defaults_fill_only_nulls_of_fields_with_defaults() {
        let schema = schema();
        let mut values = vec![Value::Null, Value::Null, Value::Null];
        NullDefaults::of(&schema, true, |_| true).fill(&schema, &mut values);
        assert_eq!(values, vec![Value::Null, Value::Int32(7), Value::Null]);
        let mut values = vec![Value::Null, Value::Null, Value::Null];
        NullDefaults::of(&schema, false, |_| true).fill(&schema, &mut values);
        assert_eq!(values[1], Value::Null);
        NullDefaults::of(&schema, true, |i| i != 1).fill(&schema, &mut values);
        assert_eq!(values[1], Value::Null);
    }

    #[test]
    fn moved_values_are_checked_for_null_only_when_required() {
        let schema = schema();
        let field = |i: usize| schema.fields()[i].schema();
        assert_eq!(PutCheck::moved(field(0), field(0)), Some(PutCheck::NotNull));
        assert_eq!(PutCheck::moved(field(1), field(1)), None);
        assert_eq!(PutCheck::moved(field(0), field(2)), Some(PutCheck::Full));
        let mut checks = PutChecks::default();
        for (i, f) in schema.fields().iter().enumerate() {
            checks.push(i, PutCheck::moved(f.schema(), f.schema()));
        }
        let ok = [Value::Int64(1), Value::Null, Value::from("x")];
        checks.run(&schema, &ok).expect("valid");
        let err = checks
            .run(&schema, &[Value::Int64(1), Value::Null, Value::Null])
            .expect_err("required s is null");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"s\", schema type: STRING"
        );
        // Positions from `end` on are not checked.
        let bad = [Value::Int64(1), Value::Null, Value::Null];
        checks
            .run_before(&schema, 2, |i| bad.get(i))
            .expect("s not checked");
    }
}
