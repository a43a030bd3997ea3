//! Settings of the HTTP registry client, under Confluent's names.
//!
//! Existing worker and connector configs carry these keys, so they are read as Confluent's
//! client reads them: `schema.registry.url` (comma-separated, tried in turn),
//! `basic.auth.credentials.source` (`URL`: credentials from each URL's user info, the
//! default; `USER_INFO`: from `basic.auth.user.info`), `bearer.auth.*`, and the
//! `schema.registry.ssl.*` keys. Java keystores (JKS, PKCS12) cannot be read here; the PEM
//! forms Kafka also accepts (KIP-651) are: a PEM truststore file or inline certificates, a
//! PEM keystore file (certificate chain and unencrypted PKCS#8 key) or inline chain and key.

use std::time::Duration;

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties};
use connect_core::{ConnectError, Result};

/// `schema.registry.url`: one or more registry URLs.
pub const URL_CONFIG: &str = "schema.registry.url";
/// `basic.auth.credentials.source`: `URL`, `USER_INFO` (or `SASL_INHERIT`, unsupported).
pub const BASIC_AUTH_SOURCE_CONFIG: &str = "basic.auth.credentials.source";
/// `basic.auth.user.info`: `user:password` for the `USER_INFO` source.
pub const USER_INFO_CONFIG: &str = "basic.auth.user.info";
/// Older name of [`USER_INFO_CONFIG`], still accepted by Confluent.
pub const LEGACY_USER_INFO_CONFIG: &str = "schema.registry.basic.auth.user.info";
/// `bearer.auth.credentials.source`: `STATIC_TOKEN` enables `bearer.auth.token`.
pub const BEARER_SOURCE_CONFIG: &str = "bearer.auth.credentials.source";
/// `bearer.auth.token`: the token sent as `Authorization: Bearer`.
pub const BEARER_TOKEN_CONFIG: &str = "bearer.auth.token";
/// `schema.registry.ssl.truststore.type`: only `PEM` files can be read.
pub const TRUSTSTORE_TYPE_CONFIG: &str = "schema.registry.ssl.truststore.type";
/// `schema.registry.ssl.truststore.location`: a file of PEM CA certificates.
pub const TRUSTSTORE_LOCATION_CONFIG: &str = "schema.registry.ssl.truststore.location";
/// `schema.registry.ssl.truststore.certificates`: PEM CA certificates inline.
pub const TRUSTSTORE_CERTIFICATES_CONFIG: &str = "schema.registry.ssl.truststore.certificates";
/// `schema.registry.ssl.keystore.type`: only `PEM` files can be read.
pub const KEYSTORE_TYPE_CONFIG: &str = "schema.registry.ssl.keystore.type";
/// `schema.registry.ssl.keystore.location`: a PEM file with the client certificate chain
/// and its private key.
pub const KEYSTORE_LOCATION_CONFIG: &str = "schema.registry.ssl.keystore.location";
/// `schema.registry.ssl.keystore.certificate.chain`: the client certificate chain inline.
pub const KEYSTORE_CHAIN_CONFIG: &str = "schema.registry.ssl.keystore.certificate.chain";
/// `schema.registry.ssl.keystore.key`: the client private key inline (PKCS#8 PEM).
pub const KEYSTORE_KEY_CONFIG: &str = "schema.registry.ssl.keystore.key";
/// `schema.registry.ssl.key.password`: encrypted keys are not supported, so this must be
/// unset.
pub const KEY_PASSWORD_CONFIG: &str = "schema.registry.ssl.key.password";
/// `schema.registry.ssl.endpoint.identification.algorithm`: `https` (default) checks the
/// host name, an empty value does not.
pub const ENDPOINT_IDENTIFICATION_CONFIG: &str =
    "schema.registry.ssl.endpoint.identification.algorithm";
/// `http.connect.timeout.ms`: how long to wait for a connection to a registry URL.
pub const CONNECT_TIMEOUT_CONFIG: &str = "http.connect.timeout.ms";
/// `http.read.timeout.ms`: how long a whole request may take.
pub const READ_TIMEOUT_CONFIG: &str = "http.read.timeout.ms";

/// Credentials sent with every request.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// Nothing, or per-URL user info (the `URL` source).
    FromUrl,
    /// HTTP basic auth from `basic.auth.user.info`.
    Basic {
        /// User name (an API key on Confluent Cloud).
        user: String,
        /// Password (an API secret).
        password: String,
    },
    /// A bearer token.
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secrets.
        match self {
            Credentials::FromUrl => f.write_str("FromUrl"),
            Credentials::Basic { user, .. } => write!(f, "Basic({user}, [hidden])"),
            Credentials::Bearer(_) => f.write_str("Bearer([hidden])"),
        }
    }
}

/// TLS settings; `None`s mean the system's trusted roots and no client certificate.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// PEM CA certificates that replace the system roots.
    pub trust_pem: Option<Vec<u8>>,
    /// PEM client certificate chain followed by its private key.
    pub identity_pem: Option<Vec<u8>>,
    /// Whether the server certificate must name the host.
    pub verify_hostname: bool,
}

impl std::fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSettings")
            .field("custom_truststore", &self.trust_pem.is_some())
            .field("client_certificate", &self.identity_pem.is_some())
            .field("verify_hostname", &self.verify_hostname)
            .finish()
    }
}

/// Everything the HTTP client needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryClientConfig {
    /// The registry URLs, in the order they are tried.
    pub urls: Vec<String>,
    /// Credentials.
    pub credentials: Credentials,
    /// TLS.
    pub tls: TlsSettings,
    /// Connection timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout.
    pub request_timeout: Duration,
}

fn key(name: &str, kind: ConfigType, doc: &str) -> ConfigKey {
    ConfigKey::new(name, kind, Importance::Medium, doc).in_group("Schema Registry", 0)
}

/// The registry client's settings, for validation and `ListPlugins`.
pub fn config_def() -> ConfigDef {
    ConfigDef::new()
        .define(
            ConfigKey::new(
                URL_CONFIG,
                ConfigType::List,
                Importance::High,
                "Comma-separated URLs of the Schema Registry; the next one is tried when one cannot be reached. mock://<scope> uses an in-memory registry shared within the process.",
            )
            .in_group("Schema Registry", 0),
        )
        .define(
            key(BASIC_AUTH_SOURCE_CONFIG, ConfigType::String, "Where basic auth credentials come from: URL (the user info of each URL) or USER_INFO (basic.auth.user.info).")
                .with_default(ConfigValue::String("URL".to_string())),
        )
        .define(key(USER_INFO_CONFIG, ConfigType::Password, "user:password for basic.auth.credentials.source=USER_INFO.").with_null_default())
        .define(key(LEGACY_USER_INFO_CONFIG, ConfigType::Password, "Older name of basic.auth.user.info.").with_null_default())
        .define(key(BEARER_SOURCE_CONFIG, ConfigType::String, "STATIC_TOKEN to send bearer.auth.token.").with_null_default())
        .define(key(BEARER_TOKEN_CONFIG, ConfigType::Password, "Bearer token for bearer.auth.credentials.source=STATIC_TOKEN.").with_null_default())
        .define(key(TRUSTSTORE_TYPE_CONFIG, ConfigType::String, "Truststore format; only PEM can be read (convert JKS with keytool -exportcert -rfc).").with_null_default())
        .define(key(TRUSTSTORE_LOCATION_CONFIG, ConfigType::String, "File of PEM CA certificates trusted instead of the system roots.").with_null_default())
        .define(key(TRUSTSTORE_CERTIFICATES_CONFIG, ConfigType::Password, "PEM CA certificates, inline.").with_null_default())
        .define(key(KEYSTORE_TYPE_CONFIG, ConfigType::String, "Keystore format; only PEM can be read.").with_null_default())
        .define(key(KEYSTORE_LOCATION_CONFIG, ConfigType::String, "PEM file with the client certificate chain and its unencrypted PKCS#8 key.").with_null_default())
        .define(key(KEYSTORE_CHAIN_CONFIG, ConfigType::Password, "Client certificate chain, PEM, inline.").with_null_default())
        .define(key(KEYSTORE_KEY_CONFIG, ConfigType::Password, "Client private key, unencrypted PKCS#8 PEM, inline.").with_null_default())
        .define(key(KEY_PASSWORD_CONFIG, ConfigType::Password, "Not supported: keys must be unencrypted.").with_null_default())
        .define(key(ENDPOINT_IDENTIFICATION_CONFIG, ConfigType::String, "https checks that the registry certificate names the host; empty disables the check.").with_default(ConfigValue::String("https".to_string())))
        .define(key(CONNECT_TIMEOUT_CONFIG, ConfigType::Int, "Milliseconds to wait for a connection to one registry URL.").with_default(ConfigValue::Int(60_000)))
        .define(key(READ_TIMEOUT_CONFIG, ConfigType::Int, "Milliseconds a registry request may take.").with_default(ConfigValue::Int(60_000)))
}

fn get<'a>(props: &'a Properties, name: &str) -> Option<&'a str> {
    props.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn only_pem(props: &Properties, type_key: &str, location_key: &str) -> Result<()> {
    match get(props, type_key) {
        Some(t) if !t.eq_ignore_ascii_case("PEM") && get(props, location_key).is_some() => {
            Err(ConnectError::invalid_config_value(
                type_key,
                t,
                "only PEM stores can be read; convert the store to PEM (e.g. keytool -exportcert -rfc for certificates, openssl pkcs12 -nodes for keys) and set the type to PEM",
            ))
        }
        _ => Ok(()),
    }
}

fn read_file(key: &str, path: &str) -> Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| ConnectError::invalid_config_value(key, path, format!("cannot be read: {e}")))
}

impl RegistryClientConfig {
    /// Reads the settings (the converter's prefix already removed).
    pub fn from_props(props: &Properties) -> Result<Self> {
        let parsed = config_def().parse(props)?;
        let urls: Vec<String> = parsed
            .list(URL_CONFIG)
            .unwrap_or_default()
            .iter()
            .filter(|u| !u.is_empty())
            .cloned()
            .collect();
        if urls.is_empty() {
            return Err(ConnectError::config(format!(
                "Missing required configuration \"{URL_CONFIG}\" which has no default value."
            )));
        }
        let credentials = Self::credentials(props)?;
        let tls = Self::tls(props)?;
        let millis = |name: &str| {
            Duration::from_millis(u64::try_from(parsed.int(name).unwrap_or(60_000)).unwrap_or(0))
        };
        Ok(Self {
            urls,
            credentials,
            tls,
            connect_timeout: millis(CONNECT_TIMEOUT_CONFIG),
            request_timeout: millis(READ_TIMEOUT_CONFIG),
        })
    }

    fn credentials(props: &Properties) -> Result<Credentials> {
        if let Some(source) = get(props, BEARER_SOURCE_CONFIG) {
            if !source.eq_ignore_ascii_case("STATIC_TOKEN") {
                return Err(ConnectError::invalid_config_value(
                    BEARER_SOURCE_CONFIG,
                    source,
                    "only STATIC_TOKEN is supported",
                ));
            }
            let token = get(props, BEARER_TOKEN_CONFIG).ok_or_else(|| {
                ConnectError::config(format!(
                    "{BEARER_TOKEN_CONFIG} must be set when {BEARER_SOURCE_CONFIG}=STATIC_TOKEN"
                ))
            })?;
            return Ok(Credentials::Bearer(token.to_string()));
        }
        match get(props, BASIC_AUTH_SOURCE_CONFIG).unwrap_or("URL") {
            s if s.eq_ignore_ascii_case("URL") => Ok(Credentials::FromUrl),
            s if s.eq_ignore_ascii_case("USER_INFO") => {
                let info = get(props, USER_INFO_CONFIG)
                    .or_else(|| get(props, LEGACY_USER_INFO_CONFIG))
                    .ok_or_else(|| {
                        ConnectError::config(format!(
                            "{USER_INFO_CONFIG} must be set when {BASIC_AUTH_SOURCE_CONFIG}=USER_INFO"
                        ))
                    })?;
                let (user, password) = info.split_once(':').unwrap_or((info, ""));
                Ok(Credentials::Basic {
                    user: user.to_string(),
                    password: password.to_string(),
                })
            }
            other => Err(ConnectError::invalid_config_value(
                BASIC_AUTH_SOURCE_CONFIG,
                other,
                "supported sources are URL and USER_INFO",
            )),
        }
    }

    fn tls(props: &Properties) -> Result<TlsSettings> {
        only_pem(props, TRUSTSTORE_TYPE_CONFIG, TRUSTSTORE_LOCATION_CONFIG)?;
        only_pem(props, KEYSTORE_TYPE_CONFIG, KEYSTORE_LOCATION_CONFIG)?;
        if get(props, KEY_PASSWORD_CONFIG).is_some() {
            return Err(ConnectError::config(format!(
                "{KEY_PASSWORD_CONFIG} is not supported: give the client key unencrypted (PKCS#8 PEM)"
            )));
        }
        let trust_pem = match (
            get(props, TRUSTSTORE_LOCATION_CONFIG),
            get(props, TRUSTSTORE_CERTIFICATES_CONFIG),
        ) {
            (Some(path), _) => Some(read_file(TRUSTSTORE_LOCATION_CONFIG, path)?),
            (None, Some(inline)) => Some(inline.as_bytes().to_vec()),
            (None, None) => None,
        };
        let identity_pem = match (
            get(props, KEYSTORE_LOCATION_CONFIG),
            get(props, KEYSTORE_CHAIN_CONFIG),
            get(props, KEYSTORE_KEY_CONFIG),
        ) {
            (Some(path), _, _) => Some(read_file(KEYSTORE_LOCATION_CONFIG, path)?),
            (None, Some(chain), Some(key)) => Some(format!("{chain}\n{key}\n").into_bytes()),
            (None, None, None) => None,
            (None, _, _) => {
                return Err(ConnectError::config(format!(
                    "{KEYSTORE_CHAIN_CONFIG} and {KEYSTORE_KEY_CONFIG} must be set together"
                )));
            }
        };
        Ok(TlsSettings {
            trust_pem,
            identity_pem,
            verify_hostname: props
                .get(ENDPOINT_IDENTIFICATION_CONFIG)
                .is_none_or(|v| !v.trim().is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;

    #[test]
    fn urls_are_a_required_list() {
        let err = RegistryClientConfig::from_props(&properties(&[])).expect_err("missing url");
        assert_eq!(
            err.message(),
            "Missing required configuration \"schema.registry.url\" which has no default value."
        );
        let config = RegistryClientConfig::from_props(&properties(&[(
            URL_CONFIG,
            "http://a:1, http://b:2",
        )]))
        .expect("valid");
        assert_eq!(config.urls, vec!["http://a:1", "http://b:2"]);
        assert_eq!(config.credentials, Credentials::FromUrl);
        assert!(config.tls.verify_hostname);
    }

    #[test]
    fn user_info_credentials_follow_confluent_keys() {
        let config = RegistryClientConfig::from_props(&properties(&[
            (URL_CONFIG, "http://a:1"),
            (BASIC_AUTH_SOURCE_CONFIG, "USER_INFO"),
            (USER_INFO_CONFIG, "key:se:cret"),
        ]))
        .expect("valid");
        assert_eq!(
            config.credentials,
            Credentials::Basic {
                user: "key".into(),
                password: "se:cret".into()
            }
        );
        assert!(
            !format!("{config:?}").contains("se:cret"),
            "secrets are not printed"
        );
        let err = RegistryClientConfig::from_props(&properties(&[
            (URL_CONFIG, "http://a:1"),
            (BASIC_AUTH_SOURCE_CONFIG, "USER_INFO"),
        ]))
        .expect_err("user info missing");
        assert_eq!(err.simple_class(), "ConfigException");
        let err = RegistryClientConfig::from_props(&properties(&[
            (URL_CONFIG, "http://a:1"),
            (BASIC_AUTH_SOURCE_CONFIG, "SASL_INHERIT"),
        ]))
        .expect_err("unsupported source");
        assert!(err.message().contains("SASL_INHERIT"), "{err}");
    }

    #[test]
    fn java_keystores_are_refused_with_a_way_out() {
        let err = RegistryClientConfig::from_props(&properties(&[
            (URL_CONFIG, "https://a:1"),
            (TRUSTSTORE_LOCATION_CONFIG, "/etc/truststore.jks"),
            (TRUSTSTORE_TYPE_CONFIG, "JKS"),
        ]))
        .expect_err("JKS");
        assert!(err.message().contains("keytool"), "{err}");
        let config = RegistryClientConfig::from_props(&properties(&[
            (URL_CONFIG, "https://a:1"),
            (
                TRUSTSTORE_CERTIFICATES_CONFIG,
                "-----BEGIN CERTIFICATE-----",
            ),
            (ENDPOINT_IDENTIFICATION_CONFIG, ""),
        ]))
        .expect("inline PEM");
        assert!(config.tls.trust_pem.is_some());
        assert!(!config.tls.verify_hostname);
    }
}
