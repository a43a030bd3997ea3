//! The gRPC surface of `connectd` as generic tools see it: health, reflection (v1 and
//! v1alpha) and `connect.v1.ConnectService` requests that need no Kafka (listing,
//! validation, errors), over a real TCP connection.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use std::sync::Arc;

use connect_core::Properties;
use connect_proto::{CONNECT_SERVICE_NAME, v1};
use connect_runtime::{FileConfigStore, FileOffsetStore, Herder, StatusHub, WorkerConfig};
use connect_server::ConnectGrpcService;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use tonic::{Code, transport::Channel};
use tonic_health::pb::{
    HealthCheckRequest, health_check_response::ServingStatus, health_client::HealthClient,
};
use tonic_reflection::pb::{v1 as reflection_v1, v1alpha as reflection_v1alpha};

/// How long a test waits for the server before failing instead of hanging.
const DEADLINE: Duration = Duration::from_secs(10);

/// Pause between two polls, so a refused connection does not turn into a busy loop.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// A herder with in-memory state whose Kafka address is never dialled: these tests only
/// use requests that are answered without starting a task.
async fn test_herder() -> Arc<Herder> {
    let props: Properties = [("bootstrap.servers".to_string(), "127.0.0.1:1".to_string())].into();
    let config = WorkerConfig::new(props, "test-worker").expect("valid worker config");
    Herder::start(
        config,
        Arc::new(connect_connectors::registry()),
        Arc::new(FileConfigStore::in_memory()),
        Arc::new(FileOffsetStore::in_memory()),
        Arc::new(StatusHub::new("test-worker", 64)),
    )
    .await
    .expect("herder starts")
}

/// A `connectd` server on an ephemeral loopback port, stopped by [`TestServer::stop`].
struct TestServer {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<(), connect_server::ServerError>>,
}

impl TestServer {
    /// Binds 127.0.0.1:0 first, so the port is known and accepting before serving starts.
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind an ephemeral loopback port");
        let addr = listener.local_addr().expect("bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let service = ConnectGrpcService::new(test_herder().await);
        let task = tokio::spawn(connect_server::serve(
            listener,
            service,
            async {
                let _ = stopped.await;
            },
            Duration::from_secs(5),
        ));
        Self { addr, stop, task }
    }

    /// Connects a channel, retrying until [`DEADLINE`].
    async fn channel(&self) -> Channel {
        let endpoint = Channel::from_shared(format!("http://{}", self.addr))
            .expect("a socket address makes a valid URI")
            .connect_timeout(Duration::from_secs(1));
        let started = Instant::now();
        loop {
            match endpoint.connect().await {
                Ok(channel) => return channel,
                Err(err) if started.elapsed() < DEADLINE => {
                    eprintln!("server not reachable yet: {err}");
                    tokio::time::sleep(POLL_INTERVAL).await;
                }
                Err(err) => panic!("server at {} not reachable: {err}", self.addr),
            }
        }
    }

    /// Triggers graceful shutdown and checks the server returns cleanly and promptly.
    async fn stop(self) {
        self.stop
            .send(())
            .expect("server task ended before shutdown was requested");
        let result = tokio::time::timeout(DEADLINE, self.task)
            .await
            .expect("server did not stop within the deadline")
            .expect("server task panicked");
        result.expect("server returned an error");
    }
}

/// Polls the health service until it answers for `service`, then returns the status.
async fn health_status(channel: Channel, service: &str) -> ServingStatus {
    let mut client = HealthClient::new(channel);
    let started = Instant::now();
    loop {
        let request = HealthCheckRequest {
            service: service.to_owned(),
        };
        match client.check(request).await {
            Ok(response) => {
                return ServingStatus::try_from(response.into_inner().status)
                    .expect("health status is a known enum value");
            }
            Err(status) if started.elapsed() < DEADLINE => {
                eprintln!("health not answering yet: {status}");
                tokio::time::sleep(POLL_INTERVAL).await;
            }
            Err(status) => panic!("health check for {service:?} failed: {status}"),
        }
    }
}

/// Decodes the file descriptors of a v1 reflection answer, failing on any other answer.
fn file_descriptors(
    response: Option<reflection_v1::server_reflection_response::MessageResponse>,
) -> Vec<prost_types::FileDescriptorProto> {
    use prost::Message;
    use reflection_v1::server_reflection_response::MessageResponse;

    let Some(MessageResponse::FileDescriptorResponse(files)) = response else {
        panic!("expected file descriptors, got {response:?}");
    };
    files
        .file_descriptor_proto
        .iter()
        .map(|bytes| {
            prost_types::FileDescriptorProto::decode(bytes.as_slice())
                .expect("reflection serves valid file descriptors")
        })
        .collect()
}

#[tokio::test]
async fn health_reports_connect_service_serving() {
    let server = TestServer::start().await;
    let channel = server.channel().await;

    assert_eq!(
        health_status(channel.clone(), CONNECT_SERVICE_NAME).await,
        ServingStatus::Serving
    );
    assert_eq!(health_status(channel, "").await, ServingStatus::Serving);

    server.stop().await;
}

#[tokio::test]
async fn reflection_v1_lists_and_describes_connect_service() {
    use reflection_v1::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };

    let server = TestServer::start().await;
    let mut client = ServerReflectionClient::new(server.channel().await);

    let requests = [
        MessageRequest::ListServices(String::new()),
        MessageRequest::FileContainingSymbol(CONNECT_SERVICE_NAME.to_owned()),
        // What grpcurl asks next: the imports of the service's file, by name.
        MessageRequest::FileByFilename("google/protobuf/struct.proto".to_owned()),
    ]
    .map(|message| ServerReflectionRequest {
        host: String::new(),
        message_request: Some(message),
    });
    let mut responses = client
        .server_reflection_info(tokio_stream::iter(requests))
        .await
        .unwrap()
        .into_inner();

    let listed = responses.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = listed.message_response else {
        panic!("expected a service list, got {listed:?}");
    };
    let names: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&CONNECT_SERVICE_NAME), "{names:?}");
    assert!(names.contains(&"grpc.health.v1.Health"), "{names:?}");

    let described = file_descriptors(responses.message().await.unwrap().unwrap().message_response);
    let service_file = described
        .iter()
        .find(|file| file.service.iter().any(|s| s.name() == "ConnectService"))
        .expect("no file declares ConnectService");
    assert_eq!(service_file.package(), "connect.v1");
    assert_eq!(service_file.service[0].method.len(), 16);

    let imported = file_descriptors(responses.message().await.unwrap().unwrap().message_response);
    assert!(
        imported
            .iter()
            .any(|file| file.name() == "google/protobuf/struct.proto"),
        "struct.proto not served"
    );

    drop(responses);
    drop(client);
    server.stop().await;
}

#[tokio::test]
async fn reflection_v1alpha_lists_connect_service() {
    use reflection_v1alpha::{
        ServerReflectionRequest, server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
    };

    let server = TestServer::start().await;
    let mut client = ServerReflectionClient::new(server.channel().await);

    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = client
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();

    let listed = responses.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = listed.message_response else {
        panic!("expected a service list, got {listed:?}");
    };
    let names: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&CONNECT_SERVICE_NAME), "{names:?}");

    drop(responses);
    drop(client);
    server.stop().await;
}

#[tokio::test]
async fn requests_without_kafka_are_answered_with_the_right_codes() {
    let server = TestServer::start().await;
    let mut client = v1::connect_service_client::ConnectServiceClient::new(server.channel().await);

    let listed = client
        .list_connectors(v1::ListConnectorsRequest {
            expand_info: true,
            expand_status: true,
        })
        .await
        .expect("list connectors")
        .into_inner();
    assert!(listed.connectors.is_empty());

    let missing = client
        .get_connector(v1::GetConnectorRequest {
            name: "nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound, "{missing:?}");

    let invalid = client
        .create_connector(v1::CreateConnectorRequest {
            name: "bad".into(),
            config: [
                (
                    "connector.class".to_string(),
                    "FileStreamSource".to_string(),
                ),
                ("tasks.max".to_string(), "0".to_string()),
            ]
            .into(),
            initial_state: 0,
        })
        .await
        .unwrap_err();
    assert_eq!(invalid.code(), Code::InvalidArgument, "{invalid:?}");
    use tonic_types::StatusExt;
    let fields: Vec<String> = invalid
        .get_error_details()
        .bad_request()
        .expect("field violations")
        .field_violations
        .iter()
        .map(|v| v.field.clone())
        .collect();
    assert!(fields.contains(&"tasks.max".to_string()), "{fields:?}");
    assert!(fields.contains(&"topic".to_string()), "{fields:?}");

    let plugins = client
        .list_plugins(v1::ListPluginsRequest {
            types: vec![v1::PluginType::Source as i32],
        })
        .await
        .expect("list plugins")
        .into_inner();
    let file_source = plugins
        .plugins
        .iter()
        .find(|p| p.class_name == "org.apache.kafka.connect.file.FileStreamSourceConnector")
        .expect("the file source is installed");
    assert!(
        file_source
            .aliases
            .contains(&"FileStreamSource".to_string())
    );
    assert!(
        file_source
            .config_definitions
            .iter()
            .any(|k| k.name == "topic" && k.required)
    );
    assert!(
        plugins
            .plugins
            .iter()
            .all(|p| p.r#type == v1::PluginType::Source as i32)
    );

    drop(client);
    server.stop().await;
}
