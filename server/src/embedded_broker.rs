//! A Kafka-compatible broker inside `connectd`, for the zero-setup default.
//!
//! When no bootstrap servers are configured, `connectd` starts a real broker in-process
//! (tansu, Apache-2.0, through the `tansu-broker` crate) so that a first run needs nothing
//! else installed: connectors, the Kafka clients of the runtime and any external Kafka tool
//! talk to it over the Kafka protocol on a loopback port, exactly as they would to a
//! cluster.
//!
//! The broker runs on its own tokio runtime (two worker threads named `embedded-kafka`):
//! its work never competes with the gRPC server's tasks for a worker, a panic inside it
//! stays inside it, and [`EmbeddedBroker::shutdown`] ends every task it spawned by
//! shutting that runtime down (tansu offers no other way to stop a broker it is serving).
//!
//! tansu logs through `tracing` under the targets `tansu_broker`, `tansu_storage`,
//! `tansu_service` and `tansu_sans_io`, into whatever subscriber the process installed.
//! It is chatty: with memory storage, `tansu_storage` logs the result of every object-store
//! read at `info` (about 180 lines for producing and consuming 1000 records), and the group
//! coordinator logs member joins at `info`. A filter such as
//! `info,tansu_storage=warn,tansu_broker=warn,tansu_service=warn` keeps only its warnings
//! and errors. With `silent(true)`, which this module sets, it prints nothing on stdout.
//!
//! What `tansu-broker` 0.6.0 does (checked with rdkafka): explicit topic creation through
//! the admin API (configs such as `cleanup.policy=compact` kept and described), produce
//! with the idempotent producer, consumer groups with several members, offset commits and
//! fetches, topic deletion. What it does not: topics are never auto-created (produce to an
//! unknown topic times out, so create topics first), transactions (`EndTxn` is not
//! offered: a transactional producer fails at commit) and static group membership
//! (`group.instance.id`: the member never gets an assignment).
//!
//! Only compiled with the `embedded-kafka` cargo feature (on by default).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener as StdTcpListener};
#[cfg(feature = "embedded-kafka-sqlite")]
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tansu_broker::broker::Broker;
use tansu_broker::coordinator::group::administrator::Controller;
use tansu_storage::StorageContainer;
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;
use url::Url;

/// The cluster id the embedded broker reports in metadata.
///
/// Fixed rather than random so that data kept on disk by one run is found again by the
/// next one (tansu scopes stored topics and offsets by cluster id).
pub const EMBEDDED_CLUSTER_ID: &str = "connectd-embedded";

/// The broker's node id, tansu's own default (`tansu_broker::NODE_ID`).
const NODE_ID: i32 = tansu_broker::NODE_ID;

/// How long [`EmbeddedBroker::start`] waits for the broker to accept connections.
///
/// Memory storage is ready in milliseconds; a SQLite file on a slow disk takes longer to
/// create its schema. Ten seconds is far above both, and short enough to fail visibly.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`EmbeddedBroker::shutdown`] lets the broker's tasks finish before they are
/// dropped.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Where the embedded broker keeps topics, records, consumer-group offsets and producer
/// state.
///
/// A choice rather than a URL so that `connectd` only offers what this build can do and
/// describes it to the user in plain words ([`EmbeddedBroker::storage_description`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StorageChoice {
    /// In memory: nothing to set up, and everything is lost when `connectd` stops. Fits
    /// a demo or a test; not data anyone wants to keep.
    Memory,

    /// A local SQLite database file (tansu's `sqlite://` engine, libsql), created when
    /// missing: records and offsets survive a restart of `connectd`. Needs the
    /// `embedded-kafka-sqlite` cargo feature, which compiles libsql's bundled C code.
    #[cfg(feature = "embedded-kafka-sqlite")]
    SqliteFile(PathBuf),
}

impl StorageChoice {
    /// The tansu storage URL for this choice.
    fn storage_url(&self) -> Result<Url, EmbeddedBrokerError> {
        match self {
            StorageChoice::Memory => parse_url("memory://tansu/"),
            #[cfg(feature = "embedded-kafka-sqlite")]
            StorageChoice::SqliteFile(path) => {
                // tansu joins the URL's path onto its current directory after removing one
                // leading '/': "sqlite:////abs/file.db" has the path "//abs/file.db", which
                // leaves "/abs/file.db", an absolute path that the join keeps as it is.
                let absolute =
                    std::path::absolute(path).map_err(|source| EmbeddedBrokerError::DataPath {
                        path: path.clone(),
                        source,
                    })?;
                if let Some(parent) = absolute.parent() {
                    std::fs::create_dir_all(parent).map_err(|source| {
                        EmbeddedBrokerError::DataPath {
                            path: parent.to_path_buf(),
                            source,
                        }
                    })?;
                }
                let text = absolute
                    .to_str()
                    .ok_or_else(|| EmbeddedBrokerError::DataPath {
                        path: absolute.clone(),
                        source: io::Error::new(io::ErrorKind::InvalidInput, "path is not UTF-8"),
                    })?;
                parse_url(&format!("sqlite:///{text}"))
            }
        }
    }

    /// Plain-words description for logs and status output.
    fn describe(&self) -> String {
        match self {
            StorageChoice::Memory => "memory (records are lost when connectd stops)".to_owned(),
            #[cfg(feature = "embedded-kafka-sqlite")]
            StorageChoice::SqliteFile(path) => format!("SQLite file {}", path.display()),
        }
    }
}

/// Why the embedded broker could not start.
///
/// Each variant names what was being done, so the single line `connectd` logs before
/// exiting is enough to act on (pick another port, fix a data path).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbeddedBrokerError {
    /// Port 0 was asked for, and the OS would not hand out a free port on that address.
    #[error("cannot find a free port on {addr} for the embedded broker: {source}")]
    FreePort {
        /// The requested address, port 0.
        addr: SocketAddr,
        /// The operating system's reason.
        #[source]
        source: io::Error,
    },

    /// The broker's own tokio runtime could not be created (thread limits).
    #[error("cannot start the embedded broker's runtime: {0}")]
    Runtime(#[source] io::Error),

    /// A listener or storage URL could not be formed; points at a bug, not at the
    /// environment.
    #[error("invalid embedded broker URL {url}: {source}")]
    Url {
        /// The text that did not parse.
        url: String,
        /// The parser's reason.
        #[source]
        source: url::ParseError,
    },

    /// The data file's location cannot be used (no permission, not UTF-8).
    #[error("cannot use {path} for the embedded broker's data: {source}")]
    DataPath {
        /// The path that failed.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },

    /// tansu reported an error while opening its storage or binding its listener (for
    /// example, the address is already in use).
    #[error("embedded broker on {addr} failed: {source}")]
    Broker {
        /// The address the broker was to listen on.
        addr: SocketAddr,
        /// tansu's error.
        #[source]
        source: Box<tansu_broker::Error>,
    },

    /// The broker task ended (panicked or returned) before it accepted a connection.
    #[error("embedded broker on {addr} stopped while starting: {reason}")]
    Stopped {
        /// The address the broker was to listen on.
        addr: SocketAddr,
        /// What the task's end said.
        reason: String,
    },

    /// The broker was still not accepting connections when [`STARTUP_TIMEOUT`] ran out.
    #[error("embedded broker did not accept connections on {addr} within {timeout:?}")]
    NotReady {
        /// The address the broker was to listen on.
        addr: SocketAddr,
        /// How long start waited.
        timeout: Duration,
    },
}

/// A running in-process Kafka-compatible broker.
///
/// Hand [`bootstrap_servers`](Self::bootstrap_servers) to every Kafka client, and call
/// [`shutdown`](Self::shutdown) on the way out so that in-flight requests end before the
/// process does. Dropping it without `shutdown` stops the broker too, without waiting.
#[derive(Debug)]
pub struct EmbeddedBroker {
    addr: SocketAddr,
    advertised: SocketAddr,
    storage: StorageChoice,
    task: JoinHandle<Result<(), tansu_broker::Error>>,
    runtime: Option<Runtime>,
}

impl EmbeddedBroker {
    /// Starts a broker listening on `listen` with `storage`, and returns once it accepts
    /// Kafka connections.
    ///
    /// Port 0 picks a free port (if another process takes it in the instant between the
    /// pick and tansu's bind, start tries again with a new one). An unspecified address
    /// (`0.0.0.0`, `[::]`) listens on every interface and advertises loopback to clients:
    /// the embedded broker is meant for the machine it runs on.
    pub async fn start(
        listen: SocketAddr,
        storage: StorageChoice,
    ) -> Result<EmbeddedBroker, EmbeddedBrokerError> {
        let attempts = if listen.port() == 0 { 3 } else { 1 };
        let mut last_error = None;
        for _ in 0..attempts {
            let addr = if listen.port() == 0 {
                pick_free_port(listen)?
            } else {
                listen
            };
            match Self::start_on(addr, storage.clone()).await {
                Ok(broker) => return Ok(broker),
                Err(err @ EmbeddedBrokerError::Broker { .. }) if listen.port() == 0 => {
                    tracing::debug!(%addr, error = %err, "Embedded broker lost its port, retrying.");
                    last_error = Some(err);
                }
                Err(err) => return Err(err),
            }
        }
        Err(last_error.unwrap_or(EmbeddedBrokerError::NotReady {
            addr: listen,
            timeout: STARTUP_TIMEOUT,
        }))
    }

    async fn start_on(
        addr: SocketAddr,
        storage: StorageChoice,
    ) -> Result<EmbeddedBroker, EmbeddedBrokerError> {
        let started = Instant::now();
        let advertised = advertised_addr(addr);
        let listener_url = parse_url(&format!("tcp://{addr}"))?;
        let advertised_url = parse_url(&format!("tcp://{advertised}"))?;
        let storage_url = storage.storage_url()?;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("embedded-kafka")
            .enable_all()
            .build()
            .map_err(EmbeddedBrokerError::Runtime)?;

        // Everything, storage included, is built on the broker's runtime: tansu's storage
        // engines spawn their helper tasks on the runtime they are built on.
        let task = runtime.spawn(async move {
            // `builder` lives on the generic type; these are the types its `build` returns.
            let mut broker = Broker::<Controller<StorageContainer>, StorageContainer>::builder()
                .node_id(NODE_ID)
                .cluster_id(EMBEDDED_CLUSTER_ID)
                .incarnation_id(uuid::Uuid::new_v4())
                .advertised_listener(advertised_url)
                .storage(storage_url)
                .listener(listener_url)
                .silent(true)
                .build()
                .await?;
            broker.serve(tokio::time::Instant::now()).await
        });

        let mut broker = EmbeddedBroker {
            addr,
            advertised,
            storage,
            task,
            runtime: Some(runtime),
        };
        if let Err(err) = broker.wait_until_accepting().await {
            broker.stop_now();
            return Err(err);
        }
        tracing::info!(
            bootstrap_servers = %broker.bootstrap_servers(),
            storage = %broker.storage_description(),
            startup_ms = started.elapsed().as_millis(),
            "Embedded Kafka broker is ready."
        );
        Ok(broker)
    }

    /// Polls until a TCP connection to the listener succeeds, the broker task ends, or
    /// [`STARTUP_TIMEOUT`] runs out. tansu binds its listener only after its storage is
    /// open and the broker is registered, and then accepts at once, so a successful
    /// connect means ready.
    async fn wait_until_accepting(&mut self) -> Result<(), EmbeddedBrokerError> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if self.task.is_finished() {
                return Err(self.startup_failure().await);
            }
            if tokio::net::TcpStream::connect(self.advertised)
                .await
                .is_ok()
            {
                // A connect can also reach whoever else holds the port; a broker that
                // failed to bind has ended its task by now.
                tokio::time::sleep(Duration::from_millis(5)).await;
                if self.task.is_finished() {
                    return Err(self.startup_failure().await);
                }
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(EmbeddedBrokerError::NotReady {
                    addr: self.addr,
                    timeout: STARTUP_TIMEOUT,
                });
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The error of a broker task that ended while starting.
    async fn startup_failure(&mut self) -> EmbeddedBrokerError {
        let addr = self.addr;
        match (&mut self.task).await {
            Ok(Err(source)) => EmbeddedBrokerError::Broker {
                addr,
                source: Box::new(source),
            },
            Ok(Ok(())) => EmbeddedBrokerError::Stopped {
                addr,
                reason: "the broker returned without an error".to_owned(),
            },
            Err(join_error) => EmbeddedBrokerError::Stopped {
                addr,
                reason: join_error.to_string(),
            },
        }
    }

    /// The `bootstrap.servers` value for Kafka clients, `HOST:PORT`.
    ///
    /// It is the advertised address (loopback when listening on every interface), the
    /// one clients must use for metadata to send them back to the same broker.
    pub fn bootstrap_servers(&self) -> String {
        self.advertised.to_string()
    }

    /// Where the broker keeps its data, in plain words, for logs and status output: users
    /// must be able to see whether their records survive a restart.
    pub fn storage_description(&self) -> String {
        self.storage.describe()
    }

    /// Stops the broker: stops accepting connections, gives in-flight work
    /// a short grace period, then ends every task and thread the broker started.
    ///
    /// Takes `self` so that nothing can use the broker afterwards.
    pub async fn shutdown(mut self) {
        self.task.abort();
        if let Some(runtime) = self.runtime.take() {
            // Shutting a runtime down blocks; never do that on a worker of the caller's.
            let stopped =
                tokio::task::spawn_blocking(move || runtime.shutdown_timeout(SHUTDOWN_GRACE)).await;
            if let Err(err) = stopped {
                tracing::warn!(error = %err, "Embedded Kafka broker did not shut down cleanly.");
            }
        }
        tracing::info!(bootstrap_servers = %self.bootstrap_servers(), "Embedded Kafka broker stopped.");
    }

    /// Ends the broker without waiting; safe in any context, including inside a runtime.
    fn stop_now(&mut self) {
        self.task.abort();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for EmbeddedBroker {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn parse_url(text: &str) -> Result<Url, EmbeddedBrokerError> {
    Url::parse(text).map_err(|source| EmbeddedBrokerError::Url {
        url: text.to_owned(),
        source,
    })
}

/// A free port on `listen`'s address, found by binding port 0 and letting it go again.
///
/// tansu binds its listener itself from a URL, so the port has to be known before it
/// starts: it is also the port advertised to clients.
fn pick_free_port(listen: SocketAddr) -> Result<SocketAddr, EmbeddedBrokerError> {
    let probe = StdTcpListener::bind(listen).map_err(|source| EmbeddedBrokerError::FreePort {
        addr: listen,
        source,
    })?;
    let local = probe
        .local_addr()
        .map_err(|source| EmbeddedBrokerError::FreePort {
            addr: listen,
            source,
        })?;
    Ok(SocketAddr::new(listen.ip(), local.port()))
}

/// The address clients are told to use: the listen address, or loopback when listening
/// on every interface.
fn advertised_addr(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), addr.port())
        }
        _ => addr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspecified_listen_addresses_advertise_loopback() {
        let any_v4: SocketAddr = "0.0.0.0:9092".parse().expect("valid address");
        assert_eq!(advertised_addr(any_v4).to_string(), "127.0.0.1:9092");
        let any_v6: SocketAddr = "[::]:9092".parse().expect("valid address");
        assert_eq!(advertised_addr(any_v6).to_string(), "[::1]:9092");
        let specific: SocketAddr = "127.0.0.2:9092".parse().expect("valid address");
        assert_eq!(advertised_addr(specific), specific);
    }

    #[test]
    fn memory_storage_uses_tansus_memory_engine() {
        let url = StorageChoice::Memory.storage_url().expect("memory URL");
        assert_eq!(url.scheme(), "memory");
    }

    #[cfg(feature = "embedded-kafka-sqlite")]
    #[test]
    fn sqlite_url_keeps_an_absolute_path_absolute_after_tansus_join() {
        let dir = std::env::temp_dir().join("embedded-broker-url-test");
        let file = dir.join("data.db");
        let url = StorageChoice::SqliteFile(file.clone())
            .storage_url()
            .expect("sqlite URL");
        assert_eq!(url.scheme(), "sqlite");
        assert_eq!(url.domain(), None);
        // tansu: cwd.push(path.strip_prefix("/")), and pushing an absolute path replaces.
        let stripped = url.path().strip_prefix('/').unwrap_or(url.path());
        let joined = std::path::Path::new("/some/cwd").join(stripped);
        assert_eq!(joined, file);
    }
}
