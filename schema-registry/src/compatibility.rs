//! Schema evolution rules: can a reader schema read data written with a writer schema,
//! and what a compatibility level means for a new version.
//!
//! Confluent's registry decides with Avro Java's `SchemaCompatibility`; these are its
//! rules, applied to `apache-avro`'s parsed schemas. `apache_avro::schema_compatibility`
//! is not used because it differs on cases that matter here: it reports a schema with a
//! `decimal` (the AvroConverter's encoding of Connect's `Decimal`) as incompatible with
//! *itself*, it does not resolve a named type used a second time (`Schema::Ref`) against
//! its definition, it rejects a writer union read by a non-union reader even when every
//! branch is readable (`["int","long"]` read as `long`), it ignores an enum's default
//! symbol, and its errors do not say where in the schema the problem is. As in Java,
//! logical types are compared by their underlying type (a `date` reads an `int`).
//!
//! Each incompatibility carries Confluent's error type, a path into the reader schema and
//! a description, which [`check_level`] turns into the lines Confluent returns for
//! `verbose=true` and in a 409.

use std::collections::HashMap;

use apache_avro::Schema;
use apache_avro::schema::{Alias, EnumSchema, Name, NamesRef, RecordSchema, ResolvedSchema};

use crate::level::CompatibilityLevel;
use crate::schema::AvroSchema;

/// What kind of evolution rule was broken (Avro Java's `SchemaIncompatibilityType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncompatibilityKind {
    /// A named type (record, enum, fixed) was renamed without an alias.
    NameMismatch,
    /// A fixed type changed size.
    FixedSizeMismatch,
    /// The reader enum lacks writer symbols and has no default symbol.
    MissingEnumSymbols,
    /// A reader field is absent from the writer and has no default.
    ReaderFieldMissingDefaultValue,
    /// The types cannot be converted (e.g. `string` read as `int`).
    TypeMismatch,
    /// A writer union branch has no readable counterpart in the reader.
    MissingUnionBranch,
}

impl IncompatibilityKind {
    /// Confluent's `errorType` name.
    pub fn as_str(self) -> &'static str {
        match self {
            IncompatibilityKind::NameMismatch => "NAME_MISMATCH",
            IncompatibilityKind::FixedSizeMismatch => "FIXED_SIZE_MISMATCH",
            IncompatibilityKind::MissingEnumSymbols => "MISSING_ENUM_SYMBOLS",
            IncompatibilityKind::ReaderFieldMissingDefaultValue => {
                "READER_FIELD_MISSING_DEFAULT_VALUE"
            }
            IncompatibilityKind::TypeMismatch => "TYPE_MISMATCH",
            IncompatibilityKind::MissingUnionBranch => "MISSING_UNION_BRANCH",
        }
    }
}

/// One broken rule: what, where in the reader schema, and the detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incompatibility {
    /// The rule.
    pub kind: IncompatibilityKind,
    /// Where, as `/fields/1/type`.
    pub path: String,
    /// The detail: a field name, missing symbols, the two types.
    pub info: String,
}

impl Incompatibility {
    /// Confluent's line for this incompatibility; `reader` and `writer` say which schema
    /// plays which role ("new"/"old").
    pub fn describe(&self, reader: &str, writer: &str) -> String {
        let path = &self.path;
        let description = match self.kind {
            IncompatibilityKind::ReaderFieldMissingDefaultValue => format!(
                "The field '{}' at path '{path}' in the {reader} schema has no default value and is missing in the {writer} schema",
                self.info
            ),
            IncompatibilityKind::TypeMismatch => format!(
                "The type (path '{path}') of a field in the {reader} schema does not match with the {writer} schema"
            ),
            IncompatibilityKind::NameMismatch => {
                format!("The name of the schema has changed (path '{path}')")
            }
            IncompatibilityKind::MissingEnumSymbols => format!(
                "The {reader} schema is missing enum symbols '{}' at path '{path}' in the {writer} schema",
                self.info
            ),
            IncompatibilityKind::MissingUnionBranch => format!(
                "The {reader} schema is missing a type inside a union field at path '{path}' in the {writer} schema"
            ),
            IncompatibilityKind::FixedSizeMismatch => format!(
                "The size of FIXED type field at path '{path}' in the {reader} schema does not match with the {writer} schema"
            ),
        };
        format!(
            "{{errorType:'{}', description:'{description}', additionalInfo:'{}'}}",
            self.kind.as_str(),
            self.info
        )
    }
}

/// Every reason why `reader` cannot read data written with `writer`; empty when it can.
pub fn can_read(reader: &Schema, writer: &Schema) -> Vec<Incompatibility> {
    let reader_names = names_of(reader);
    let writer_names = names_of(writer);
    let mut checker = Checker {
        reader_names: &reader_names,
        writer_names: &writer_names,
        memo: HashMap::new(),
        path: Vec::new(),
    };
    checker.check(reader, writer)
}

/// The named types a schema defines, to resolve its references.
fn names_of(schema: &Schema) -> NamesRef<'_> {
    // A schema that parsed resolves; if it somehow does not, its references stay
    // unresolved and are reported as type mismatches rather than panicking.
    ResolvedSchema::try_from(schema)
        .map(|resolved| resolved.get_names().clone())
        .unwrap_or_default()
}

/// A schema by its encoding: logical types are replaced by the type they annotate and
/// references by their definitions, as Avro Java sees them.
#[derive(Clone, Copy)]
enum Physical<'a> {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(&'a Schema),
    Map(&'a Schema),
    Union(&'a [Schema]),
    Record(&'a RecordSchema),
    Enum(&'a EnumSchema),
    Fixed {
        name: Option<&'a Name>,
        aliases: Option<&'a [Alias]>,
        size: usize,
    },
    /// A reference to a type the schema does not define.
    Unresolved,
}

impl Physical<'_> {
    /// Avro Java's `Schema.Type` name, used in messages.
    fn type_name(&self) -> &'static str {
        match self {
            Physical::Null => "NULL",
            Physical::Boolean => "BOOLEAN",
            Physical::Int => "INT",
            Physical::Long => "LONG",
            Physical::Float => "FLOAT",
            Physical::Double => "DOUBLE",
            Physical::Bytes => "BYTES",
            Physical::String => "STRING",
            Physical::Array(_) => "ARRAY",
            Physical::Map(_) => "MAP",
            Physical::Union(_) => "UNION",
            Physical::Record(_) => "RECORD",
            Physical::Enum(_) => "ENUM",
            Physical::Fixed { .. } => "FIXED",
            Physical::Unresolved => "UNRESOLVED",
        }
    }
}

fn physical<'a>(schema: &'a Schema, names: &NamesRef<'a>) -> Physical<'a> {
    match schema {
        Schema::Null => Physical::Null,
        Schema::Boolean => Physical::Boolean,
        Schema::Int | Schema::Date | Schema::TimeMillis => Physical::Int,
        Schema::Long
        | Schema::TimeMicros
        | Schema::TimestampMillis
        | Schema::TimestampMicros
        | Schema::TimestampNanos
        | Schema::LocalTimestampMillis
        | Schema::LocalTimestampMicros
        | Schema::LocalTimestampNanos => Physical::Long,
        Schema::Float => Physical::Float,
        Schema::Double => Physical::Double,
        Schema::Bytes | Schema::BigDecimal => Physical::Bytes,
        Schema::String | Schema::Uuid => Physical::String,
        Schema::Array(array) => Physical::Array(&array.items),
        Schema::Map(map) => Physical::Map(&map.types),
        Schema::Union(union) => Physical::Union(union.variants()),
        Schema::Record(record) => Physical::Record(record),
        Schema::Enum(enumeration) => Physical::Enum(enumeration),
        Schema::Fixed(fixed) => Physical::Fixed {
            name: Some(&fixed.name),
            aliases: fixed.aliases.as_deref(),
            size: fixed.size,
        },
        Schema::Decimal(decimal) => physical(&decimal.inner, names),
        // apache-avro keeps no name for a `duration` fixed; its size is fixed by the spec.
        Schema::Duration => Physical::Fixed {
            name: None,
            aliases: None,
            size: 12,
        },
        Schema::Ref { name } => match names.get(name) {
            Some(definition) => physical(definition, names),
            None => Physical::Unresolved,
        },
    }
}

/// A reader/writer comparison in progress.
struct Checker<'a, 'n> {
    reader_names: &'n NamesRef<'a>,
    writer_names: &'n NamesRef<'a>,
    /// Results per (reader record, writer record); `None` while being computed, which
    /// is what ends the recursion of recursive types (assumed compatible, as Java does).
    memo: HashMap<(usize, usize), Option<Vec<Incompatibility>>>,
    /// The location in the reader schema, one segment per step.
    path: Vec<String>,
}

impl<'a> Checker<'a, '_> {
    fn check(&mut self, reader: &'a Schema, writer: &'a Schema) -> Vec<Incompatibility> {
        let w = physical(writer, self.writer_names);
        self.check_physical(reader, w)
    }

    /// [`Checker::check`] with the writer already reduced to its encoding.
    fn check_physical(&mut self, reader: &'a Schema, w: Physical<'a>) -> Vec<Incompatibility> {
        let r = physical(reader, self.reader_names);
        if let (Physical::Record(rr), Physical::Record(wr)) = (r, w) {
            let key = (
                std::ptr::from_ref(rr) as usize,
                std::ptr::from_ref(wr) as usize,
            );
            match self.memo.get(&key) {
                Some(Some(done)) => return done.clone(),
                Some(None) => return Vec::new(),
                None => {}
            }
            self.memo.insert(key, None);
            let result = self.records(rr, wr);
            self.memo.insert(key, Some(result.clone()));
            return result;
        }
        self.physical_pair(reader, r, w)
    }

    fn physical_pair(
        &mut self,
        reader: &'a Schema,
        r: Physical<'a>,
        w: Physical<'a>,
    ) -> Vec<Incompatibility> {
        use Physical as P;
        match (r, w) {
            (P::Null, P::Null)
            | (P::Boolean, P::Boolean)
            | (P::Int, P::Int)
            | (P::Long, P::Long)
            | (P::Float, P::Float)
            | (P::Double, P::Double)
            | (P::Bytes, P::Bytes)
            | (P::String, P::String) => Vec::new(),
            (P::Array(ri), P::Array(wi)) => self.nested("items", ri, wi),
            (P::Map(rv), P::Map(wv)) => self.nested("values", rv, wv),
            (
                P::Fixed {
                    name: rn,
                    aliases: ra,
                    size: rs,
                },
                P::Fixed {
                    name: wn, size: ws, ..
                },
            ) => {
                let mut found = self.names(rn, ra, wn);
                if rs != ws {
                    self.path.push("size".into());
                    found.push(self.incompatibility(
                        IncompatibilityKind::FixedSizeMismatch,
                        format!("expected: {ws}, found: {rs}"),
                    ));
                    self.path.pop();
                }
                found
            }
            (P::Enum(re), P::Enum(we)) => {
                let mut found = self.names(Some(&re.name), re.aliases.as_deref(), Some(&we.name));
                let missing: Vec<&str> = we
                    .symbols
                    .iter()
                    .filter(|s| !re.symbols.contains(s))
                    .map(String::as_str)
                    .collect();
                let reader_default_usable =
                    re.default.as_ref().is_some_and(|d| re.symbols.contains(d));
                if !missing.is_empty() && !reader_default_usable {
                    self.path.push("symbols".into());
                    found.push(self.incompatibility(
                        IncompatibilityKind::MissingEnumSymbols,
                        format!("[{}]", missing.join(", ")),
                    ));
                    self.path.pop();
                }
                found
            }
            (P::Union(_), P::Union(writer_branches)) => {
                // Every branch the writer may have used must be readable.
                let mut found = Vec::new();
                for (i, branch) in writer_branches.iter().enumerate() {
                    self.path.push(i.to_string());
                    if !self.check(reader, branch).is_empty() {
                        let branch_type = physical(branch, self.writer_names).type_name();
                        found.push(self.incompatibility(
                            IncompatibilityKind::MissingUnionBranch,
                            format!("reader union lacking writer type: {branch_type}"),
                        ));
                    }
                    self.path.pop();
                }
                found
            }
            (_, P::Union(writer_branches)) => {
                // A non-union reader reads a union if it reads every branch.
                let mut found = Vec::new();
                for (i, branch) in writer_branches.iter().enumerate() {
                    self.path.push(i.to_string());
                    found.extend(self.check(reader, branch));
                    self.path.pop();
                }
                found
            }
            (P::Union(reader_branches), _) => {
                // Avro resolution picks the first reader branch that reads the writer type.
                // Trial checks: their own findings are not reported.
                let writer_schema_readable = reader_branches
                    .iter()
                    .any(|branch| self.check_physical(branch, w).is_empty());
                if writer_schema_readable {
                    Vec::new()
                } else {
                    vec![self.incompatibility(
                        IncompatibilityKind::MissingUnionBranch,
                        format!("reader union lacking writer type: {}", w.type_name()),
                    )]
                }
            }
            // Avro's promotions: int -> long/float/double, long -> float/double,
            // float -> double, string <-> bytes.
            (P::Long, P::Int)
            | (P::Float, P::Int | P::Long)
            | (P::Double, P::Int | P::Long | P::Float)
            | (P::Bytes, P::String)
            | (P::String, P::Bytes) => Vec::new(),
            (r, w) => vec![self.incompatibility(
                IncompatibilityKind::TypeMismatch,
                format!(
                    "reader type: {} not compatible with writer type: {}",
                    r.type_name(),
                    w.type_name()
                ),
            )],
        }
    }

    fn nested(
        &mut self,
        segment: &str,
        reader: &'a Schema,
        writer: &'a Schema,
    ) -> Vec<Incompatibility> {
        self.path.push(segment.to_owned());
        let found = self.check(reader, writer);
        self.path.pop();
        found
    }

    fn records(
        &mut self,
        reader: &'a RecordSchema,
        writer: &'a RecordSchema,
    ) -> Vec<Incompatibility> {
        let mut found = self.names(
            Some(&reader.name),
            reader.aliases.as_deref(),
            Some(&writer.name),
        );
        self.path.push("fields".into());
        for (position, field) in reader.fields.iter().enumerate() {
            self.path.push(position.to_string());
            // By name, then by the reader field's aliases (Avro Java's `lookupWriterField`).
            let writer_field = writer
                .fields
                .iter()
                .find(|w| w.name == field.name)
                .or_else(|| {
                    field
                        .aliases
                        .iter()
                        .flatten()
                        .find_map(|alias| writer.fields.iter().find(|w| &w.name == alias))
                });
            match writer_field {
                Some(writer_field) => {
                    self.path.push("type".into());
                    found.extend(self.check(&field.schema, &writer_field.schema));
                    self.path.pop();
                }
                None if field.default.is_none() => found.push(self.incompatibility(
                    IncompatibilityKind::ReaderFieldMissingDefaultValue,
                    field.name.clone(),
                )),
                None => {}
            }
            self.path.pop();
        }
        self.path.pop();
        found
    }

    /// Named types match by unqualified name, or through a reader alias of the writer's
    /// full name (Avro Java's `schemaNameEquals`).
    fn names(
        &mut self,
        reader: Option<&Name>,
        reader_aliases: Option<&[Alias]>,
        writer: Option<&Name>,
    ) -> Vec<Incompatibility> {
        let (Some(reader), Some(writer)) = (reader, writer) else {
            return Vec::new();
        };
        if reader.name == writer.name {
            return Vec::new();
        }
        let writer_full = writer.fullname(None);
        let aliased = reader_aliases
            .into_iter()
            .flatten()
            .any(|alias| alias.fullname(reader.namespace.clone()) == writer_full);
        if aliased {
            return Vec::new();
        }
        self.path.push("name".into());
        let found = self.incompatibility(
            IncompatibilityKind::NameMismatch,
            format!("expected: {writer_full}"),
        );
        self.path.pop();
        vec![found]
    }

    fn incompatibility(&self, kind: IncompatibilityKind, info: String) -> Incompatibility {
        Incompatibility {
            kind,
            path: format!("/{}", self.path.join("/")),
            info,
        }
    }
}

/// An earlier version a new schema is compared with.
#[derive(Debug, Clone, Copy)]
pub struct PreviousVersion<'s> {
    /// Its version number under the subject.
    pub version: i32,
    /// Its stored text.
    pub schema: &'s str,
}

/// Checks `new` against the earlier live versions of a subject under `level`:
/// `previous` is newest first; non-transitive levels look at the first one only.
///
/// Returns Confluent's message lines (empty when compatible): per failing version, one
/// line per incompatibility, then the version, the old schema and the level.
pub fn check_level(
    level: CompatibilityLevel,
    new: &AvroSchema,
    previous: &[PreviousVersion<'_>],
) -> Vec<String> {
    if level == CompatibilityLevel::None {
        return Vec::new();
    }
    let compared = if level.is_transitive() {
        previous
    } else {
        &previous[..previous.len().min(1)]
    };
    let mut messages = Vec::new();
    for old in compared {
        let mut lines = Vec::new();
        match AvroSchema::parse(old.schema) {
            Ok(old_schema) => {
                if level.checks_backward() {
                    lines.extend(
                        can_read(new.parsed(), old_schema.parsed())
                            .iter()
                            .map(|i| i.describe("new", "old")),
                    );
                }
                if level.checks_forward() {
                    lines.extend(
                        can_read(old_schema.parsed(), new.parsed())
                            .iter()
                            .map(|i| i.describe("old", "new")),
                    );
                }
            }
            Err(err) => lines.push(format!(
                "{{errorType:'SCHEMA_TYPE_MISMATCH', description:'The old schema is not an Avro schema this registry can read: {err}', additionalInfo:''}}"
            )),
        }
        if !lines.is_empty() {
            messages.extend(lines);
            messages.push(format!("{{oldSchemaVersion: {}}}", old.version));
            messages.push(format!("{{oldSchema: '{}'}}", old.schema));
            messages.push(format!(
                "{{validateFields: 'false', compatibility: '{}'}}",
                level.as_str()
            ));
        }
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> AvroSchema {
        AvroSchema::parse(text).expect("valid test schema")
    }

    fn kinds(reader: &str, writer: &str) -> Vec<IncompatibilityKind> {
        can_read(schema(reader).parsed(), schema(writer).parsed())
            .into_iter()
            .map(|i| i.kind)
            .collect()
    }

    const V1: &str = r#"{"type":"record","name":"User","fields":[{"name":"id","type":"long"}]}"#;
    const WITH_DEFAULT: &str = r#"{"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"email","type":"string","default":""}]}"#;
    const WITHOUT_DEFAULT: &str = r#"{"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"email","type":"string"}]}"#;

    #[test]
    fn a_new_field_needs_a_default_to_read_old_data() {
        assert!(kinds(WITH_DEFAULT, V1).is_empty());
        assert_eq!(
            kinds(WITHOUT_DEFAULT, V1),
            [IncompatibilityKind::ReaderFieldMissingDefaultValue]
        );
        // Old readers ignore the new field either way.
        assert!(kinds(V1, WITHOUT_DEFAULT).is_empty());
        let found = can_read(schema(WITHOUT_DEFAULT).parsed(), schema(V1).parsed());
        assert_eq!(found[0].path, "/fields/1");
        assert_eq!(
            found[0].describe("new", "old"),
            "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'email' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'email'}"
        );
    }

    #[test]
    fn promotions_go_one_way() {
        let int = r#"{"type":"record","name":"R","fields":[{"name":"n","type":"int"}]}"#;
        let long = r#"{"type":"record","name":"R","fields":[{"name":"n","type":"long"}]}"#;
        assert!(kinds(long, int).is_empty());
        assert_eq!(kinds(int, long), [IncompatibilityKind::TypeMismatch]);
        let found = can_read(schema(int).parsed(), schema(long).parsed());
        assert_eq!(found[0].path, "/fields/0/type");
        assert!(kinds(r#""bytes""#, r#""string""#).is_empty());
        assert!(kinds(r#""double""#, r#""float""#).is_empty());
    }

    #[test]
    fn decimals_and_other_logical_types_compare_by_their_encoding() {
        let decimal = r#"{"type":"record","name":"R","fields":[{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}}]}"#;
        assert!(kinds(decimal, decimal).is_empty());
        assert!(kinds(r#"{"type":"int","logicalType":"date"}"#, r#""int""#).is_empty());
        assert!(kinds(r#""long""#, r#"{"type":"int","logicalType":"date"}"#).is_empty());
        assert!(
            kinds(
                r#"{"type":"long","logicalType":"timestamp-millis"}"#,
                r#"{"type":"long","logicalType":"timestamp-micros"}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn unions_need_every_writer_branch_readable() {
        assert!(kinds(r#"["null","string"]"#, r#""string""#).is_empty());
        assert_eq!(
            kinds(r#""string""#, r#"["null","string"]"#),
            [IncompatibilityKind::TypeMismatch]
        );
        assert!(kinds(r#""long""#, r#"["int","long"]"#).is_empty());
        assert_eq!(
            kinds(r#"["null","int"]"#, r#"["null","string"]"#),
            [IncompatibilityKind::MissingUnionBranch]
        );
        assert_eq!(
            kinds(r#"["null","int"]"#, r#""string""#),
            [IncompatibilityKind::MissingUnionBranch]
        );
    }

    #[test]
    fn enums_need_the_writer_symbols_or_a_default() {
        let abc = r#"{"type":"enum","name":"E","symbols":["A","B","C"]}"#;
        let ab = r#"{"type":"enum","name":"E","symbols":["A","B"]}"#;
        let ab_default = r#"{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}"#;
        assert!(kinds(abc, ab).is_empty());
        assert_eq!(kinds(ab, abc), [IncompatibilityKind::MissingEnumSymbols]);
        assert!(kinds(ab_default, abc).is_empty());
        let found = can_read(schema(ab).parsed(), schema(abc).parsed());
        assert_eq!(found[0].info, "[C]");
    }

    #[test]
    fn renamed_types_need_an_alias() {
        let renamed = r#"{"type":"record","name":"Person","fields":[{"name":"id","type":"long"}]}"#;
        let aliased = r#"{"type":"record","name":"Person","aliases":["User"],"fields":[{"name":"id","type":"long"}]}"#;
        assert_eq!(kinds(renamed, V1), [IncompatibilityKind::NameMismatch]);
        assert!(kinds(aliased, V1).is_empty());
        // Namespaces do not count, as in Avro Java.
        let namespaced = r#"{"type":"record","name":"User","namespace":"x.y","fields":[{"name":"id","type":"long"}]}"#;
        assert!(kinds(namespaced, V1).is_empty());
        let fixed4 = r#"{"type":"fixed","name":"F","size":4}"#;
        let fixed8 = r#"{"type":"fixed","name":"F","size":8}"#;
        assert_eq!(
            kinds(fixed8, fixed4),
            [IncompatibilityKind::FixedSizeMismatch]
        );
    }

    #[test]
    fn renamed_fields_are_found_through_aliases() {
        let renamed = r#"{"type":"record","name":"User","fields":[{"name":"user_id","type":"long","aliases":["id"]}]}"#;
        assert!(kinds(renamed, V1).is_empty());
    }

    #[test]
    fn recursive_and_reused_named_types_resolve() {
        let list = r#"{"type":"record","name":"Node","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","Node"],"default":null}]}"#;
        let list_long = r#"{"type":"record","name":"Node","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","Node"],"default":null}]}"#;
        assert!(kinds(list, list).is_empty());
        assert!(kinds(list_long, list).is_empty());
        assert!(!kinds(list, list_long).is_empty());
        let reused = r#"{"type":"record","name":"Pair","fields":[{"name":"a","type":{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]}},{"name":"b","type":"P"}]}"#;
        let reused_narrow = r#"{"type":"record","name":"Pair","fields":[{"name":"a","type":{"type":"record","name":"P","fields":[{"name":"x","type":"string"}]}},{"name":"b","type":"P"}]}"#;
        assert!(kinds(reused, reused).is_empty());
        // The definition may sit in another field than in the writer: same type.
        let swapped = r#"{"type":"record","name":"Pair","fields":[{"name":"b","type":{"type":"record","name":"P","fields":[{"name":"x","type":"int"}]}},{"name":"a","type":"P"}]}"#;
        assert!(kinds(reused, swapped).is_empty());
        let found = can_read(schema(reused_narrow).parsed(), schema(reused).parsed());
        assert!(
            found
                .iter()
                .any(|i| i.path == "/fields/0/type/fields/0/type"),
            "{found:?}"
        );
    }

    #[test]
    fn levels_pick_direction_and_versions() {
        let new = schema(WITHOUT_DEFAULT);
        let v1 = PreviousVersion {
            version: 1,
            schema: V1,
        };
        assert!(!check_level(CompatibilityLevel::Backward, &new, &[v1]).is_empty());
        assert!(check_level(CompatibilityLevel::Forward, &new, &[v1]).is_empty());
        assert!(check_level(CompatibilityLevel::None, &new, &[v1]).is_empty());
        let messages = check_level(CompatibilityLevel::Full, &new, &[v1]);
        assert!(
            messages.contains(&"{oldSchemaVersion: 1}".to_string()),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"{validateFields: 'false', compatibility: 'FULL'}".to_string()),
            "{messages:?}"
        );

        // Transitive levels look past the latest version: v2 added `email` with a
        // default, the new schema drops the default. Fine against v2's data, not v1's.
        let v2 = PreviousVersion {
            version: 2,
            schema: WITH_DEFAULT,
        };
        assert!(check_level(CompatibilityLevel::Backward, &new, &[v2, v1]).is_empty());
        let transitive = check_level(CompatibilityLevel::BackwardTransitive, &new, &[v2, v1]);
        assert!(
            transitive.contains(&"{oldSchemaVersion: 1}".to_string()),
            "{transitive:?}"
        );
    }
}
