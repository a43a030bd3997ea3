//! `connectctl` end to end: the real binary against an in-process gRPC server.
//!
//! The server is a small scripted test double of our own `connect.v1.ConnectService`
//! (not of Kafka): each test states the connectors, errors and events it serves, and the
//! double records what the CLI sent. The binary runs as a child process exactly as users
//! run it, so argument parsing, output and exit codes are all checked together.

use std::{
    collections::HashMap,
    net::SocketAddr,
    path::Path,
    pin::Pin,
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use connect_client::{FieldViolation, bad_request_details};
use connect_proto::v1::{
    self,
    connect_service_server::{ConnectService, ConnectServiceServer},
};
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_stream::StreamExt;
use tonic::{Code, Request, Response, Status, transport::server::TcpIncoming};

/// How long one `connectctl` run may take before the test fails instead of hanging.
const DEADLINE: Duration = Duration::from_secs(30);

/// What the test double serves.
#[derive(Default)]
struct Script {
    /// Connectors known to the server, by name.
    connectors: Vec<(v1::ConnectorInfo, Option<v1::ConnectorStatus>)>,
    /// When set, `CreateConnector` fails with this (code, message, field violations).
    create_error: Option<(Code, String, Vec<FieldViolation>)>,
    /// The events `WatchStatus` sends, in order, before ending the stream.
    events: Vec<v1::StatusEvent>,
    /// The answer to `ValidateConnectorConfig`.
    validation: v1::ValidateConnectorConfigResponse,
    /// Keep the `WatchStatus` stream open after the events, as a real server does.
    hold_watch_open: bool,
}

/// Requests the double received, for the tests to inspect.
#[derive(Default)]
struct Recorded {
    creates: Vec<v1::CreateConnectorRequest>,
    watches: Vec<v1::WatchStatusRequest>,
}

/// The scripted `ConnectService`.
#[derive(Clone)]
struct Double {
    script: Arc<Script>,
    recorded: Arc<Mutex<Recorded>>,
}

impl Double {
    fn find(
        &self,
        name: &str,
    ) -> Result<&(v1::ConnectorInfo, Option<v1::ConnectorStatus>), Status> {
        self.script
            .connectors
            .iter()
            .find(|(info, _)| info.name == name)
            .ok_or_else(|| Status::not_found(format!("connector {name:?} not found")))
    }
}

type EventStream =
    Pin<Box<dyn tokio_stream::Stream<Item = Result<v1::WatchStatusResponse, Status>> + Send>>;

#[tonic::async_trait]
impl ConnectService for Double {
    async fn list_connectors(
        &self,
        request: Request<v1::ListConnectorsRequest>,
    ) -> Result<Response<v1::ListConnectorsResponse>, Status> {
        let request = request.into_inner();
        let connectors = self
            .script
            .connectors
            .iter()
            .map(|(info, status)| v1::ListedConnector {
                name: info.name.clone(),
                info: request.expand_info.then(|| info.clone()),
                status: if request.expand_status {
                    status.clone()
                } else {
                    None
                },
            })
            .collect();
        Ok(Response::new(v1::ListConnectorsResponse { connectors }))
    }

    async fn get_connector(
        &self,
        request: Request<v1::GetConnectorRequest>,
    ) -> Result<Response<v1::GetConnectorResponse>, Status> {
        let (info, status) = self.find(&request.get_ref().name)?;
        Ok(Response::new(v1::GetConnectorResponse {
            info: Some(info.clone()),
            status: status.clone(),
        }))
    }

    async fn create_connector(
        &self,
        request: Request<v1::CreateConnectorRequest>,
    ) -> Result<Response<v1::CreateConnectorResponse>, Status> {
        let request = request.into_inner();
        self.recorded
            .lock()
            .expect("recorder lock")
            .creates
            .push(request.clone());
        if let Some((code, message, violations)) = &self.script.create_error {
            let details = bad_request_details(*code, message, violations);
            return Err(Status::with_details(*code, message, details.into()));
        }
        if self.find(&request.name).is_ok() {
            return Err(Status::already_exists(format!(
                "connector {:?} already exists",
                request.name
            )));
        }
        Ok(Response::new(v1::CreateConnectorResponse {
            info: Some(v1::ConnectorInfo {
                name: request.name,
                config: request.config,
                r#type: v1::ConnectorType::Source as i32,
                tasks: vec![],
            }),
        }))
    }

    async fn update_connector(
        &self,
        _request: Request<v1::UpdateConnectorRequest>,
    ) -> Result<Response<v1::UpdateConnectorResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    async fn delete_connector(
        &self,
        request: Request<v1::DeleteConnectorRequest>,
    ) -> Result<Response<v1::DeleteConnectorResponse>, Status> {
        self.find(&request.get_ref().name)?;
        Ok(Response::new(v1::DeleteConnectorResponse {}))
    }

    async fn pause_connector(
        &self,
        request: Request<v1::PauseConnectorRequest>,
    ) -> Result<Response<v1::PauseConnectorResponse>, Status> {
        self.find(&request.get_ref().name)?;
        Ok(Response::new(v1::PauseConnectorResponse {}))
    }

    async fn resume_connector(
        &self,
        _request: Request<v1::ResumeConnectorRequest>,
    ) -> Result<Response<v1::ResumeConnectorResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    async fn stop_connector(
        &self,
        _request: Request<v1::StopConnectorRequest>,
    ) -> Result<Response<v1::StopConnectorResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    async fn restart_connector(
        &self,
        _request: Request<v1::RestartConnectorRequest>,
    ) -> Result<Response<v1::RestartConnectorResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    async fn restart_task(
        &self,
        _request: Request<v1::RestartTaskRequest>,
    ) -> Result<Response<v1::RestartTaskResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    async fn validate_connector_config(
        &self,
        _request: Request<v1::ValidateConnectorConfigRequest>,
    ) -> Result<Response<v1::ValidateConnectorConfigResponse>, Status> {
        Ok(Response::new(self.script.validation.clone()))
    }

    async fn list_plugins(
        &self,
        _request: Request<v1::ListPluginsRequest>,
    ) -> Result<Response<v1::ListPluginsResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    async fn get_connector_offsets(
        &self,
        _request: Request<v1::GetConnectorOffsetsRequest>,
    ) -> Result<Response<v1::GetConnectorOffsetsResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    async fn alter_connector_offsets(
        &self,
        request: Request<v1::AlterConnectorOffsetsRequest>,
    ) -> Result<Response<v1::AlterConnectorOffsetsResponse>, Status> {
        self.find(&request.get_ref().name)?;
        Err(Status::failed_precondition("the connector is not STOPPED"))
    }

    async fn reset_connector_offsets(
        &self,
        _request: Request<v1::ResetConnectorOffsetsRequest>,
    ) -> Result<Response<v1::ResetConnectorOffsetsResponse>, Status> {
        Err(Status::unimplemented("not scripted"))
    }

    type WatchStatusStream = EventStream;

    async fn watch_status(
        &self,
        request: Request<v1::WatchStatusRequest>,
    ) -> Result<Response<Self::WatchStatusStream>, Status> {
        self.recorded
            .lock()
            .expect("recorder lock")
            .watches
            .push(request.into_inner());
        let events: Vec<Result<v1::WatchStatusResponse, Status>> = self
            .script
            .events
            .iter()
            .map(|event| {
                Ok(v1::WatchStatusResponse {
                    event: Some(event.clone()),
                })
            })
            .collect();
        let events = tokio_stream::iter(events);
        if self.script.hold_watch_open {
            Ok(Response::new(Box::pin(
                events.chain(tokio_stream::pending()),
            )))
        } else {
            Ok(Response::new(Box::pin(events)))
        }
    }
}

/// The double served on an ephemeral loopback port; stops when dropped.
struct TestServer {
    addr: SocketAddr,
    recorded: Arc<Mutex<Recorded>>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Binds 127.0.0.1:0 before serving, so the port accepts connections (queued in the
    /// backlog) as soon as this returns: no waiting or retrying needed.
    async fn start(script: Script) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind an ephemeral loopback port");
        let addr = listener.local_addr().expect("bound address");
        let recorded = Arc::new(Mutex::new(Recorded::default()));
        let double = Double {
            script: Arc::new(script),
            recorded: Arc::clone(&recorded),
        };
        let task = tokio::spawn(async move {
            tonic::transport::Server::builder()
                .add_service(ConnectServiceServer::new(double))
                .serve_with_incoming(TcpIncoming::from(listener))
                .await
                .expect("test server failed");
        });
        Self {
            addr,
            recorded,
            task,
        }
    }

    /// Runs `connectctl --server <this server> args...`.
    async fn run(&self, args: &[&str]) -> Output {
        let server = self.addr.to_string();
        let mut all = vec!["--server", server.as_str()];
        all.extend_from_slice(args);
        connectctl(&all).await
    }

    fn creates(&self) -> Vec<v1::CreateConnectorRequest> {
        self.recorded.lock().expect("recorder lock").creates.clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a `connectctl` run produced.
#[derive(Debug)]
struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs the real binary with `args`, failing the test if it does not finish in time.
async fn connectctl(args: &[&str]) -> Output {
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_connectctl"))
        .args(args)
        .env_remove("CONNECTCTL_SERVER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start connectctl");
    let output = tokio::time::timeout(DEADLINE, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("connectctl {args:?} did not finish within {DEADLINE:?}"))
        .expect("wait for connectctl");
    Output {
        code: output.status.code().expect("connectctl exited by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn config(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Two connectors: a healthy source and a sink with a failed task.
fn two_connectors() -> Script {
    let source = v1::ConnectorInfo {
        name: "orders-source".to_owned(),
        config: config(&[
            ("connector.class", "FileStreamSource"),
            ("file", "/data/orders.txt"),
            ("name", "orders-source"),
        ]),
        r#type: v1::ConnectorType::Source as i32,
        tasks: vec![v1::TaskInfo {
            id: 0,
            config: config(&[("file", "/data/orders.txt")]),
        }],
    };
    let source_status = v1::ConnectorStatus {
        name: "orders-source".to_owned(),
        r#type: v1::ConnectorType::Source as i32,
        state: v1::State::Running as i32,
        worker_id: "10.0.0.5:8084".to_owned(),
        trace: String::new(),
        tasks: vec![v1::TaskStatus {
            id: 0,
            state: v1::State::Running as i32,
            worker_id: "10.0.0.5:8084".to_owned(),
            trace: String::new(),
            error_counts: None,
        }],
    };
    let sink = v1::ConnectorInfo {
        name: "orders-sink".to_owned(),
        config: config(&[("connector.class", "FileStreamSink"), ("topics", "orders")]),
        r#type: v1::ConnectorType::Sink as i32,
        tasks: vec![],
    };
    let sink_status = v1::ConnectorStatus {
        name: "orders-sink".to_owned(),
        r#type: v1::ConnectorType::Sink as i32,
        state: v1::State::Running as i32,
        worker_id: "10.0.0.6:8084".to_owned(),
        trace: String::new(),
        tasks: vec![v1::TaskStatus {
            id: 0,
            state: v1::State::Failed as i32,
            worker_id: "10.0.0.6:8084".to_owned(),
            trace: "java.io.IOException: disk full\n\tat FileStreamSinkTask.put".to_owned(),
            error_counts: None,
        }],
    };
    Script {
        connectors: vec![(sink, Some(sink_status)), (source, Some(source_status))],
        ..Script::default()
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn write(dir: &Path, name: &str, contents: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write test file");
    path.to_str().expect("UTF-8 temp path").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_prints_a_table_of_names_states_and_tasks() {
    let server = TestServer::start(two_connectors()).await;
    let out = server.run(&["list", "--status"]).await;
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    for column in ["NAME", "TYPE", "STATE", "WORKER", "TASKS", "TRACE"] {
        assert!(
            lines[0].contains(column),
            "{column} missing: {}",
            out.stdout
        );
    }
    assert!(lines[1].starts_with("orders-sink"), "{}", out.stdout);
    assert!(
        lines[1].contains("SINK") && lines[1].contains("0/1 RUNNING"),
        "{}",
        out.stdout
    );
    assert!(lines[2].starts_with("orders-source"), "{}", out.stdout);
    assert!(
        lines[2].contains("10.0.0.5:8084") && lines[2].contains("1/1 RUNNING"),
        "{}",
        out.stdout
    );

    let out = server.run(&["list"]).await;
    assert_eq!(out.stdout, "NAME\norders-sink\norders-source\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_json_uses_proto_field_names() {
    let server = TestServer::start(two_connectors()).await;
    let out = server
        .run(&["--output", "json", "list", "--status", "--info"])
        .await;
    assert_eq!(out.code, 0, "{out:?}");
    let value = json(&out.stdout);
    let connectors = value["connectors"].as_array().expect("connectors array");
    assert_eq!(connectors.len(), 2);
    let source = &connectors[1];
    assert_eq!(source["name"], "orders-source");
    assert_eq!(source["info"]["type"], "SOURCE");
    assert_eq!(
        source["info"]["config"]["connector.class"],
        "FileStreamSource"
    );
    assert_eq!(source["info"]["tasks"][0]["id"], 0);
    assert_eq!(source["status"]["state"], "RUNNING");
    assert_eq!(source["status"]["worker_id"], "10.0.0.5:8084");
    assert_eq!(source["status"]["tasks"][0]["state"], "RUNNING");

    // Without the expansions, `info` and `status` are present and null.
    let out = server.run(&["list", "-o", "json"]).await;
    let value = json(&out.stdout);
    assert_eq!(value["connectors"][0]["info"], serde_json::Value::Null);
    assert_eq!(value["connectors"][0]["status"], serde_json::Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_prints_config_tasks_and_status() {
    let server = TestServer::start(two_connectors()).await;
    let out = server.run(&["get", "orders-sink"]).await;
    assert_eq!(out.code, 0, "{out:?}");
    for expected in [
        "orders-sink",
        "FileStreamSink",
        "topics",
        "connector",
        "task 0",
        "FAILED",
        "10.0.0.6:8084",
        "java.io.IOException: disk full",
    ] {
        assert!(out.stdout.contains(expected), "{expected}: {}", out.stdout);
    }
    // Only the first line of a trace fits a table.
    assert!(
        !out.stdout.contains("FileStreamSinkTask.put"),
        "{}",
        out.stdout
    );

    let out = server
        .run(&["get", "orders-sink", "--output", "json"])
        .await;
    assert_eq!(out.code, 0, "{out:?}");
    let value = json(&out.stdout);
    assert_eq!(value["info"]["name"], "orders-sink");
    assert_eq!(value["info"]["config"]["topics"], "orders");
    assert_eq!(value["status"]["tasks"][0]["state"], "FAILED");
    assert!(
        value["status"]["tasks"][0]["trace"]
            .as_str()
            .expect("trace string")
            .contains("FileStreamSinkTask.put")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_from_a_properties_file_sends_its_name_and_config() {
    let server = TestServer::start(Script::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "local-file-source.properties",
        "# connect-standalone style\n\
         name=local-file-source\n\
         connector.class=FileStreamSource\n\
         tasks.max : 1\n\
         file=/tmp/a\\\n      b.txt\n",
    );
    let out = server
        .run(&["create", "--file", &file, "--initial-state", "paused"])
        .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "Created connector \"local-file-source\" in state PAUSED.\n"
    );
    let creates = server.creates();
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0].name, "local-file-source");
    assert_eq!(
        creates[0].config,
        config(&[
            ("name", "local-file-source"),
            ("connector.class", "FileStreamSource"),
            ("tasks.max", "1"),
            ("file", "/tmp/ab.txt"),
        ])
    );
    assert_eq!(creates[0].initial_state, v1::TargetState::Paused as i32);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_from_a_json_file_sends_its_name_and_config() {
    let server = TestServer::start(Script::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "sink.json",
        r#"{"name": "orders-sink", "config": {"connector.class": "FileStreamSink", "tasks.max": 2, "topics": "orders"}}"#,
    );
    let out = server
        .run(&[
            "-o",
            "json",
            "create",
            "--file",
            &file,
            "-c",
            "topics=orders,refunds",
        ])
        .await;
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(json(&out.stdout)["info"]["name"], "orders-sink");
    let creates = server.creates();
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0].name, "orders-sink");
    assert_eq!(
        creates[0].config,
        config(&[
            ("name", "orders-sink"),
            ("connector.class", "FileStreamSink"),
            ("tasks.max", "2"),
            ("topics", "orders,refunds"),
        ])
    );
    assert_eq!(
        creates[0].initial_state,
        v1::TargetState::Unspecified as i32
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_config_prints_field_violations_and_exits_4() {
    let server = TestServer::start(Script {
        create_error: Some((
            Code::InvalidArgument,
            "connector config has 2 errors".to_owned(),
            vec![
                FieldViolation {
                    field: "tasks.max".to_owned(),
                    description:
                        "Invalid value 0 for configuration tasks.max: Value must be at least 1"
                            .to_owned(),
                },
                FieldViolation {
                    field: "file".to_owned(),
                    description:
                        "Missing required configuration \"file\" which has no default value."
                            .to_owned(),
                },
            ],
        )),
        ..Script::default()
    })
    .await;
    let out = server
        .run(&[
            "create",
            "bad",
            "-c",
            "connector.class=FileStreamSource",
            "-c",
            "tasks.max=0",
        ])
        .await;
    assert_eq!(out.code, 4, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "connectctl: INVALID_ARGUMENT: connector config has 2 errors\n\
         \x20 tasks.max: Invalid value 0 for configuration tasks.max: Value must be at least 1\n\
         \x20 file: Missing required configuration \"file\" which has no default value.\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_exits_3_and_already_exists_exits_5() {
    let server = TestServer::start(two_connectors()).await;
    let out = server.run(&["get", "nope"]).await;
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(
        out.stderr,
        "connectctl: NOT_FOUND: connector \"nope\" not found\n"
    );
    assert_eq!(out.stdout, "");

    let out = server.run(&["pause", "nope"]).await;
    assert_eq!(out.code, 3, "{out:?}");

    let out = server
        .run(&[
            "create",
            "orders-sink",
            "-c",
            "connector.class=FileStreamSink",
        ])
        .await;
    assert_eq!(out.code, 5, "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_precondition_exits_6_and_other_codes_exit_8() {
    let server = TestServer::start(two_connectors()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "offsets.json",
        r#"{"offsets": [{"partition": {"filename": "/data/orders.txt"}, "offset": {"position": 10}}]}"#,
    );
    let out = server
        .run(&["offsets", "alter", "orders-source", "--file", &file])
        .await;
    assert_eq!(out.code, 6, "{out:?}");
    assert!(
        out.stderr.starts_with("connectctl: FAILED_PRECONDITION"),
        "{out:?}"
    );

    let out = server.run(&["plugins"]).await;
    assert_eq!(out.code, 8, "{out:?}");
    assert!(
        out.stderr.starts_with("connectctl: UNIMPLEMENTED"),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validate_with_errors_shows_only_those_keys_and_exits_4() {
    let result = |name: &str, value: &str, errors: &[&str]| v1::ConfigValidationResult {
        definition: Some(v1::ConfigKey {
            name: name.to_owned(),
            ..Default::default()
        }),
        value: Some(v1::ConfigValue {
            name: name.to_owned(),
            value: Some(value.to_owned()),
            recommended_values: vec![],
            errors: errors.iter().map(|e| (*e).to_owned()).collect(),
            visible: true,
        }),
    };
    let server = TestServer::start(Script {
        validation: v1::ValidateConnectorConfigResponse {
            plugin_class_name: "FileStreamSourceConnector".to_owned(),
            error_count: 1,
            groups: vec!["Common".to_owned()],
            configs: vec![
                result("connector.class", "FileStreamSource", &[]),
                result("tasks.max", "0", &["Value must be at least 1"]),
            ],
        },
        ..Script::default()
    })
    .await;
    let out = server
        .run(&["validate", "FileStreamSource", "-c", "tasks.max=0"])
        .await;
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stdout.contains("tasks.max"), "{}", out.stdout);
    assert!(!out.stdout.contains("connector.class"), "{}", out.stdout);
    assert!(
        out.stdout
            .ends_with("FileStreamSourceConnector: 1 error in 1 of 2 keys.\n"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stderr, "connectctl: the config has 1 error\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_down_exits_7() {
    // Bind, note the port, and close it again: nothing listens there any more.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("address");
    let server = addr.to_string();
    let out = connectctl(&["--server", &server, "list"]).await;
    assert_eq!(out.code, 7, "{out:?}");
    assert!(
        out.stderr
            .starts_with(&format!("connectctl: cannot connect to http://{server}")),
        "{out:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_before_connecting() {
    // No server at all: a bad file must be reported as such, not as "cannot connect".
    let out = connectctl(&[
        "--server",
        "127.0.0.1:1",
        "create",
        "--file",
        "/nonexistent/c.properties",
    ])
    .await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("/nonexistent/c.properties"), "{out:?}");
    let out = connectctl(&["create", "x"]).await;
    assert_eq!(out.code, 2, "{out:?}");
}

fn event(
    sequence: u64,
    kind: v1::StatusEventType,
    connector: &str,
    task: Option<u32>,
    state: v1::State,
) -> v1::StatusEvent {
    v1::StatusEvent {
        sequence,
        r#type: kind as i32,
        event_time: Some(prost_types::Timestamp {
            seconds: 1_714_557_600 + sequence as i64,
            nanos: 0,
        }),
        connector_name: connector.to_owned(),
        task_id: task,
        state: state as i32,
        worker_id: if state == v1::State::Unspecified {
            String::new()
        } else {
            "w1".to_owned()
        },
        trace: if state == v1::State::Failed {
            "boom\n\tat X".to_owned()
        } else {
            String::new()
        },
    }
}

fn watch_script() -> Script {
    use v1::{State, StatusEventType as T};
    Script {
        events: vec![
            event(1, T::Snapshot, "orders", None, State::Running),
            event(2, T::Snapshot, "orders", Some(0), State::Running),
            event(3, T::SnapshotComplete, "", None, State::Unspecified),
            event(4, T::Changed, "orders", Some(0), State::Failed),
            event(5, T::Deleted, "orders", None, State::Unspecified),
        ],
        ..Script::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_prints_events_in_order_and_exits_0_at_end_of_stream() {
    let server = TestServer::start(watch_script()).await;
    let out = server.run(&["watch", "orders", "--tasks"]).await;
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout,
        "#1 2024-05-01T10:00:01Z SNAPSHOT connector=orders state=RUNNING worker=w1\n\
         #2 2024-05-01T10:00:02Z SNAPSHOT connector=orders task=0 state=RUNNING worker=w1\n\
         #3 2024-05-01T10:00:03Z SNAPSHOT_COMPLETE\n\
         #4 2024-05-01T10:00:04Z CHANGED connector=orders task=0 state=FAILED worker=w1 trace=boom\n\
         #5 2024-05-01T10:00:05Z DELETED connector=orders\n"
    );
    let watches = server
        .recorded
        .lock()
        .expect("recorder lock")
        .watches
        .clone();
    assert_eq!(watches.len(), 1);
    assert_eq!(watches[0].connector_names, ["orders"]);
    assert!(watches[0].include_tasks);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_json_prints_one_object_per_line() {
    let server = TestServer::start(watch_script()).await;
    let out = server.run(&["watch", "--output", "json"]).await;
    assert_eq!(out.code, 0, "{out:?}");
    let events: Vec<serde_json::Value> = out.stdout.lines().map(json).collect();
    let sequences: Vec<u64> = events
        .iter()
        .map(|e| e["sequence"].as_u64().expect("sequence"))
        .collect();
    assert_eq!(sequences, [1, 2, 3, 4, 5]);
    assert_eq!(events[1]["task_id"], 0);
    assert_eq!(events[0]["task_id"], serde_json::Value::Null);
    assert_eq!(events[2]["type"], "SNAPSHOT_COMPLETE");
    assert_eq!(events[3]["state"], "FAILED");
    assert_eq!(events[3]["trace"], "boom\n\tat X");
    assert_eq!(events[3]["event_time"], "2024-05-01T10:00:04Z");
    assert_eq!(events[4]["state"], serde_json::Value::Null);
    let watches = server
        .recorded
        .lock()
        .expect("recorder lock")
        .watches
        .clone();
    assert!(watches[0].connector_names.is_empty());
    assert!(!watches[0].include_tasks);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_stops_cleanly_on_ctrl_c() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let server = TestServer::start(Script {
        hold_watch_open: true,
        ..watch_script()
    })
    .await;
    let addr = server.addr.to_string();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_connectctl"))
        .args(["--server", &addr, "watch"])
        .env_remove("CONNECTCTL_SERVER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start connectctl");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();

    // Wait (with a deadline) until every scripted event was printed: the stream is live.
    let mut seen = Vec::new();
    while seen.len() < 5 {
        let line = tokio::time::timeout(DEADLINE, lines.next_line())
            .await
            .expect("events within the deadline")
            .expect("read stdout")
            .expect("stdout open while the stream is");
        seen.push(line);
    }
    assert!(seen[4].starts_with("#5 "), "{seen:?}");

    let pid = child.id().expect("child running").to_string();
    let kill = tokio::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .await
        .expect("run kill");
    assert!(kill.success());
    let status = tokio::time::timeout(DEADLINE, child.wait())
        .await
        .expect("connectctl stops within the deadline after Ctrl-C")
        .expect("wait for connectctl");
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert_eq!(lines.next_line().await.expect("read stdout"), None);
}
