//! Connector configurations and target states that survive a restart.
//!
//! A restarted worker must come back with the connectors it had and in the states users put
//! them in (running, paused, stopped). The standalone store keeps them in one JSON file
//! replaced atomically on every change; distributed mode will use a compacted config topic
//! behind the same trait.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use async_trait::async_trait;
use connect_core::Properties;
use serde::{Deserialize, Serialize};

use crate::atomic_file::write_atomically;
use crate::error::{Result, RuntimeError};

/// The state a user asked a connector to be in (Kafka Connect's target state).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TargetState {
    /// Copy data.
    Running,
    /// Keep tasks assigned but copy nothing.
    Paused,
    /// Shut tasks down, keep the config (KIP-980).
    Stopped,
}

/// One persisted connector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredConnector {
    /// The connector name.
    pub name: String,
    /// Its configuration, as submitted.
    pub config: Properties,
    /// The state it should be in.
    pub target_state: TargetState,
}

/// Where connector configs live.
#[async_trait]
pub trait ConfigStore: Send + Sync {
    /// Every stored connector, by name.
    fn load(&self) -> Vec<StoredConnector>;

    /// Creates or replaces a connector durably.
    async fn put(&self, connector: StoredConnector) -> Result<()>;

    /// Removes a connector durably.
    async fn remove(&self, name: &str) -> Result<()>;
}

#[derive(Serialize, Deserialize, Default)]
struct ConfigFile {
    connectors: Vec<StoredConnector>,
}

/// Connector configs in memory, optionally persisted to a JSON file.
#[derive(Debug)]
pub struct FileConfigStore {
    path: Option<PathBuf>,
    connectors: Mutex<BTreeMap<String, StoredConnector>>,
    write_lock: tokio::sync::Mutex<()>,
}

impl FileConfigStore {
    /// A store kept only in memory.
    pub fn in_memory() -> Self {
        Self {
            path: None,
            connectors: Mutex::new(BTreeMap::new()),
            write_lock: tokio::sync::Mutex::new(()),
        }
    }

    /// A store backed by `path`, loading what it holds (a missing file is an empty store).
    pub fn open(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        let connectors = match std::fs::read(&path) {
            Ok(bytes) => {
                let file: ConfigFile = serde_json::from_slice(&bytes).map_err(|e| {
                    RuntimeError::storage(
                        format!("Connector config file {} is corrupt", path.display()),
                        std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                    )
                })?;
                file.connectors
                    .into_iter()
                    .map(|c| (c.name.clone(), c))
                    .collect()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => {
                return Err(RuntimeError::storage(
                    format!("Cannot read connector config file {}", path.display()),
                    e,
                ));
            }
        };
        Ok(Self {
            path: Some(path),
            connectors: Mutex::new(connectors),
            write_lock: tokio::sync::Mutex::new(()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, StoredConnector>> {
        self.connectors.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn persist(&self) -> Result<()> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let file = ConfigFile {
            connectors: self.lock().values().cloned().collect(),
        };
        let bytes = serde_json::to_vec_pretty(&file).map_err(|e| {
            RuntimeError::Internal(format!("Cannot serialize connector configs: {e}"))
        })?;
        let target = path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&target, &bytes))
            .await
            .map_err(|e| RuntimeError::Internal(format!("Config writer stopped: {e}")))?
            .map_err(|e| {
                RuntimeError::storage(
                    format!("Cannot write connector config file {}", path.display()),
                    e,
                )
            })
    }
}

#[async_trait]
impl ConfigStore for FileConfigStore {
    fn load(&self) -> Vec<StoredConnector> {
        self.lock().values().cloned().collect()
    }

    async fn put(&self, connector: StoredConnector) -> Result<()> {
        let _guard = self.write_lock.lock().await;
        self.lock().insert(connector.name.clone(), connector);
        self.persist().await
    }

    async fn remove(&self, name: &str) -> Result<()> {
        let _guard = self.write_lock.lock().await;
        self.lock().remove(name);
        self.persist().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn connectors_and_target_states_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("connectors.json");
        let store = FileConfigStore::open(&path).unwrap();
        let config: Properties = [(
            "connector.class".to_string(),
            "FileStreamSource".to_string(),
        )]
        .into();
        store
            .put(StoredConnector {
                name: "a".into(),
                config: config.clone(),
                target_state: TargetState::Paused,
            })
            .await
            .unwrap();
        store
            .put(StoredConnector {
                name: "b".into(),
                config,
                target_state: TargetState::Running,
            })
            .await
            .unwrap();
        store.remove("b").await.unwrap();
        let reopened = FileConfigStore::open(&path).unwrap().load();
        assert_eq!(reopened.len(), 1);
        assert_eq!(reopened[0].name, "a");
        assert_eq!(reopened[0].target_state, TargetState::Paused);
    }
}
