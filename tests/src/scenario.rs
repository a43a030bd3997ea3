//! Small helpers that keep the end-to-end scenarios readable: configs from pairs, status
//! polling, and reading the status stream.

use std::time::Duration;

use connect_client::{ConnectClient, StatusEvents};
use connect_proto::v1;
use futures::StreamExt;

use crate::wait::eventually;

pub use connect_core::config::properties as props;

/// The connector's status as GetConnector reports it.
pub async fn status(client: &mut ConnectClient, name: &str) -> v1::ConnectorStatus {
    client
        .get_connector(name)
        .await
        .unwrap_or_else(|e| panic!("get connector {name}: {e}"))
        .status
        .unwrap_or_else(|| panic!("connector {name} has no status"))
}

/// Waits until the connector and all its `tasks` tasks are in `state`.
pub async fn wait_for_state(
    client: &ConnectClient,
    name: &str,
    state: v1::State,
    tasks: usize,
    timeout: Duration,
) -> v1::ConnectorStatus {
    eventually(
        &format!("{name} to be {state:?} with {tasks} task(s)"),
        timeout,
        || {
            let mut client = client.clone();
            let name = name.to_string();
            async move {
                let status = status(&mut client, &name).await;
                let ok = status.state == state as i32
                    && status.tasks.len() == tasks
                    && status.tasks.iter().all(|t| t.state == state as i32);
                if ok {
                    Ok(status)
                } else {
                    Err(format!("{status:?}"))
                }
            }
        },
    )
    .await
}

/// A status event summarised for assertions: (task, type, state).
pub type EventSummary = (Option<u32>, v1::StatusEventType, v1::State);

/// The next event of a watch stream, within `timeout`.
pub async fn next_event(events: &mut StatusEvents, timeout: Duration) -> v1::StatusEvent {
    match tokio::time::timeout(timeout, events.next()).await {
        Ok(Some(Ok(event))) => event,
        Ok(Some(Err(e))) => panic!("status stream failed: {e}"),
        Ok(None) => panic!("status stream ended"),
        Err(_) => panic!("no status event within {timeout:?}"),
    }
}

/// Summarises an event.
pub fn summary(event: &v1::StatusEvent) -> EventSummary {
    (event.task_id, event.r#type(), event.state())
}

/// Reads events of `connector` until `done` says the sequence is complete; returns their
/// summaries in order (events of other connectors are skipped).
pub async fn events_until(
    events: &mut StatusEvents,
    connector: &str,
    timeout: Duration,
    mut done: impl FnMut(&[EventSummary]) -> bool,
) -> Vec<EventSummary> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut seen = Vec::new();
    while !done(&seen) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            panic!("status events of {connector} so far: {seen:?}");
        }
        let event = next_event(events, left).await;
        if event.connector_name == connector {
            seen.push(summary(&event));
        }
    }
    seen
}

/// The committed offset (next offset to consume) of a sink connector's first partition, as
/// GetConnectorOffsets reports it; `None` before anything was committed.
pub async fn sink_offset(client: &mut ConnectClient, name: &str) -> Option<i64> {
    let offsets = client
        .get_connector_offsets(name)
        .await
        .unwrap_or_else(|e| panic!("offsets of {name}: {e}"))
        .offsets;
    kafka_offset_of(&offsets)
}

/// The `kafka_offset` of the first partition in a sink connector's offsets.
pub fn kafka_offset_of(offsets: &[v1::ConnectorOffset]) -> Option<i64> {
    offsets.first().and_then(|o| {
        match o
            .offset
            .as_ref()?
            .fields
            .get("kafka_offset")?
            .kind
            .as_ref()?
        {
            prost_types::value::Kind::NumberValue(n) => Some(*n as i64),
            _ => None,
        }
    })
}
