//! `connect.v1.ConnectService` over the runtime's herder.
//!
//! Each handler validates its request, calls the herder, and converts the answer; errors
//! go through [`crate::grpc_error::to_status`] so codes are the same everywhere.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;

use connect_proto::v1::{self, connect_service_server::ConnectService};
use connect_runtime::status::StatusChange;
use connect_runtime::{Herder, RuntimeError};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use crate::convert;
use crate::grpc_error::to_status;

/// The control plane served over gRPC.
#[derive(Clone)]
pub struct ConnectGrpcService {
    herder: Arc<Herder>,
}

impl ConnectGrpcService {
    /// A service over a running herder.
    pub fn new(herder: Arc<Herder>) -> Self {
        Self { herder }
    }
}

type WatchStatusStream =
    Pin<Box<dyn tokio_stream::Stream<Item = Result<v1::WatchStatusResponse, Status>> + Send>>;

/// How many events may wait for a slow watcher before its stream is cut.
const WATCH_BUFFER: usize = 256;

fn required_name(name: &str) -> Result<&str, Status> {
    if name.trim().is_empty() {
        Err(Status::invalid_argument("A connector name is required"))
    } else {
        Ok(name)
    }
}

#[tonic::async_trait]
impl ConnectService for ConnectGrpcService {
    async fn list_connectors(
        &self,
        request: Request<v1::ListConnectorsRequest>,
    ) -> Result<Response<v1::ListConnectorsResponse>, Status> {
        let request = request.into_inner();
        let mut connectors = Vec::new();
        for name in self.herder.list().await {
            let info = if request.expand_info {
                match self.herder.info(&name).await {
                    Ok(info) => Some(convert::connector_info(&info)),
                    // Deleted meanwhile: skip it.
                    Err(RuntimeError::ConnectorNotFound(_)) => continue,
                    Err(e) => return Err(to_status(e)),
                }
            } else {
                None
            };
            let status = if request.expand_status {
                self.herder
                    .status(&name)
                    .await
                    .ok()
                    .map(|s| convert::connector_status(&s))
            } else {
                None
            };
            connectors.push(v1::ListedConnector { name, info, status });
        }
        Ok(Response::new(v1::ListConnectorsResponse { connectors }))
    }

    async fn get_connector(
        &self,
        request: Request<v1::GetConnectorRequest>,
    ) -> Result<Response<v1::GetConnectorResponse>, Status> {
        let name = request.into_inner().name;
        let info = self
            .herder
            .info(required_name(&name)?)
            .await
            .map_err(to_status)?;
        let status = self.herder.status(&name).await.ok();
        Ok(Response::new(v1::GetConnectorResponse {
            info: Some(convert::connector_info(&info)),
            status: status.as_ref().map(convert::connector_status),
        }))
    }

    async fn create_connector(
        &self,
        request: Request<v1::CreateConnectorRequest>,
    ) -> Result<Response<v1::CreateConnectorResponse>, Status> {
        let request = request.into_inner();
        let initial = convert::target_state(request.initial_state());
        let info = self
            .herder
            .create(
                required_name(&request.name)?,
                convert::properties(request.config),
                initial,
            )
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::CreateConnectorResponse {
            info: Some(convert::connector_info(&info)),
        }))
    }

    async fn update_connector(
        &self,
        request: Request<v1::UpdateConnectorRequest>,
    ) -> Result<Response<v1::UpdateConnectorResponse>, Status> {
        let request = request.into_inner();
        let (info, created) = self
            .herder
            .update(
                required_name(&request.name)?,
                convert::properties(request.config),
                request.allow_missing,
            )
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::UpdateConnectorResponse {
            info: Some(convert::connector_info(&info)),
            created,
        }))
    }

    async fn delete_connector(
        &self,
        request: Request<v1::DeleteConnectorRequest>,
    ) -> Result<Response<v1::DeleteConnectorResponse>, Status> {
        let name = request.into_inner().name;
        self.herder
            .delete(required_name(&name)?)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::DeleteConnectorResponse {}))
    }

    async fn pause_connector(
        &self,
        request: Request<v1::PauseConnectorRequest>,
    ) -> Result<Response<v1::PauseConnectorResponse>, Status> {
        let name = request.into_inner().name;
        self.herder
            .pause(required_name(&name)?)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::PauseConnectorResponse {}))
    }

    async fn resume_connector(
        &self,
        request: Request<v1::ResumeConnectorRequest>,
    ) -> Result<Response<v1::ResumeConnectorResponse>, Status> {
        let name = request.into_inner().name;
        self.herder
            .resume(required_name(&name)?)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::ResumeConnectorResponse {}))
    }

    async fn stop_connector(
        &self,
        request: Request<v1::StopConnectorRequest>,
    ) -> Result<Response<v1::StopConnectorResponse>, Status> {
        let name = request.into_inner().name;
        self.herder
            .stop(required_name(&name)?)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::StopConnectorResponse {}))
    }

    async fn restart_connector(
        &self,
        request: Request<v1::RestartConnectorRequest>,
    ) -> Result<Response<v1::RestartConnectorResponse>, Status> {
        let request = request.into_inner();
        let status = self
            .herder
            .restart(
                required_name(&request.name)?,
                request.include_tasks,
                request.only_failed,
            )
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::RestartConnectorResponse {
            status: Some(convert::connector_status(&status)),
        }))
    }

    async fn restart_task(
        &self,
        request: Request<v1::RestartTaskRequest>,
    ) -> Result<Response<v1::RestartTaskResponse>, Status> {
        let request = request.into_inner();
        self.herder
            .restart_task(required_name(&request.connector_name)?, request.task_id)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::RestartTaskResponse {}))
    }

    async fn validate_connector_config(
        &self,
        request: Request<v1::ValidateConnectorConfigRequest>,
    ) -> Result<Response<v1::ValidateConnectorConfigResponse>, Status> {
        let request = request.into_inner();
        let config = convert::properties(request.config);
        let report = self
            .herder
            .validate(Some(request.plugin.as_str()), &config)
            .map_err(to_status)?;
        Ok(Response::new(convert::validation(&report)))
    }

    async fn list_plugins(
        &self,
        request: Request<v1::ListPluginsRequest>,
    ) -> Result<Response<v1::ListPluginsResponse>, Status> {
        let wanted: HashSet<i32> = request.into_inner().types.into_iter().collect();
        let plugins = self
            .herder
            .registry()
            .plugins()
            .iter()
            .filter(|p| {
                wanted.is_empty() || wanted.contains(&(convert::plugin_type(p.kind()) as i32))
            })
            .map(convert::plugin)
            .collect();
        Ok(Response::new(v1::ListPluginsResponse { plugins }))
    }

    async fn get_connector_offsets(
        &self,
        request: Request<v1::GetConnectorOffsetsRequest>,
    ) -> Result<Response<v1::GetConnectorOffsetsResponse>, Status> {
        let name = request.into_inner().name;
        let offsets = self
            .herder
            .offsets(required_name(&name)?)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::GetConnectorOffsetsResponse {
            offsets: offsets
                .iter()
                .map(|(partition, offset)| v1::ConnectorOffset {
                    partition: Some(convert::to_struct(partition)),
                    offset: Some(convert::to_struct(offset)),
                })
                .collect(),
        }))
    }

    async fn alter_connector_offsets(
        &self,
        request: Request<v1::AlterConnectorOffsetsRequest>,
    ) -> Result<Response<v1::AlterConnectorOffsetsResponse>, Status> {
        let request = request.into_inner();
        let mut offsets = Vec::with_capacity(request.offsets.len());
        for entry in &request.offsets {
            let partition = entry
                .partition
                .as_ref()
                .ok_or_else(|| Status::invalid_argument("Every offset entry needs a partition"))?;
            offsets.push((
                convert::from_struct(partition),
                entry.offset.as_ref().map(convert::from_struct),
            ));
        }
        let message = self
            .herder
            .alter_offsets(required_name(&request.name)?, offsets)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::AlterConnectorOffsetsResponse { message }))
    }

    async fn reset_connector_offsets(
        &self,
        request: Request<v1::ResetConnectorOffsetsRequest>,
    ) -> Result<Response<v1::ResetConnectorOffsetsResponse>, Status> {
        let name = request.into_inner().name;
        let message = self
            .herder
            .reset_offsets(required_name(&name)?)
            .await
            .map_err(to_status)?;
        Ok(Response::new(v1::ResetConnectorOffsetsResponse { message }))
    }

    type WatchStatusStream = WatchStatusStream;

    async fn watch_status(
        &self,
        request: Request<v1::WatchStatusRequest>,
    ) -> Result<Response<Self::WatchStatusStream>, Status> {
        let request = request.into_inner();
        let names: HashSet<String> = request.connector_names.into_iter().collect();
        let include_tasks = request.include_tasks;
        let wanted = move |connector: &str, task: Option<u32>| {
            (names.is_empty() || names.contains(connector)) && (include_tasks || task.is_none())
        };
        let (snapshot, mut changes) = self.herder.hub().subscribe();
        let (tx, rx) = mpsc::channel(WATCH_BUFFER);
        tokio::spawn(async move {
            let mut sequence = 0u64;
            let mut next = || {
                sequence += 1;
                sequence
            };
            for status in &snapshot {
                if !wanted(&status.name, None) {
                    continue;
                }
                let event = convert::status_event(
                    next(),
                    v1::StatusEventType::Snapshot,
                    &status.name,
                    None,
                    Some(&status.connector),
                );
                if tx.send(Ok(event)).await.is_err() {
                    return;
                }
                for (id, task) in &status.tasks {
                    if !wanted(&status.name, Some(*id)) {
                        continue;
                    }
                    let event = convert::status_event(
                        next(),
                        v1::StatusEventType::Snapshot,
                        &status.name,
                        Some(*id),
                        Some(task),
                    );
                    if tx.send(Ok(event)).await.is_err() {
                        return;
                    }
                }
            }
            let marker = convert::status_event(
                next(),
                v1::StatusEventType::SnapshotComplete,
                "",
                None,
                None,
            );
            if tx.send(Ok(marker)).await.is_err() {
                return;
            }
            loop {
                match changes.recv().await {
                    Ok(change) => {
                        if !wanted(&change.connector, change.task) {
                            continue;
                        }
                        let event = match &change.change {
                            StatusChange::Changed(status) => convert::status_event(
                                next(),
                                v1::StatusEventType::Changed,
                                &change.connector,
                                change.task,
                                Some(status),
                            ),
                            StatusChange::Deleted => convert::status_event(
                                next(),
                                v1::StatusEventType::Deleted,
                                &change.connector,
                                change.task,
                                None,
                            ),
                        };
                        if tx.send(Ok(event)).await.is_err() {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        let _ = tx
                            .send(Err(Status::aborted(format!(
                                "This watcher fell {missed} events behind and was disconnected; watch again for a fresh snapshot"
                            ))))
                            .await;
                        return;
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}
