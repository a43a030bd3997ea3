//! Connector config files: Java `.properties` and Kafka Connect REST JSON.
//!
//! Users migrating from Kafka Connect already keep their connector configs in one of two
//! forms: the `.properties` files `connect-standalone` takes on its command line, or the
//! JSON bodies they `curl -X POST /connectors`. Both `connectctl` and `connectd` read those
//! files through this module so that a file means the same thing everywhere, and means what
//! it meant to Kafka Connect:
//!
//! - [`parse_properties`] follows `java.util.Properties.load` (JDK 9 and later) rule for
//!   rule: comments, the three separators, line continuations, escapes, duplicates.
//! - [`parse_json_config`] accepts both JSON shapes Kafka Connect users have
//!   (`{"name": ..., "config": {...}}` and a flat map) and turns numbers and booleans into
//!   text the way Kafka's REST API does.
//! - [`load_connector_file`] picks the format by file extension and extracts the name.

use std::path::{Path, PathBuf};

use crate::config::Properties;

/// Why a connector config file or text could not be turned into a config.
///
/// Messages name the line (and, through [`ConfigFileError::InFile`], the file) so a user can
/// go straight to the mistake.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// The file could not be read (missing, a directory, no permission).
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },

    /// A problem inside a file; `error` says what and where.
    ///
    /// The inner error is part of this message (and deliberately not a `source`), so a
    /// single line such as `conn.properties: line 3: malformed \uxxxx escape` says it all.
    #[error("{}: {error}", path.display())]
    InFile {
        /// The file the problem is in.
        path: PathBuf,
        /// The problem.
        error: Box<ConfigFileError>,
    },

    /// A `\u` escape not followed by four hexadecimal digits (Java throws
    /// `IllegalArgumentException: Malformed \uxxxx encoding.` for the same input).
    #[error("line {line}: malformed \\uxxxx escape `{escape}`")]
    MalformedUnicodeEscape {
        /// The line the logical line containing the escape starts on, 1-based.
        line: usize,
        /// The escape as written, up to where it went wrong.
        escape: String,
    },

    /// `\uXXXX` escapes that leave half of a UTF-16 surrogate pair on its own. Java keeps
    /// such a string; Rust strings cannot hold it, so it is refused rather than altered.
    #[error(
        "line {line}: a \\uXXXX escape is half of a UTF-16 surrogate pair without its other half"
    )]
    UnpairedSurrogate {
        /// The line the logical line containing the escape starts on, 1-based.
        line: usize,
    },

    /// The text is not JSON. The message carries serde_json's line and column.
    #[error("invalid JSON: {0}")]
    Json(#[source] serde_json::Error),

    /// The JSON document is valid but not an object.
    #[error(
        "the JSON document is {found}, expected an object: {{\"name\": ..., \"config\": {{...}}}} or a flat map of config keys"
    )]
    NotAnObject {
        /// The JSON type found instead (`an array`, `a string`, ...).
        found: &'static str,
    },

    /// `config` is present but is not an object of config keys.
    #[error("`config` is {found}, expected an object of config keys")]
    ConfigNotAnObject {
        /// The JSON type found instead.
        found: &'static str,
    },

    /// A config value that is an array or an object: connector configs are flat string maps.
    #[error(
        "`{key}` is {found}; config values must be strings, numbers or booleans (only `config` may hold an object)"
    )]
    UnsupportedValue {
        /// The key holding the value (`config.` prefixed when nested).
        key: String,
        /// The JSON type found.
        found: &'static str,
    },

    /// A config value that is `null`. Kafka Connect has no "unset" value in a config: leaving
    /// the key out is how a default is requested.
    #[error("`{key}` is null; leave the key out to use its default")]
    NullValue {
        /// The key holding the null (`config.` prefixed when nested).
        key: String,
    },

    /// A top-level key next to `config` other than `name`.
    #[error("unexpected top-level key `{key}` next to `config`: {hint}")]
    UnexpectedKey {
        /// The key.
        key: String,
        /// What to do instead.
        hint: &'static str,
    },

    /// `name` and `config.name` disagree (Kafka Connect rejects this too).
    #[error("`name` is {outer:?} but `config.name` is {inner:?}; they must be equal")]
    NameMismatch {
        /// The top-level `name`.
        outer: String,
        /// The `name` inside `config`.
        inner: String,
    },

    /// The file gives no connector name.
    #[error(
        "no connector name: the file must set `name` (a `name=...` line, or a \"name\" JSON key)"
    )]
    MissingName,
}

/// A connector config file's contents: the connector's name and its configuration.
///
/// This is what `connect-standalone connector.properties` and
/// `curl -X POST /connectors -d @connector.json` both describe, so the CLI's
/// `create --file` and `connectd`'s startup configs share it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorFile {
    /// The connector's name, from the file's `name` key.
    pub name: String,
    /// The whole configuration, `name` included, as Kafka Connect keeps it.
    pub config: Properties,
}

/// Reads a connector config file, choosing the format by extension: `.json` (any case) is
/// parsed by [`parse_json_config`], anything else by [`parse_properties`].
///
/// The name comes from the `name` key; a file without one (or with an empty one) is an
/// error naming the file. Reading works as in [`load_config_file`].
pub fn load_connector_file(path: &Path) -> Result<ConnectorFile, ConfigFileError> {
    let config = load_config_file(path)?;
    let name = match config.get("name") {
        Some(name) if !name.trim().is_empty() => name.clone(),
        _ => {
            return Err(ConfigFileError::InFile {
                path: path.to_path_buf(),
                error: Box::new(ConfigFileError::MissingName),
            });
        }
    };
    Ok(ConnectorFile { name, config })
}

/// Reads a config file without requiring a `name`, for configs that are not a connector
/// of their own: a config to validate, or one whose name is given elsewhere (a command
/// line argument, a URL).
///
/// `.json` (any case) is parsed by [`parse_json_config`], anything else by
/// [`parse_properties`]. A UTF-8 byte order mark is skipped. A `.properties` file that is
/// not valid UTF-8 is read as ISO-8859-1, the encoding `java.util.Properties.load(InputStream)`
/// (and so `connect-standalone`) uses. Errors name the file.
pub fn load_config_file(path: &Path) -> Result<Properties, ConfigFileError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigFileError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let in_file = |error: ConfigFileError| ConfigFileError::InFile {
        path: path.to_path_buf(),
        error: Box::new(error),
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let is_json = path
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    if is_json {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| in_file(ConfigFileError::Json(e)))?;
        config_from_json(value).map_err(in_file)
    } else {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            // ISO-8859-1 maps every byte to the code point of the same value.
            Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
        };
        parse_properties(&text).map_err(in_file)
    }
}

/// Parses `.properties` text exactly as `java.util.Properties.load` (JDK 9 and later) does.
///
/// - Lines end with `\n`, `\r` or `\r\n`. Leading whitespace (space, tab, form feed) is
///   skipped; blank lines are ignored.
/// - A line whose first non-whitespace character is `#` or `!` is a comment, even if it
///   ends with a backslash.
/// - The key ends at the first unescaped `=`, `:` or whitespace. Whitespace around the
///   separator is skipped, and one `=` or `:` after whitespace is part of the separator
///   (`key : value`). A line with only a key gives an empty value.
/// - A line ending with an odd number of backslashes continues on the next line; the
///   backslash, the line break and the next line's leading whitespace are dropped.
/// - Escapes: `\t`, `\n`, `\r`, `\f`, `\uXXXX` (UTF-16 code units, surrogate pairs
///   combine); any other `\x` is `x`, so `\=`, `\:`, `\ `, `\#` and `\\` are literal.
/// - Trailing whitespace of a value is kept. A key set twice keeps the later value.
pub fn parse_properties(text: &str) -> Result<Properties, ConfigFileError> {
    let mut props = Properties::new();
    for line in logical_lines(text) {
        let (key, value) = split_key_value(&line.chars);
        let key = unescape(key, line.number)?;
        let value = unescape(value, line.number)?;
        props.insert(key, value);
    }
    Ok(props)
}

/// Parses a JSON connector config in either shape Kafka Connect users keep:
///
/// - `{"name": "...", "config": {...}}`, the body of `POST /connectors`;
/// - a flat map `{"name": "...", "connector.class": "...", ...}`, the body of
///   `PUT /connectors/{name}/config` and the output of `GET /connectors/{name}/config`.
///
/// Returns the config with `name` included (when the document names the connector), as
/// Kafka Connect stores it. Numbers and booleans become their JSON text (`1`, `1.5`, `true`),
/// as Kafka's REST API accepts them; integers keep their digits exactly, fractions are
/// written in shortest round-trip form. `null`, arrays, and objects other than `config` are
/// errors, as are other top-level keys next to `config` and a `config.name` that differs
/// from `name`.
pub fn parse_json_config(text: &str) -> Result<Properties, ConfigFileError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(ConfigFileError::Json)?;
    config_from_json(value)
}

/// The shape detection and flattening behind [`parse_json_config`].
fn config_from_json(value: serde_json::Value) -> Result<Properties, ConfigFileError> {
    let serde_json::Value::Object(top) = value else {
        return Err(ConfigFileError::NotAnObject {
            found: json_kind(&value),
        });
    };
    let Some(config) = top.get("config") else {
        // Flat map: every entry is a config key.
        let mut props = Properties::new();
        for (key, value) in &top {
            props.insert(key.clone(), scalar_text(key, value)?);
        }
        return Ok(props);
    };
    let serde_json::Value::Object(config) = config else {
        return Err(ConfigFileError::ConfigNotAnObject {
            found: json_kind(config),
        });
    };
    let mut props = Properties::new();
    for (key, value) in config {
        props.insert(key.clone(), scalar_text(&format!("config.{key}"), value)?);
    }
    for (key, value) in &top {
        match key.as_str() {
            "config" => {}
            "name" => {
                let outer = scalar_text(key, value)?;
                match props.get("name") {
                    Some(inner) if *inner != outer => {
                        return Err(ConfigFileError::NameMismatch {
                            outer,
                            inner: inner.clone(),
                        });
                    }
                    _ => {
                        props.insert("name".to_owned(), outer);
                    }
                }
            }
            "initial_state" => {
                return Err(ConfigFileError::UnexpectedKey {
                    key: key.clone(),
                    hint: "a connector file holds `name` and `config` only; \
                           give the initial state on the command line (`--initial-state`)",
                });
            }
            _ => {
                return Err(ConfigFileError::UnexpectedKey {
                    key: key.clone(),
                    hint: "a connector file holds `name` and `config` only; \
                           put connector settings inside `config`",
                });
            }
        }
    }
    Ok(props)
}

/// The text of a scalar config value, or the error for a value a config cannot hold.
fn scalar_text(key: &str, value: &serde_json::Value) -> Result<String, ConfigFileError> {
    match value {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        serde_json::Value::Bool(b) => Ok(b.to_string()),
        serde_json::Value::Null => Err(ConfigFileError::NullValue {
            key: key.to_owned(),
        }),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
            Err(ConfigFileError::UnsupportedValue {
                key: key.to_owned(),
                found: json_kind(value),
            })
        }
    }
}

/// The JSON type of a value, with its article, for error messages.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// One logical line of a properties file: continuations joined, not yet unescaped.
struct LogicalLine {
    /// The 1-based physical line it starts on.
    number: usize,
    /// Its characters, escapes still in place.
    chars: Vec<char>,
}

/// Whitespace as `Properties.load` knows it: space, tab and form feed (not line breaks).
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0c')
}

/// Splits text into logical lines, a port of the JDK's `Properties.LineReader.readLine`.
///
/// Kept close to the original's structure on purpose (flags and all): its corner cases,
/// such as a continuation into an empty line, a comment after a line holding only a
/// backslash, or `\r\n` after a continuation, are defined by that code, not by any spec.
fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines = Vec::new();
    let mut pos = 0;
    // The physical line `chars[pos]` is on.
    let mut physical = 1;
    // Counts a line break just consumed at `chars[at]`; `\r\n` counts once, on its `\n`.
    let count_break = |at: usize, physical: &mut usize| {
        if chars[at] == '\n' || chars.get(at + 1) != Some(&'\n') {
            *physical += 1;
        }
    };

    loop {
        let mut buf: Vec<char> = Vec::new();
        let mut start = physical;
        let mut skip_white_space = true;
        let mut appended_line_begin = false;
        let mut preceding_backslash = false;
        loop {
            let Some(&c) = chars.get(pos) else {
                if buf.is_empty() {
                    return lines;
                }
                if preceding_backslash {
                    buf.pop();
                }
                lines.push(LogicalLine {
                    number: start,
                    chars: buf,
                });
                return lines;
            };
            pos += 1;

            if skip_white_space {
                if is_blank(c) {
                    continue;
                }
                if !appended_line_begin && (c == '\r' || c == '\n') {
                    count_break(pos - 1, &mut physical);
                    continue;
                }
                skip_white_space = false;
                appended_line_begin = false;
            }
            if buf.is_empty() {
                // Still on a new logical line.
                start = physical;
                if c == '#' || c == '!' {
                    // A comment: consume the rest of the physical line.
                    loop {
                        let Some(&c) = chars.get(pos) else {
                            return lines;
                        };
                        pos += 1;
                        if c == '\r' || c == '\n' {
                            count_break(pos - 1, &mut physical);
                            break;
                        }
                    }
                    skip_white_space = true;
                    continue;
                }
            }

            if c != '\n' && c != '\r' {
                buf.push(c);
                preceding_backslash = c == '\\' && !preceding_backslash;
                continue;
            }
            // End of a physical line.
            count_break(pos - 1, &mut physical);
            if buf.is_empty() {
                skip_white_space = true;
                continue;
            }
            if pos >= chars.len() {
                if preceding_backslash {
                    buf.pop();
                }
                lines.push(LogicalLine {
                    number: start,
                    chars: buf,
                });
                return lines;
            }
            if preceding_backslash {
                // The backslash is not part of the line; the next line continues it.
                buf.pop();
                skip_white_space = true;
                appended_line_begin = true;
                preceding_backslash = false;
                if c == '\r' && chars.get(pos) == Some(&'\n') {
                    count_break(pos, &mut physical);
                    pos += 1;
                }
            } else {
                lines.push(LogicalLine {
                    number: start,
                    chars: buf,
                });
                break;
            }
        }
    }
}

/// Splits a logical line into its (still escaped) key and value, as `Properties.load0`.
fn split_key_value(line: &[char]) -> (&[char], &[char]) {
    let mut key_len = 0;
    let mut value_start = line.len();
    let mut has_separator = false;
    let mut preceding_backslash = false;
    while key_len < line.len() {
        let c = line[key_len];
        if (c == '=' || c == ':') && !preceding_backslash {
            value_start = key_len + 1;
            has_separator = true;
            break;
        } else if is_blank(c) && !preceding_backslash {
            value_start = key_len + 1;
            break;
        }
        preceding_backslash = c == '\\' && !preceding_backslash;
        key_len += 1;
    }
    while value_start < line.len() {
        let c = line[value_start];
        if !is_blank(c) {
            if !has_separator && (c == '=' || c == ':') {
                has_separator = true;
            } else {
                break;
            }
        }
        value_start += 1;
    }
    (&line[..key_len], &line[value_start..])
}

/// Resolves escapes, as `Properties.loadConvert`. Works in UTF-16 code units like Java, so
/// that `\uD83D\uDE00` (a surrogate pair) becomes one character.
fn unescape(chars: &[char], line: usize) -> Result<String, ConfigFileError> {
    let mut units: Vec<u16> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        // A lone trailing backslash cannot reach here (line reading drops it); ignore it.
        let Some(&escaped) = chars.get(i) else {
            break;
        };
        i += 1;
        let resolved = match escaped {
            'u' => {
                let digits = &chars[i..chars.len().min(i + 4)];
                let value = (digits.len() == 4)
                    .then(|| {
                        digits
                            .iter()
                            .try_fold(0u16, |acc, d| Some(acc * 16 + d.to_digit(16)? as u16))
                    })
                    .flatten();
                let Some(value) = value else {
                    let bad = digits
                        .iter()
                        .position(|d| !d.is_ascii_hexdigit())
                        .map_or(digits.len(), |p| p + 1);
                    return Err(ConfigFileError::MalformedUnicodeEscape {
                        line,
                        escape: std::iter::once("\\u".to_owned())
                            .chain(digits[..bad].iter().map(char::to_string))
                            .collect(),
                    });
                };
                i += 4;
                units.push(value);
                continue;
            }
            't' => '\t',
            'r' => '\r',
            'n' => '\n',
            'f' => '\x0c',
            other => other,
        };
        let mut buf = [0u16; 2];
        units.extend_from_slice(resolved.encode_utf16(&mut buf));
    }
    String::from_utf16(&units).map_err(|_| ConfigFileError::UnpairedSurrogate { line })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(text: &str) -> Properties {
        parse_properties(text).unwrap()
    }

    fn map(pairs: &[(&str, &str)]) -> Properties {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    // --- separators ---

    #[test]
    fn equals_colon_and_whitespace_all_separate_key_from_value() {
        assert_eq!(
            props("a=1\nb:2\nc 3\nd\t4\ne\x0c5\n"),
            map(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4"), ("e", "5")])
        );
    }

    #[test]
    fn whitespace_around_the_separator_is_skipped() {
        assert_eq!(
            props("a = 1\nb   :   2\nc\t=\t3\n"),
            map(&[("a", "1"), ("b", "2"), ("c", "3")])
        );
    }

    #[test]
    fn one_equals_or_colon_after_whitespace_belongs_to_the_separator() {
        // Java: "key : = value" has separator " : " and value "= value".
        assert_eq!(props("key : = value"), map(&[("key", "= value")]));
        assert_eq!(props("key :=value"), map(&[("key", "=value")]));
        assert_eq!(props("key==value"), map(&[("key", "=value")]));
        assert_eq!(props("key=:value"), map(&[("key", ":value")]));
        assert_eq!(props("key = =value"), map(&[("key", "=value")]));
    }

    #[test]
    fn a_key_alone_has_an_empty_value() {
        assert_eq!(
            props("alone\nwith.equals=\nwith.space   \n"),
            map(&[("alone", ""), ("with.equals", ""), ("with.space", "")])
        );
    }

    #[test]
    fn a_line_starting_with_a_separator_has_an_empty_key() {
        assert_eq!(props("=value"), map(&[("", "value")]));
        assert_eq!(props(":value"), map(&[("", "value")]));
    }

    #[test]
    fn separators_inside_the_value_are_kept() {
        assert_eq!(
            props("url=jdbc:postgresql://db:5432/x?a=b c"),
            map(&[("url", "jdbc:postgresql://db:5432/x?a=b c")])
        );
    }

    #[test]
    fn escaped_separators_belong_to_the_key() {
        assert_eq!(
            props("a\\=b=c\nd\\:e:f\ng\\ h i\nj\\\tk l"),
            map(&[("a=b", "c"), ("d:e", "f"), ("g h", "i"), ("j\tk", "l")])
        );
    }

    // --- whitespace, blank lines, comments ---

    #[test]
    fn leading_whitespace_is_skipped_and_trailing_whitespace_of_values_kept() {
        assert_eq!(
            props("   \t\x0ckey=value  \t"),
            map(&[("key", "value  \t")])
        );
    }

    #[test]
    fn an_escaped_leading_space_in_a_value_is_kept() {
        assert_eq!(props("key=\\  value"), map(&[("key", "  value")]));
    }

    #[test]
    fn blank_and_whitespace_only_lines_are_ignored() {
        assert_eq!(
            props("\n\n   \n\t\na=1\n\n\x0c\nb=2\n\n"),
            map(&[("a", "1"), ("b", "2")])
        );
        assert_eq!(props(""), Properties::new());
        assert_eq!(props("  \n \r\n"), Properties::new());
    }

    #[test]
    fn hash_and_bang_start_comments_even_after_whitespace() {
        assert_eq!(
            props("# comment\n! also=comment\n   # indented\n\t!tabbed\na=1"),
            map(&[("a", "1")])
        );
    }

    #[test]
    fn a_hash_inside_a_value_is_not_a_comment() {
        assert_eq!(
            props("a=1 # not a comment\nb=#2"),
            map(&[("a", "1 # not a comment"), ("b", "#2")])
        );
    }

    #[test]
    fn an_escaped_hash_starts_a_key() {
        assert_eq!(props("\\#key=value"), map(&[("#key", "value")]));
    }

    #[test]
    fn a_comment_ending_with_a_backslash_does_not_continue() {
        assert_eq!(
            props("# comment \\\nkey=value\n! bang \\\r\nother=x"),
            map(&[("key", "value"), ("other", "x")])
        );
    }

    #[test]
    fn a_comment_on_the_last_line_without_a_line_break_is_ignored() {
        assert_eq!(props("a=1\n# last"), map(&[("a", "1")]));
    }

    // --- line breaks and continuations ---

    #[test]
    fn lf_crlf_and_cr_all_end_lines() {
        assert_eq!(
            props("a=1\r\nb=2\rc=3\nd=4"),
            map(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")])
        );
    }

    #[test]
    fn a_trailing_backslash_continues_and_drops_the_next_lines_indent() {
        assert_eq!(
            props("fruits=apple, banana, \\\n        pear, \\\n\t cantaloupe\nnext=1"),
            map(&[("fruits", "apple, banana, pear, cantaloupe"), ("next", "1")])
        );
    }

    #[test]
    fn continuations_work_with_crlf_and_cr() {
        assert_eq!(
            props("a=1\\\r\n  2\r\nb=3\\\r  4\rc=5"),
            map(&[("a", "12"), ("b", "34"), ("c", "5")])
        );
    }

    #[test]
    fn an_even_number_of_backslashes_does_not_continue() {
        assert_eq!(
            props("path=C:\\\\\nnext=1"),
            map(&[("path", "C:\\"), ("next", "1")])
        );
        assert_eq!(props("a=x\\\\\\\ny"), map(&[("a", "x\\y")]));
    }

    #[test]
    fn a_continuation_into_an_empty_line_ends_the_value() {
        assert_eq!(props("a=1\\\n\nb=2"), map(&[("a", "1"), ("b", "2")]));
    }

    #[test]
    fn a_backslash_at_end_of_input_is_dropped() {
        assert_eq!(props("a=1\\"), map(&[("a", "1")]));
        assert_eq!(props("a=1\\\n"), map(&[("a", "1")]));
        assert_eq!(props("a=1\\\n   "), map(&[("a", "1")]));
    }

    #[test]
    fn a_continued_line_starting_with_hash_is_not_a_comment() {
        assert_eq!(props("a=1\\\n# 2"), map(&[("a", "1# 2")]));
    }

    #[test]
    fn a_line_holding_only_a_backslash_lets_a_following_comment_start_fresh() {
        // JDK 9+ LineReader: the joined line is still empty when `#` arrives.
        assert_eq!(props("\\\n# comment\na=1"), map(&[("a", "1")]));
    }

    #[test]
    fn a_continuation_can_split_a_key_from_its_separator() {
        assert_eq!(props("key\\\n   =value"), map(&[("key", "value")]));
        assert_eq!(props("ke\\\n  y=value"), map(&[("key", "value")]));
    }

    // --- escapes ---

    #[test]
    fn control_escapes_are_resolved_in_keys_and_values() {
        assert_eq!(
            props("k\\ty=a\\tb\\nc\\rd\\fe"),
            map(&[("k\ty", "a\tb\nc\rd\x0ce")])
        );
    }

    #[test]
    fn unicode_escapes_are_resolved_and_surrogate_pairs_combine() {
        assert_eq!(
            props("k\\u0041=\\u00e9t\\u00C9 \\uD83D\\uDE00"),
            map(&[("kA", "étÉ 😀")])
        );
    }

    #[test]
    fn any_other_escaped_character_stands_for_itself() {
        // Java has no `\b`, `\"` or `\'` escapes: the backslash is just dropped.
        assert_eq!(
            props("a=\\b\\\"\\'\\\\\\x\\=\\:"),
            map(&[("a", "b\"'\\x=:")])
        );
    }

    #[test]
    fn non_ascii_text_is_taken_as_is() {
        assert_eq!(props("ключ=значение ✓"), map(&[("ключ", "значение ✓")]));
    }

    #[test]
    fn a_short_unicode_escape_is_an_error_naming_the_line() {
        let err = parse_properties("a=1\n\nb=\\u12").unwrap_err();
        assert!(
            matches!(&err, ConfigFileError::MalformedUnicodeEscape { line: 3, escape } if escape == "\\u12"),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "line 3: malformed \\uxxxx escape `\\u12`");
    }

    #[test]
    fn a_non_hex_unicode_escape_is_an_error() {
        let err = parse_properties("a=\\u12G4").unwrap_err();
        assert!(
            matches!(&err, ConfigFileError::MalformedUnicodeEscape { line: 1, escape } if escape == "\\u12G"),
            "{err:?}"
        );
    }

    #[test]
    fn error_lines_count_continuations_and_crlf() {
        let err = parse_properties("a=1\\\r\n  2\r\n# c\r\nb=\\uZZZZ").unwrap_err();
        assert!(
            matches!(err, ConfigFileError::MalformedUnicodeEscape { line: 4, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn a_lone_surrogate_is_refused() {
        let err = parse_properties("a=1\nb=\\uD83D").unwrap_err();
        assert!(
            matches!(err, ConfigFileError::UnpairedSurrogate { line: 2 }),
            "{err:?}"
        );
    }

    // --- duplicates and a realistic file ---

    #[test]
    fn a_later_duplicate_wins() {
        assert_eq!(props("a=1\nb=2\na=3"), map(&[("a", "3"), ("b", "2")]));
    }

    #[test]
    fn parses_kafkas_connect_file_source_example() {
        let text = "# Licensed to the Apache Software Foundation (ASF)\n\
                    name=local-file-source\n\
                    connector.class=FileStreamSource\n\
                    tasks.max=1\n\
                    file=test.txt\n\
                    topic=connect-test";
        assert_eq!(
            props(text),
            map(&[
                ("connector.class", "FileStreamSource"),
                ("file", "test.txt"),
                ("name", "local-file-source"),
                ("tasks.max", "1"),
                ("topic", "connect-test"),
            ])
        );
    }

    // --- JSON ---

    #[test]
    fn json_with_name_and_config_puts_the_name_into_the_config() {
        let config = parse_json_config(
            r#"{"name": "src", "config": {"connector.class": "FileStreamSource", "tasks.max": "1"}}"#,
        )
        .unwrap();
        assert_eq!(
            config,
            map(&[
                ("connector.class", "FileStreamSource"),
                ("name", "src"),
                ("tasks.max", "1")
            ])
        );
    }

    #[test]
    fn json_flat_map_is_the_config() {
        let config =
            parse_json_config(r#"{"name": "src", "connector.class": "FileStreamSource"}"#).unwrap();
        assert_eq!(
            config,
            map(&[("connector.class", "FileStreamSource"), ("name", "src")])
        );
    }

    #[test]
    fn json_numbers_and_booleans_become_text() {
        let config = parse_json_config(
            r#"{"config": {"tasks.max": 3, "big": 18446744073709551615, "neg": -7,
                "ratio": 0.25, "exp": 1e3, "flag": true, "off": false}}"#,
        )
        .unwrap();
        assert_eq!(
            config,
            map(&[
                ("big", "18446744073709551615"),
                ("exp", "1000.0"),
                ("flag", "true"),
                ("neg", "-7"),
                ("off", "false"),
                ("ratio", "0.25"),
                ("tasks.max", "3"),
            ])
        );
    }

    #[test]
    fn json_config_name_equal_to_name_is_accepted() {
        let config = parse_json_config(r#"{"name": "a", "config": {"name": "a"}}"#).unwrap();
        assert_eq!(config, map(&[("name", "a")]));
    }

    #[test]
    fn json_config_name_different_from_name_is_an_error() {
        let err = parse_json_config(r#"{"name": "a", "config": {"name": "b"}}"#).unwrap_err();
        assert!(
            matches!(err, ConfigFileError::NameMismatch { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn json_nested_objects_other_than_config_are_errors() {
        let err = parse_json_config(r#"{"name": "a", "nested": {"x": "1"}}"#).unwrap_err();
        assert!(
            matches!(&err, ConfigFileError::UnsupportedValue { key, found: "an object" } if key == "nested"),
            "{err:?}"
        );
        let err = parse_json_config(r#"{"config": {"x": {"y": 1}}}"#).unwrap_err();
        assert!(
            matches!(&err, ConfigFileError::UnsupportedValue { key, .. } if key == "config.x"),
            "{err:?}"
        );
        let err = parse_json_config(r#"{"topics": ["a", "b"]}"#).unwrap_err();
        assert!(
            matches!(
                &err,
                ConfigFileError::UnsupportedValue {
                    found: "an array",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn json_null_values_are_errors() {
        let err = parse_json_config(r#"{"config": {"x": null}}"#).unwrap_err();
        assert!(
            matches!(&err, ConfigFileError::NullValue { key } if key == "config.x"),
            "{err:?}"
        );
    }

    #[test]
    fn json_config_must_be_an_object() {
        let err = parse_json_config(r#"{"name": "a", "config": "x=1"}"#).unwrap_err();
        assert!(
            matches!(
                err,
                ConfigFileError::ConfigNotAnObject { found: "a string" }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn json_other_top_level_keys_next_to_config_are_errors() {
        let err =
            parse_json_config(r#"{"name": "a", "config": {}, "tasks.max": "1"}"#).unwrap_err();
        assert!(
            matches!(&err, ConfigFileError::UnexpectedKey { key, .. } if key == "tasks.max"),
            "{err:?}"
        );
        let err = parse_json_config(r#"{"name": "a", "config": {}, "initial_state": "PAUSED"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("--initial-state"), "{err}");
    }

    #[test]
    fn json_that_is_not_an_object_or_not_json_is_an_error() {
        let err = parse_json_config("[1]").unwrap_err();
        assert!(
            matches!(err, ConfigFileError::NotAnObject { found: "an array" }),
            "{err:?}"
        );
        let err = parse_json_config("{\n  \"a\": }").unwrap_err();
        assert!(matches!(err, ConfigFileError::Json(_)), "{err:?}");
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    // --- files ---

    /// A scratch directory removed on drop (the crate has no `tempfile` dependency).
    struct ScratchDir(PathBuf);

    impl ScratchDir {
        fn new(test: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "connect-core-config-file-{}-{test}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        fn write(&self, name: &str, contents: &[u8]) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, contents).unwrap();
            path
        }
    }

    impl Drop for ScratchDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn loads_a_properties_file_with_its_name() {
        let dir = ScratchDir::new("props");
        let path = dir.write(
            "src.properties",
            b"name=src\nconnector.class=FileStreamSource\n",
        );
        let file = load_connector_file(&path).unwrap();
        assert_eq!(file.name, "src");
        assert_eq!(
            file.config,
            map(&[("connector.class", "FileStreamSource"), ("name", "src")])
        );
    }

    #[test]
    fn loads_a_json_file_by_extension_in_any_case() {
        let dir = ScratchDir::new("json");
        let path = dir.write(
            "sink.JSON",
            br#"{"name": "sink", "config": {"connector.class": "FileStreamSink"}}"#,
        );
        let file = load_connector_file(&path).unwrap();
        assert_eq!(file.name, "sink");
        assert_eq!(file.config["connector.class"], "FileStreamSink");
    }

    #[test]
    fn any_other_extension_is_read_as_properties() {
        let dir = ScratchDir::new("other-ext");
        let path = dir.write("conn.conf", b"name: conn\n");
        assert_eq!(load_connector_file(&path).unwrap().name, "conn");
        let path = dir.write("noext", b"name conn2\n");
        assert_eq!(load_connector_file(&path).unwrap().name, "conn2");
    }

    #[test]
    fn a_utf8_byte_order_mark_is_skipped() {
        let dir = ScratchDir::new("bom");
        let path = dir.write("a.properties", b"\xEF\xBB\xBFname=a\n");
        assert_eq!(
            load_connector_file(&path).unwrap().config,
            map(&[("name", "a")])
        );
        let path = dir.write("a.json", b"\xEF\xBB\xBF{\"name\": \"a\"}");
        assert_eq!(load_connector_file(&path).unwrap().name, "a");
    }

    #[test]
    fn a_properties_file_that_is_not_utf8_is_read_as_latin1() {
        let dir = ScratchDir::new("latin1");
        let path = dir.write("a.properties", b"name=caf\xE9\n");
        assert_eq!(load_connector_file(&path).unwrap().name, "café");
    }

    #[test]
    fn a_file_without_a_name_is_an_error_naming_the_file() {
        let dir = ScratchDir::new("noname");
        let path = dir.write("anon.properties", b"connector.class=X\n");
        let err = load_connector_file(&path).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("anon.properties"), "{message}");
        assert!(message.contains("no connector name"), "{message}");
        let path = dir.write("empty-name.json", br#"{"name": " ", "config": {}}"#);
        let err = load_connector_file(&path).unwrap_err();
        assert!(err.to_string().contains("empty-name.json"), "{err}");
    }

    #[test]
    fn errors_inside_a_file_name_the_file_and_the_line() {
        let dir = ScratchDir::new("bad");
        let path = dir.write("bad.properties", b"name=a\nx=\\u00\n");
        let message = load_connector_file(&path).unwrap_err().to_string();
        assert!(
            message.ends_with("bad.properties: line 2: malformed \\uxxxx escape `\\u00`"),
            "{message}"
        );
        let path = dir.write("bad.json", b"{\"name\": \"a\",\n\"x\": }");
        let message = load_connector_file(&path).unwrap_err().to_string();
        assert!(message.contains("bad.json: invalid JSON"), "{message}");
        assert!(message.contains("line 2"), "{message}");
    }

    #[test]
    fn a_config_file_needs_no_name() {
        let dir = ScratchDir::new("config-only");
        let path = dir.write("c.properties", b"connector.class=X\n");
        assert_eq!(
            load_config_file(&path).unwrap(),
            map(&[("connector.class", "X")])
        );
    }

    #[test]
    fn a_missing_file_is_a_read_error_naming_it() {
        let err = load_connector_file(Path::new("/nonexistent/dir/c.properties")).unwrap_err();
        assert!(matches!(err, ConfigFileError::Read { .. }), "{err:?}");
        assert!(
            err.to_string().contains("/nonexistent/dir/c.properties"),
            "{err}"
        );
    }
}
