//! Running one parsed command: read local inputs, call the server, print the result.

use std::{io::Write, path::Path};

use connect_client::{ConnectClient, offsets_from_json, offsets_to_json};
use connect_core::{
    Properties,
    config_file::{ConfigFileError, load_config_file},
};
use connect_proto::v1;
use futures::StreamExt;
use serde_json::{Value, json};

use crate::{
    args::{Cli, Command, ConfigSource, OffsetsCommand, OutputFormat},
    exit::CliError,
    render,
};

/// Runs `cli.command`, writing its result to `out`.
///
/// Local inputs (config and offsets files) are read before connecting, so a mistake in
/// them is reported as such (exit 2) even when the server is down.
pub(crate) async fn run(cli: Cli, out: &mut dyn Write) -> Result<(), CliError> {
    let printer = Printer {
        json: cli.output == OutputFormat::Json,
    };
    let server = cli.server.as_str();
    match cli.command {
        Command::List { status, info } => {
            let response = connect(server).await?.list_connectors(info, status).await?;
            printer.print(
                out,
                || render::list_json(&response),
                || render::list_table(&response, info, status),
            )
        }
        Command::Get { name } => {
            let response = connect(server).await?.get_connector(name).await?;
            printer.print(
                out,
                || render::get_json(&response),
                || render::get_table(&response),
            )
        }
        Command::Status { name } => {
            let response = connect(server).await?.get_connector(&name).await?;
            let status = response.status.as_ref();
            printer.print(
                out,
                || status.map_or(Value::Null, render::connector_status_json),
                || {
                    status.map_or_else(
                        || format!("The status of connector {name:?} is not known yet.\n"),
                        render::status_table,
                    )
                },
            )
        }
        Command::Create {
            name,
            config,
            initial_state,
        } => {
            let (name, config) = connector_config(name, &config)?;
            let initial_state = initial_state.map_or(v1::TargetState::Unspecified, Into::into);
            let response = connect(server)
                .await?
                .create_connector(&name, config, initial_state)
                .await?;
            printer.print(
                out,
                || json!({ "info": response.info.as_ref().map_or(Value::Null, render::connector_info_json) }),
                || match initial_state {
                    v1::TargetState::Unspecified => format!("Created connector {name:?}.\n"),
                    state => format!(
                        "Created connector {name:?} in state {}.\n",
                        state.as_str_name().trim_start_matches("TARGET_STATE_")
                    ),
                },
            )
        }
        Command::Update {
            name,
            config,
            allow_missing,
        } => {
            let (name, config) = connector_config(name, &config)?;
            let response = connect(server)
                .await?
                .update_connector(&name, config, allow_missing)
                .await?;
            printer.print(
                out,
                || {
                    json!({
                        "info": response.info.as_ref().map_or(Value::Null, render::connector_info_json),
                        "created": response.created,
                    })
                },
                || {
                    let verb = if response.created { "Created" } else { "Updated" };
                    format!("{verb} connector {name:?}.\n")
                },
            )
        }
        Command::Delete { name } => {
            connect(server).await?.delete_connector(&name).await?;
            printer.done(out, &format!("Deleted connector {name:?}."))
        }
        Command::Pause { name } => {
            connect(server).await?.pause_connector(&name).await?;
            printer.done(out, &format!("Requested pause of connector {name:?}."))
        }
        Command::Resume { name } => {
            connect(server).await?.resume_connector(&name).await?;
            printer.done(out, &format!("Requested resume of connector {name:?}."))
        }
        Command::Stop { name } => {
            connect(server).await?.stop_connector(&name).await?;
            printer.done(out, &format!("Requested stop of connector {name:?}."))
        }
        Command::Restart {
            name,
            include_tasks,
            only_failed,
        } => {
            let response = connect(server)
                .await?
                .restart_connector(&name, include_tasks, only_failed)
                .await?;
            let status = response.status.as_ref();
            printer.print(
                out,
                || json!({ "status": status.map_or(Value::Null, render::connector_status_json) }),
                || {
                    status.map_or_else(
                        || format!("Requested restart of connector {name:?}.\n"),
                        render::status_table,
                    )
                },
            )
        }
        Command::RestartTask { name, task_id } => {
            connect(server).await?.restart_task(&name, task_id).await?;
            printer.done(
                out,
                &format!("Requested restart of task {task_id} of connector {name:?}."),
            )
        }
        Command::Validate { plugin, config } => {
            let config = merged_config(&config)?;
            let response = connect(server)
                .await?
                .validate_connector_config(plugin.unwrap_or_default(), config)
                .await?;
            printer.print(
                out,
                || render::validate_json(&response),
                || render::validate_table(&response),
            )?;
            if response.error_count > 0 {
                return Err(CliError::InvalidConfig(response.error_count));
            }
            Ok(())
        }
        Command::Plugins { types, verbose } => {
            let response = connect(server)
                .await?
                .list_plugins(types.into_iter().map(Into::into))
                .await?;
            printer.print(
                out,
                || render::plugins_json(&response),
                || render::plugins_table(&response, verbose),
            )
        }
        Command::Offsets(OffsetsCommand::Get { name }) => {
            let response = connect(server).await?.get_connector_offsets(name).await?;
            printer.print(
                out,
                || offsets_to_json(&response.offsets),
                || render::offsets_table(&response),
            )
        }
        Command::Offsets(OffsetsCommand::Alter { name, file }) => {
            let offsets = read_offsets(&file)?;
            let response = connect(server)
                .await?
                .alter_connector_offsets(&name, offsets)
                .await?;
            printer.message(
                out,
                &response.message,
                &format!("Altered the offsets of {name:?}."),
            )
        }
        Command::Offsets(OffsetsCommand::Reset { name }) => {
            let response = connect(server)
                .await?
                .reset_connector_offsets(&name)
                .await?;
            printer.message(
                out,
                &response.message,
                &format!("Reset the offsets of {name:?}."),
            )
        }
        Command::Watch { names, tasks } => watch(server, names, tasks, printer, out).await,
    }
}

/// Connects to the server named by `--server`.
async fn connect(server: &str) -> Result<ConnectClient, CliError> {
    Ok(ConnectClient::connect(server).await?)
}

/// Prints results in the chosen format.
#[derive(Debug, Clone, Copy)]
struct Printer {
    /// `--output json`.
    json: bool,
}

impl Printer {
    /// Prints the JSON or the table; only the one needed is built.
    fn print(
        self,
        out: &mut dyn Write,
        to_json: impl FnOnce() -> Value,
        to_table: impl FnOnce() -> String,
    ) -> Result<(), CliError> {
        if self.json {
            let text =
                serde_json::to_string_pretty(&to_json()).map_err(|e| CliError::Output(e.into()))?;
            writeln!(out, "{text}")?;
        } else {
            out.write_all(to_table().as_bytes())?;
        }
        out.flush()?;
        Ok(())
    }

    /// For RPCs with an empty response: `{}` in JSON, `sentence` in a table.
    fn done(self, out: &mut dyn Write, sentence: &str) -> Result<(), CliError> {
        self.print(out, || json!({}), || format!("{sentence}\n"))
    }

    /// For RPCs answering `{"message": ...}`: the server's message, or `fallback` when it
    /// sent none.
    fn message(self, out: &mut dyn Write, message: &str, fallback: &str) -> Result<(), CliError> {
        self.print(
            out,
            || json!({ "message": message }),
            || {
                let text = if message.is_empty() {
                    fallback
                } else {
                    message
                };
                format!("{text}\n")
            },
        )
    }
}

/// The config of `--file` and `-c` pairs (pairs win), without requiring a name.
fn merged_config(source: &ConfigSource) -> Result<Properties, CliError> {
    let mut config = match &source.file {
        Some(path) => load_config_file(path).map_err(|e| CliError::Usage(e.to_string()))?,
        None => Properties::new(),
    };
    config.extend(source.pairs.iter().cloned());
    Ok(config)
}

/// The name and config for `create` and `update`.
///
/// The name is NAME when given (replacing a different `name` in the config), else the
/// config's `name`; without either, a usage error that names the file if there is one.
fn connector_config(
    name: Option<String>,
    source: &ConfigSource,
) -> Result<(String, Properties), CliError> {
    let mut config = merged_config(source)?;
    let name = match name {
        Some(name) => {
            if config.contains_key("name") {
                config.insert("name".to_owned(), name.clone());
            }
            name
        }
        None => match config.get("name") {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => {
                return Err(CliError::Usage(match &source.file {
                    Some(path) => ConfigFileError::InFile {
                        path: path.clone(),
                        error: Box::new(ConfigFileError::MissingName),
                    }
                    .to_string(),
                    None => "no connector name: give NAME, or -c name=NAME".to_owned(),
                }));
            }
        },
    };
    Ok((name, config))
}

/// Reads a KIP-875 offsets file (`-` for stdin).
fn read_offsets(path: &Path) -> Result<Vec<v1::ConnectorOffset>, CliError> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    }
    .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    offsets_from_json(&text).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

/// `watch`: prints events as they arrive until the stream ends, an error, or Ctrl-C.
///
/// Ctrl-C and the end of the stream are both a clean stop (exit 0): the user or the server
/// chose to end it. Lines are flushed one by one so pipes see events live.
async fn watch(
    server: &str,
    names: Vec<String>,
    include_tasks: bool,
    printer: Printer,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut events = connect(server)
        .await?
        .watch_status(names, include_tasks)
        .await?;
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut ctrl_c_armed = true;
    loop {
        let event = tokio::select! {
            // Ctrl-C first: polling it registers the handler, which must happen before the
            // first event is printed (a script may interrupt as soon as it sees output).
            biased;
            result = &mut ctrl_c, if ctrl_c_armed => match result {
                Ok(()) => return Ok(()),
                // The handler could not be installed: Ctrl-C keeps its default effect
                // (ending the process), and watching goes on.
                Err(_) => {
                    ctrl_c_armed = false;
                    continue;
                }
            },
            event = events.next() => event,
        };
        let Some(event) = event else {
            return Ok(());
        };
        let event = event?;
        if printer.json {
            writeln!(out, "{}", render::event_json(&event))?;
        } else {
            writeln!(out, "{}", render::event_line(&event))?;
        }
        out.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(file: Option<PathBuf>, pairs: &[(&str, &str)]) -> ConfigSource {
        ConfigSource {
            file,
            pairs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn pairs_override_the_file_and_name_comes_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.properties");
        std::fs::write(&path, "name=orders\ntasks.max=1\nfile=a\n").unwrap();
        let (name, config) =
            connector_config(None, &source(Some(path), &[("tasks.max", "4")])).unwrap();
        assert_eq!(name, "orders");
        assert_eq!(config["tasks.max"], "4");
        assert_eq!(config["file"], "a");
        assert_eq!(config["name"], "orders");
    }

    #[test]
    fn an_explicit_name_replaces_the_files_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        std::fs::write(&path, r#"{"name": "orders", "config": {"x": 1}}"#).unwrap();
        let (name, config) =
            connector_config(Some("copy".to_owned()), &source(Some(path), &[])).unwrap();
        assert_eq!(name, "copy");
        assert_eq!(config["name"], "copy");
        assert_eq!(config["x"], "1");
    }

    #[test]
    fn pairs_alone_do_not_gain_a_name_key() {
        let (name, config) =
            connector_config(Some("c".to_owned()), &source(None, &[("a", "b")])).unwrap();
        assert_eq!(name, "c");
        assert!(!config.contains_key("name"));
        let (name, _) = connector_config(None, &source(None, &[("name", "n")])).unwrap();
        assert_eq!(name, "n");
    }

    #[test]
    fn a_missing_name_is_a_usage_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anon.properties");
        std::fs::write(&path, "connector.class=X\n").unwrap();
        let err = connector_config(None, &source(Some(path), &[])).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("anon.properties"), "{err}");
        let err = connector_config(None, &source(None, &[("a", "b")])).unwrap_err();
        assert!(err.to_string().contains("give NAME"), "{err}");
    }

    #[test]
    fn an_unreadable_or_malformed_file_is_a_usage_error() {
        let err =
            merged_config(&source(Some("/nonexistent/c.properties".into()), &[])).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("o.json");
        std::fs::write(&path, r#"{"offsets": 1}"#).unwrap();
        let err = read_offsets(&path).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("o.json"), "{err}");
    }
}
