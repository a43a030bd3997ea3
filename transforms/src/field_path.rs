//! Field paths into structs and schemaless maps, as Kafka's `SingleFieldPath` (KIP-821).
//!
//! With `field.syntax.version=V1` (the default, for compatibility) a path is one top-level
//! field name, dots included. With `V2` dots separate nested steps and a step containing dots
//! is wrapped in backticks (`` `a.b`.c ``), a backtick inside such a step being escaped with a
//! backslash. Paths are parsed once at configuration time, so a malformed one is a config
//! error rather than a per-record failure.

use connect_core::config::{ConfigKey, ConfigType, ConfigValue, Importance, Validator};
use connect_core::{ConnectError, Field, Result, Schema, Struct, Value};

use crate::requirements::{require_map_or_null, require_struct_or_null};
use crate::schema_util::{field_value, lookup_field};
use crate::schemaless;

/// The setting that selects the path syntax.
pub const FIELD_SYNTAX_VERSION_CONFIG: &str = "field.syntax.version";

/// How field paths are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldSyntaxVersion {
    /// A path is one top-level field name, taken literally.
    V1,
    /// Dotted paths into nested structs and maps, with backticks around dotted names.
    V2,
}

impl FieldSyntaxVersion {
    /// The `field.syntax.version` setting, declared as Kafka's SMTs declare it.
    pub fn config_key() -> ConfigKey {
        ConfigKey::new(
            FIELD_SYNTAX_VERSION_CONFIG,
            ConfigType::String,
            Importance::High,
            "Syntax of field paths. V1 (the default) names top-level fields only, a dot being part of the name. V2 reads dots as steps into nested structs or maps; wrap a name that contains dots in backticks, e.g. `foo.bar`.baz for the field baz inside the field named foo.bar.",
        )
        .with_default(ConfigValue::String("V1".into()))
        .with_validator(Validator::OneOfIgnoreCase(vec!["V1".into(), "V2".into()]))
    }

    /// Reads the (already validated) setting; unknown text falls back to Kafka's message.
    pub fn from_setting(text: Option<&str>) -> Result<Self> {
        match text.unwrap_or("V1") {
            v if v.eq_ignore_ascii_case("V1") => Ok(Self::V1),
            v if v.eq_ignore_ascii_case("V2") => Ok(Self::V2),
            other => Err(ConnectError::invalid_config_value(
                FIELD_SYNTAX_VERSION_CONFIG,
                other,
                "Unrecognized field syntax version",
            )),
        }
    }
}

/// A path of one or more steps to a field of a struct or a map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleFieldPath {
    steps: Vec<String>,
}

impl SingleFieldPath {
    /// Parses `path` with the given syntax.
    pub fn parse(path: &str, version: FieldSyntaxVersion) -> Result<Self> {
        let steps = match version {
            FieldSyntaxVersion::V1 => vec![path.to_string()],
            FieldSyntaxVersion::V2 => parse_v2(path)?,
        };
        Ok(Self { steps })
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[String] {
        &self.steps
    }

    fn split_last(&self) -> (&[String], &str) {
        match self.steps.split_last() {
            Some((last, parents)) => (parents, last),
            None => (&[], ""),
        }
    }

    /// The field the path names in `schema`, or `None` when a step is missing. A step into
    /// a schema that is not a struct fails as Kafka's `Schema.field` does.
    pub fn field_from<'a>(&self, schema: &'a Schema) -> Result<Option<&'a Field>> {
        let (parents, last) = self.split_last();
        let mut current = schema;
        for step in parents {
            match lookup_field(current, step)? {
                Some(field) => current = field.schema(),
                None => return Ok(None),
            }
        }
        lookup_field(current, last)
    }

    /// The value at the path in a struct; null when a step is missing or null.
    pub fn value_from_struct(&self, value: &Struct, with_default: bool) -> Result<Value> {
        let (parents, last) = self.split_last();
        let mut current = value;
        for step in parents {
            if current.schema().field(step).is_none() {
                return Ok(Value::Null);
            }
            match require_struct_or_null(current.get(step)?, "nested field access")? {
                Some(inner) => current = inner,
                None => return Ok(Value::Null),
            }
        }
        if current.schema().field(last).is_none() {
            return Ok(Value::Null);
        }
        field_value(current, last, with_default)
    }

    /// The value at the path in a schemaless map; null when a step is missing or null.
    pub fn value_from_map(&self, entries: &[(Value, Value)]) -> Result<Value> {
        let (parents, last) = self.split_last();
        let mut current = entries;
        for step in parents {
            let next = schemaless::get(current, step).unwrap_or(&Value::Null);
            match require_map_or_null(next, "nested field access")? {
                Some(inner) => current = inner,
                None => return Ok(Value::Null),
            }
        }
        Ok(schemaless::get_or_null(current, last))
    }
}

/// Splits a V2 path at dots, honouring backtick-quoted steps (Kafka's exact algorithm,
/// including its treatment of backticks that are not followed by a dot).
fn parse_v2(path: &str) -> Result<Vec<String>> {
    const BACKTICK: char = '`';
    const DOT: char = '.';
    let chars: Vec<char> = path.chars().collect();
    let find = |from: usize, wanted: char| {
        chars
            .iter()
            .skip(from)
            .position(|c| *c == wanted)
            .map(|p| p + from)
    };
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let mut steps = Vec::new();
    let mut idx = 0;
    while idx < chars.len() {
        if chars[idx] != BACKTICK {
            let start = idx;
            match find(idx, DOT) {
                Some(dot) => {
                    steps.push(text(start, dot));
                    idx = dot + 1;
                }
                None => {
                    steps.push(text(start, chars.len()));
                    idx = chars.len();
                }
            }
            continue;
        }
        let backtick_at = idx;
        idx += 1;
        let mut field = String::new();
        let mut start = idx;
        loop {
            let Some(closing) = find(idx, BACKTICK) else {
                return Err(incomplete_backtick_pair(path, backtick_at));
            };
            idx = closing;
            let escaped = chars[idx - 1] == '\\';
            if idx + 1 >= chars.len() {
                if escaped {
                    return Err(incomplete_backtick_pair(path, backtick_at));
                }
                field.push_str(&text(start, idx));
                steps.push(std::mem::take(&mut field));
                idx += 1;
                break;
            }
            if chars[idx + 1] != DOT {
                // Not a closing backtick: it belongs to the name; keep looking.
                idx += 1;
                continue;
            }
            if escaped {
                field.push_str(&text(start, idx - 1));
                field.push(BACKTICK);
                idx += 1;
                start = idx;
                continue;
            }
            field.push_str(&text(start, idx));
            steps.push(std::mem::take(&mut field));
            idx += 2;
            break;
        }
    }
    if path.ends_with(DOT) {
        steps.push(String::new());
    }
    Ok(steps)
}

fn incomplete_backtick_pair(path: &str, position: usize) -> ConnectError {
    ConnectError::config(format!(
        "Incomplete backtick pair in path: [{path}], consider adding a backslash before backtick at position {position} to escape it"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;

    fn v2(path: &str) -> Vec<String> {
        SingleFieldPath::parse(path, FieldSyntaxVersion::V2)
            .expect("valid path")
            .steps
    }

    #[test]
    fn v1_keeps_dots_in_the_name() {
        let path = SingleFieldPath::parse("a.b", FieldSyntaxVersion::V1).expect("v1");
        assert_eq!(path.steps(), ["a.b"]);
    }

    #[test]
    fn v2_splits_on_dots_and_respects_backticks() {
        assert_eq!(v2("a.b.c"), ["a", "b", "c"]);
        assert_eq!(v2("`a.b`.c"), ["a.b", "c"]);
        assert_eq!(v2("a.`b.c`"), ["a", "b.c"]);
        assert_eq!(v2("`a\\`.b`.c"), ["a`.b", "c"]);
        assert_eq!(v2("a`b.c"), ["a`b", "c"]);
        assert_eq!(v2("a."), ["a", ""]);
        let err = SingleFieldPath::parse("`a.b", FieldSyntaxVersion::V2).expect_err("open");
        assert_eq!(
            err.message(),
            "Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it"
        );
    }

    #[test]
    fn walks_nested_structs_and_maps() {
        let inner = SchemaBuilder::structure()
            .field("c", SchemaBuilder::string().build().expect("string"))
            .build()
            .expect("inner");
        let outer = SchemaBuilder::structure()
            .field("b", inner.clone())
            .build()
            .expect("outer");
        let value = Struct::new(outer.clone())
            .expect("outer value")
            .with(
                "b",
                Struct::new(inner)
                    .expect("inner value")
                    .with("c", "x")
                    .expect("c"),
            )
            .expect("b");
        let path = SingleFieldPath::parse("b.c", FieldSyntaxVersion::V2).expect("path");
        assert_eq!(
            path.field_from(&outer).expect("lookup").map(Field::name),
            Some("c")
        );
        assert_eq!(
            path.value_from_struct(&value, true).expect("value"),
            Value::from("x")
        );
        let missing = SingleFieldPath::parse("z.c", FieldSyntaxVersion::V2).expect("path");
        assert!(missing.field_from(&outer).expect("lookup").is_none());

        let map = vec![(
            Value::from("b"),
            Value::Map(vec![(Value::from("c"), Value::from("y"))]),
        )];
        assert_eq!(path.value_from_map(&map).expect("value"), Value::from("y"));
        assert_eq!(missing.value_from_map(&map).expect("value"), Value::Null);
    }
}
