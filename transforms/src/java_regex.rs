//! Java regular expressions (`java.util.regex.Pattern`) on top of the `regex` crate.
//!
//! Connector configs written for Kafka Connect carry Java patterns (RegexRouter's `regex`,
//! TopicNameMatches' `pattern`) and Java replacement strings (`$1`, `${name}`, `\$`). To keep
//! those configs meaning the same thing here:
//!
//! - patterns are translated where the two dialects differ: `\Q...\E` quoting, the ASCII-only
//!   `\d \w \s` classes and POSIX `\p{Lower}`-style classes, `\h`, `\v`, `\e`, octal escapes,
//!   and the Java-only inline flags (`U`, `d`) are dropped; constructs the `regex` crate cannot
//!   run (look-around, back-references, possessive quantifiers) are rejected at configuration
//!   time instead of behaving differently;
//! - common syntax errors are reported with `PatternSyntaxException`'s wording
//!   (`Dangling meta character '*' near index 0`, `Unclosed character class near index 1`)
//!   because users search for those messages;
//! - [`JavaRegex::matches`] is Java's `Matcher.matches()` (the whole input must match) and
//!   [`JavaRegex::replace_first`] is `Matcher.replaceFirst` with Java's replacement syntax
//!   and its exceptions (`IndexOutOfBoundsException: No group 2`).

use std::fmt;
use std::sync::Arc;

use connect_core::config::Validator;
use connect_core::{ConnectError, Result};
use regex::{Captures, Regex};

/// A compiled Java pattern.
#[derive(Clone)]
pub struct JavaRegex {
    pattern: String,
    /// The pattern anchored at both ends, for `matches()`.
    whole: Regex,
    /// The pattern as written, for finding the first match.
    unanchored: Regex,
}

impl fmt::Debug for JavaRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("JavaRegex").field(&self.pattern).finish()
    }
}

impl JavaRegex {
    /// Compiles a Java pattern; the error is the first line of the message Java's
    /// `PatternSyntaxException` would carry (or the `regex` crate's reason for constructs it
    /// does not support).
    pub fn compile(pattern: &str) -> std::result::Result<Self, String> {
        let translated = translate(pattern)?;
        let build = |source: &str| Regex::new(source).map_err(|e| describe_regex_error(&e));
        Ok(Self {
            pattern: pattern.to_string(),
            whole: build(&format!(r"\A(?:{translated})\z"))?,
            unanchored: build(&translated)?,
        })
    }

    /// The pattern as configured.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the whole of `text` matches (Java's `Matcher.matches()`).
    pub fn matches(&self, text: &str) -> bool {
        self.whole.is_match(text)
    }

    /// Java's `Matcher.replaceFirst(replacement)`: the first match of the pattern in `text`
    /// replaced by the expanded replacement; `text` itself when nothing matches.
    pub fn replace_first(&self, text: &str, replacement: &str) -> Result<String> {
        let Some(captures) = self.unanchored.captures(text) else {
            return Ok(text.to_string());
        };
        let Some(whole) = captures.get(0) else {
            return Ok(text.to_string());
        };
        let mut out = String::with_capacity(text.len() + replacement.len());
        out.push_str(&text[..whole.start()]);
        expand_replacement(&self.unanchored, &captures, replacement, &mut out)?;
        out.push_str(&text[whole.end()..]);
        Ok(out)
    }
}

/// A config validator accepting valid Java patterns, failing with Kafka's `RegexValidator`
/// message (`Invalid value X for configuration Y: Invalid regex: <reason>`).
pub fn validator() -> Validator {
    Validator::Custom {
        description: "valid regex".to_string(),
        check: Arc::new(|name, value| {
            let text = value.to_string();
            JavaRegex::compile(&text).map(|_| ()).map_err(|reason| {
                ConnectError::invalid_config_value(
                    name,
                    &text,
                    format_args!("Invalid regex: {reason}"),
                )
            })
        }),
    }
}

/// The reason line of a `regex` crate error (its display repeats the pattern with carets).
fn describe_regex_error(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .unwrap_or(text.lines().next().unwrap_or("invalid pattern"))
        .to_string()
}

/// Java's `PatternSyntaxException.getMessage()` first line: the description, plus
/// ` near index N` when the index is known.
fn syntax_error(description: &str, index: Option<usize>) -> String {
    match index {
        Some(i) => format!("{description} near index {i}"),
        None => description.to_string(),
    }
}

const ASCII_DIGIT: &str = "0-9";
const ASCII_WORD: &str = "0-9A-Za-z_";
const ASCII_SPACE: &str = r"\t\n\x0B\x0C\r\x20";
const HORIZONTAL_SPACE: &str =
    r"\x20\t\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}";
const VERTICAL_SPACE: &str = r"\n\x0B\x0C\r\x{85}\x{2028}\x{2029}";

/// The class members of a Java POSIX property (ASCII-only in Java by default).
fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x00-\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => r"!-/:-@\[-`{-~",
        "Graph" => r"!-~",
        "Print" => r"\x20-~",
        "Blank" => r"\x20\t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => ASCII_SPACE,
        _ => return None,
    })
}

/// Emits class members `members`, negated or not, inside or outside a character class.
fn push_class(out: &mut String, members: &str, negated: bool, in_class: bool) {
    if in_class && !negated {
        out.push_str(members);
        return;
    }
    out.push('[');
    if negated {
        out.push('^');
    }
    out.push_str(members);
    out.push(']');
}

/// Where the scanner stands, for deciding whether a quantifier is legal (Java reports a
/// quantifier with nothing to repeat as a dangling meta character).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Start of the pattern, of a group or of an alternative: nothing to repeat.
    Nothing,
    /// An atom that a quantifier may follow.
    Atom,
    /// A quantifier; one `?` (lazy) or `+` (possessive) may follow.
    Quantifier,
    /// A quantifier with its modifier: nothing more may follow.
    Modified,
}

/// Translates a Java pattern into `regex` crate syntax, checking Java's syntax rules on the
/// way. Capturing groups are neither added nor removed, so group numbers stay Java's.
fn translate(pattern: &str) -> std::result::Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let mut class_depth = 0usize;
    let mut group_depth = 0usize;
    let mut last = Last::Nothing;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            let Some(&next) = chars.get(i + 1) else {
                return Err(syntax_error("Unexpected internal error", Some(i + 1)));
            };
            i = translate_escape(&chars, i, next, class_depth > 0, &mut out)?;
            if class_depth == 0 {
                last = Last::Atom;
            }
            continue;
        }
        if class_depth > 0 {
            match c {
                // Java has no POSIX `[:name:]` classes: `[:` opens a nested class of
                // literal characters, which the `regex` crate would read as POSIX.
                '[' if chars.get(i + 1) == Some(&':') => {
                    class_depth += 1;
                    out.push_str(r"[\:");
                    i += 2;
                    continue;
                }
                '[' => class_depth += 1,
                ']' => {
                    class_depth -= 1;
                    if class_depth == 0 {
                        last = Last::Atom;
                    }
                }
                _ => {}
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                class_depth = 1;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
            }
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    i = translate_group_opening(&chars, i, &mut out, &mut group_depth)?;
                    last = Last::Nothing;
                    continue;
                }
                group_depth += 1;
                out.push('(');
                last = Last::Nothing;
            }
            ')' => {
                if group_depth == 0 {
                    return Err(syntax_error("Unmatched closing ')'", i.checked_sub(1)));
                }
                group_depth -= 1;
                out.push(')');
                last = Last::Atom;
            }
            '|' => {
                out.push('|');
                last = Last::Nothing;
            }
            '*' | '+' | '?' => {
                match last {
                    Last::Atom => last = Last::Quantifier,
                    Last::Quantifier if c == '?' => last = Last::Modified,
                    Last::Quantifier => {
                        return Err(
                            "possessive quantifiers (such as *+) are not supported".to_string()
                        );
                    }
                    Last::Nothing | Last::Modified => {
                        return Err(syntax_error(
                            &format!("Dangling meta character '{c}'"),
                            Some(i),
                        ));
                    }
                }
                out.push(c);
            }
            '{' => match counted_closure_end(&chars, i) {
                Some(end) if last == Last::Atom => {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    last = Last::Quantifier;
                    continue;
                }
                Some(_) => {
                    return Err(syntax_error("Dangling meta character '{'", Some(i)));
                }
                None if chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                    return Err(syntax_error("Unclosed counted closure", Some(chars.len())));
                }
                // Java reads a brace that does not start a repetition as a broken one.
                None => return Err(syntax_error("Illegal repetition", i.checked_sub(1))),
            },
            '}' => {
                out.push_str(r"\}");
                last = Last::Atom;
            }
            _ => {
                out.push(c);
                last = Last::Atom;
            }
        }
        i += 1;
    }
    if class_depth > 0 {
        return Err(syntax_error(
            "Unclosed character class",
            Some(chars.len().saturating_sub(1)),
        ));
    }
    if group_depth > 0 {
        return Err(syntax_error("Unclosed group", Some(chars.len())));
    }
    Ok(out)
}

/// The index of the `}` closing a `{n}`, `{n,}` or `{n,m}` repetition starting at `start`.
fn counted_closure_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let digits_from = i;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    if i == digits_from {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    (chars.get(i) == Some(&'}')).then_some(i)
}

/// Translates `(?...` at `start`: non-capturing and named groups pass through, inline flags
/// lose the Java-only `U` and `d`, look-around is rejected. Returns the index after what
/// was consumed.
fn translate_group_opening(
    chars: &[char],
    start: usize,
    out: &mut String,
    group_depth: &mut usize,
) -> std::result::Result<usize, String> {
    let after = start + 2;
    match chars.get(after) {
        Some(':') => {
            out.push_str("(?:");
            *group_depth += 1;
            Ok(after + 1)
        }
        Some('=' | '!') => {
            Err("look-around, including look-ahead and look-behind, is not supported".into())
        }
        Some('>') => Err("atomic groups (?>...) are not supported".into()),
        Some('<') if matches!(chars.get(after + 1), Some('=' | '!')) => {
            Err("look-around, including look-ahead and look-behind, is not supported".into())
        }
        Some('<') => {
            let close = chars[after..]
                .iter()
                .position(|c| *c == '>')
                .map(|p| p + after)
                .ok_or_else(|| {
                    syntax_error(
                        "named capturing group is missing trailing '>'",
                        Some(chars.len()),
                    )
                })?;
            out.push_str("(?<");
            out.extend(&chars[after + 1..close]);
            out.push('>');
            *group_depth += 1;
            Ok(close + 1)
        }
        _ => {
            let mut i = after;
            let mut flags = String::new();
            while let Some(&c) = chars.get(i) {
                if c.is_ascii_alphabetic() || c == '-' {
                    if c != 'U' && c != 'd' {
                        flags.push(c);
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            let flags = flags.trim_end_matches('-');
            match chars.get(i) {
                Some(')') => {
                    if !flags.is_empty() {
                        out.push_str("(?");
                        out.push_str(flags);
                        out.push(')');
                    }
                    Ok(i + 1)
                }
                Some(':') => {
                    out.push_str("(?");
                    out.push_str(flags);
                    out.push(':');
                    *group_depth += 1;
                    Ok(i + 1)
                }
                _ => Err(syntax_error("Unknown inline modifier", Some(i))),
            }
        }
    }
}

/// Translates the escape `\next` at `start`; returns the index after it.
fn translate_escape(
    chars: &[char],
    start: usize,
    next: char,
    in_class: bool,
    out: &mut String,
) -> std::result::Result<usize, String> {
    let after = start + 2;
    match next {
        'Q' => {
            let mut i = after;
            let mut quoted = String::new();
            while i < chars.len() {
                if chars[i] == '\\' && chars.get(i + 1) == Some(&'E') {
                    i += 2;
                    out.push_str(&regex::escape(&quoted));
                    return Ok(i);
                }
                quoted.push(chars[i]);
                i += 1;
            }
            out.push_str(&regex::escape(&quoted));
            Ok(i)
        }
        'E' => Ok(after),
        'd' | 'D' => {
            push_class(out, ASCII_DIGIT, next == 'D', in_class);
            Ok(after)
        }
        'w' | 'W' => {
            push_class(out, ASCII_WORD, next == 'W', in_class);
            Ok(after)
        }
        's' | 'S' => {
            push_class(out, ASCII_SPACE, next == 'S', in_class);
            Ok(after)
        }
        'h' | 'H' => {
            push_class(out, HORIZONTAL_SPACE, next == 'H', in_class);
            Ok(after)
        }
        'v' | 'V' => {
            push_class(out, VERTICAL_SPACE, next == 'V', in_class);
            Ok(after)
        }
        'e' => {
            out.push_str(r"\x1B");
            Ok(after)
        }
        'p' | 'P' if chars.get(after) == Some(&'{') => {
            let close = chars[after..]
                .iter()
                .position(|c| *c == '}')
                .map(|p| p + after)
                .ok_or_else(|| syntax_error("Unclosed character family", Some(chars.len())))?;
            let name: String = chars[after + 1..close].iter().collect();
            let name = name.strip_prefix("Is").unwrap_or(&name);
            match posix_class(name) {
                Some(members) => push_class(out, members, next == 'P', in_class),
                None => {
                    out.push('\\');
                    out.push(next);
                    out.extend(&chars[after..=close]);
                }
            }
            Ok(close + 1)
        }
        '0' => {
            let mut i = after;
            let mut value = 0u32;
            while i < after + 3 && chars.get(i).is_some_and(|c| ('0'..='7').contains(c)) {
                value = value * 8 + chars[i].to_digit(8).unwrap_or(0);
                i += 1;
            }
            if i == after {
                return Err(syntax_error("Illegal octal escape sequence", Some(after)));
            }
            out.push_str(&format!(r"\x{{{value:X}}}"));
            Ok(i)
        }
        '1'..='9' | 'k' => Err("back-references are not supported".into()),
        _ => {
            out.push('\\');
            out.push(next);
            Ok(after)
        }
    }
}

/// Appends Java's expansion of `replacement` for one match (`Matcher.appendReplacement`):
/// `$n` takes as many digits as still name an existing group, `${name}` a named group, `\x`
/// a literal `x`; a group that did not participate expands to nothing.
fn expand_replacement(
    regex: &Regex,
    captures: &Captures<'_>,
    replacement: &str,
    out: &mut String,
) -> Result<()> {
    let group_count = captures.len().saturating_sub(1);
    let chars: Vec<char> = replacement.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let escaped = chars.get(i + 1).ok_or_else(|| {
                    ConnectError::invalid_argument("character to be escaped is missing")
                })?;
                out.push(*escaped);
                i += 2;
            }
            '$' => {
                i += 1;
                let Some(&next) = chars.get(i) else {
                    return Err(ConnectError::invalid_argument(
                        "Illegal group reference: group index is missing",
                    ));
                };
                let group = if next == '{' {
                    i += 1;
                    let name: String = chars[i..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    i += name.len();
                    if name.is_empty() {
                        return Err(ConnectError::invalid_argument(
                            "named capturing group has 0 length name",
                        ));
                    }
                    if chars.get(i) != Some(&'}') {
                        return Err(ConnectError::invalid_argument(
                            "named capturing group is missing trailing '}'",
                        ));
                    }
                    i += 1;
                    if name.starts_with(|c: char| c.is_ascii_digit()) {
                        return Err(ConnectError::invalid_argument(format!(
                            "capturing group name {{{name}}} starts with digit character"
                        )));
                    }
                    regex
                        .capture_names()
                        .position(|n| n == Some(name.as_str()))
                        .ok_or_else(|| {
                            ConnectError::invalid_argument(format!("No group with name {{{name}}}"))
                        })?
                } else {
                    let Some(first) = next.to_digit(10) else {
                        return Err(ConnectError::invalid_argument("Illegal group reference"));
                    };
                    i += 1;
                    let mut group = first as usize;
                    while let Some(digit) = chars.get(i).and_then(|c| c.to_digit(10)) {
                        let longer = group * 10 + digit as usize;
                        if longer > group_count {
                            break;
                        }
                        group = longer;
                        i += 1;
                    }
                    group
                };
                if group > group_count {
                    return Err(ConnectError::runtime(
                        "java.lang.IndexOutOfBoundsException",
                        format!("No group {group}"),
                    ));
                }
                if let Some(m) = captures.get(group) {
                    out.push_str(m.as_str());
                }
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regex(pattern: &str) -> JavaRegex {
        JavaRegex::compile(pattern).expect("valid pattern")
    }

    #[test]
    fn matches_requires_the_whole_input() {
        assert!(regex("orders").matches("orders"));
        assert!(!regex("order").matches("orders"));
        assert!(regex("customers|orders").matches("orders"));
        assert!(regex(r"\w+-\d+").matches("abc-12"));
        assert!(!regex(r"\w+").matches("é"), "Java's \\w is ASCII-only");
        assert!(regex(r"\Qa.b\E").matches("a.b"));
        assert!(!regex(r"\Qa.b\E").matches("axb"));
        assert!(regex(r"\p{Lower}+").matches("abc"));
        assert!(regex(r"(?i)ORDERS").matches("orders"));
        assert!(regex("[[:alpha:]]+").matches(":alp"));
        assert!(
            !regex("[[:alpha:]]+").matches("b"),
            "no POSIX classes in Java"
        );
        assert!(regex(r"[\w.-]+").matches("a.b-c_1"));
    }

    #[test]
    fn syntax_errors_read_like_java() {
        let err = |p: &str| JavaRegex::compile(p).expect_err("invalid pattern");
        assert_eq!(err("*orders"), "Dangling meta character '*' near index 0");
        assert_eq!(err("(["), "Unclosed character class near index 1");
        assert_eq!(err("(abc"), "Unclosed group near index 4");
        assert_eq!(err("abc)"), "Unmatched closing ')' near index 2");
        assert_eq!(err(")"), "Unmatched closing ')'");
        assert_eq!(err("a|+"), "Dangling meta character '+' near index 2");
        assert_eq!(err("a*??"), "Dangling meta character '?' near index 3");
        assert_eq!(err("{x}"), "Illegal repetition");
        assert_eq!(err("a{x}"), "Illegal repetition near index 0");
        assert!(regex("a{2,3}").matches("aaa"));
        assert!(err("(?=a)b").contains("look-around"));
        assert!(err(r"(a)\1").contains("back-references"));
    }

    #[test]
    fn replacement_follows_matcher_replace_first() {
        let swap = regex(r"(\w+)-(\w+)");
        assert_eq!(
            swap.replace_first("eu-orders", "$2_$1").expect("expand"),
            "orders_eu"
        );
        let all = regex("(.*)");
        assert_eq!(
            all.replace_first("orders", r"\$$1").expect("expand"),
            "$orders"
        );
        let err = all.replace_first("orders", "$2").expect_err("no group 2");
        assert_eq!(err.simple_class(), "IndexOutOfBoundsException");
        assert_eq!(err.message(), "No group 2");
        let named = regex("(?<name>.*)s");
        assert_eq!(
            named
                .replace_first("orders", "${name}_topic")
                .expect("expand"),
            "order_topic"
        );
        let err = named
            .replace_first("orders", "${nope}")
            .expect_err("unknown");
        assert_eq!(err.message(), "No group with name {nope}");
        // `$12` with one group is group 1 followed by a literal 2.
        assert_eq!(all.replace_first("ab", "$12").expect("expand"), "ab2");
        // Only the first match is replaced; the rest of the input is kept.
        assert_eq!(
            regex("a").replace_first("banana", "o").expect("expand"),
            "bonana"
        );
    }
}
