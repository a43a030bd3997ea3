//! Turning Ctrl-C and SIGTERM into a graceful shutdown.

use tracing::{error, info};

use crate::ServerError;

/// The process's stop request: Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `docker stop`,
/// systemd and Kubernetes send). [`ShutdownSignal::recv`] waits for it.
///
/// Handlers are installed by [`ShutdownSignal::install`], before the server starts, so
/// a failure to install them is a startup error instead of a server that cannot be
/// stopped cleanly.
#[derive(Debug)]
pub struct ShutdownSignal {
    #[cfg(unix)]
    sigterm: tokio::signal::unix::Signal,
}

impl ShutdownSignal {
    /// Installs the signal handlers. Must be called inside a Tokio runtime.
    pub fn install() -> Result<Self, ServerError> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let sigterm = signal(SignalKind::terminate()).map_err(ServerError::Signal)?;
            Ok(Self { sigterm })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    /// Waits until Ctrl-C or SIGTERM arrives.
    #[cfg_attr(not(unix), allow(unused_mut))]
    pub async fn recv(mut self) {
        let ctrl_c = async {
            match tokio::signal::ctrl_c().await {
                Ok(()) => info!(signal = "SIGINT", "Shutdown requested."),
                Err(err) => {
                    // Without a Ctrl-C handler, keep serving: SIGTERM still works.
                    error!(error = %err, "Cannot listen for Ctrl-C.");
                    std::future::pending::<()>().await;
                }
            }
        };

        #[cfg(unix)]
        let terminate = async {
            if self.sigterm.recv().await.is_some() {
                info!(signal = "SIGTERM", "Shutdown requested.");
            } else {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();

        tokio::select! {
            () = ctrl_c => {}
            () = terminate => {}
        }
    }
}
