//! The standalone herder: decides what runs, persists it, and serves the control plane.
//!
//! Every control operation (create, update, delete, pause, resume, stop, restart, offsets)
//! goes through one lock, so operations on the worker are serialized like Kafka Connect's
//! herder thread and each sees a consistent picture. Configs and target states are written
//! to the config store before the worker acts on them, so a restarted worker comes back with
//! the same connectors in the same states.

use std::collections::BTreeMap;
use std::sync::{Arc, Weak};

use connect_core::config::Properties;
use connect_core::connector::ConnectorType;
use connect_core::plugin::{Plugin, PluginRegistry};
use connect_core::record::OffsetMap;
use tokio::sync::{Mutex, mpsc};
use tracing::{info, warn};

use crate::config_store::{ConfigStore, StoredConnector, TargetState};
use crate::connector_config::{NAME, ValidationReport, validate_connector_config};
use crate::error::{Result, RuntimeError};
use crate::offsets::OffsetStore;
use crate::sink_offsets::SinkOffsets;
use crate::status::{ConnectorStatus, State, StatusHub};
use crate::task_common::TaskTarget;
use crate::worker::Worker;
use crate::worker_config::WorkerConfig;

/// A connector as the control plane describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectorInfo {
    /// The name.
    pub name: String,
    /// The configuration as submitted.
    pub config: Properties,
    /// Source or sink.
    pub connector_type: ConnectorType,
    /// The task configurations, by task id.
    pub tasks: Vec<Properties>,
    /// The state the user asked for.
    pub target_state: TargetState,
}

/// One (partition, offset) of a connector; `None` offset means "reset" in alter requests.
pub type OffsetEntry = (OffsetMap, Option<OffsetMap>);

struct Entry {
    config: Properties,
    target: TargetState,
    plugin: Plugin,
    task_configs: Vec<Properties>,
}

impl Entry {
    fn info(&self, name: &str) -> ConnectorInfo {
        ConnectorInfo {
            name: name.to_string(),
            config: self.config.clone(),
            connector_type: self
                .plugin
                .connector_type()
                .unwrap_or(ConnectorType::Source),
            tasks: self.task_configs.clone(),
            target_state: self.target,
        }
    }
}

fn task_target(target: TargetState) -> TaskTarget {
    match target {
        TargetState::Running => TaskTarget::Running,
        TargetState::Paused => TaskTarget::Paused,
        TargetState::Stopped => TaskTarget::Stopped,
    }
}

/// The control plane of a standalone worker.
pub struct Herder {
    worker: Worker,
    store: Arc<dyn ConfigStore>,
    registry: Arc<PluginRegistry>,
    hub: Arc<StatusHub>,
    entries: Mutex<BTreeMap<String, Entry>>,
}

impl Herder {
    /// Builds the herder and worker, then starts every stored connector in its target state.
    pub async fn start(
        config: WorkerConfig,
        registry: Arc<PluginRegistry>,
        store: Arc<dyn ConfigStore>,
        offsets: Arc<dyn OffsetStore>,
        hub: Arc<StatusHub>,
    ) -> Result<Arc<Self>> {
        let (reconfigure_tx, reconfigure_rx) = mpsc::unbounded_channel();
        let herder = Arc::new(Self {
            worker: Worker::new(
                config,
                registry.clone(),
                offsets,
                hub.clone(),
                reconfigure_tx,
            ),
            store,
            registry,
            hub,
            entries: Mutex::new(BTreeMap::new()),
        });
        tokio::spawn(reconfigure_loop(Arc::downgrade(&herder), reconfigure_rx));
        let stored = herder.store.load();
        let mut entries = herder.entries.lock().await;
        for connector in stored {
            let Some(plugin) = connector
                .config
                .get("connector.class")
                .and_then(|c| herder.registry.connector(c))
                .cloned()
            else {
                warn!(connector = %connector.name, "Stored connector names an unknown plugin; it stays FAILED until updated.");
                herder.hub.set_connector(
                    &connector.name,
                    None,
                    State::Failed,
                    Some("The connector's plugin is not installed on this worker".to_string()),
                );
                continue;
            };
            let mut entry = Entry {
                config: connector.config,
                target: connector.target_state,
                plugin,
                task_configs: Vec::new(),
            };
            herder.launch(&connector.name, &mut entry).await;
            entries.insert(connector.name, entry);
        }
        drop(entries);
        Ok(herder)
    }

    /// The installed plugins.
    pub fn registry(&self) -> &PluginRegistry {
        &self.registry
    }

    /// The status hub (for watchers).
    pub fn hub(&self) -> &Arc<StatusHub> {
        &self.hub
    }

    /// The worker's settings.
    pub fn worker_config(&self) -> &WorkerConfig {
        self.worker.config()
    }

    /// Starts a connector and its tasks according to its target state.
    async fn launch(&self, name: &str, entry: &mut Entry) {
        entry.task_configs.clear();
        if entry.target == TargetState::Stopped {
            self.hub
                .set_connector(name, entry.plugin.connector_type(), State::Stopped, None);
            return;
        }
        let paused = entry.target == TargetState::Paused;
        match self
            .worker
            .start_connector(name, &entry.plugin, &entry.config, paused)
            .await
        {
            Ok(task_configs) => {
                self.worker
                    .start_tasks(
                        name,
                        &entry.plugin,
                        &entry.config,
                        &task_configs,
                        task_target(entry.target),
                    )
                    .await;
                entry.task_configs = task_configs;
            }
            Err(e) => warn!(connector = %name, error = %e, "Connector did not start."),
        }
    }

    /// Stops a connector's tasks and instance; task statuses are removed.
    async fn halt(&self, name: &str) {
        for id in self.worker.stop_tasks(name, None).await {
            self.hub.remove_task(name, id);
        }
        self.worker.stop_connector(name).await;
    }

    /// Names of all connectors.
    pub async fn list(&self) -> Vec<String> {
        self.entries.lock().await.keys().cloned().collect()
    }

    /// A connector's config and tasks.
    pub async fn info(&self, name: &str) -> Result<ConnectorInfo> {
        self.entries
            .lock()
            .await
            .get(name)
            .map(|e| e.info(name))
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))
    }

    /// A connector's status and its tasks'.
    pub async fn status(&self, name: &str) -> Result<ConnectorStatus> {
        if !self.entries.lock().await.contains_key(name) {
            return Err(RuntimeError::ConnectorNotFound(name.to_string()));
        }
        self.hub
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))
    }

    /// Validates a config with one result per key (nothing is created).
    pub fn validate(&self, plugin: Option<&str>, config: &Properties) -> Result<ValidationReport> {
        let requested = plugin
            .filter(|p| !p.trim().is_empty())
            .or_else(|| config.get("connector.class").map(String::as_str));
        match requested {
            None => Err(RuntimeError::InvalidRequest(
                "A connector plugin must be given (plugin, or connector.class in the config)"
                    .to_string(),
            )),
            Some(class) if self.registry.connector(class).is_none() => {
                Err(RuntimeError::PluginNotFound(class.to_string()))
            }
            Some(class) => {
                // The plugin named by the request stands for a missing `connector.class`.
                let mut config = config.clone();
                config
                    .entry("connector.class".to_string())
                    .or_insert_with(|| class.to_string());
                Ok(validate_connector_config(
                    &self.registry,
                    Some(class),
                    &config,
                ))
            }
        }
    }

    fn checked_config(&self, name: &str, mut config: Properties) -> Result<(Properties, Plugin)> {
        if name.trim().is_empty() {
            return Err(RuntimeError::InvalidRequest(
                "Connector name may not be empty".to_string(),
            ));
        }
        match config.get(NAME) {
            Some(given) if given != name => {
                return Err(RuntimeError::InvalidRequest(format!(
                    "Connector name configuration ({given}) doesn't match connector name ({name})"
                )));
            }
            Some(_) => {}
            None => {
                config.insert(NAME.to_string(), name.to_string());
            }
        }
        let report = validate_connector_config(&self.registry, None, &config);
        if report.error_count() > 0 {
            return Err(RuntimeError::invalid_config(report.violations()));
        }
        let plugin = report
            .plugin
            .ok_or_else(|| RuntimeError::Internal("validated config without plugin".to_string()))?;
        Ok((config, plugin))
    }

    /// Creates a connector and starts it in `initial` state.
    pub async fn create(
        &self,
        name: &str,
        config: Properties,
        initial: TargetState,
    ) -> Result<ConnectorInfo> {
        let mut entries = self.entries.lock().await;
        if entries.contains_key(name) {
            return Err(RuntimeError::ConnectorExists(name.to_string()));
        }
        let (config, plugin) = self.checked_config(name, config)?;
        self.store
            .put(StoredConnector {
                name: name.to_string(),
                config: config.clone(),
                target_state: initial,
            })
            .await?;
        let mut entry = Entry {
            config,
            target: initial,
            plugin,
            task_configs: Vec::new(),
        };
        self.launch(name, &mut entry).await;
        info!(connector = %name, state = ?initial, "Connector created.");
        let info = entry.info(name);
        entries.insert(name.to_string(), entry);
        Ok(info)
    }

    /// Replaces a connector's config and restarts it (creating it if `allow_missing`).
    /// Returns the new info and whether it was created.
    pub async fn update(
        &self,
        name: &str,
        config: Properties,
        allow_missing: bool,
    ) -> Result<(ConnectorInfo, bool)> {
        let mut entries = self.entries.lock().await;
        let existing_target = match entries.get(name) {
            Some(entry) => Some(entry.target),
            None if allow_missing => None,
            None => return Err(RuntimeError::ConnectorNotFound(name.to_string())),
        };
        let (config, plugin) = self.checked_config(name, config)?;
        let target = existing_target.unwrap_or(TargetState::Running);
        self.store
            .put(StoredConnector {
                name: name.to_string(),
                config: config.clone(),
                target_state: target,
            })
            .await?;
        if existing_target.is_some() {
            self.halt(name).await;
        }
        let mut entry = Entry {
            config,
            target,
            plugin,
            task_configs: Vec::new(),
        };
        self.launch(name, &mut entry).await;
        let info = entry.info(name);
        entries.insert(name.to_string(), entry);
        Ok((info, existing_target.is_none()))
    }

    /// Deletes a connector; its offsets are kept.
    pub async fn delete(&self, name: &str) -> Result<()> {
        let mut entries = self.entries.lock().await;
        if !entries.contains_key(name) {
            return Err(RuntimeError::ConnectorNotFound(name.to_string()));
        }
        self.store.remove(name).await?;
        self.halt(name).await;
        entries.remove(name);
        self.hub.remove_connector(name);
        info!(connector = %name, "Connector deleted.");
        Ok(())
    }

    async fn set_target(&self, name: &str, target: TargetState) -> Result<()> {
        let mut entries = self.entries.lock().await;
        let entry = entries
            .get_mut(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        if entry.target == target {
            return Ok(());
        }
        self.store
            .put(StoredConnector {
                name: name.to_string(),
                config: entry.config.clone(),
                target_state: target,
            })
            .await?;
        let previous = entry.target;
        entry.target = target;
        match (previous, target) {
            (_, TargetState::Stopped) => {
                self.halt(name).await;
                entry.task_configs.clear();
                self.hub
                    .set_connector(name, entry.plugin.connector_type(), State::Stopped, None);
            }
            (TargetState::Stopped, _) => self.launch(name, entry).await,
            (_, TargetState::Paused) => {
                self.worker.set_connector_state(name, State::Paused);
                self.worker.set_task_target(name, TaskTarget::Paused).await;
            }
            (_, TargetState::Running) => {
                self.worker.set_connector_state(name, State::Running);
                self.worker.set_task_target(name, TaskTarget::Running).await;
            }
        }
        info!(connector = %name, state = ?target, "Connector target state changed.");
        Ok(())
    }

    /// Pauses a connector and its tasks.
    pub async fn pause(&self, name: &str) -> Result<()> {
        self.set_target(name, TargetState::Paused).await
    }

    /// Resumes a paused or stopped connector.
    pub async fn resume(&self, name: &str) -> Result<()> {
        self.set_target(name, TargetState::Running).await
    }

    /// Stops a connector: tasks shut down, config kept (KIP-980).
    pub async fn stop(&self, name: &str) -> Result<()> {
        self.set_target(name, TargetState::Stopped).await
    }

    /// Restarts the connector and/or tasks (KIP-745). Returns the status right after the
    /// restart was requested (restarting instances are RESTARTING); the restart itself
    /// runs in the background.
    pub async fn restart(
        self: &Arc<Self>,
        name: &str,
        include_tasks: bool,
        only_failed: bool,
    ) -> Result<ConnectorStatus> {
        let entries = self.entries.lock().await;
        let entry = entries
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        let status = self
            .hub
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        if entry.target == TargetState::Stopped {
            return Ok(status);
        }
        let restart_connector = !only_failed || status.connector.state == State::Failed;
        let tasks: Vec<u32> = if include_tasks {
            status
                .tasks
                .iter()
                .filter(|(_, t)| !only_failed || t.state == State::Failed)
                .map(|(id, _)| *id)
                .collect()
        } else {
            Vec::new()
        };
        if !restart_connector && tasks.is_empty() {
            return Ok(status);
        }
        if restart_connector {
            self.hub.set_connector(name, None, State::Restarting, None);
        }
        for id in &tasks {
            self.hub.set_task(name, *id, State::Restarting, None);
        }
        let snapshot = self
            .hub
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        drop(entries);
        let herder = self.clone();
        let name = name.to_string();
        tokio::spawn(async move {
            herder.do_restart(&name, restart_connector, &tasks).await;
        });
        Ok(snapshot)
    }

    async fn do_restart(&self, name: &str, restart_connector: bool, tasks: &[u32]) {
        let mut entries = self.entries.lock().await;
        let Some(entry) = entries.get_mut(name) else {
            return;
        };
        if restart_connector {
            let running_tasks = self.worker.task_ids(name).await;
            self.worker.stop_connector(name).await;
            let paused = entry.target == TargetState::Paused;
            match self
                .worker
                .start_connector(name, &entry.plugin, &entry.config, paused)
                .await
            {
                Ok(task_configs)
                    if task_configs != entry.task_configs
                        || running_tasks.len() != task_configs.len() =>
                {
                    self.replace_tasks(name, entry, task_configs).await;
                    return;
                }
                Ok(_) => {}
                Err(e) => warn!(connector = %name, error = %e, "Connector failed to restart."),
            }
        }
        self.restart_tasks(name, entry, tasks).await;
    }

    /// Restarts every task of a connector with new configs; statuses of tasks that no
    /// longer exist are removed.
    async fn replace_tasks(&self, name: &str, entry: &mut Entry, task_configs: Vec<Properties>) {
        for id in self.worker.stop_tasks(name, None).await {
            if id as usize >= task_configs.len() {
                self.hub.remove_task(name, id);
            }
        }
        self.worker
            .start_tasks(
                name,
                &entry.plugin,
                &entry.config,
                &task_configs,
                task_target(entry.target),
            )
            .await;
        entry.task_configs = task_configs;
    }

    async fn restart_tasks(&self, name: &str, entry: &Entry, tasks: &[u32]) {
        if tasks.is_empty() {
            return;
        }
        self.worker.stop_tasks(name, Some(tasks)).await;
        for id in tasks {
            if let Some(task_config) = entry.task_configs.get(*id as usize) {
                self.worker
                    .start_task(
                        name,
                        &entry.plugin,
                        &entry.config,
                        *id,
                        task_config,
                        task_target(entry.target),
                    )
                    .await;
            }
        }
    }

    /// Restarts one task.
    pub async fn restart_task(&self, name: &str, task: u32) -> Result<()> {
        let entries = self.entries.lock().await;
        let entry = entries
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        if task as usize >= entry.task_configs.len() {
            return Err(RuntimeError::TaskNotFound {
                connector: name.to_string(),
                task,
            });
        }
        self.hub.set_task(name, task, State::Restarting, None);
        self.restart_tasks(name, entry, &[task]).await;
        Ok(())
    }

    /// A connector asked for new task configs: restart its tasks if they changed.
    async fn reconfigure(&self, name: &str) {
        let mut entries = self.entries.lock().await;
        let Some(entry) = entries.get_mut(name) else {
            return;
        };
        if entry.target == TargetState::Stopped {
            return;
        }
        match self.worker.task_configs(name, &entry.config).await {
            Some(Ok(task_configs)) if task_configs != entry.task_configs => {
                info!(connector = %name, tasks = task_configs.len(), "Task configs changed; restarting tasks.");
                self.replace_tasks(name, entry, task_configs).await;
            }
            Some(Err(e)) => {
                warn!(connector = %name, error = %e, "Connector failed to reconfigure its tasks.")
            }
            _ => {}
        }
    }

    fn require_stopped(&self, name: &str, entry: &Entry) -> Result<()> {
        if entry.target != TargetState::Stopped {
            return Err(RuntimeError::FailedPrecondition(format!(
                "Connectors must be in the STOPPED state before their offsets can be modified. Stop connector {name} first (StopConnector)."
            )));
        }
        Ok(())
    }

    fn sink_offsets(&self, name: &str, entry: &Entry) -> SinkOffsets {
        SinkOffsets::new(self.worker.config(), name, &entry.config)
    }

    /// A connector's committed offsets: source partitions from the offset store, sink
    /// partitions from its consumer group.
    pub async fn offsets(&self, name: &str) -> Result<Vec<(OffsetMap, OffsetMap)>> {
        let entries = self.entries.lock().await;
        let entry = entries
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        match entry.plugin.connector_type() {
            Some(ConnectorType::Sink) => self.sink_offsets(name, entry).get().await,
            _ => Ok(self.worker.offsets().connector_offsets(name)),
        }
    }

    /// Alters some offsets of a STOPPED connector (KIP-875); returns the outcome message.
    pub async fn alter_offsets(&self, name: &str, offsets: Vec<OffsetEntry>) -> Result<String> {
        let entries = self.entries.lock().await;
        let entry = entries
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        self.require_stopped(name, entry)?;
        if offsets.is_empty() {
            return Err(RuntimeError::InvalidRequest(
                "The offsets to alter may not be empty".to_string(),
            ));
        }
        match (entry.plugin.connector_type(), entry.plugin.factory) {
            (Some(ConnectorType::Sink), _) => {
                self.sink_offsets(name, entry).alter(&offsets).await?;
                Ok("The offsets for this connector have been altered successfully".to_string())
            }
            (_, connect_core::plugin::PluginFactory::Source { connector, .. }) => {
                let by_partition: BTreeMap<String, Option<OffsetMap>> = offsets
                    .iter()
                    .map(|(p, o)| (serde_json::to_string(p).unwrap_or_default(), o.clone()))
                    .collect();
                let instance = connector();
                let understood = instance
                    .alter_offsets(&entry.config, &by_partition)
                    .await
                    .map_err(|e| {
                        RuntimeError::InvalidRequest(format!(
                            "The connector rejected the offsets: {}",
                            e.message()
                        ))
                    })?;
                self.worker.offsets().write(name, offsets).await?;
                Ok(if understood {
                    "The offsets for this connector have been altered successfully".to_string()
                } else {
                    "The Connect framework-managed offsets for this connector have been altered successfully. However, if this connector manages offsets externally, they will need to be manually altered in the system that the connector uses.".to_string()
                })
            }
            _ => Err(RuntimeError::Internal(
                "connector without a factory".to_string(),
            )),
        }
    }

    /// Resets every offset of a STOPPED connector (KIP-875).
    pub async fn reset_offsets(&self, name: &str) -> Result<String> {
        let entries = self.entries.lock().await;
        let entry = entries
            .get(name)
            .ok_or_else(|| RuntimeError::ConnectorNotFound(name.to_string()))?;
        self.require_stopped(name, entry)?;
        match entry.plugin.connector_type() {
            Some(ConnectorType::Sink) => self.sink_offsets(name, entry).reset().await?,
            _ => self.worker.offsets().remove_connector(name).await?,
        }
        Ok("The offsets for this connector have been reset successfully".to_string())
    }

    /// Stops every task (flushing and committing) and connector.
    pub async fn shutdown(&self) {
        let _entries = self.entries.lock().await;
        self.worker.shutdown().await;
        info!("Worker stopped.");
    }
}

async fn reconfigure_loop(herder: Weak<Herder>, mut requests: mpsc::UnboundedReceiver<String>) {
    while let Some(name) = requests.recv().await {
        let Some(herder) = herder.upgrade() else {
            return;
        };
        herder.reconfigure(&name).await;
    }
}
