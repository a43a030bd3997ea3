//! Source offsets: where each source partition of each connector has been copied up to.
//!
//! An offset is written only after Kafka acknowledged every record before it, so after a
//! crash a source task resumes from a position it has fully delivered (at-least-once). The
//! standalone store keeps all offsets in one JSON file replaced atomically on every flush;
//! the distributed mode will keep them in a compacted Kafka topic behind the same trait.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use connect_core::connector::OffsetReader;
use connect_core::record::OffsetMap;
use serde::{Deserialize, Serialize};

use crate::atomic_file::write_atomically;
use crate::error::{Result, RuntimeError};

/// Where source offsets live.
#[async_trait]
pub trait OffsetStore: Send + Sync {
    /// The committed offset of one source partition of a connector.
    fn get(&self, connector: &str, partition: &OffsetMap) -> Option<OffsetMap>;

    /// Every committed (partition, offset) of a connector.
    fn connector_offsets(&self, connector: &str) -> Vec<(OffsetMap, OffsetMap)>;

    /// Writes offsets durably; a `None` offset removes the partition's offset.
    async fn write(
        &self,
        connector: &str,
        updates: Vec<(OffsetMap, Option<OffsetMap>)>,
    ) -> Result<()>;

    /// Removes every offset of a connector.
    async fn remove_connector(&self, connector: &str) -> Result<()>;
}

#[derive(Serialize, Deserialize, Default)]
struct OffsetFile {
    offsets: Vec<OffsetEntry>,
}

#[derive(Serialize, Deserialize, Clone)]
struct OffsetEntry {
    connector: String,
    partition: OffsetMap,
    offset: OffsetMap,
}

/// Key of a partition: the connector and the partition's canonical JSON text (serde_json
/// maps are sorted, so equal maps have equal text).
type PartitionKey = (String, String);

/// Offsets in memory, optionally persisted to a JSON file (Kafka's standalone
/// `offset.storage.file.filename`).
#[derive(Debug)]
pub struct FileOffsetStore {
    path: Option<PathBuf>,
    entries: Mutex<BTreeMap<PartitionKey, (OffsetMap, OffsetMap)>>,
    write_lock: tokio::sync::Mutex<()>,
}

fn key(connector: &str, partition: &OffsetMap) -> PartitionKey {
    (
        connector.to_string(),
        serde_json::to_string(partition).unwrap_or_default(),
    )
}

impl FileOffsetStore {
    /// A store kept only in memory (for tests and throwaway workers).
    pub fn in_memory() -> Self {
        Self {
            path: None,
            entries: Mutex::new(BTreeMap::new()),
            write_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// A store backed by `path`, loading what it holds (a missing file is an empty store).
    pub fn open(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        let mut entries = BTreeMap::new();
        match std::fs::read(&path) {
            Ok(bytes) => {
                let file: OffsetFile = serde_json::from_slice(&bytes).map_err(|e| {
                    RuntimeError::storage(
                        format!("Offset file {} is corrupt", path.display()),
                        std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                    )
                })?;
                for entry in file.offsets {
                    entries.insert(
                        key(&entry.connector, &entry.partition),
                        (entry.partition, entry.offset),
                    );
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(RuntimeError::storage(
                    format!("Cannot read offset file {}", path.display()),
                    e,
                ));
            }
        }
        Ok(Self {
            path: Some(path),
            entries: Mutex::new(entries),
            write_lock: tokio::sync::Mutex::new(()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<PartitionKey, (OffsetMap, OffsetMap)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn persist(&self) -> Result<()> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let file = OffsetFile {
            offsets: self
                .lock()
                .iter()
                .map(|((connector, _), (partition, offset))| OffsetEntry {
                    connector: connector.clone(),
                    partition: partition.clone(),
                    offset: offset.clone(),
                })
                .collect(),
        };
        let bytes = serde_json::to_vec_pretty(&file)
            .map_err(|e| RuntimeError::Internal(format!("Cannot serialize offsets: {e}")))?;
        let target = path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&target, &bytes))
            .await
            .map_err(|e| RuntimeError::Internal(format!("Offset writer stopped: {e}")))?
            .map_err(|e| {
                RuntimeError::storage(format!("Cannot write offset file {}", path.display()), e)
            })
    }
}

#[async_trait]
impl OffsetStore for FileOffsetStore {
    fn get(&self, connector: &str, partition: &OffsetMap) -> Option<OffsetMap> {
        self.lock()
            .get(&key(connector, partition))
            .map(|(_, offset)| offset.clone())
    }

    fn connector_offsets(&self, connector: &str) -> Vec<(OffsetMap, OffsetMap)> {
        self.lock()
            .iter()
            .filter(|((c, _), _)| c == connector)
            .map(|(_, (p, o))| (p.clone(), o.clone()))
            .collect()
    }

    async fn write(
        &self,
        connector: &str,
        updates: Vec<(OffsetMap, Option<OffsetMap>)>,
    ) -> Result<()> {
        if updates.is_empty() {
            return Ok(());
        }
        // One writer at a time, so files are written in the order updates were applied.
        let _guard = self.write_lock.lock().await;
        {
            let mut entries = self.lock();
            for (partition, offset) in updates {
                let k = key(connector, &partition);
                match offset {
                    Some(offset) => {
                        entries.insert(k, (partition, offset));
                    }
                    None => {
                        entries.remove(&k);
                    }
                }
            }
        }
        self.persist().await
    }

    async fn remove_connector(&self, connector: &str) -> Result<()> {
        let _guard = self.write_lock.lock().await;
        self.lock().retain(|(c, _), _| c != connector);
        self.persist().await
    }
}

/// A connector's view of the store, handed to its source tasks.
pub struct ConnectorOffsets {
    store: Arc<dyn OffsetStore>,
    connector: String,
}

impl ConnectorOffsets {
    /// The offsets of `connector` in `store`.
    pub fn new(store: Arc<dyn OffsetStore>, connector: impl Into<String>) -> Self {
        Self {
            store,
            connector: connector.into(),
        }
    }
}

impl OffsetReader for ConnectorOffsets {
    fn offset(&self, partition: &OffsetMap) -> Option<OffsetMap> {
        self.store.get(&self.connector, partition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: serde_json::Value) -> OffsetMap {
        match value {
            serde_json::Value::Object(m) => m,
            _ => OffsetMap::new(),
        }
    }

    #[tokio::test]
    async fn offsets_survive_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("offsets.json");
        let store = FileOffsetStore::open(&path).unwrap();
        let partition = map(json!({"filename": "/tmp/a.txt"}));
        store
            .write(
                "files",
                vec![(partition.clone(), Some(map(json!({"position": 42}))))],
            )
            .await
            .unwrap();
        store
            .write(
                "other",
                vec![(partition.clone(), Some(map(json!({"position": 7}))))],
            )
            .await
            .unwrap();
        let reopened = FileOffsetStore::open(&path).unwrap();
        assert_eq!(
            reopened.get("files", &partition),
            Some(map(json!({"position": 42})))
        );
        assert_eq!(reopened.connector_offsets("other").len(), 1);
        reopened.remove_connector("files").await.unwrap();
        let again = FileOffsetStore::open(&path).unwrap();
        assert_eq!(again.get("files", &partition), None);
        assert_eq!(
            again.get("other", &partition),
            Some(map(json!({"position": 7})))
        );
    }

    #[tokio::test]
    async fn a_null_offset_removes_the_partition() {
        let store = FileOffsetStore::in_memory();
        let partition = map(json!({"task": 0}));
        store
            .write("c", vec![(partition.clone(), Some(map(json!({"seq": 3}))))])
            .await
            .unwrap();
        store
            .write("c", vec![(partition.clone(), None)])
            .await
            .unwrap();
        assert!(store.connector_offsets("c").is_empty());
    }

    #[test]
    fn corrupt_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("offsets.json");
        std::fs::write(&path, b"{not json").unwrap();
        let err = FileOffsetStore::open(&path).unwrap_err();
        assert!(err.to_string().contains("is corrupt"), "{err}");
    }
}
