//! Running `connectd` as a real process, as users do: started with flags, reached over
//! gRPC, stopped with SIGTERM or killed with SIGKILL to simulate a crash.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use connect_client::ConnectClient;
use tokio::process::{Child, Command};

use crate::wait::eventually;

/// How long connectd may take to start serving.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The `connectd` binary: `CONNECTD_BIN`, or the one cargo built next to the test binary
/// (`scripts/test.sh` builds it before the tests run).
pub fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("CONNECTD_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test> -> target/<profile>/connectd
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binary lives in target/<profile>/deps");
    let candidate = profile_dir.join("connectd");
    assert!(
        candidate.exists(),
        "{} does not exist: build it first (scripts/test.sh does: cargo build -p connect-server --bin connectd) or set CONNECTD_BIN",
        candidate.display()
    );
    candidate
}

/// A free loopback port (bound then released; good enough for tests).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// How to start a `connectd`.
#[derive(Clone, Debug)]
pub struct Options {
    /// Kafka to use (`None`: whatever the environment or the embedded default says).
    pub bootstrap_servers: Option<String>,
    /// The data directory (configs and offsets survive restarts there).
    pub data_dir: PathBuf,
    /// Extra worker settings, written to a worker properties file.
    pub worker: Vec<(String, String)>,
    /// The gRPC port (0: pick one).
    pub port: u16,
    /// Connector files given on the command line.
    pub connector_files: Vec<PathBuf>,
    /// Any other arguments.
    pub extra_args: Vec<String>,
}

impl Options {
    /// Defaults for a test: the test broker, quick offset flushes, and consumer timeouts
    /// short enough that group joins and the eviction of a killed member take seconds
    /// (tansu holds a join for a share of the rebalance timeout, and keeps a member that
    /// vanished without leaving until its session times out).
    pub fn new(data_dir: &Path) -> Self {
        Self {
            bootstrap_servers: Some(crate::kafka::bootstrap_servers()),
            data_dir: data_dir.to_path_buf(),
            worker: vec![
                ("offset.flush.interval.ms".to_string(), "500".to_string()),
                (
                    "consumer.max.poll.interval.ms".to_string(),
                    "10000".to_string(),
                ),
                (
                    "consumer.session.timeout.ms".to_string(),
                    "6000".to_string(),
                ),
            ],
            port: 0,
            connector_files: Vec::new(),
            extra_args: Vec::new(),
        }
    }

    /// Adds a worker setting.
    pub fn worker_setting(mut self, key: &str, value: &str) -> Self {
        self.worker.retain(|(k, _)| k != key);
        self.worker.push((key.to_string(), value.to_string()));
        self
    }
}

/// A running `connectd` process.
pub struct Connectd {
    child: Child,
    /// The gRPC address (`127.0.0.1:PORT`).
    pub addr: String,
    /// Where its log goes.
    pub log: PathBuf,
    options: Options,
}

impl Connectd {
    /// Starts `connectd` and waits until it answers gRPC requests.
    pub async fn start(mut options: Options) -> Self {
        if options.port == 0 {
            options.port = free_port();
        }
        std::fs::create_dir_all(&options.data_dir).expect("data dir");
        let worker_file = options.data_dir.join("worker.properties");
        let worker_text: String = options
            .worker
            .iter()
            .map(|(k, v)| format!("{k}={v}\n"))
            .collect();
        std::fs::write(&worker_file, worker_text).expect("worker properties");
        let log = options.data_dir.join("connectd.log");
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log file");
        let addr = format!("127.0.0.1:{}", options.port);
        let mut command = Command::new(binary());
        command
            .arg("--listen")
            .arg(&addr)
            .arg("--data-dir")
            .arg(&options.data_dir)
            .arg("--worker-config")
            .arg(&worker_file)
            .env(
                "RUST_LOG",
                std::env::var("CONNECTD_TEST_LOG").unwrap_or_else(|_| "info".to_string()),
            )
            .env_remove("KAFKA_BOOTSTRAP_SERVERS")
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file.try_clone().expect("log file")))
            .stderr(Stdio::from(log_file))
            .kill_on_drop(true);
        if let Some(bootstrap) = &options.bootstrap_servers {
            command.arg("--bootstrap-servers").arg(bootstrap);
        }
        command
            .args(&options.extra_args)
            .args(&options.connector_files);
        let child = command.spawn().expect("spawn connectd");
        let mut connectd = Self {
            child,
            addr,
            log,
            options,
        };
        connectd.wait_until_serving().await;
        connectd
    }

    async fn wait_until_serving(&mut self) {
        let addr = self.addr.clone();
        let log = self.log.clone();
        eventually("connectd to serve gRPC", START_TIMEOUT, || {
            let addr = addr.clone();
            let log = log.clone();
            async move {
                match ConnectClient::connect(&addr).await {
                    Ok(mut client) => client
                        .list_connectors(false, false)
                        .await
                        .map(|_| ())
                        .map_err(|e| format!("{e}; log: {}", tail(&log))),
                    Err(e) => Err(format!("{e}; log: {}", tail(&log))),
                }
            }
        })
        .await;
    }

    /// A client connected to this `connectd`.
    pub async fn client(&self) -> ConnectClient {
        ConnectClient::connect(&self.addr)
            .await
            .expect("connect to connectd")
    }

    /// Kills the process without warning (a crash: nothing is flushed).
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// Asks the process to stop (SIGTERM) and waits for it to exit.
    pub async fn stop(&mut self) {
        if let Some(pid) = self.child.id() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status()
                .await;
        }
        if tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.start_kill();
            let _ = self.child.wait().await;
        }
    }

    /// Starts a new process with the same options (same port and data directory).
    pub async fn restart(&mut self) {
        self.stop().await;
        *self = Self::start(self.options.clone()).await;
    }

    /// Starts a new process with the same options after a [`Connectd::kill`].
    pub async fn start_again(&self) -> Self {
        Self::start(self.options.clone()).await
    }

    /// The last lines of the log, for failure messages.
    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

impl Drop for Connectd {
    /// When a test fails while this process runs, its log is what explains why: print it.
    fn drop(&mut self) {
        if std::thread::panicking() {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            eprintln!(
                "---- connectd log ({}), last 200 lines ----\n{}",
                self.log.display(),
                lines[lines.len().saturating_sub(200)..].join("\n")
            );
        }
    }
}
