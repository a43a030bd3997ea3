//! Turning responses into text: readable tables, and stable JSON for scripts.
//!
//! JSON rules (documented in `client/README.md`, relied on by scripts): field names are the
//! proto field names; every field is always present; unset messages are `null`; enum
//! values are the proto value names without their type prefix (`RUNNING`, `SOURCE`,
//! `SNAPSHOT_COMPLETE`), `null` for `*_UNSPECIFIED` and the number for values this build
//! does not know; timestamps are RFC 3339 strings in UTC; maps are objects with sorted
//! keys; offsets use Kafka Connect's KIP-875 JSON.

use std::collections::BTreeMap;

use comfy_table::{ContentArrangement, Table, presets};
use connect_proto::v1;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Enums and scalars
// ---------------------------------------------------------------------------------------

/// The proto name of an enum value without its type prefix, or `None` for the
/// `*_UNSPECIFIED` value and values this build does not know.
fn short_name(full: Option<&'static str>, prefix: &str) -> Option<&'static str> {
    let name = full?.strip_prefix(prefix)?;
    (name != "UNSPECIFIED").then_some(name)
}

/// The short names of each enum the CLI prints.
pub(crate) fn state_name(value: i32) -> Option<&'static str> {
    short_name(
        v1::State::try_from(value).ok().map(|v| v.as_str_name()),
        "STATE_",
    )
}

/// See [`state_name`].
fn connector_type_name(value: i32) -> Option<&'static str> {
    short_name(
        v1::ConnectorType::try_from(value)
            .ok()
            .map(|v| v.as_str_name()),
        "CONNECTOR_TYPE_",
    )
}

/// See [`state_name`].
fn plugin_type_name(value: i32) -> Option<&'static str> {
    short_name(
        v1::PluginType::try_from(value)
            .ok()
            .map(|v| v.as_str_name()),
        "PLUGIN_TYPE_",
    )
}

/// See [`state_name`].
fn config_type_name(value: i32) -> Option<&'static str> {
    short_name(
        v1::ConfigType::try_from(value)
            .ok()
            .map(|v| v.as_str_name()),
        "CONFIG_TYPE_",
    )
}

/// See [`state_name`].
fn importance_name(value: i32) -> Option<&'static str> {
    short_name(
        v1::ConfigImportance::try_from(value)
            .ok()
            .map(|v| v.as_str_name()),
        "CONFIG_IMPORTANCE_",
    )
}

/// See [`state_name`].
fn width_name(value: i32) -> Option<&'static str> {
    short_name(
        v1::ConfigWidth::try_from(value)
            .ok()
            .map(|v| v.as_str_name()),
        "CONFIG_WIDTH_",
    )
}

/// See [`state_name`].
fn event_type_name(value: i32) -> Option<&'static str> {
    short_name(
        v1::StatusEventType::try_from(value)
            .ok()
            .map(|v| v.as_str_name()),
        "STATUS_EVENT_TYPE_",
    )
}

/// An enum value in JSON: its short name, `null` when unspecified, the number when unknown.
fn enum_json(value: i32, name: fn(i32) -> Option<&'static str>) -> Value {
    match name(value) {
        Some(name) => Value::from(name),
        None if value == 0 => Value::Null,
        None => Value::from(value),
    }
}

/// An enum value in a table: its short name, `-` when unspecified, `UNKNOWN(n)` when unknown.
fn enum_cell(value: i32, name: fn(i32) -> Option<&'static str>) -> String {
    match name(value) {
        Some(name) => name.to_owned(),
        None if value == 0 => "-".to_owned(),
        None => format!("UNKNOWN({value})"),
    }
}

/// A timestamp as RFC 3339 in UTC, with 0, 3, 6 or 9 fraction digits as needed (the
/// protobuf JSON mapping's layout).
pub(crate) fn timestamp(ts: &prost_types::Timestamp) -> String {
    let days = ts.seconds.div_euclid(86_400);
    let secs_of_day = ts.seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs_of_day / 3600, secs_of_day / 60 % 60, secs_of_day % 60);
    let nanos = ts.nanos.clamp(0, 999_999_999);
    let fraction = if nanos == 0 {
        String::new()
    } else if nanos % 1_000_000 == 0 {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    };
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}{fraction}Z")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An optional timestamp in JSON.
fn timestamp_json(ts: Option<&prost_types::Timestamp>) -> Value {
    ts.map_or(Value::Null, |ts| Value::from(timestamp(ts)))
}

/// The first line of a trace: tables have one line per instance; the whole trace is in
/// the JSON output.
pub(crate) fn first_line(trace: &str) -> &str {
    trace.lines().next().unwrap_or("").trim_end()
}

/// A string map as a JSON object with sorted keys.
fn map_json(map: &std::collections::HashMap<String, String>) -> Value {
    let sorted: BTreeMap<&String, &String> = map.iter().collect();
    json!(sorted)
}

// ---------------------------------------------------------------------------------------
// JSON of each message
// ---------------------------------------------------------------------------------------

/// `ConnectorInfo`.
pub(crate) fn connector_info_json(info: &v1::ConnectorInfo) -> Value {
    json!({
        "name": info.name,
        "config": map_json(&info.config),
        "type": enum_json(info.r#type, connector_type_name),
        "tasks": info.tasks.iter().map(|t| json!({
            "id": t.id,
            "config": map_json(&t.config),
        })).collect::<Vec<_>>(),
    })
}

/// `ConnectorStatus`.
pub(crate) fn connector_status_json(status: &v1::ConnectorStatus) -> Value {
    json!({
        "name": status.name,
        "type": enum_json(status.r#type, connector_type_name),
        "state": enum_json(status.state, state_name),
        "worker_id": status.worker_id,
        "trace": status.trace,
        "tasks": status.tasks.iter().map(task_status_json).collect::<Vec<_>>(),
    })
}

/// `TaskStatus`.
fn task_status_json(task: &v1::TaskStatus) -> Value {
    json!({
        "id": task.id,
        "state": enum_json(task.state, state_name),
        "worker_id": task.worker_id,
        "trace": task.trace,
        "error_counts": task.error_counts.as_ref().map_or(Value::Null, |c| json!({
            "total_record_errors": c.total_record_errors,
            "total_record_failures": c.total_record_failures,
            "total_records_skipped": c.total_records_skipped,
            "total_retries": c.total_retries,
            "total_errors_logged": c.total_errors_logged,
            "dead_letter_queue_produce_requests": c.dead_letter_queue_produce_requests,
            "dead_letter_queue_produce_failures": c.dead_letter_queue_produce_failures,
            "last_error_time": timestamp_json(c.last_error_time.as_ref()),
        })),
    })
}

/// An optional message in JSON.
fn opt_json<T>(value: Option<&T>, to_json: fn(&T) -> Value) -> Value {
    value.map_or(Value::Null, to_json)
}

/// `ListConnectorsResponse`.
pub(crate) fn list_json(response: &v1::ListConnectorsResponse) -> Value {
    json!({
        "connectors": response.connectors.iter().map(|c| json!({
            "name": c.name,
            "info": opt_json(c.info.as_ref(), connector_info_json),
            "status": opt_json(c.status.as_ref(), connector_status_json),
        })).collect::<Vec<_>>(),
    })
}

/// `GetConnectorResponse`.
pub(crate) fn get_json(response: &v1::GetConnectorResponse) -> Value {
    json!({
        "info": opt_json(response.info.as_ref(), connector_info_json),
        "status": opt_json(response.status.as_ref(), connector_status_json),
    })
}

/// `ConfigKey`.
fn config_key_json(key: &v1::ConfigKey) -> Value {
    json!({
        "name": key.name,
        "type": enum_json(key.r#type, config_type_name),
        "default_value": key.default_value,
        "required": key.required,
        "importance": enum_json(key.importance, importance_name),
        "documentation": key.documentation,
        "group": key.group,
        "order": key.order,
        "width": enum_json(key.width, width_name),
        "display_name": key.display_name,
        "dependents": key.dependents,
        "validator": key.validator,
    })
}

/// `ConfigValue`.
fn config_value_json(value: &v1::ConfigValue) -> Value {
    json!({
        "name": value.name,
        "value": value.value,
        "recommended_values": value.recommended_values,
        "errors": value.errors,
        "visible": value.visible,
    })
}

/// `ValidateConnectorConfigResponse`.
pub(crate) fn validate_json(response: &v1::ValidateConnectorConfigResponse) -> Value {
    json!({
        "plugin_class_name": response.plugin_class_name,
        "error_count": response.error_count,
        "groups": response.groups,
        "configs": response.configs.iter().map(|c| json!({
            "definition": opt_json(c.definition.as_ref(), config_key_json),
            "value": opt_json(c.value.as_ref(), config_value_json),
        })).collect::<Vec<_>>(),
    })
}

/// `ListPluginsResponse`; config definitions are always included.
pub(crate) fn plugins_json(response: &v1::ListPluginsResponse) -> Value {
    json!({
        "plugins": response.plugins.iter().map(|p| json!({
            "class_name": p.class_name,
            "aliases": p.aliases,
            "type": enum_json(p.r#type, plugin_type_name),
            "version": p.version,
            "config_definitions": p.config_definitions.iter().map(config_key_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `StatusEvent`, one line of `watch --output json`.
pub(crate) fn event_json(event: &v1::StatusEvent) -> Value {
    json!({
        "sequence": event.sequence,
        "type": enum_json(event.r#type, event_type_name),
        "event_time": timestamp_json(event.event_time.as_ref()),
        "connector_name": event.connector_name,
        "task_id": event.task_id,
        "state": enum_json(event.state, state_name),
        "worker_id": event.worker_id,
        "trace": event.trace,
    })
}

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

/// A borderless table with upper-case headers, like `kubectl get`: easy to read and to
/// `grep`/`awk`. Wraps to the terminal width only when printing to a terminal.
fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().copied());
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

/// A table as text, without the padding after the last column.
fn finish(table: &Table) -> String {
    let mut text = String::new();
    for line in table.lines() {
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// `-` for an empty cell, so columns stay readable and `awk` field counts stay stable.
fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "-".to_owned()
    } else {
        text.to_owned()
    }
}

/// `2/3 RUNNING`: how many tasks run, at a glance.
fn tasks_summary(status: &v1::ConnectorStatus) -> String {
    let running = status
        .tasks
        .iter()
        .filter(|t| t.state == v1::State::Running as i32)
        .count();
    format!("{running}/{} RUNNING", status.tasks.len())
}

/// `list`: NAME, plus TYPE/CLASS with `--info` and STATE/WORKER/TASKS/TRACE with
/// `--status`.
pub(crate) fn list_table(
    response: &v1::ListConnectorsResponse,
    info: bool,
    status: bool,
) -> String {
    if response.connectors.is_empty() {
        return "No connectors.\n".to_owned();
    }
    let mut header = vec!["NAME"];
    if info || status {
        header.push("TYPE");
    }
    if info {
        header.push("CLASS");
    }
    if status {
        header.extend(["STATE", "WORKER", "TASKS", "TRACE"]);
    }
    let mut t = table(&header);
    for c in &response.connectors {
        let mut row = vec![c.name.clone()];
        if info || status {
            let kind = c
                .info
                .as_ref()
                .map(|i| i.r#type)
                .or(c.status.as_ref().map(|s| s.r#type))
                .unwrap_or(0);
            row.push(enum_cell(kind, connector_type_name));
        }
        if info {
            let class = c
                .info
                .as_ref()
                .and_then(|i| i.config.get("connector.class"))
                .map_or("-", String::as_str);
            row.push(class.to_owned());
        }
        if status {
            match &c.status {
                Some(s) => row.extend([
                    enum_cell(s.state, state_name),
                    or_dash(&s.worker_id),
                    tasks_summary(s),
                    or_dash(first_line(&s.trace)),
                ]),
                None => row.extend(["UNKNOWN", "-", "-", "-"].map(str::to_owned)),
            }
        }
        t.add_row(row);
    }
    finish(&t)
}

/// The status of a connector and its tasks, one row each: `status`, `restart`, `get`.
pub(crate) fn status_table(status: &v1::ConnectorStatus) -> String {
    let mut t = table(&["INSTANCE", "STATE", "WORKER", "ERRORS", "TRACE"]);
    t.add_row([
        "connector".to_owned(),
        enum_cell(status.state, state_name),
        or_dash(&status.worker_id),
        "-".to_owned(),
        or_dash(first_line(&status.trace)),
    ]);
    for task in &status.tasks {
        t.add_row([
            format!("task {}", task.id),
            enum_cell(task.state, state_name),
            or_dash(&task.worker_id),
            task.error_counts
                .as_ref()
                .map_or("-".to_owned(), |c| c.total_record_errors.to_string()),
            or_dash(first_line(&task.trace)),
        ]);
    }
    finish(&t)
}

/// `get`: a summary, the config, the tasks' configs (key counts) and the status.
pub(crate) fn get_table(response: &v1::GetConnectorResponse) -> String {
    let mut out = String::new();
    let Some(info) = &response.info else {
        return "The server sent no connector info.\n".to_owned();
    };
    let mut summary = table(&["CONNECTOR", "TYPE", "CLASS", "TASKS"]);
    summary.add_row([
        info.name.clone(),
        enum_cell(info.r#type, connector_type_name),
        info.config
            .get("connector.class")
            .map_or("-".to_owned(), Clone::clone),
        info.tasks.len().to_string(),
    ]);
    out.push_str(&finish(&summary));
    out.push('\n');
    out.push_str(&config_table(&info.config));
    out.push('\n');
    match &response.status {
        Some(status) => out.push_str(&status_table(status)),
        None => out.push_str("Status: not known yet.\n"),
    }
    out
}

/// A config as KEY/VALUE rows, sorted by key.
fn config_table(config: &std::collections::HashMap<String, String>) -> String {
    let mut t = table(&["KEY", "VALUE"]);
    let sorted: BTreeMap<&String, &String> = config.iter().collect();
    for (key, value) in sorted {
        t.add_row([key.as_str(), value.as_str()]);
    }
    finish(&t)
}

/// `validate`: only the keys with errors, then a one-line summary.
pub(crate) fn validate_table(response: &v1::ValidateConnectorConfigResponse) -> String {
    let mut out = String::new();
    let with_errors: Vec<&v1::ConfigValue> = response
        .configs
        .iter()
        .filter_map(|c| c.value.as_ref())
        .filter(|v| !v.errors.is_empty())
        .collect();
    if !with_errors.is_empty() {
        let mut t = table(&["KEY", "VALUE", "ERRORS"]);
        for value in &with_errors {
            t.add_row([
                value.name.clone(),
                value.value.clone().unwrap_or_else(|| "-".to_owned()),
                value.errors.join("\n"),
            ]);
        }
        out.push_str(&finish(&t));
        out.push('\n');
    }
    let plugin = or_dash(&response.plugin_class_name);
    let checked = response.configs.len();
    if response.error_count == 0 {
        out.push_str(&format!(
            "{plugin}: the config is valid ({checked} keys checked).\n"
        ));
    } else {
        out.push_str(&format!(
            "{plugin}: {} error{} in {} of {checked} keys.\n",
            response.error_count,
            plural(response.error_count as usize),
            with_errors.len(),
        ));
    }
    out
}

/// `s` unless `n` is 1.
fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `plugins`: one row per plugin; with `verbose`, each plugin's config definitions after.
pub(crate) fn plugins_table(response: &v1::ListPluginsResponse, verbose: bool) -> String {
    if response.plugins.is_empty() {
        return "No plugins.\n".to_owned();
    }
    let mut t = table(&["CLASS", "TYPE", "VERSION", "ALIASES"]);
    for p in &response.plugins {
        t.add_row([
            p.class_name.clone(),
            enum_cell(p.r#type, plugin_type_name),
            or_dash(&p.version),
            or_dash(&p.aliases.join(", ")),
        ]);
    }
    let mut out = finish(&t);
    if verbose {
        for p in &response.plugins {
            out.push('\n');
            out.push_str(&format!(
                "{} ({}):\n",
                p.class_name,
                enum_cell(p.r#type, plugin_type_name)
            ));
            if p.config_definitions.is_empty() {
                out.push_str("  no config keys\n");
                continue;
            }
            let mut defs = table(&["KEY", "TYPE", "DEFAULT", "IMPORTANCE", "DOCUMENTATION"]);
            for key in &p.config_definitions {
                defs.add_row([
                    key.name.clone(),
                    enum_cell(key.r#type, config_type_name),
                    match &key.default_value {
                        Some(v) if v.is_empty() => "\"\"".to_owned(),
                        Some(v) => v.clone(),
                        None => "(required)".to_owned(),
                    },
                    enum_cell(key.importance, importance_name),
                    or_dash(&key.documentation),
                ]);
            }
            out.push_str(&finish(&defs));
        }
    }
    out
}

/// `offsets get`: one row per partition, maps as compact JSON.
pub(crate) fn offsets_table(response: &v1::GetConnectorOffsetsResponse) -> String {
    if response.offsets.is_empty() {
        return "No committed offsets.\n".to_owned();
    }
    let mut t = table(&["PARTITION", "OFFSET"]);
    for o in &response.offsets {
        let text = |s: Option<&prost_types::Struct>| {
            s.map_or("null".to_owned(), |s| {
                connect_client::struct_to_json(s).to_string()
            })
        };
        t.add_row([text(o.partition.as_ref()), text(o.offset.as_ref())]);
    }
    finish(&t)
}

/// One `watch` event as a logfmt-style line: `#3 2024-05-01T10:00:00Z CHANGED
/// connector=orders task=0 state=FAILED worker=w1 trace="..."`. Grep- and parse-friendly,
/// and readable as it scrolls by.
pub(crate) fn event_line(event: &v1::StatusEvent) -> String {
    let mut line = format!("#{}", event.sequence);
    if let Some(ts) = &event.event_time {
        line.push(' ');
        line.push_str(&timestamp(ts));
    }
    line.push(' ');
    line.push_str(&enum_cell(event.r#type, event_type_name));
    if !event.connector_name.is_empty() {
        line.push_str(&format!(
            " connector={}",
            logfmt_value(&event.connector_name)
        ));
    }
    if let Some(task) = event.task_id {
        line.push_str(&format!(" task={task}"));
    }
    if event.state != 0 {
        line.push_str(&format!(" state={}", enum_cell(event.state, state_name)));
    }
    if !event.worker_id.is_empty() {
        line.push_str(&format!(" worker={}", logfmt_value(&event.worker_id)));
    }
    let trace = first_line(&event.trace);
    if !trace.is_empty() {
        line.push_str(&format!(" trace={}", logfmt_value(trace)));
    }
    line
}

/// A logfmt value: bare when it is a simple token, quoted (JSON string rules) otherwise.
fn logfmt_value(value: &str) -> String {
    let bare = !value.is_empty()
        && value
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '=');
    if bare {
        value.to_owned()
    } else {
        Value::from(value).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status() -> v1::ConnectorStatus {
        v1::ConnectorStatus {
            name: "orders".to_owned(),
            r#type: v1::ConnectorType::Source as i32,
            state: v1::State::Running as i32,
            worker_id: "w1:8084".to_owned(),
            trace: String::new(),
            tasks: vec![
                v1::TaskStatus {
                    id: 0,
                    state: v1::State::Running as i32,
                    worker_id: "w1:8084".to_owned(),
                    trace: String::new(),
                    error_counts: None,
                },
                v1::TaskStatus {
                    id: 1,
                    state: v1::State::Failed as i32,
                    worker_id: "w2:8084".to_owned(),
                    trace: "java.io.IOException: disk full\n\tat Foo.bar".to_owned(),
                    error_counts: Some(v1::TaskErrorCounts {
                        total_record_errors: 7,
                        ..Default::default()
                    }),
                },
            ],
        }
    }

    #[test]
    fn timestamps_are_rfc3339_utc_with_minimal_fraction() {
        let ts = |seconds, nanos| prost_types::Timestamp { seconds, nanos };
        assert_eq!(timestamp(&ts(0, 0)), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(&ts(1_714_557_600, 0)), "2024-05-01T10:00:00Z");
        assert_eq!(
            timestamp(&ts(951_782_400, 5_000_000)),
            "2000-02-29T00:00:00.005Z"
        );
        assert_eq!(timestamp(&ts(1, 1_000)), "1970-01-01T00:00:01.000001Z");
        assert_eq!(timestamp(&ts(1, 1)), "1970-01-01T00:00:01.000000001Z");
        assert_eq!(timestamp(&ts(-1, 0)), "1969-12-31T23:59:59Z");
        assert_eq!(timestamp(&ts(253_402_300_799, 0)), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn enums_use_short_proto_names_null_when_unspecified_and_numbers_when_unknown() {
        assert_eq!(enum_json(2, state_name), json!("RUNNING"));
        assert_eq!(enum_json(0, state_name), Value::Null);
        assert_eq!(enum_json(99, state_name), json!(99));
        assert_eq!(enum_cell(99, state_name), "UNKNOWN(99)");
        assert_eq!(enum_cell(0, state_name), "-");
        assert_eq!(enum_json(4, plugin_type_name), json!("HEADER_CONVERTER"));
        assert_eq!(enum_json(2, event_type_name), json!("SNAPSHOT_COMPLETE"));
    }

    #[test]
    fn status_json_uses_proto_field_names() {
        let value = connector_status_json(&status());
        assert_eq!(value["name"], "orders");
        assert_eq!(value["type"], "SOURCE");
        assert_eq!(value["state"], "RUNNING");
        assert_eq!(value["worker_id"], "w1:8084");
        assert_eq!(value["tasks"][1]["state"], "FAILED");
        assert_eq!(value["tasks"][1]["error_counts"]["total_record_errors"], 7);
        assert_eq!(
            value["tasks"][1]["error_counts"]["last_error_time"],
            Value::Null
        );
        assert_eq!(value["tasks"][0]["error_counts"], Value::Null);
        assert!(
            value["tasks"][1]["trace"]
                .as_str()
                .unwrap()
                .contains("at Foo.bar")
        );
    }

    #[test]
    fn status_table_shows_state_worker_and_first_trace_line() {
        let text = status_table(&status());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("INSTANCE"), "{text}");
        assert!(
            lines[1].contains("connector") && lines[1].contains("RUNNING"),
            "{text}"
        );
        assert!(
            lines[3].contains("task 1") && lines[3].contains("FAILED"),
            "{text}"
        );
        assert!(
            lines[3].contains("w2:8084") && lines[3].contains(" 7 "),
            "{text}"
        );
        assert!(
            lines[3].ends_with("java.io.IOException: disk full"),
            "{text}"
        );
        assert!(!text.contains("Foo.bar"), "{text}");
    }

    #[test]
    fn list_table_columns_follow_the_flags() {
        let response = v1::ListConnectorsResponse {
            connectors: vec![v1::ListedConnector {
                name: "orders".to_owned(),
                info: Some(v1::ConnectorInfo {
                    name: "orders".to_owned(),
                    config: [("connector.class".to_owned(), "FileStreamSource".to_owned())].into(),
                    r#type: v1::ConnectorType::Source as i32,
                    tasks: vec![],
                }),
                status: Some(status()),
            }],
        };
        assert_eq!(list_table(&response, false, false), "NAME\norders\n");
        let text = list_table(&response, true, true);
        assert!(text.starts_with("NAME"), "{text}");
        for expected in ["TYPE", "CLASS", "STATE", "FileStreamSource", "1/2 RUNNING"] {
            assert!(text.contains(expected), "{expected}: {text}");
        }
        assert_eq!(
            list_table(&v1::ListConnectorsResponse::default(), false, false),
            "No connectors.\n"
        );
    }

    #[test]
    fn validate_table_shows_only_keys_with_errors_and_a_summary() {
        let result = |name: &str, value: &str, errors: &[&str]| v1::ConfigValidationResult {
            definition: None,
            value: Some(v1::ConfigValue {
                name: name.to_owned(),
                value: Some(value.to_owned()),
                recommended_values: vec![],
                errors: errors.iter().map(|e| (*e).to_owned()).collect(),
                visible: true,
            }),
        };
        let response = v1::ValidateConnectorConfigResponse {
            plugin_class_name: "FileStreamSource".to_owned(),
            error_count: 2,
            groups: vec![],
            configs: vec![
                result("name", "x", &[]),
                result("tasks.max", "0", &["must be >= 1", "too small"]),
                result("file", "", &[]),
            ],
        };
        let text = validate_table(&response);
        assert!(
            text.contains("tasks.max") && text.contains("must be >= 1"),
            "{text}"
        );
        assert!(!text.contains("file "), "{text}");
        assert!(
            text.ends_with("FileStreamSource: 2 errors in 1 of 3 keys.\n"),
            "{text}"
        );
        let valid = v1::ValidateConnectorConfigResponse {
            error_count: 0,
            configs: vec![result("name", "x", &[])],
            ..response
        };
        assert_eq!(
            validate_table(&valid),
            "FileStreamSource: the config is valid (1 keys checked).\n"
        );
    }

    #[test]
    fn event_lines_are_logfmt() {
        let event = v1::StatusEvent {
            sequence: 3,
            r#type: v1::StatusEventType::Changed as i32,
            event_time: Some(prost_types::Timestamp {
                seconds: 1_714_557_600,
                nanos: 0,
            }),
            connector_name: "orders".to_owned(),
            task_id: Some(0),
            state: v1::State::Failed as i32,
            worker_id: "w1".to_owned(),
            trace: "boom: \"x\"\nmore".to_owned(),
        };
        assert_eq!(
            event_line(&event),
            r#"#3 2024-05-01T10:00:00Z CHANGED connector=orders task=0 state=FAILED worker=w1 trace="boom: \"x\"""#
        );
        let marker = v1::StatusEvent {
            sequence: 4,
            r#type: v1::StatusEventType::SnapshotComplete as i32,
            ..Default::default()
        };
        assert_eq!(event_line(&marker), "#4 SNAPSHOT_COMPLETE");
        let json = event_json(&marker);
        assert_eq!(json["task_id"], Value::Null);
        assert_eq!(json["state"], Value::Null);
        assert_eq!(json["type"], "SNAPSHOT_COMPLETE");
    }

    #[test]
    fn plugins_verbose_lists_config_definitions() {
        let response = v1::ListPluginsResponse {
            plugins: vec![v1::Plugin {
                class_name: "FileStreamSourceConnector".to_owned(),
                aliases: vec!["FileStreamSource".to_owned()],
                r#type: v1::PluginType::Source as i32,
                version: "0.1.0".to_owned(),
                config_definitions: vec![v1::ConfigKey {
                    name: "file".to_owned(),
                    r#type: v1::ConfigType::String as i32,
                    default_value: None,
                    required: true,
                    importance: v1::ConfigImportance::High as i32,
                    documentation: "The file to read.".to_owned(),
                    ..Default::default()
                }],
            }],
        };
        let short = plugins_table(&response, false);
        assert!(
            short.contains("FileStreamSource") && !short.contains("The file"),
            "{short}"
        );
        let long = plugins_table(&response, true);
        assert!(
            long.contains("(required)") && long.contains("The file to read."),
            "{long}"
        );
        let json = plugins_json(&response);
        assert_eq!(
            json["plugins"][0]["config_definitions"][0]["default_value"],
            Value::Null
        );
        assert_eq!(
            json["plugins"][0]["config_definitions"][0]["importance"],
            "HIGH"
        );
    }
}
