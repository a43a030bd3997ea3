//! The built-in Schema Registry (`connect-schema-registry`) next to the worker: when it
//! runs, and starting and stopping it with `connectd`.
//!
//! It keeps its state in the worker's Kafka, so it starts after the worker (which may
//! have started the embedded broker). It is on by default only in the zero-setup mode,
//! where nothing else could provide a registry; with an external Kafka, a registry
//! usually exists already and Confluent's port would clash with it, so it takes
//! `--schema-registry-listen` to run one there.

use std::net::{Ipv4Addr, SocketAddr};

use connect_schema_registry::{RunningRegistry, StoreOptions};
use tracing::{info, warn};

use crate::worker_setup::Worker;
use crate::{Config, ServerError};

/// Where the registry listens when nobody said: Confluent's port, on loopback.
pub const DEFAULT_SCHEMA_REGISTRY_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 8081);

/// Whether and where to run the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Plan {
    listen: SocketAddr,
    /// Asked for with a flag: failing to start it is an error, not a warning.
    explicit: bool,
}

fn plan(config: &Config, embedded_kafka: bool) -> Option<Plan> {
    if config.no_schema_registry {
        return None;
    }
    match config.schema_registry_listen {
        Some(listen) => Some(Plan {
            listen,
            explicit: true,
        }),
        None if embedded_kafka => Some(Plan {
            listen: DEFAULT_SCHEMA_REGISTRY_LISTEN,
            explicit: false,
        }),
        None => None,
    }
}

/// Starts the registry if `config` and the worker's Kafka call for one.
///
/// A registry that only runs by default does not stop `connectd` when its port is taken
/// (another registry may well be there): that is logged and the worker runs without it.
pub(crate) async fn start(
    config: &Config,
    worker: &Worker,
) -> Result<Option<RunningRegistry>, ServerError> {
    let Some(plan) = plan(config, worker.runs_embedded_kafka()) else {
        return Ok(None);
    };
    let mut options = StoreOptions::new(worker.bootstrap_servers.clone());
    options.topic = config.schema_registry_topic.clone();
    match connect_schema_registry::start(plan.listen, options).await {
        Ok(registry) => {
            info!(
                url = %registry.url(),
                topic = %config.schema_registry_topic,
                "Serving the Schema Registry (Confluent REST API). --no-schema-registry turns it off."
            );
            Ok(Some(registry))
        }
        Err(err) if !plan.explicit => {
            warn!(
                error = %err,
                "The default Schema Registry could not start; running without it (set --schema-registry-listen to choose another address)."
            );
            Ok(None)
        }
        Err(err) => Err(ServerError::SchemaRegistry(Box::new(err))),
    }
}

/// Stops a running registry (before the broker it keeps its state in).
pub(crate) async fn stop(registry: Option<RunningRegistry>) {
    if let Some(registry) = registry
        && let Err(err) = registry.shutdown().await
    {
        warn!(error = %err, "The Schema Registry did not stop cleanly.");
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn config(args: &[&str]) -> Config {
        Config::try_parse_from(std::iter::once("connectd").chain(args.iter().copied()))
            .expect("valid flags")
    }

    #[test]
    fn on_by_default_only_with_the_embedded_broker() {
        let default = Some(Plan {
            listen: DEFAULT_SCHEMA_REGISTRY_LISTEN,
            explicit: false,
        });
        assert_eq!(plan(&config(&[]), true), default);
        assert_eq!(plan(&config(&[]), false), None);
        assert_eq!(plan(&config(&["--no-schema-registry"]), true), None);
        let asked = config(&["--schema-registry-listen", "127.0.0.1:18081"]);
        let explicit = Some(Plan {
            listen: "127.0.0.1:18081".parse().expect("address"),
            explicit: true,
        });
        assert_eq!(plan(&asked, false), explicit);
        assert_eq!(plan(&asked, true), explicit);
        let both = config(&[
            "--schema-registry-listen",
            "127.0.0.1:18081",
            "--no-schema-registry",
        ]);
        assert_eq!(plan(&both, true), None);
        assert_eq!(config(&[]).schema_registry_topic, "_schemas");
    }
}
