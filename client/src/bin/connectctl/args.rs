//! The command line: global flags, subcommands and their arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use connect_proto::v1;

/// Exit codes, shown by `connectctl --help` so scripts can rely on them. Keep in sync with
/// [`crate::exit`] and `client/README.md`.
pub(crate) const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  unexpected error
  2  usage error: bad arguments, or a --file that cannot be read or parsed
  3  NOT_FOUND: no such connector, task or plugin
  4  INVALID_ARGUMENT: invalid request or config (also `validate` finding errors)
  5  ALREADY_EXISTS: a connector with that name exists
  6  FAILED_PRECONDITION: wrong connector state (e.g. offsets of a running connector)
  7  UNAVAILABLE: cannot connect, or the server cannot answer right now
  8  any other gRPC error

Errors go to stderr as `connectctl: <message>`, then one line per invalid config key.";

/// `connectctl`: manage the connectors of a `connectd` cluster over gRPC.
#[derive(Debug, Parser)]
#[command(
    name = "connectctl",
    version,
    about = "Manage connectors of a connectd (Kafka Connect in Rust) cluster over gRPC",
    after_help = EXIT_CODES_HELP
)]
pub(crate) struct Cli {
    /// The connectd gRPC address: HOST:PORT or http://HOST:PORT.
    #[arg(
        long,
        global = true,
        env = "CONNECTCTL_SERVER",
        default_value = "127.0.0.1:8084",
        value_name = "ADDR",
        value_parser = parse_server
    )]
    pub(crate) server: String,

    /// Output format: readable tables, or JSON with the proto field names for scripts.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub(crate) output: OutputFormat,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Aligned tables and short sentences for people.
    Table,
    /// JSON for scripts (JSON Lines for `watch`).
    Json,
}

/// The subcommands, one or more per RPC.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List connectors (ListConnectors).
    List {
        /// Include each connector's state, worker and tasks.
        #[arg(long)]
        status: bool,
        /// Include each connector's type and class (and config, in JSON).
        #[arg(long)]
        info: bool,
    },
    /// Show a connector's config, tasks and status (GetConnector).
    Get {
        /// The connector's name.
        name: String,
    },
    /// Show the state of a connector and its tasks (GetConnector).
    Status {
        /// The connector's name.
        name: String,
    },
    /// Create a connector (CreateConnector).
    ///
    /// The config comes from --file (.properties or .json, as for connect-standalone or
    /// `POST /connectors`) and/or -c KEY=VALUE pairs, which override the file. NAME
    /// defaults to the config's `name`; when given, it replaces it.
    Create {
        /// The connector's name; defaults to the `name` in the config.
        name: Option<String>,
        /// Where the config comes from.
        #[command(flatten)]
        config: ConfigSource,
        /// The state to start in.
        #[arg(long, value_enum, value_name = "STATE")]
        initial_state: Option<InitialState>,
    },
    /// Replace a connector's whole config (UpdateConnector).
    ///
    /// The config comes from --file and/or -c KEY=VALUE pairs, as for `create`.
    Update {
        /// The connector's name; defaults to the `name` in the config.
        name: Option<String>,
        /// Where the config comes from.
        #[command(flatten)]
        config: ConfigSource,
        /// Create the connector if it does not exist, instead of failing with NOT_FOUND.
        #[arg(long)]
        allow_missing: bool,
    },
    /// Delete a connector; its offsets are kept (DeleteConnector).
    Delete {
        /// The connector's name.
        name: String,
    },
    /// Pause a connector and its tasks (PauseConnector).
    Pause {
        /// The connector's name.
        name: String,
    },
    /// Resume a paused or stopped connector (ResumeConnector).
    Resume {
        /// The connector's name.
        name: String,
    },
    /// Stop a connector: shut down its tasks, keep its config (StopConnector).
    Stop {
        /// The connector's name.
        name: String,
    },
    /// Restart a connector, optionally with its tasks (RestartConnector).
    Restart {
        /// The connector's name.
        name: String,
        /// Also restart the connector's tasks.
        #[arg(long)]
        include_tasks: bool,
        /// Restart only instances that are FAILED.
        #[arg(long)]
        only_failed: bool,
    },
    /// Restart one task of a connector (RestartTask).
    RestartTask {
        /// The connector's name.
        name: String,
        /// The task id, 0-based.
        task_id: u32,
    },
    /// Validate a config against a connector plugin (ValidateConnectorConfig).
    ///
    /// Shows only the keys with errors. Exits with 4 when the config has errors.
    Validate {
        /// The connector plugin (class name or alias); defaults to the config's
        /// `connector.class`.
        plugin: Option<String>,
        /// Where the config comes from.
        #[command(flatten)]
        config: ConfigSource,
    },
    /// List installed plugins (ListPlugins).
    Plugins {
        /// Only plugins of these types (repeat or separate with commas).
        #[arg(long = "type", value_enum, value_delimiter = ',', value_name = "TYPE")]
        types: Vec<PluginTypeArg>,
        /// Also show each plugin's config definitions.
        #[arg(long, short = 'v')]
        verbose: bool,
    },
    /// Get, alter or reset a connector's offsets (KIP-875).
    #[command(subcommand)]
    Offsets(OffsetsCommand),
    /// Stream status changes live, one line per event, until Ctrl-C (WatchStatus).
    Watch {
        /// Connectors to watch; all of them (including new ones) when none is given.
        names: Vec<String>,
        /// Also show events of the connectors' tasks.
        #[arg(long)]
        tasks: bool,
    },
}

/// `connectctl offsets ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum OffsetsCommand {
    /// Show a connector's committed offsets (GetConnectorOffsets).
    Get {
        /// The connector's name.
        name: String,
    },
    /// Alter a STOPPED connector's offsets (AlterConnectorOffsets).
    ///
    /// The file is Kafka Connect's JSON:
    /// {"offsets": [{"partition": {...}, "offset": {...} or null}]}; a null offset resets
    /// its partition.
    Alter {
        /// The connector's name.
        name: String,
        /// The offsets JSON file (`-` for stdin).
        #[arg(long, short = 'f', value_name = "OFFSETS.json")]
        file: PathBuf,
    },
    /// Reset all offsets of a STOPPED connector (ResetConnectorOffsets).
    Reset {
        /// The connector's name.
        name: String,
    },
}

/// A connector config given on the command line: a file, pairs, or both.
#[derive(Debug, Args)]
#[group(required = true, multiple = true)]
pub(crate) struct ConfigSource {
    /// A config file: .json (`{"name":..,"config":{..}}` or a flat map) or Java .properties.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,
    /// A config entry; repeatable, applied after --file.
    #[arg(short = 'c', long = "config", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub(crate) pairs: Vec<(String, String)>,
}

/// `--initial-state` values (KIP-980).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InitialState {
    /// Start copying data right away (the default).
    Running,
    /// Create tasks but do not copy data until resumed.
    Paused,
    /// Create the connector without tasks, e.g. to set offsets first.
    Stopped,
}

impl From<InitialState> for v1::TargetState {
    fn from(state: InitialState) -> Self {
        match state {
            InitialState::Running => Self::Running,
            InitialState::Paused => Self::Paused,
            InitialState::Stopped => Self::Stopped,
        }
    }
}

/// `--type` values of `plugins`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PluginTypeArg {
    /// Source connectors.
    Source,
    /// Sink connectors.
    Sink,
    /// Key/value converters.
    Converter,
    /// Header converters.
    HeaderConverter,
    /// Single message transformations.
    Transformation,
    /// Predicates for transformations.
    Predicate,
    /// Config providers (`${env:..}`, `${file:..}`).
    ConfigProvider,
}

impl From<PluginTypeArg> for v1::PluginType {
    fn from(t: PluginTypeArg) -> Self {
        match t {
            PluginTypeArg::Source => Self::Source,
            PluginTypeArg::Sink => Self::Sink,
            PluginTypeArg::Converter => Self::Converter,
            PluginTypeArg::HeaderConverter => Self::HeaderConverter,
            PluginTypeArg::Transformation => Self::Transformation,
            PluginTypeArg::Predicate => Self::Predicate,
            PluginTypeArg::ConfigProvider => Self::ConfigProvider,
        }
    }
}

/// Validates `--server` up front, so a bad address is a usage error (exit 2).
fn parse_server(value: &str) -> Result<String, String> {
    connect_client::normalize_endpoint(value)
        .map(|_| value.trim().to_owned())
        .map_err(|e| e.to_string())
}

/// Splits `-c KEY=VALUE` at the first `=`; the value may be empty or contain `=`.
fn parse_key_value(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some(("", _)) => Err("the key before `=` is empty".to_owned()),
        Some((key, value)) => Ok((key.to_owned(), value.to_owned())),
        None => Err(format!("expected KEY=VALUE, got {value:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("connectctl").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_to_the_connectd_address_and_tables() {
        let cli = parse(&["list"]).unwrap();
        // CONNECTCTL_SERVER may be set in the environment running the tests.
        if std::env::var_os("CONNECTCTL_SERVER").is_none() {
            assert_eq!(cli.server, "127.0.0.1:8084");
        }
        assert_eq!(cli.output, OutputFormat::Table);
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = parse(&["get", "x", "--output", "json", "--server", "http://h:1"]).unwrap();
        assert_eq!(cli.output, OutputFormat::Json);
        assert_eq!(cli.server, "http://h:1");
    }

    #[test]
    fn a_bad_server_address_is_a_usage_error() {
        let err = parse(&["--server", "https://h:1", "list"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn config_pairs_split_at_the_first_equals() {
        let cli = parse(&[
            "create", "c", "-c", "a=b=c", "-c", "empty=", "--config", "x=1",
        ])
        .unwrap();
        let Command::Create { name, config, .. } = cli.command else {
            panic!("not create");
        };
        assert_eq!(name.as_deref(), Some("c"));
        assert_eq!(
            config.pairs,
            [
                ("a".to_owned(), "b=c".to_owned()),
                ("empty".to_owned(), String::new()),
                ("x".to_owned(), "1".to_owned())
            ]
        );
    }

    #[test]
    fn create_needs_a_file_or_pairs() {
        assert_eq!(parse(&["create", "c"]).unwrap_err().exit_code(), 2);
        assert_eq!(
            parse(&["create", "c", "-c", "novalue"])
                .unwrap_err()
                .exit_code(),
            2
        );
        assert_eq!(
            parse(&["create", "c", "-c", "=v"]).unwrap_err().exit_code(),
            2
        );
        assert!(parse(&["create", "--file", "c.properties"]).is_ok());
        assert!(parse(&["create", "--file", "c.json", "-c", "tasks.max=2"]).is_ok());
    }

    #[test]
    fn initial_state_and_plugin_types_take_kebab_case_values() {
        let cli = parse(&["create", "c", "-c", "a=b", "--initial-state", "stopped"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Create {
                initial_state: Some(InitialState::Stopped),
                ..
            }
        ));
        let cli = parse(&[
            "plugins",
            "--type",
            "source,header-converter",
            "--type",
            "sink",
        ])
        .unwrap();
        let Command::Plugins { types, .. } = cli.command else {
            panic!("not plugins");
        };
        assert_eq!(
            types,
            [
                PluginTypeArg::Source,
                PluginTypeArg::HeaderConverter,
                PluginTypeArg::Sink
            ]
        );
    }

    #[test]
    fn offsets_and_restart_task_parse() {
        assert!(matches!(
            parse(&["offsets", "alter", "c", "--file", "o.json"])
                .unwrap()
                .command,
            Command::Offsets(OffsetsCommand::Alter { .. })
        ));
        assert!(matches!(
            parse(&["restart-task", "c", "3"]).unwrap().command,
            Command::RestartTask { task_id: 3, .. }
        ));
        assert_eq!(
            parse(&["restart-task", "c", "-1"]).unwrap_err().exit_code(),
            2
        );
    }

    #[test]
    fn help_documents_the_exit_codes() {
        let help = Cli::command().render_help().to_string();
        assert!(help.contains("Exit codes:"), "{help}");
        assert!(help.contains("7  UNAVAILABLE"), "{help}");
    }
}
