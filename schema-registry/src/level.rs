//! Compatibility levels: which earlier versions a new schema is checked against, and in
//! which direction.

use std::fmt;
use std::str::FromStr;

use crate::RegistryError;

/// A subject's (or the registry's global) compatibility rule.
///
/// *Backward*: consumers using the new schema can read data written with the old one (the
/// new schema is the reader). *Forward*: consumers still on the old schema can read data
/// written with the new one. *Full*: both. The `_TRANSITIVE` variants check against every
/// live version instead of only the latest, which is what protects a topic that keeps
/// data written with every version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompatibilityLevel {
    /// No check.
    None,
    /// The new schema reads data of the latest version.
    Backward,
    /// The new schema reads data of every version.
    BackwardTransitive,
    /// The latest version reads data of the new schema.
    Forward,
    /// Every version reads data of the new schema.
    ForwardTransitive,
    /// Backward and forward against the latest version.
    Full,
    /// Backward and forward against every version.
    FullTransitive,
}

impl CompatibilityLevel {
    /// Confluent's default for a registry nobody configured.
    pub const DEFAULT: CompatibilityLevel = CompatibilityLevel::Backward;

    /// The name used on the wire (`"BACKWARD_TRANSITIVE"`).
    pub fn as_str(self) -> &'static str {
        match self {
            CompatibilityLevel::None => "NONE",
            CompatibilityLevel::Backward => "BACKWARD",
            CompatibilityLevel::BackwardTransitive => "BACKWARD_TRANSITIVE",
            CompatibilityLevel::Forward => "FORWARD",
            CompatibilityLevel::ForwardTransitive => "FORWARD_TRANSITIVE",
            CompatibilityLevel::Full => "FULL",
            CompatibilityLevel::FullTransitive => "FULL_TRANSITIVE",
        }
    }

    /// Whether every live version is checked, not only the latest.
    pub fn is_transitive(self) -> bool {
        matches!(
            self,
            CompatibilityLevel::BackwardTransitive
                | CompatibilityLevel::ForwardTransitive
                | CompatibilityLevel::FullTransitive
        )
    }

    /// Whether the new schema must read old data.
    pub fn checks_backward(self) -> bool {
        matches!(
            self,
            CompatibilityLevel::Backward
                | CompatibilityLevel::BackwardTransitive
                | CompatibilityLevel::Full
                | CompatibilityLevel::FullTransitive
        )
    }

    /// Whether old schemas must read new data.
    pub fn checks_forward(self) -> bool {
        matches!(
            self,
            CompatibilityLevel::Forward
                | CompatibilityLevel::ForwardTransitive
                | CompatibilityLevel::Full
                | CompatibilityLevel::FullTransitive
        )
    }
}

impl FromStr for CompatibilityLevel {
    type Err = RegistryError;

    /// Case-insensitive, as Confluent's `CompatibilityLevel.forName`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let level = match text.trim().to_ascii_uppercase().as_str() {
            "NONE" => CompatibilityLevel::None,
            "BACKWARD" => CompatibilityLevel::Backward,
            "BACKWARD_TRANSITIVE" => CompatibilityLevel::BackwardTransitive,
            "FORWARD" => CompatibilityLevel::Forward,
            "FORWARD_TRANSITIVE" => CompatibilityLevel::ForwardTransitive,
            "FULL" => CompatibilityLevel::Full,
            "FULL_TRANSITIVE" => CompatibilityLevel::FullTransitive,
            _ => return Err(RegistryError::InvalidCompatibilityLevel),
        };
        Ok(level)
    }
}

impl fmt::Display for CompatibilityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_case_insensitively() {
        for level in [
            CompatibilityLevel::None,
            CompatibilityLevel::Backward,
            CompatibilityLevel::BackwardTransitive,
            CompatibilityLevel::Forward,
            CompatibilityLevel::ForwardTransitive,
            CompatibilityLevel::Full,
            CompatibilityLevel::FullTransitive,
        ] {
            assert_eq!(
                level.as_str().parse::<CompatibilityLevel>().ok(),
                Some(level)
            );
            assert_eq!(
                level
                    .as_str()
                    .to_lowercase()
                    .parse::<CompatibilityLevel>()
                    .ok(),
                Some(level)
            );
        }
        assert!("SIDEWAYS".parse::<CompatibilityLevel>().is_err());
    }

    #[test]
    fn full_checks_both_directions() {
        let full = CompatibilityLevel::FullTransitive;
        assert!(full.checks_backward() && full.checks_forward() && full.is_transitive());
        let forward = CompatibilityLevel::Forward;
        assert!(!forward.checks_backward() && forward.checks_forward());
        assert!(!forward.is_transitive());
    }
}
