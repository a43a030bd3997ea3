//! Assembling a standalone worker from `connectd`'s flags: Kafka (configured or embedded),
//! the worker config, the state files, the plugin registry and the herder, then the
//! connector files given on the command line.

use std::path::Path;
use std::sync::Arc;

use connect_core::Properties;
use connect_core::config_file::{load_config_file, load_connector_file};
use connect_runtime::worker_config::{BOOTSTRAP_SERVERS, CONFIG_STORAGE_FILE, OFFSET_STORAGE_FILE};
use connect_runtime::{
    ConfigStore, FileConfigStore, FileOffsetStore, Herder, OffsetStore, StatusHub, WorkerConfig,
};
use tracing::{info, warn};

use crate::{Config, ServerError};

/// How many status changes a watcher may lag behind before it is disconnected.
const STATUS_BUFFER: usize = 4096;

/// A running worker and what it depends on.
pub struct Worker {
    /// The control plane.
    pub herder: Arc<Herder>,
    /// The in-process broker, when no Kafka was configured.
    #[cfg(feature = "embedded-kafka")]
    pub broker: Option<crate::embedded_broker::EmbeddedBroker>,
    /// The Kafka the worker uses (configured or embedded), for the other services that
    /// keep their state there (the schema registry).
    pub bootstrap_servers: String,
}

impl Worker {
    /// Whether the worker runs on the broker it started itself (the zero-setup mode, in
    /// which companions such as the schema registry start by default too).
    #[cfg(feature = "embedded-kafka")]
    pub fn runs_embedded_kafka(&self) -> bool {
        self.broker.is_some()
    }

    /// Whether the worker runs on the broker it started itself: never, in a build
    /// without one.
    #[cfg(not(feature = "embedded-kafka"))]
    pub fn runs_embedded_kafka(&self) -> bool {
        false
    }

    /// Stops connectors and tasks (flushing and committing), then the embedded broker.
    pub async fn shutdown(self) {
        self.herder.shutdown().await;
        #[cfg(feature = "embedded-kafka")]
        if let Some(broker) = self.broker {
            broker.shutdown().await;
        }
    }
}

/// Builds and starts the worker; `worker_id` names it in statuses.
pub async fn start_worker(config: &Config, worker_id: String) -> Result<Worker, ServerError> {
    let mut props: Properties = match &config.worker_config {
        Some(path) => load_config_file(path)?,
        None => Properties::new(),
    };
    if let Some(bootstrap) = &config.bootstrap_servers {
        props.insert(BOOTSTRAP_SERVERS.to_string(), bootstrap.clone());
    }
    std::fs::create_dir_all(&config.data_dir).map_err(|source| ServerError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;

    #[cfg(feature = "embedded-kafka")]
    let mut broker = None;
    let mut volatile_kafka = false;
    if props
        .get(BOOTSTRAP_SERVERS)
        .is_none_or(|b| b.trim().is_empty())
    {
        #[cfg(feature = "embedded-kafka")]
        {
            use crate::embedded_broker::{EmbeddedBroker, StorageChoice};
            // With local-file storage the broker's records survive restarts like our own
            // state does; a memory-only build keeps offsets in memory to match.
            #[cfg(feature = "embedded-kafka-sqlite")]
            let storage = StorageChoice::SqliteFile(config.data_dir.join("embedded-kafka.db"));
            #[cfg(not(feature = "embedded-kafka-sqlite"))]
            let storage = StorageChoice::Memory;
            volatile_kafka = storage == StorageChoice::Memory;
            let started = EmbeddedBroker::start(config.embedded_kafka_listen, storage).await?;
            info!(
                bootstrap = %started.bootstrap_servers(),
                storage = %started.storage_description(),
                "No Kafka configured: started an embedded Kafka-compatible broker (tansu). Set --bootstrap-servers to use a real cluster."
            );
            props.insert(BOOTSTRAP_SERVERS.to_string(), started.bootstrap_servers());
            broker = Some(started);
        }
        #[cfg(not(feature = "embedded-kafka"))]
        return Err(ServerError::NoKafka);
    }

    let state_file = |key: &str, default: &str| {
        props
            .get(key)
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| config.data_dir.join(default))
    };
    let configs_path = state_file(CONFIG_STORAGE_FILE, "connectors.json");
    let offsets_path = state_file(OFFSET_STORAGE_FILE, "offsets.json");
    let worker_config = WorkerConfig::new(props, worker_id.clone())?;
    let store: Arc<dyn ConfigStore> = Arc::new(FileConfigStore::open(&configs_path)?);
    let offsets: Arc<dyn OffsetStore> = if volatile_kafka {
        // The embedded broker keeps records in memory: offsets into data that is gone after
        // a restart would skip everything, so they live exactly as long as the data.
        warn!("Source offsets are kept in memory because the embedded broker's topics are.");
        Arc::new(FileOffsetStore::in_memory())
    } else {
        Arc::new(FileOffsetStore::open(&offsets_path)?)
    };
    info!(
        worker_id = %worker_id,
        bootstrap = %worker_config.bootstrap_servers,
        connectors_file = %configs_path.display(),
        offsets_file = %if volatile_kafka { "memory".to_string() } else { offsets_path.display().to_string() },
        "Starting worker."
    );
    let registry = Arc::new(connect_connectors::registry());
    let hub = Arc::new(StatusHub::new(worker_id, STATUS_BUFFER));
    let bootstrap_servers = worker_config.bootstrap_servers.clone();
    let herder = Herder::start(worker_config, registry, store, offsets, hub).await?;
    for path in &config.connector_files {
        apply_connector_file(&herder, path).await?;
    }
    Ok(Worker {
        herder,
        #[cfg(feature = "embedded-kafka")]
        broker,
        bootstrap_servers,
    })
}

/// Creates or replaces the connector a file describes (connect-standalone semantics).
async fn apply_connector_file(herder: &Herder, path: &Path) -> Result<(), ServerError> {
    let file = load_connector_file(path)?;
    let (_, created) = herder
        .update(&file.name, file.config, true)
        .await
        .map_err(|source| ServerError::ConnectorFile {
            path: path.to_path_buf(),
            source: Box::new(source),
        })?;
    info!(connector = %file.name, file = %path.display(), created, "Connector from file applied.");
    Ok(())
}
