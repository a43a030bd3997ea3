//! Loading the golden vector files kept under `tests/fixtures/`.

use std::path::PathBuf;

/// Why a fixture could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The file is missing or unreadable.
    #[error("cannot read fixture {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The absolute path of a file in `tests/fixtures/`.
pub fn path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// The non-empty lines of a JSON Lines fixture, each with its 1-based line number.
pub fn lines(name: &str) -> Result<Vec<(usize, String)>, FixtureError> {
    let path = path(name);
    let text =
        std::fs::read_to_string(&path).map_err(|source| FixtureError::Io { path, source })?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (i + 1, line.to_string()))
        .collect())
}
