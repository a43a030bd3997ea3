//! The worker: starts and stops connector instances and their tasks.
//!
//! Each task runs in its own tokio task with its own Kafka client (a producer per source
//! task, a consumer per sink task, as Kafka Connect does), is told what to do through a
//! `watch` channel (run, pause, stop), and reports its state to the status hub. A panic in
//! plugin code fails that task only. The worker decides nothing about *what* should run:
//! that is the herder's job, so the same worker serves standalone and distributed modes.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use connect_core::ConnectError;
use connect_core::config::Properties;
use connect_core::connector::{
    Connector, ConnectorContext, ConnectorType, SinkConnector, SourceConnector,
};
use connect_core::plugin::{Plugin, PluginFactory, PluginRegistry};
use connect_transforms::chain::TransformChain;
use futures::FutureExt;
use tokio::sync::{Mutex, mpsc, watch};
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::connector_config::tasks_max;
use crate::errors::{ErrorHandler, ErrorHandlingConfig};
use crate::kafka::{CONSUMER_DEFAULTS, ClientKind, PRODUCER_DEFAULTS, client_config};
use crate::offsets::OffsetStore;
use crate::plugins::build_converters;
use crate::sink_task::SinkTaskExecutor;
use crate::source_task::SourceTaskExecutor;
use crate::status::{State, StatusHub};
use crate::task_common::{TaskEnv, TaskTarget, describe};
use crate::worker_config::WorkerConfig;

/// Which client a task needs, its defaults, and per-task settings (group and client ids).
type ClientSetup = (
    ClientKind,
    &'static [(&'static str, &'static str)],
    Vec<(String, String)>,
);

/// A connector instance of either kind.
enum ConnectorInstance {
    Source(Box<dyn SourceConnector>),
    Sink(Box<dyn SinkConnector>),
}

impl ConnectorInstance {
    fn as_connector(&mut self) -> &mut dyn Connector {
        match self {
            ConnectorInstance::Source(c) => c.as_mut(),
            ConnectorInstance::Sink(c) => c.as_mut(),
        }
    }
}

/// Runs connector plugin code, turning a panic into an error so one faulty connector
/// cannot take the worker down.
async fn guarded<T>(
    work: impl Future<Output = Result<T, ConnectError>>,
    doing: &str,
) -> Result<T, ConnectError> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            Err(ConnectError::connect(format!(
                "the connector panicked while {doing}"
            )))
        })
}

struct RunningTask {
    id: u32,
    control: watch::Sender<TaskTarget>,
    handle: JoinHandle<()>,
}

/// What the connector asks of the runtime, passed on to the herder and the status hub.
struct RuntimeConnectorContext {
    name: String,
    hub: Arc<StatusHub>,
    reconfigure: mpsc::UnboundedSender<String>,
}

impl ConnectorContext for RuntimeConnectorContext {
    fn request_task_reconfiguration(&self) {
        let _ = self.reconfigure.send(self.name.clone());
    }

    fn raise_error(&self, error: ConnectError) {
        self.hub.set_connector(
            &self.name,
            None,
            State::Failed,
            Some(describe("Connector failed", &error)),
        );
    }
}

/// Runs connectors and tasks on this process.
pub struct Worker {
    config: WorkerConfig,
    registry: Arc<PluginRegistry>,
    offsets: Arc<dyn OffsetStore>,
    hub: Arc<StatusHub>,
    connectors: Mutex<HashMap<String, ConnectorInstance>>,
    tasks: Mutex<HashMap<String, Vec<RunningTask>>>,
    reconfigure: mpsc::UnboundedSender<String>,
}

impl Worker {
    /// A worker; `reconfigure` receives the names of connectors asking for new task configs.
    pub fn new(
        config: WorkerConfig,
        registry: Arc<PluginRegistry>,
        offsets: Arc<dyn OffsetStore>,
        hub: Arc<StatusHub>,
        reconfigure: mpsc::UnboundedSender<String>,
    ) -> Self {
        Self {
            config,
            registry,
            offsets,
            hub,
            connectors: Mutex::new(HashMap::new()),
            tasks: Mutex::new(HashMap::new()),
            reconfigure,
        }
    }

    /// The worker's settings.
    pub fn config(&self) -> &WorkerConfig {
        &self.config
    }

    /// The source offset store.
    pub fn offsets(&self) -> &Arc<dyn OffsetStore> {
        &self.offsets
    }

    /// Creates and starts a connector instance and returns its task configs. A failure is
    /// recorded in the connector's status (FAILED with the cause) and returned.
    pub async fn start_connector(
        &self,
        name: &str,
        plugin: &Plugin,
        config: &Properties,
        paused: bool,
    ) -> Result<Vec<Properties>, ConnectError> {
        let connector_type = plugin.connector_type();
        let mut instance = match plugin.factory {
            PluginFactory::Source { connector, .. } => ConnectorInstance::Source(connector()),
            PluginFactory::Sink { connector, .. } => ConnectorInstance::Sink(connector()),
            _ => {
                return Err(ConnectError::connect(format!(
                    "{} is not a connector",
                    plugin.class_name
                )));
            }
        };
        let context = Arc::new(RuntimeConnectorContext {
            name: name.to_string(),
            hub: self.hub.clone(),
            reconfigure: self.reconfigure.clone(),
        });
        let started = guarded(instance.as_connector().start(config, context), "starting").await;
        if let Err(e) = started {
            self.hub.set_connector(
                name,
                connector_type,
                State::Failed,
                Some(describe("Connector failed to start", &e)),
            );
            return Err(e);
        }
        let task_configs = match instance.as_connector().task_configs(tasks_max(config)) {
            Ok(mut configs) => {
                configs.truncate(tasks_max(config));
                for task_config in &mut configs {
                    task_config
                        .entry("name".to_string())
                        .or_insert_with(|| name.to_string());
                }
                configs
            }
            Err(e) => {
                self.hub.set_connector(
                    name,
                    connector_type,
                    State::Failed,
                    Some(describe("Connector failed to generate task configs", &e)),
                );
                let _ = instance.as_connector().stop().await;
                return Err(e);
            }
        };
        let state = if paused {
            State::Paused
        } else {
            State::Running
        };
        self.hub.set_connector(name, connector_type, state, None);
        self.connectors
            .lock()
            .await
            .insert(name.to_string(), instance);
        info!(connector = %name, tasks = task_configs.len(), "Connector started.");
        Ok(task_configs)
    }

    /// Asks a running connector for task configs again (after it requested a reconfiguration).
    pub async fn task_configs(
        &self,
        name: &str,
        config: &Properties,
    ) -> Option<Result<Vec<Properties>, ConnectError>> {
        let mut connectors = self.connectors.lock().await;
        let instance = connectors.get_mut(name)?;
        Some(
            instance
                .as_connector()
                .task_configs(tasks_max(config))
                .map(|mut configs| {
                    configs.truncate(tasks_max(config));
                    for task_config in &mut configs {
                        task_config
                            .entry("name".to_string())
                            .or_insert_with(|| name.to_string());
                    }
                    configs
                }),
        )
    }

    /// Stops a connector instance (not its tasks).
    pub async fn stop_connector(&self, name: &str) {
        let instance = self.connectors.lock().await.remove(name);
        if let Some(mut instance) = instance {
            let stopped = guarded(instance.as_connector().stop(), "stopping").await;
            if let Err(e) = stopped {
                warn!(connector = %name, error = %e, "Connector failed to stop cleanly.");
            }
            info!(connector = %name, "Connector stopped.");
        }
    }

    /// Marks a connector instance paused or running in its status.
    pub fn set_connector_state(&self, name: &str, state: State) {
        self.hub.set_connector(name, None, state, None);
    }

    /// Starts the tasks of a connector from their configs.
    pub async fn start_tasks(
        &self,
        name: &str,
        plugin: &Plugin,
        config: &Properties,
        task_configs: &[Properties],
        target: TaskTarget,
    ) {
        for (id, task_config) in task_configs.iter().enumerate() {
            self.start_task(name, plugin, config, id as u32, task_config, target)
                .await;
        }
    }

    /// Starts one task. Problems building it (converters, Kafka client) fail that task.
    pub async fn start_task(
        &self,
        name: &str,
        plugin: &Plugin,
        config: &Properties,
        id: u32,
        task_config: &Properties,
        target: TaskTarget,
    ) {
        self.hub.set_task(name, id, State::Unassigned, None);
        let (control, control_rx) = watch::channel(target);
        let hub = self.hub.clone();
        let fail = |context: &str, e: &ConnectError| {
            hub.set_task(name, id, State::Failed, Some(describe(context, e)));
        };
        let converters = match build_converters(&self.registry, &self.config.props, config) {
            Ok(c) => c,
            Err(e) => return fail("Creating converters failed", &e),
        };
        let transforms = match TransformChain::from_config(config, &self.registry) {
            Ok(t) => t,
            Err(e) => return fail("Creating transformations failed", &e),
        };
        let is_sink = plugin.connector_type() == Some(ConnectorType::Sink);
        let error_config = match ErrorHandlingConfig::from_connector_config(config, is_sink) {
            Ok(c) => c,
            Err(e) => return fail("Reading the errors.* settings failed", &e),
        };
        let errors = ErrorHandler::new(
            error_config,
            self.hub.attach_error_counters(name, id),
            name,
            id,
        );
        let (kind, defaults, extra): ClientSetup = match plugin.connector_type() {
            Some(ConnectorType::Source) => (
                ClientKind::Producer,
                PRODUCER_DEFAULTS,
                vec![(
                    "client.id".to_string(),
                    format!("connector-producer-{name}-{id}"),
                )],
            ),
            _ => (
                ClientKind::Consumer,
                CONSUMER_DEFAULTS,
                vec![
                    ("group.id".to_string(), format!("connect-{name}")),
                    (
                        "client.id".to_string(),
                        format!("connector-consumer-{name}-{id}"),
                    ),
                ],
            ),
        };
        let mut client = client_config(
            kind,
            &self.config.bootstrap_servers,
            &self.config.props,
            config,
            defaults,
        );
        for (k, v) in extra {
            // The group id is Kafka Connect's; a client id override wins.
            if k == "group.id" || client.get(&k).is_none() {
                client.set(k, v);
            }
        }
        let env = TaskEnv {
            connector: name.to_string(),
            task_id: id,
            task_config: task_config.clone(),
            connector_config: config.clone(),
            converters,
            transforms,
            errors,
            hub: self.hub.clone(),
            control: control_rx,
            flush_interval: self.config.offset_flush_interval,
            flush_timeout: self.config.offset_flush_timeout,
            client_config: client.clone(),
            worker_props: self.config.props.clone(),
            bootstrap_servers: self.config.bootstrap_servers.clone(),
        };
        let run = match plugin.factory {
            PluginFactory::Source { task, .. } => {
                SourceTaskExecutor::new(env, task(), self.offsets.clone())
                    .run()
                    .boxed()
            }
            PluginFactory::Sink { task, .. } => SinkTaskExecutor::new(env, task()).run().boxed(),
            _ => {
                return fail(
                    "Not a connector",
                    &ConnectError::connect(plugin.class_name.to_string()),
                );
            }
        };
        let panic_hub = self.hub.clone();
        let connector = name.to_string();
        let handle = tokio::spawn(async move {
            if let Err(panic) = AssertUnwindSafe(run).catch_unwind().await {
                let reason = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                panic_hub.set_task(
                    &connector,
                    id,
                    State::Failed,
                    Some(format!("Task panicked: {reason}")),
                );
            }
        });
        self.tasks
            .lock()
            .await
            .entry(name.to_string())
            .or_default()
            .push(RunningTask {
                id,
                control,
                handle,
            });
    }

    /// Tells every task of a connector to run or pause.
    pub async fn set_task_target(&self, name: &str, target: TaskTarget) {
        if let Some(tasks) = self.tasks.lock().await.get(name) {
            for task in tasks {
                let _ = task.control.send(target);
            }
        }
    }

    /// Stops tasks of a connector (all, or only `only`), waiting for each to flush and
    /// commit within the graceful shutdown timeout; a task that takes longer is abandoned.
    pub async fn stop_tasks(&self, name: &str, only: Option<&[u32]>) -> Vec<u32> {
        let stopping: Vec<RunningTask> = {
            let mut tasks = self.tasks.lock().await;
            let Some(running) = tasks.get_mut(name) else {
                return Vec::new();
            };
            let (stop, keep): (Vec<RunningTask>, Vec<RunningTask>) = running
                .drain(..)
                .partition(|t| only.is_none_or(|ids| ids.contains(&t.id)));
            *running = keep;
            stop
        };
        for task in &stopping {
            let _ = task.control.send(TaskTarget::Stopped);
        }
        let deadline = self.config.task_shutdown_timeout + self.config.offset_flush_timeout;
        let mut ids = Vec::with_capacity(stopping.len());
        for task in stopping {
            ids.push(task.id);
            let abort = task.handle.abort_handle();
            if tokio::time::timeout(deadline, task.handle).await.is_err() {
                warn!(connector = %name, task = task.id, "Task did not stop in time; abandoning it.");
                abort.abort();
            }
        }
        ids
    }

    /// Ids of the running tasks of a connector.
    pub async fn task_ids(&self, name: &str) -> Vec<u32> {
        self.tasks
            .lock()
            .await
            .get(name)
            .map(|tasks| tasks.iter().map(|t| t.id).collect())
            .unwrap_or_default()
    }

    /// Stops everything: tasks first (flushing and committing), then connectors.
    pub async fn shutdown(&self) {
        let names: Vec<String> = self.tasks.lock().await.keys().cloned().collect();
        let stops = names.iter().map(|name| self.stop_tasks(name, None));
        futures::future::join_all(stops).await;
        let names: Vec<String> = self.connectors.lock().await.keys().cloned().collect();
        for name in names {
            self.stop_connector(&name).await;
        }
    }
}
