//! Translating between the runtime's types and the `connect.v1` messages.
//!
//! Kept apart from the service so each RPC handler reads as "call the herder, convert the
//! answer", and so every mapping (states, types, config definitions, offsets as
//! `google.protobuf.Struct`) is defined once.

use std::collections::HashMap;
use std::time::SystemTime;

use connect_core::config::{ConfigKey, ConfigType, DefaultValue, Importance, Properties};
use connect_core::connector::ConnectorType;
use connect_core::plugin::{Plugin, PluginKind};
use connect_core::record::OffsetMap;
use connect_proto::v1;
use connect_runtime::connector_config::ValidationReport;
use connect_runtime::{ConnectorInfo, ConnectorStatus, InstanceStatus, State, TargetState};
use prost_types::value::Kind;
use serde_json::Value as Json;

/// Proto map of a config.
pub(crate) fn config_map(props: &Properties) -> HashMap<String, String> {
    props.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Config of a proto map.
pub(crate) fn properties(map: HashMap<String, String>) -> Properties {
    map.into_iter().collect()
}

pub(crate) fn connector_type(t: ConnectorType) -> v1::ConnectorType {
    match t {
        ConnectorType::Source => v1::ConnectorType::Source,
        ConnectorType::Sink => v1::ConnectorType::Sink,
    }
}

pub(crate) fn state(s: State) -> v1::State {
    match s {
        State::Unassigned => v1::State::Unassigned,
        State::Running => v1::State::Running,
        State::Paused => v1::State::Paused,
        State::Stopped => v1::State::Stopped,
        State::Failed => v1::State::Failed,
        State::Restarting => v1::State::Restarting,
    }
}

/// The target state a create request asks for (unspecified means running).
pub(crate) fn target_state(t: v1::TargetState) -> TargetState {
    match t {
        v1::TargetState::Paused => TargetState::Paused,
        v1::TargetState::Stopped => TargetState::Stopped,
        v1::TargetState::Running | v1::TargetState::Unspecified => TargetState::Running,
    }
}

pub(crate) fn timestamp(at: SystemTime) -> prost_types::Timestamp {
    let since_epoch = at
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    prost_types::Timestamp {
        seconds: since_epoch.as_secs() as i64,
        nanos: since_epoch.subsec_nanos() as i32,
    }
}

pub(crate) fn connector_info(info: &ConnectorInfo) -> v1::ConnectorInfo {
    v1::ConnectorInfo {
        name: info.name.clone(),
        config: config_map(&info.config),
        r#type: connector_type(info.connector_type) as i32,
        tasks: info
            .tasks
            .iter()
            .enumerate()
            .map(|(id, config)| v1::TaskInfo {
                id: id as u32,
                config: config_map(config),
            })
            .collect(),
    }
}

fn task_status(id: u32, status: &InstanceStatus) -> v1::TaskStatus {
    v1::TaskStatus {
        id,
        state: state(status.state) as i32,
        worker_id: status.worker_id.clone(),
        trace: status.trace.clone().unwrap_or_default(),
        error_counts: status.error_counts().map(error_counts),
    }
}

fn error_counts(counts: connect_runtime::errors::ErrorCounts) -> v1::TaskErrorCounts {
    v1::TaskErrorCounts {
        total_record_errors: counts.total_record_errors,
        total_record_failures: counts.total_record_failures,
        total_records_skipped: counts.total_records_skipped,
        total_retries: counts.total_retries,
        total_errors_logged: counts.total_errors_logged,
        dead_letter_queue_produce_requests: counts.dead_letter_queue_produce_requests,
        dead_letter_queue_produce_failures: counts.dead_letter_queue_produce_failures,
        last_error_time: counts.last_error_ms.map(|ms| {
            timestamp(SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64))
        }),
    }
}

pub(crate) fn connector_status(status: &ConnectorStatus) -> v1::ConnectorStatus {
    v1::ConnectorStatus {
        name: status.name.clone(),
        r#type: status
            .connector_type
            .map_or(v1::ConnectorType::Unspecified, connector_type) as i32,
        state: state(status.connector.state) as i32,
        worker_id: status.connector.worker_id.clone(),
        trace: status.connector.trace.clone().unwrap_or_default(),
        tasks: status
            .tasks
            .iter()
            .map(|(id, t)| task_status(*id, t))
            .collect(),
    }
}

/// A status event of a watch stream.
pub(crate) fn status_event(
    sequence: u64,
    kind: v1::StatusEventType,
    connector: &str,
    task: Option<u32>,
    status: Option<&InstanceStatus>,
) -> v1::WatchStatusResponse {
    v1::WatchStatusResponse {
        event: Some(v1::StatusEvent {
            sequence,
            r#type: kind as i32,
            event_time: Some(timestamp(status.map_or_else(SystemTime::now, |s| s.since))),
            connector_name: connector.to_string(),
            task_id: task,
            state: status.map_or(v1::State::Unspecified, |s| state(s.state)) as i32,
            worker_id: status.map(|s| s.worker_id.clone()).unwrap_or_default(),
            trace: status.and_then(|s| s.trace.clone()).unwrap_or_default(),
        }),
    }
}

pub(crate) fn plugin_type(kind: PluginKind) -> v1::PluginType {
    match kind {
        PluginKind::Source => v1::PluginType::Source,
        PluginKind::Sink => v1::PluginType::Sink,
        PluginKind::Converter => v1::PluginType::Converter,
        PluginKind::HeaderConverter => v1::PluginType::HeaderConverter,
        PluginKind::Transformation => v1::PluginType::Transformation,
        PluginKind::Predicate => v1::PluginType::Predicate,
    }
}

fn config_type(kind: ConfigType) -> v1::ConfigType {
    match kind {
        ConfigType::Boolean => v1::ConfigType::Boolean,
        ConfigType::String => v1::ConfigType::String,
        ConfigType::Int => v1::ConfigType::Int,
        ConfigType::Short => v1::ConfigType::Short,
        ConfigType::Long => v1::ConfigType::Long,
        ConfigType::Double => v1::ConfigType::Double,
        ConfigType::List => v1::ConfigType::List,
        ConfigType::Class => v1::ConfigType::Class,
        ConfigType::Password => v1::ConfigType::Password,
    }
}

fn importance(i: Importance) -> v1::ConfigImportance {
    match i {
        Importance::High => v1::ConfigImportance::High,
        Importance::Medium => v1::ConfigImportance::Medium,
        Importance::Low => v1::ConfigImportance::Low,
    }
}

pub(crate) fn config_key(key: &ConfigKey) -> v1::ConfigKey {
    let (default_value, required) = match &key.default {
        DefaultValue::Required => (None, true),
        DefaultValue::Null => (None, false),
        DefaultValue::Value(v) => (Some(v.to_string()), false),
    };
    v1::ConfigKey {
        name: key.name.clone(),
        r#type: config_type(key.kind) as i32,
        default_value,
        required,
        importance: importance(key.importance) as i32,
        documentation: key.documentation.clone(),
        group: key.group.clone().unwrap_or_default(),
        order: key.order_in_group.unwrap_or(-1),
        width: v1::ConfigWidth::None as i32,
        display_name: key.display_name.clone().unwrap_or_else(|| key.name.clone()),
        dependents: key.dependents.clone(),
        validator: key
            .validator
            .as_ref()
            .map(|v| v.describe())
            .unwrap_or_default(),
    }
}

pub(crate) fn plugin(plugin: &Plugin) -> v1::Plugin {
    v1::Plugin {
        class_name: plugin.class_name.to_string(),
        aliases: plugin.aliases(),
        r#type: plugin_type(plugin.kind()) as i32,
        version: plugin.version.to_string(),
        config_definitions: (plugin.config_def)()
            .keys()
            .iter()
            .map(config_key)
            .collect(),
    }
}

pub(crate) fn validation(report: &ValidationReport) -> v1::ValidateConnectorConfigResponse {
    v1::ValidateConnectorConfigResponse {
        plugin_class_name: report
            .plugin
            .as_ref()
            .map(|p| p.class_name.to_string())
            .unwrap_or_default(),
        error_count: report.error_count() as i32,
        groups: report.groups.clone(),
        configs: report
            .keys
            .iter()
            .map(|k| v1::ConfigValidationResult {
                definition: Some(config_key(&k.definition)),
                value: Some(v1::ConfigValue {
                    name: k.definition.name.clone(),
                    value: k.value.clone(),
                    recommended_values: Vec::new(),
                    errors: k.errors.clone(),
                    visible: true,
                }),
            })
            .collect(),
    }
}

fn to_proto_value(value: &Json) -> prost_types::Value {
    let kind = match value {
        Json::Null => Kind::NullValue(0),
        Json::Bool(b) => Kind::BoolValue(*b),
        Json::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or(0.0)),
        Json::String(s) => Kind::StringValue(s.clone()),
        Json::Array(items) => Kind::ListValue(prost_types::ListValue {
            values: items.iter().map(to_proto_value).collect(),
        }),
        Json::Object(map) => Kind::StructValue(to_struct(map)),
    };
    prost_types::Value { kind: Some(kind) }
}

/// A JSON map as a `google.protobuf.Struct`.
pub(crate) fn to_struct(map: &OffsetMap) -> prost_types::Struct {
    prost_types::Struct {
        fields: map
            .iter()
            .map(|(k, v)| (k.clone(), to_proto_value(v)))
            .collect(),
    }
}

fn from_proto_value(value: &prost_types::Value) -> Json {
    match &value.kind {
        None | Some(Kind::NullValue(_)) => Json::Null,
        Some(Kind::BoolValue(b)) => Json::Bool(*b),
        Some(Kind::NumberValue(n)) => {
            // Offsets are integers; Struct carries doubles. Keep integral values integral.
            if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                Json::from(*n as i64)
            } else {
                serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number)
            }
        }
        Some(Kind::StringValue(s)) => Json::String(s.clone()),
        Some(Kind::ListValue(list)) => {
            Json::Array(list.values.iter().map(from_proto_value).collect())
        }
        Some(Kind::StructValue(s)) => Json::Object(from_struct(s)),
    }
}

/// A `google.protobuf.Struct` as a JSON map.
pub(crate) fn from_struct(s: &prost_types::Struct) -> OffsetMap {
    s.fields
        .iter()
        .map(|(k, v)| (k.clone(), from_proto_value(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn offsets_round_trip_through_struct_keeping_integers() {
        let map =
            json!({"filename": "/tmp/a", "position": 42, "nested": {"ok": true, "list": [1, 2.5]}})
                .as_object()
                .cloned()
                .unwrap();
        assert_eq!(from_struct(&to_struct(&map)), map);
    }
}
