//! The live status of connectors and tasks, and the stream of its changes.
//!
//! Every state transition is recorded here and broadcast to watchers in order. Watchers get
//! a consistent snapshot plus every later change, with no gap and no duplicate, because the
//! snapshot is taken and the subscription opened under the same lock that orders updates.
//! The broadcast channel is bounded: a watcher that falls behind loses its stream (it can
//! reconnect for a fresh snapshot) instead of slowing down the data path.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use connect_core::connector::ConnectorType;
use tokio::sync::broadcast;

use crate::errors::{ErrorCounters, ErrorCounts};

/// The state of a connector or task, as in Kafka Connect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Known but not (yet) running.
    Unassigned,
    /// Running normally.
    Running,
    /// Paused by request: assigned, not copying data.
    Paused,
    /// Stopped by request: no tasks, config kept (KIP-980).
    Stopped,
    /// Failed; the trace says why. Stays failed until restarted.
    Failed,
    /// Being (re)started; the trace may say what it is waiting for.
    Restarting,
}

impl State {
    /// Kafka Connect's upper-case name.
    pub fn name(self) -> &'static str {
        match self {
            State::Unassigned => "UNASSIGNED",
            State::Running => "RUNNING",
            State::Paused => "PAUSED",
            State::Stopped => "STOPPED",
            State::Failed => "FAILED",
            State::Restarting => "RESTARTING",
        }
    }
}

/// The status of one connector or task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceStatus {
    /// Current state.
    pub state: State,
    /// The worker running it.
    pub worker_id: String,
    /// Why it failed, or what it is waiting for.
    pub trace: Option<String>,
    /// When this state was entered.
    pub since: SystemTime,
    /// The live error-handling counters of a task (none for connectors, or before the task
    /// started). Read when a status is shown; updating them publishes nothing.
    pub error_counters: Option<TaskErrorCounters>,
}

impl InstanceStatus {
    /// The task's error-handling counters now, if it reports them.
    pub fn error_counts(&self) -> Option<ErrorCounts> {
        self.error_counters.as_ref().map(|c| c.0.snapshot())
    }
}

/// A handle on a running task's counters. Two handles are equal when they are the same
/// counters: statuses compare by identity, not by the numbers of the moment.
#[derive(Clone, Debug)]
pub struct TaskErrorCounters(pub Arc<ErrorCounters>);

impl PartialEq for TaskErrorCounters {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for TaskErrorCounters {}

/// A connector's status and its tasks'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectorStatus {
    /// The connector name.
    pub name: String,
    /// Source or sink, once known.
    pub connector_type: Option<ConnectorType>,
    /// The connector instance.
    pub connector: InstanceStatus,
    /// Its tasks, by id.
    pub tasks: BTreeMap<u32, InstanceStatus>,
}

/// What happened to a connector or task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusChange {
    /// It entered a new state (or appeared).
    Changed(InstanceStatus),
    /// It went away (connector deleted, task removed).
    Deleted,
}

/// One change, in the order the hub recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusEvent {
    /// The connector concerned.
    pub connector: String,
    /// The task concerned; `None` for the connector itself.
    pub task: Option<u32>,
    /// What happened.
    pub change: StatusChange,
}

/// Current statuses plus a broadcast of every change.
#[derive(Debug)]
pub struct StatusHub {
    worker_id: String,
    statuses: Mutex<BTreeMap<String, ConnectorStatus>>,
    events: broadcast::Sender<Arc<StatusEvent>>,
}

impl StatusHub {
    /// A hub for a worker; `capacity` bounds how far a watcher may lag before it is cut off.
    pub fn new(worker_id: impl Into<String>, capacity: usize) -> Self {
        let (events, _) = broadcast::channel(capacity.max(1));
        Self {
            worker_id: worker_id.into(),
            statuses: Mutex::new(BTreeMap::new()),
            events,
        }
    }

    /// The id statuses are reported under.
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, ConnectorStatus>> {
        // A poisoned map is still a valid map; statuses are replaced wholesale.
        self.statuses.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn instance(&self, state: State, trace: Option<String>) -> InstanceStatus {
        InstanceStatus {
            state,
            worker_id: self.worker_id.clone(),
            trace,
            since: SystemTime::now(),
            error_counters: None,
        }
    }

    fn publish(&self, event: StatusEvent) {
        // No receivers is fine: nobody is watching.
        let _ = self.events.send(Arc::new(event));
    }

    /// Records a connector's state; publishes only if state or trace changed.
    pub fn set_connector(
        &self,
        name: &str,
        connector_type: Option<ConnectorType>,
        state: State,
        trace: Option<String>,
    ) {
        let mut statuses = self.lock();
        let existed = statuses.contains_key(name);
        let entry = statuses
            .entry(name.to_string())
            .or_insert_with(|| ConnectorStatus {
                name: name.to_string(),
                connector_type,
                connector: InstanceStatus {
                    state,
                    worker_id: self.worker_id.clone(),
                    trace: None,
                    since: SystemTime::now(),
                    error_counters: None,
                },
                tasks: BTreeMap::new(),
            });
        if connector_type.is_some() {
            entry.connector_type = connector_type;
        }
        if !existed || entry.connector.state != state || entry.connector.trace != trace {
            let status = self.instance(state, trace);
            entry.connector = status.clone();
            self.publish(StatusEvent {
                connector: name.to_string(),
                task: None,
                change: StatusChange::Changed(status),
            });
        }
    }

    /// Records a task's state; publishes only if state or trace changed (or the task is new).
    pub fn set_task(&self, name: &str, task: u32, state: State, trace: Option<String>) {
        let mut statuses = self.lock();
        let Some(entry) = statuses.get_mut(name) else {
            return;
        };
        let changed = match entry.tasks.get(&task) {
            Some(current) => current.state != state || current.trace != trace,
            None => true,
        };
        if changed {
            let mut status = self.instance(state, trace);
            status.error_counters = entry
                .tasks
                .get(&task)
                .and_then(|current| current.error_counters.clone());
            entry.tasks.insert(task, status.clone());
            self.publish(StatusEvent {
                connector: name.to_string(),
                task: Some(task),
                change: StatusChange::Changed(status),
            });
        }
    }

    /// Gives a (re)started task fresh error counters, shown with its status from now on.
    /// Publishes nothing: the counters are read when a status is shown.
    pub fn attach_error_counters(&self, name: &str, task: u32) -> Arc<ErrorCounters> {
        let counters = Arc::new(ErrorCounters::default());
        if let Some(status) = self
            .lock()
            .get_mut(name)
            .and_then(|entry| entry.tasks.get_mut(&task))
        {
            status.error_counters = Some(TaskErrorCounters(counters.clone()));
        }
        counters
    }

    /// Forgets a task (the connector was stopped or has fewer tasks now).
    pub fn remove_task(&self, name: &str, task: u32) {
        let mut statuses = self.lock();
        if let Some(entry) = statuses.get_mut(name)
            && entry.tasks.remove(&task).is_some()
        {
            self.publish(StatusEvent {
                connector: name.to_string(),
                task: Some(task),
                change: StatusChange::Deleted,
            });
        }
    }

    /// Forgets a connector and its tasks (deleted).
    pub fn remove_connector(&self, name: &str) {
        let mut statuses = self.lock();
        if statuses.remove(name).is_some() {
            self.publish(StatusEvent {
                connector: name.to_string(),
                task: None,
                change: StatusChange::Deleted,
            });
        }
    }

    /// One connector's status.
    pub fn get(&self, name: &str) -> Option<ConnectorStatus> {
        self.lock().get(name).cloned()
    }

    /// Every connector's status, by name.
    pub fn all(&self) -> Vec<ConnectorStatus> {
        self.lock().values().cloned().collect()
    }

    /// The current statuses and a receiver of every change after them.
    pub fn subscribe(&self) -> (Vec<ConnectorStatus>, broadcast::Receiver<Arc<StatusEvent>>) {
        let statuses = self.lock();
        let receiver = self.events.subscribe();
        (statuses.values().cloned().collect(), receiver)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_then_changes_in_order() {
        let hub = StatusHub::new("w1", 16);
        hub.set_connector("a", Some(ConnectorType::Source), State::Running, None);
        let (snapshot, mut rx) = hub.subscribe();
        assert_eq!(snapshot.len(), 1);
        assert_eq!(snapshot[0].connector.state, State::Running);
        hub.set_task("a", 0, State::Running, None);
        hub.set_task("a", 0, State::Running, None); // no change, no event
        hub.set_task("a", 0, State::Failed, Some("boom".into()));
        hub.remove_connector("a");
        let events: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        let summary: Vec<_> = events
            .iter()
            .map(|e| match &e.change {
                StatusChange::Changed(s) => format!("{:?}:{}", e.task, s.state.name()),
                StatusChange::Deleted => format!("{:?}:deleted", e.task),
            })
            .collect();
        assert_eq!(
            summary,
            ["Some(0):RUNNING", "Some(0):FAILED", "None:deleted"]
        );
        assert_eq!(hub.get("a"), None);
    }

    #[test]
    fn slow_watchers_lag_instead_of_blocking() {
        let hub = StatusHub::new("w1", 2);
        hub.set_connector("a", None, State::Running, None);
        let (_, mut rx) = hub.subscribe();
        for i in 0..10 {
            hub.set_task("a", i, State::Running, None);
        }
        assert!(matches!(
            rx.try_recv(),
            Err(broadcast::error::TryRecvError::Lagged(_))
        ));
    }
}
