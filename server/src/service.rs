//! The `connect.v1.ConnectService` implementation served until the worker lands.

use std::pin::Pin;

use connect_proto::v1::{self, connect_service_server::ConnectService};
use tonic::{Request, Response, Status};

/// A `ConnectService` whose every RPC answers `UNIMPLEMENTED`.
///
/// It exists so that the process, its health and reflection services, and clients
/// generated from the contract can be built and tested before the standalone worker
/// (herder, stores, task executors) is wired in. The status message names the RPC and
/// says why it is missing, so a user trying `grpcurl` sees a clear answer rather than a
/// generic error. Replaced by the real service in the standalone-worker issue.
#[derive(Debug, Clone, Copy, Default)]
pub struct PendingConnectService;

/// The status every RPC returns for now.
fn not_landed(rpc: &str) -> Status {
    Status::unimplemented(format!(
        "connect.v1.ConnectService/{rpc} is not implemented yet: \
         the standalone worker has not landed in connectd"
    ))
}

/// The stream type of `WatchStatus`, boxed so the real implementation can change its
/// stream without changing this type's users.
type WatchStatusStream =
    Pin<Box<dyn tokio_stream::Stream<Item = Result<v1::WatchStatusResponse, Status>> + Send>>;

#[tonic::async_trait]
impl ConnectService for PendingConnectService {
    async fn list_connectors(
        &self,
        _request: Request<v1::ListConnectorsRequest>,
    ) -> Result<Response<v1::ListConnectorsResponse>, Status> {
        Err(not_landed("ListConnectors"))
    }

    async fn get_connector(
        &self,
        _request: Request<v1::GetConnectorRequest>,
    ) -> Result<Response<v1::GetConnectorResponse>, Status> {
        Err(not_landed("GetConnector"))
    }

    async fn create_connector(
        &self,
        _request: Request<v1::CreateConnectorRequest>,
    ) -> Result<Response<v1::CreateConnectorResponse>, Status> {
        Err(not_landed("CreateConnector"))
    }

    async fn update_connector(
        &self,
        _request: Request<v1::UpdateConnectorRequest>,
    ) -> Result<Response<v1::UpdateConnectorResponse>, Status> {
        Err(not_landed("UpdateConnector"))
    }

    async fn delete_connector(
        &self,
        _request: Request<v1::DeleteConnectorRequest>,
    ) -> Result<Response<v1::DeleteConnectorResponse>, Status> {
        Err(not_landed("DeleteConnector"))
    }

    async fn pause_connector(
        &self,
        _request: Request<v1::PauseConnectorRequest>,
    ) -> Result<Response<v1::PauseConnectorResponse>, Status> {
        Err(not_landed("PauseConnector"))
    }

    async fn resume_connector(
        &self,
        _request: Request<v1::ResumeConnectorRequest>,
    ) -> Result<Response<v1::ResumeConnectorResponse>, Status> {
        Err(not_landed("ResumeConnector"))
    }

    async fn stop_connector(
        &self,
        _request: Request<v1::StopConnectorRequest>,
    ) -> Result<Response<v1::StopConnectorResponse>, Status> {
        Err(not_landed("StopConnector"))
    }

    async fn restart_connector(
        &self,
        _request: Request<v1::RestartConnectorRequest>,
    ) -> Result<Response<v1::RestartConnectorResponse>, Status> {
        Err(not_landed("RestartConnector"))
    }

    async fn restart_task(
        &self,
        _request: Request<v1::RestartTaskRequest>,
    ) -> Result<Response<v1::RestartTaskResponse>, Status> {
        Err(not_landed("RestartTask"))
    }

    async fn validate_connector_config(
        &self,
        _request: Request<v1::ValidateConnectorConfigRequest>,
    ) -> Result<Response<v1::ValidateConnectorConfigResponse>, Status> {
        Err(not_landed("ValidateConnectorConfig"))
    }

    async fn list_plugins(
        &self,
        _request: Request<v1::ListPluginsRequest>,
    ) -> Result<Response<v1::ListPluginsResponse>, Status> {
        Err(not_landed("ListPlugins"))
    }

    async fn get_connector_offsets(
        &self,
        _request: Request<v1::GetConnectorOffsetsRequest>,
    ) -> Result<Response<v1::GetConnectorOffsetsResponse>, Status> {
        Err(not_landed("GetConnectorOffsets"))
    }

    async fn alter_connector_offsets(
        &self,
        _request: Request<v1::AlterConnectorOffsetsRequest>,
    ) -> Result<Response<v1::AlterConnectorOffsetsResponse>, Status> {
        Err(not_landed("AlterConnectorOffsets"))
    }

    async fn reset_connector_offsets(
        &self,
        _request: Request<v1::ResetConnectorOffsetsRequest>,
    ) -> Result<Response<v1::ResetConnectorOffsetsResponse>, Status> {
        Err(not_landed("ResetConnectorOffsets"))
    }

    type WatchStatusStream = WatchStatusStream;

    async fn watch_status(
        &self,
        _request: Request<v1::WatchStatusRequest>,
    ) -> Result<Response<Self::WatchStatusStream>, Status> {
        Err(not_landed("WatchStatus"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_rpc_answers_unimplemented_naming_the_rpc() {
        let service = PendingConnectService;
        let status = service
            .list_connectors(Request::new(v1::ListConnectorsRequest::default()))
            .await
            .unwrap_err();
        assert_eq!(status.code(), tonic::Code::Unimplemented);
        assert!(status.message().contains("ListConnectors"));
        assert!(status.message().contains("standalone worker"));

        let Err(status) = service
            .watch_status(Request::new(v1::WatchStatusRequest::default()))
            .await
        else {
            panic!("WatchStatus must fail until the worker lands");
        };
        assert_eq!(status.code(), tonic::Code::Unimplemented);
        assert!(status.message().contains("WatchStatus"));
    }
}
