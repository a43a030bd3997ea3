//! [`ConnectClient`]: one plain async method per `connect.v1.ConnectService` RPC.

use std::{
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use connect_core::Properties;
use connect_proto::v1::{self, connect_service_client::ConnectServiceClient};
use futures::Stream;
use tonic::transport::{Channel, Endpoint};

use crate::ClientError;

/// How long [`ConnectClient::connect`] waits for the TCP (and HTTP/2) connection before
/// giving up, so an unreachable address fails in seconds rather than the OS's minutes.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Turns a server address as users type it into the URI tonic connects to.
///
/// Accepts `host:port` (how `connectd --listen` prints its address) and `http://host:port`.
/// `https://` is refused with a clear reason, because this client is built without TLS;
/// better to say so than to fail with an obscure handshake error.
pub fn normalize_endpoint(endpoint: &str) -> Result<String, ClientError> {
    let invalid = |reason: &str| ClientError::InvalidEndpoint {
        endpoint: endpoint.to_owned(),
        reason: reason.to_owned(),
    };
    let trimmed = endpoint.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is empty; expected HOST:PORT"));
    }
    let uri = match trimmed.split_once("://") {
        None => format!("http://{trimmed}"),
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("http") => trimmed.to_owned(),
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("https") => {
            return Err(invalid(
                "TLS is not supported by this client; use http:// or HOST:PORT",
            ));
        }
        Some((scheme, _)) => {
            return Err(invalid(&format!(
                "unsupported scheme {scheme:?}; use HOST:PORT or http://HOST:PORT"
            )));
        }
    };
    let parsed: tonic::codegen::http::Uri = uri
        .parse()
        .map_err(|e: tonic::codegen::http::uri::InvalidUri| invalid(&e.to_string()))?;
    if parsed.host().is_none_or(str::is_empty) {
        return Err(invalid("it has no host; expected HOST:PORT"));
    }
    if parsed.path_and_query().is_some_and(|p| p.as_str() != "/") {
        return Err(invalid("it has a path; expected HOST:PORT"));
    }
    Ok(uri)
}

/// A typed client of `connect.v1.ConnectService` (`connectd`).
///
/// A thin layer over the generated tonic client: each method takes plain Rust arguments
/// instead of a request message, turns failures into [`ClientError`] (keeping the gRPC code
/// and any field violations), and returns the generated response message, so every field
/// the contract adds later reaches callers without a change here. Cloning is cheap and
/// clones share one connection.
#[derive(Debug, Clone)]
pub struct ConnectClient {
    /// The generated client.
    inner: ConnectServiceClient<Channel>,
}

impl ConnectClient {
    /// Connects to a server at `endpoint` (`host:port` or `http://host:port`).
    ///
    /// Connects eagerly, so a server that is down is reported here (as
    /// [`ClientError::Connect`], code `UNAVAILABLE`) rather than at the first call.
    pub async fn connect(endpoint: &str) -> Result<Self, ClientError> {
        let uri = normalize_endpoint(endpoint)?;
        let channel = Endpoint::from_shared(uri.clone())
            .map_err(|e| ClientError::InvalidEndpoint {
                endpoint: endpoint.to_owned(),
                reason: e.to_string(),
            })?
            .connect_timeout(CONNECT_TIMEOUT)
            .connect()
            .await
            .map_err(|source| ClientError::Connect {
                endpoint: uri,
                source,
            })?;
        Ok(Self::from_channel(channel))
    }

    /// Wraps an existing channel, for callers that configure their own (TLS, interceptors,
    /// timeouts, lazy connection).
    pub fn from_channel(channel: Channel) -> Self {
        Self {
            inner: ConnectServiceClient::new(channel),
        }
    }

    /// The generated client underneath, for request metadata or RPCs this wrapper does not
    /// know yet.
    pub fn inner(&mut self) -> &mut ConnectServiceClient<Channel> {
        &mut self.inner
    }

    /// `ListConnectors`: every connector, sorted by name; with `expand_info` each one's
    /// configuration and tasks, with `expand_status` each one's status.
    pub async fn list_connectors(
        &mut self,
        expand_info: bool,
        expand_status: bool,
    ) -> Result<v1::ListConnectorsResponse, ClientError> {
        let request = v1::ListConnectorsRequest {
            expand_info,
            expand_status,
        };
        Ok(self.inner.list_connectors(request).await?.into_inner())
    }

    /// `GetConnector`: one connector's configuration, tasks and status.
    pub async fn get_connector(
        &mut self,
        name: impl Into<String>,
    ) -> Result<v1::GetConnectorResponse, ClientError> {
        let request = v1::GetConnectorRequest { name: name.into() };
        Ok(self.inner.get_connector(request).await?.into_inner())
    }

    /// `CreateConnector`: creates `name` with `config`, starting in `initial_state`
    /// ([`v1::TargetState::Unspecified`] means running).
    pub async fn create_connector(
        &mut self,
        name: impl Into<String>,
        config: Properties,
        initial_state: v1::TargetState,
    ) -> Result<v1::CreateConnectorResponse, ClientError> {
        let request = v1::CreateConnectorRequest {
            name: name.into(),
            config: config.into_iter().collect(),
            initial_state: initial_state as i32,
        };
        Ok(self.inner.create_connector(request).await?.into_inner())
    }

    /// `UpdateConnector`: replaces `name`'s whole configuration with `config`; with
    /// `allow_missing`, creates the connector if it does not exist.
    pub async fn update_connector(
        &mut self,
        name: impl Into<String>,
        config: Properties,
        allow_missing: bool,
    ) -> Result<v1::UpdateConnectorResponse, ClientError> {
        let request = v1::UpdateConnectorRequest {
            name: name.into(),
            config: config.into_iter().collect(),
            allow_missing,
        };
        Ok(self.inner.update_connector(request).await?.into_inner())
    }

    /// `DeleteConnector`: stops and removes a connector (its offsets are kept).
    pub async fn delete_connector(
        &mut self,
        name: impl Into<String>,
    ) -> Result<v1::DeleteConnectorResponse, ClientError> {
        let request = v1::DeleteConnectorRequest { name: name.into() };
        Ok(self.inner.delete_connector(request).await?.into_inner())
    }

    /// `PauseConnector`: asks the connector and its tasks to pause (applied
    /// asynchronously; watch for PAUSED).
    pub async fn pause_connector(
        &mut self,
        name: impl Into<String>,
    ) -> Result<v1::PauseConnectorResponse, ClientError> {
        let request = v1::PauseConnectorRequest { name: name.into() };
        Ok(self.inner.pause_connector(request).await?.into_inner())
    }

    /// `ResumeConnector`: asks a paused or stopped connector to run again (asynchronous).
    pub async fn resume_connector(
        &mut self,
        name: impl Into<String>,
    ) -> Result<v1::ResumeConnectorResponse, ClientError> {
        let request = v1::ResumeConnectorRequest { name: name.into() };
        Ok(self.inner.resume_connector(request).await?.into_inner())
    }

    /// `StopConnector`: asks the connector to shut its tasks down, keeping its config
    /// (asynchronous; a STOPPED connector's offsets can be altered).
    pub async fn stop_connector(
        &mut self,
        name: impl Into<String>,
    ) -> Result<v1::StopConnectorResponse, ClientError> {
        let request = v1::StopConnectorRequest { name: name.into() };
        Ok(self.inner.stop_connector(request).await?.into_inner())
    }

    /// `RestartConnector`: restarts the connector and, with `include_tasks`, its tasks;
    /// with `only_failed`, only the instances that are FAILED.
    pub async fn restart_connector(
        &mut self,
        name: impl Into<String>,
        include_tasks: bool,
        only_failed: bool,
    ) -> Result<v1::RestartConnectorResponse, ClientError> {
        let request = v1::RestartConnectorRequest {
            name: name.into(),
            include_tasks,
            only_failed,
        };
        Ok(self.inner.restart_connector(request).await?.into_inner())
    }

    /// `RestartTask`: restarts task `task_id` (0-based) of connector `name`.
    pub async fn restart_task(
        &mut self,
        name: impl Into<String>,
        task_id: u32,
    ) -> Result<v1::RestartTaskResponse, ClientError> {
        let request = v1::RestartTaskRequest {
            connector_name: name.into(),
            task_id,
        };
        Ok(self.inner.restart_task(request).await?.into_inner())
    }

    /// `ValidateConnectorConfig`: checks `config` against `plugin`'s definitions without
    /// creating anything. An empty `plugin` means the config's `connector.class`.
    ///
    /// An invalid config is a successful call: look at `error_count`.
    pub async fn validate_connector_config(
        &mut self,
        plugin: impl Into<String>,
        config: Properties,
    ) -> Result<v1::ValidateConnectorConfigResponse, ClientError> {
        let request = v1::ValidateConnectorConfigRequest {
            plugin: plugin.into(),
            config: config.into_iter().collect(),
        };
        Ok(self
            .inner
            .validate_connector_config(request)
            .await?
            .into_inner())
    }

    /// `ListPlugins`: the installed plugins of the given types (all types when empty),
    /// with their config definitions.
    pub async fn list_plugins(
        &mut self,
        types: impl IntoIterator<Item = v1::PluginType>,
    ) -> Result<v1::ListPluginsResponse, ClientError> {
        let request = v1::ListPluginsRequest {
            types: types.into_iter().map(|t| t as i32).collect(),
        };
        Ok(self.inner.list_plugins(request).await?.into_inner())
    }

    /// `GetConnectorOffsets`: the connector's committed offsets (KIP-875).
    pub async fn get_connector_offsets(
        &mut self,
        name: impl Into<String>,
    ) -> Result<v1::GetConnectorOffsetsResponse, ClientError> {
        let request = v1::GetConnectorOffsetsRequest { name: name.into() };
        Ok(self
            .inner
            .get_connector_offsets(request)
            .await?
            .into_inner())
    }

    /// `AlterConnectorOffsets`: writes `offsets` for a STOPPED connector; an entry without
    /// an offset resets its partition. [`crate::offsets_from_json`] reads Kafka's JSON.
    pub async fn alter_connector_offsets(
        &mut self,
        name: impl Into<String>,
        offsets: Vec<v1::ConnectorOffset>,
    ) -> Result<v1::AlterConnectorOffsetsResponse, ClientError> {
        let request = v1::AlterConnectorOffsetsRequest {
            name: name.into(),
            offsets,
        };
        Ok(self
            .inner
            .alter_connector_offsets(request)
            .await?
            .into_inner())
    }

    /// `ResetConnectorOffsets`: removes all offsets of a STOPPED connector.
    pub async fn reset_connector_offsets(
        &mut self,
        name: impl Into<String>,
    ) -> Result<v1::ResetConnectorOffsetsResponse, ClientError> {
        let request = v1::ResetConnectorOffsetsRequest { name: name.into() };
        Ok(self
            .inner
            .reset_connector_offsets(request)
            .await?
            .into_inner())
    }

    /// `WatchStatus`: opens a live stream of status events for `names` (every connector
    /// when empty), including their tasks with `include_tasks`.
    ///
    /// Errors opening the stream are returned here; errors later (e.g. `ABORTED` for a
    /// watcher that fell behind) arrive as the stream's last item. The stream does not end
    /// on its own unless the server closes it.
    pub async fn watch_status(
        &mut self,
        names: impl IntoIterator<Item = impl Into<String>>,
        include_tasks: bool,
    ) -> Result<StatusEvents, ClientError> {
        let request = v1::WatchStatusRequest {
            connector_names: names.into_iter().map(Into::into).collect(),
            include_tasks,
        };
        let inner = self.inner.watch_status(request).await?.into_inner();
        Ok(StatusEvents { inner })
    }
}

/// The stream returned by [`ConnectClient::watch_status`]: status events in server order.
///
/// A named type (rather than `impl Stream`) so it can be stored in structs; it borrows
/// nothing from the client.
#[derive(Debug)]
pub struct StatusEvents {
    /// The gRPC response stream.
    inner: tonic::Streaming<v1::WatchStatusResponse>,
}

impl Stream for StatusEvents {
    type Item = Result<v1::StatusEvent, ClientError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inner).poll_next(cx).map(|item| {
            item.map(|result| match result {
                Ok(response) => response.event.ok_or_else(|| {
                    ClientError::Protocol("a WatchStatus message without its event".to_owned())
                }),
                Err(status) => Err(ClientError::from(status)),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port_becomes_an_http_uri() {
        assert_eq!(
            normalize_endpoint("127.0.0.1:8084").unwrap(),
            "http://127.0.0.1:8084"
        );
        assert_eq!(
            normalize_endpoint(" localhost:1 ").unwrap(),
            "http://localhost:1"
        );
        assert_eq!(
            normalize_endpoint("[::1]:8084").unwrap(),
            "http://[::1]:8084"
        );
    }

    #[test]
    fn an_http_uri_is_kept() {
        assert_eq!(
            normalize_endpoint("http://connect.example:8084").unwrap(),
            "http://connect.example:8084"
        );
        assert_eq!(normalize_endpoint("HTTP://h:1").unwrap(), "HTTP://h:1");
    }

    #[test]
    fn https_other_schemes_paths_and_garbage_are_refused() {
        for bad in [
            "https://h:1",
            "grpc://h:1",
            "",
            "  ",
            "h:1/path",
            "h :1",
            "http://",
        ] {
            let err = normalize_endpoint(bad).unwrap_err();
            assert!(
                matches!(err, ClientError::InvalidEndpoint { .. }),
                "{bad:?}: {err:?}"
            );
        }
        let err = normalize_endpoint("https://h:1").unwrap_err();
        assert!(err.to_string().contains("TLS"), "{err}");
    }

    #[tokio::test]
    async fn connecting_to_a_closed_port_is_unavailable() {
        // Bind then drop, so the port is (almost certainly) closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err = ConnectClient::connect(&format!("127.0.0.1:{port}"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), tonic::Code::Unavailable);
        assert!(
            err.to_string()
                .starts_with("cannot connect to http://127.0.0.1:"),
            "{err}"
        );
    }
}
