//! Wiring the gRPC services together and serving them.

use std::{future::Future, time::Duration};

use connect_proto::{
    CONNECT_SERVICE_NAME, FILE_DESCRIPTOR_SET, v1::connect_service_server::ConnectServiceServer,
};
use tokio::{net::TcpListener, sync::oneshot};
use tonic::transport::{Server, server::TcpIncoming};
use tonic_health::ServingStatus;
use tracing::{info, warn};

use crate::service::ConnectGrpcService;
use crate::worker_setup::start_worker;
use crate::{Config, ServerError, ShutdownSignal};

/// Runs `connectd` as the binary does: binds `config.listen`, logs the bound address,
/// serves until Ctrl-C or SIGTERM, then shuts down gracefully within
/// `config.shutdown_timeout()`.
///
/// Kept separate from `main` so that everything but argument parsing and logging setup
/// is library code that tests and embedders can call.
pub async fn run(config: Config) -> Result<(), ServerError> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
    let local_addr = listener.local_addr().map_err(ServerError::LocalAddr)?;
    let signal = ShutdownSignal::install()?;
    let worker_id = config
        .worker_id
        .clone()
        .unwrap_or_else(|| local_addr.to_string());
    let worker = start_worker(&config, worker_id).await?;
    let registry = match crate::schema_registry::start(&config, &worker).await {
        Ok(registry) => registry,
        Err(err) => {
            worker.shutdown().await;
            return Err(err);
        }
    };
    let service = ConnectGrpcService::new(worker.herder.clone());

    info!(
        listen = %local_addr,
        version = env!("CARGO_PKG_VERSION"),
        "Serving gRPC: connect.v1.ConnectService, health, reflection."
    );
    let served = serve(listener, service, signal.recv(), config.shutdown_timeout()).await;
    crate::schema_registry::stop(registry).await;
    worker.shutdown().await;
    served?;
    info!("Stopped.");
    Ok(())
}

/// Serves every gRPC service of `connectd` on an already bound listener until
/// `shutdown` resolves, then drains for at most `shutdown_timeout`.
///
/// Taking a bound listener (instead of an address) lets tests bind `127.0.0.1:0` and
/// know the port before serving, without sleeping or retrying. On shutdown the health
/// service first switches to NOT_SERVING, so health-checking load balancers stop
/// sending new calls while the ones in flight finish; connections still open when the
/// timeout expires (e.g. long-lived streams) are dropped.
///
/// Served services:
/// - `connect.v1.ConnectService`, over the worker's herder;
/// - `grpc.health.v1.Health`, with `""` and `connect.v1.ConnectService` SERVING;
/// - `grpc.reflection.v1.ServerReflection` and `grpc.reflection.v1alpha.ServerReflection`.
pub async fn serve<F>(
    listener: TcpListener,
    service: ConnectGrpcService,
    shutdown: F,
    shutdown_timeout: Duration,
) -> Result<(), ServerError>
where
    F: Future<Output = ()> + Send,
{
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_service_status(CONNECT_SERVICE_NAME, ServingStatus::Serving)
        .await;
    let reflection_v1 = reflection().build_v1()?;
    let reflection_v1alpha = reflection().build_v1alpha()?;

    let (draining_tx, draining_rx) = oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        health_reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        health_reporter
            .set_service_status(CONNECT_SERVICE_NAME, ServingStatus::NotServing)
            .await;
        info!(
            timeout_secs = shutdown_timeout.as_secs_f64(),
            "Draining open calls."
        );
        // The receiver only goes away once serving ended, when nobody needs the news.
        let _ = draining_tx.send(());
    };

    let server = Server::builder()
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(ConnectServiceServer::new(service))
        .serve_with_incoming_shutdown(TcpIncoming::from(listener), signal);

    let drain_deadline = async move {
        match draining_rx.await {
            Ok(()) => tokio::time::sleep(shutdown_timeout).await,
            Err(_) => std::future::pending().await,
        }
    };

    tokio::select! {
        result = server => result?,
        () = drain_deadline => warn!(
            timeout_secs = shutdown_timeout.as_secs_f64(),
            "Connections still open after the shutdown timeout; closing them."
        ),
    }
    Ok(())
}

/// A reflection builder that knows the `connect.v1` package (with its well-known-type
/// imports) and the health service, so tools can call both without `.proto` files.
///
/// A function rather than a shared value because each `build_*` consumes its builder.
fn reflection() -> tonic_reflection::server::Builder<'static> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
}
