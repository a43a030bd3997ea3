//! Serving the REST API: binding, reading the topic in the background, and stopping.
//!
//! The listener is bound first, so a port conflict is reported at once; the topic is read
//! in the background, retrying while Kafka is unreachable (a registry embedded in
//! `connectd` must not stop the worker from starting when Kafka is late, the same way
//! connectors wait for it). Requests that arrive before the topic was read to its end
//! wait a little for it, then get error 50002: an answer from a half-read topic could
//! hand out an id that is already taken.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::RegistryError;
use crate::registry::{Registry, SharedRegistry};
use crate::routes::router;
use crate::store::StoreOptions;

/// How long a request waits for the topic to be read before giving up.
const REQUEST_WAIT: Duration = Duration::from_secs(5);

/// Retry delays while Kafka cannot be reached: doubling from the first to the last.
const RETRY_FIRST: Duration = Duration::from_millis(500);
const RETRY_MAX: Duration = Duration::from_secs(10);

/// Whether the topic has been read.
#[derive(Clone)]
pub(crate) enum Loading {
    /// Not yet; the text says what is happening or what failed last.
    Pending(String),
    /// Ready to serve.
    Ready(SharedRegistry),
}

/// What every handler gets: the registry once it is loaded.
#[derive(Clone)]
pub(crate) struct AppState {
    status: watch::Receiver<Loading>,
    topic: Arc<str>,
}

impl AppState {
    /// The loaded registry, waiting up to [`REQUEST_WAIT`] for it.
    pub(crate) async fn registry(&self) -> Result<SharedRegistry, RegistryError> {
        let mut status = self.status.clone();
        let waited = tokio::time::timeout(
            REQUEST_WAIT,
            status.wait_for(|s| matches!(s, Loading::Ready(_))),
        )
        .await;
        if let Ok(Ok(loaded)) = waited
            && let Loading::Ready(registry) = &*loaded
        {
            return Ok(registry.clone());
        }
        let detail = match &*self.status.borrow() {
            Loading::Pending(detail) => detail.clone(),
            Loading::Ready(_) => "loaded".to_owned(),
        };
        Err(RegistryError::NotReady {
            topic: self.topic.to_string(),
            detail,
        })
    }
}

/// A registry serving in the background (what `connectd` and the tests hold).
pub struct RunningRegistry {
    local_addr: SocketAddr,
    status: watch::Receiver<Loading>,
    stop: Option<oneshot::Sender<()>>,
    server: JoinHandle<Result<(), RegistryError>>,
    loader: JoinHandle<()>,
}

impl RunningRegistry {
    /// The address it serves on (the actual port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://HOST:PORT`, the `schema.registry.url` for clients.
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// Waits until the topic has been read and requests are answered, or `timeout`
    /// passed (the error says what was last wrong).
    pub async fn ready(&self, timeout: Duration) -> Result<(), RegistryError> {
        let mut status = self.status.clone();
        let waited =
            tokio::time::timeout(timeout, status.wait_for(|s| matches!(s, Loading::Ready(_))))
                .await;
        match waited {
            Ok(Ok(_)) => Ok(()),
            _ => Err(RegistryError::StoreState(match &*self.status.borrow() {
                Loading::Pending(detail) => format!("not ready after {timeout:?}: {detail}"),
                Loading::Ready(_) => "ready".to_owned(),
            })),
        }
    }

    /// Stops accepting requests, lets open ones finish, and stops reading the topic.
    pub async fn shutdown(mut self) -> Result<(), RegistryError> {
        if let Some(stop) = self.stop.take() {
            // The server may have ended already; then there is nothing to stop.
            let _ = stop.send(());
        }
        self.loader.abort();
        let served = (&mut self.server)
            .await
            .map_err(|err| RegistryError::Serve(std::io::Error::other(err)))?;
        info!(addr = %self.local_addr, "Schema registry stopped.");
        served
    }
}

impl Drop for RunningRegistry {
    /// A registry dropped without [`RunningRegistry::shutdown`] stops too: the server
    /// sees its stop channel close, and the loader must not retry Kafka forever.
    fn drop(&mut self) {
        self.loader.abort();
    }
}

/// Binds `listen` and serves the registry kept in `options.topic` until
/// [`RunningRegistry::shutdown`].
pub async fn start(
    listen: SocketAddr,
    options: StoreOptions,
) -> Result<RunningRegistry, RegistryError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| RegistryError::Bind {
            addr: listen,
            source,
        })?;
    let local_addr = listener.local_addr().map_err(RegistryError::Serve)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let (status, loader) = spawn_loader(options.clone());
    let app = AppState {
        status: status.clone(),
        topic: Arc::from(options.topic.as_str()),
    };
    let server = tokio::spawn(serve_http(listener, app, async move {
        // A dropped handle stops the server as `shutdown` would.
        let _ = stopped.await;
    }));
    info!(
        addr = %local_addr,
        topic = %options.topic,
        bootstrap_servers = %options.bootstrap_servers,
        "Schema registry listening (Confluent REST API)."
    );
    Ok(RunningRegistry {
        local_addr,
        status,
        stop: Some(stop),
        server,
        loader,
    })
}

/// Serves on an already bound listener until `shutdown` resolves: what the
/// `schema-registry` binary runs.
pub async fn serve(
    listener: TcpListener,
    options: StoreOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RegistryError> {
    let (status, loader) = spawn_loader(options.clone());
    let app = AppState {
        status,
        topic: Arc::from(options.topic.as_str()),
    };
    let served = serve_http(listener, app, shutdown).await;
    loader.abort();
    served
}

async fn serve_http(
    listener: TcpListener,
    app: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), RegistryError> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(RegistryError::Serve)
}

/// Reads the topic in the background, retrying with backoff until it succeeds.
fn spawn_loader(options: StoreOptions) -> (watch::Receiver<Loading>, JoinHandle<()>) {
    let (tx, rx) = watch::channel(Loading::Pending(format!(
        "connecting to Kafka at {}",
        options.bootstrap_servers
    )));
    let loader = tokio::spawn(async move {
        let mut delay = RETRY_FIRST;
        loop {
            match Registry::open(options.clone()).await {
                Ok(registry) => {
                    tx.send_replace(Loading::Ready(Arc::new(registry)));
                    info!(topic = %options.topic, "Schema registry ready.");
                    return;
                }
                Err(err) => {
                    warn!(
                        topic = %options.topic,
                        bootstrap_servers = %options.bootstrap_servers,
                        error = %err,
                        retry_in_ms = delay.as_millis(),
                        "Schema registry cannot read its topic yet; retrying."
                    );
                    tx.send_replace(Loading::Pending(err.to_string()));
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(RETRY_MAX);
                }
            }
        }
    });
    (rx, loader)
}
