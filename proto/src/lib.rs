//! The `connect.v1` gRPC contract of the connect runtime, as generated Rust code.
//!
//! The source of truth is the `.proto` files under `proto/connect/v1/` (linted by
//! `buf lint`, see `buf.yaml`). This crate compiles them at build time with a vendored
//! `protoc`, so depending on it needs no system tools. It contains both sides:
//!
//! - [`v1::connect_service_client::ConnectServiceClient`] for callers (the `connectctl`
//!   CLI, tests, other Rust programs);
//! - [`v1::connect_service_server::ConnectService`] and
//!   [`v1::connect_service_server::ConnectServiceServer`] for `connectd`;
//! - the messages and enums, which mirror Kafka Connect's REST API bodies
//!   (`ConnectorInfo`, `ConnectorStatus`, `ConfigKey`, ...).
//!
//! [`FILE_DESCRIPTOR_SET`] holds the encoded descriptors (with comments) so that a server
//! can offer gRPC reflection and generic tools (grpcurl, Postman) can discover the API.

/// The `connect.v1` protobuf package: messages, enums, client and server.
///
/// Everything in here is generated from `proto/connect/v1/*.proto`; read the `.proto`
/// files (or these generated docs, which carry their comments) for the meaning of each
/// field.
#[allow(missing_docs, unreachable_pub, clippy::all)]
pub mod v1 {
    tonic::include_proto!("connect.v1");
}

/// The encoded `google.protobuf.FileDescriptorSet` of the `connect.v1` package, including
/// its imports (`google/protobuf/struct.proto`, `timestamp.proto`) and source comments.
///
/// Register it with `tonic_reflection::server::Builder::register_encoded_file_descriptor_set`
/// to serve gRPC reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("connect_v1_descriptor");

/// The fully qualified name of the service, `connect.v1.ConnectService`: the name gRPC
/// health checking and reflection know it by, and the path prefix of its RPCs.
pub const CONNECT_SERVICE_NAME: &str = v1::connect_service_server::SERVICE_NAME;

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn descriptor_set_contains_every_connect_v1_file_and_its_imports() {
        let set = prost_types::FileDescriptorSet::decode(FILE_DESCRIPTOR_SET).unwrap();
        let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();
        for expected in [
            "connect/v1/connect_service.proto",
            "connect/v1/connector.proto",
            "connect/v1/offsets.proto",
            "connect/v1/plugin.proto",
            "connect/v1/status.proto",
            "google/protobuf/struct.proto",
            "google/protobuf/timestamp.proto",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
    }

    #[test]
    fn descriptor_set_declares_connect_service_with_every_rpc() {
        let set = prost_types::FileDescriptorSet::decode(FILE_DESCRIPTOR_SET).unwrap();
        let service = set
            .file
            .iter()
            .filter(|f| f.package() == "connect.v1")
            .flat_map(|f| f.service.iter())
            .find(|s| s.name() == "ConnectService")
            .unwrap();
        let methods: Vec<&str> = service.method.iter().map(|m| m.name()).collect();
        assert_eq!(
            methods,
            [
                "ListConnectors",
                "GetConnector",
                "CreateConnector",
                "UpdateConnector",
                "DeleteConnector",
                "PauseConnector",
                "ResumeConnector",
                "StopConnector",
                "RestartConnector",
                "RestartTask",
                "ValidateConnectorConfig",
                "ListPlugins",
                "GetConnectorOffsets",
                "AlterConnectorOffsets",
                "ResetConnectorOffsets",
                "WatchStatus",
            ]
        );
        let watch = service
            .method
            .iter()
            .find(|m| m.name() == "WatchStatus")
            .unwrap();
        assert!(watch.server_streaming() && !watch.client_streaming());
    }

    #[test]
    fn service_name_is_the_fully_qualified_proto_name() {
        assert_eq!(CONNECT_SERVICE_NAME, "connect.v1.ConnectService");
    }

    #[test]
    fn enums_keep_kafka_connect_names_without_prefix_in_rust() {
        assert_eq!(v1::State::Running.as_str_name(), "STATE_RUNNING");
        assert_eq!(
            v1::PluginType::from_str_name("PLUGIN_TYPE_HEADER_CONVERTER"),
            Some(v1::PluginType::HeaderConverter)
        );
        assert_eq!(v1::ConfigType::Password as i32, 9);
    }
}
