//! What source and sink task executors share: the control signal from the worker, the
//! environment a task runs in, and how failures are reported.

use std::sync::Arc;
use std::time::Duration;

use connect_core::{ConnectError, Properties};
use rdkafka::ClientConfig;
use tokio::sync::watch;

use crate::plugins::ConnectorConverters;
use crate::status::{State, StatusHub};
use connect_transforms::chain::TransformChain;

use crate::errors::ErrorHandler;

/// What the worker wants a task to be doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskTarget {
    /// Copy data.
    Running,
    /// Stay up but copy nothing.
    Paused,
    /// Flush, commit and exit.
    Stopped,
}

/// Everything a task executor needs besides the task itself.
pub(crate) struct TaskEnv {
    pub(crate) connector: String,
    pub(crate) task_id: u32,
    pub(crate) task_config: Properties,
    pub(crate) connector_config: Properties,
    pub(crate) converters: ConnectorConverters,
    pub(crate) transforms: TransformChain,
    pub(crate) errors: ErrorHandler,
    pub(crate) hub: Arc<StatusHub>,
    pub(crate) control: watch::Receiver<TaskTarget>,
    pub(crate) flush_interval: Duration,
    pub(crate) flush_timeout: Duration,
    pub(crate) client_config: ClientConfig,
    pub(crate) worker_props: Properties,
    pub(crate) bootstrap_servers: String,
}

impl TaskEnv {
    pub(crate) fn target(&self) -> TaskTarget {
        *self.control.borrow()
    }

    pub(crate) fn set_state(&self, state: State, trace: Option<String>) {
        self.hub
            .set_task(&self.connector, self.task_id, state, trace);
    }

    /// Marks the task FAILED with the error (and its cause) as trace.
    pub(crate) fn fail(&self, context: &str, error: &ConnectError) {
        let trace = describe(context, error);
        tracing::error!(connector = %self.connector, task = self.task_id, error = %trace, "Task failed.");
        self.set_state(State::Failed, Some(trace));
    }

    /// Waits until the Kafka cluster answers, showing why in the status while it does not.
    /// Returns `false` when the task was stopped meanwhile.
    pub(crate) async fn wait_for_kafka(&self) -> bool {
        let probe = crate::kafka::probe_config(&self.client_config);
        let control = self.control.clone();
        crate::kafka::wait_for_kafka(
            &probe,
            |reason| {
                tracing::warn!(connector = %self.connector, task = self.task_id, bootstrap = %self.bootstrap_servers, %reason, "Kafka is not reachable; retrying.");
                self.set_state(
                    State::Restarting,
                    Some(format!(
                        "Waiting for Kafka at {}: {reason}",
                        self.bootstrap_servers
                    )),
                );
            },
            || *control.borrow() == TaskTarget::Stopped,
        )
        .await
    }
}

/// A one-paragraph description of an error with its cause, for status traces.
pub(crate) fn describe(context: &str, error: &ConnectError) -> String {
    let mut text = format!("{context}: {}: {}", error.java_class(), error.message());
    if let Some(cause) = error.cause() {
        text.push_str(&format!("\nCaused by: {cause}"));
    }
    text
}

/// What failed, in words, for the status trace of a task that did not tolerate it.
pub(crate) fn stage_failure(stage: crate::errors::Stage) -> &'static str {
    use crate::errors::Stage;
    match stage {
        Stage::KeyConverter => "Key conversion failed",
        Stage::ValueConverter => "Value conversion failed",
        Stage::HeaderConverter => "Header conversion failed",
        Stage::Transformation => "Transformation failed",
        Stage::TaskPut => "Sink task put failed",
        Stage::TaskPoll => "Source task poll failed",
        Stage::KafkaProduce => "Producing to Kafka failed",
        Stage::KafkaConsume => "Consuming from Kafka failed",
    }
}
