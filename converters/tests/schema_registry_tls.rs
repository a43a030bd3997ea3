//! The HTTP registry client over TLS, against a local HTTPS registry: a PEM truststore in
//! place of the system roots, a PEM client certificate for mutual TLS, and host name
//! checking as `schema.registry.ssl.endpoint.identification.algorithm` says.
//!
//! The certificates in `tests/fixtures/tls/` are test-only (a throw-away CA, valid for a
//! century, whose key was deleted after signing): `server.pem` names `127.0.0.1` and
//! `localhost`, `other-host.pem` only `elsewhere.invalid`, `client.pem` is a client
//! certificate; all are signed by `ca.pem`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use connect_converters::schema_registry::SchemaRegistryClient;
use connect_converters::schema_registry::config::{
    ENDPOINT_IDENTIFICATION_CONFIG, KEYSTORE_CHAIN_CONFIG, KEYSTORE_KEY_CONFIG,
    RegistryClientConfig, TRUSTSTORE_CERTIFICATES_CONFIG, TRUSTSTORE_LOCATION_CONFIG,
    TRUSTSTORE_TYPE_CONFIG, URL_CONFIG,
};
use connect_converters::schema_registry::http::HttpSchemaRegistryClient;
use connect_converters::schema_registry::memory::InMemorySchemaRegistry;
use connect_core::config::properties;
use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

const SCHEMA: &str = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("TLS fixture readable")
}

/// Accepts TLS connections for axum, skipping clients whose handshake fails.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, address)) = self.tcp.accept().await else {
                continue;
            };
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, address);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// Serves `GET /schemas/ids/{id}` over HTTPS with `certificate`; requires a client
/// certificate signed by the test CA when `mutual`. Returns the base URL.
async fn serve(certificate: &str, mutual: bool) -> String {
    let registry = Arc::new(InMemorySchemaRegistry::new());
    registry.register_now("s", SCHEMA).expect("registers");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(fixture(certificate))
        .expect("certificate file")
        .collect::<Result<_, _>>()
        .expect("certificates parse");
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).expect("key parses");
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("protocol versions");
    let builder = if mutual {
        let mut roots = RootCertStore::empty();
        for ca in CertificateDer::pem_file_iter(fixture("ca.pem")).expect("CA file") {
            roots.add(ca.expect("CA parses")).expect("CA added");
        }
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .expect("client verifier");
        builder.with_client_cert_verifier(verifier)
    } else {
        builder.with_no_client_auth()
    };
    let config = builder
        .with_single_cert(certs, key)
        .expect("server certificate");
    let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = tcp.local_addr().expect("address");
    let listener = TlsListener {
        tcp,
        acceptor: TlsAcceptor::from(Arc::new(config)),
    };
    let app = Router::new()
        .route(
            "/schemas/ids/{id}",
            get(
                |State(registry): State<Arc<InMemorySchemaRegistry>>, Path(id): Path<i32>| async move {
                    let schema = registry.schema_by_id(id).await.unwrap_or_default();
                    serde_json::json!({ "schema": schema }).to_string()
                },
            ),
        )
        .with_state(registry);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("https://{address}")
}

fn client(pairs: &[(&str, &str)]) -> HttpSchemaRegistryClient {
    let config = RegistryClientConfig::from_props(&properties(pairs)).expect("valid config");
    HttpSchemaRegistryClient::new(&config).expect("client builds")
}

#[tokio::test]
async fn mutual_tls_with_a_pem_truststore_and_keystore() {
    let url = serve("server.pem", true).await;
    let truststore = fixture("ca.pem").display().to_string();
    let (chain, key) = (read("client.pem"), read("client.key"));
    let with_certificate = client(&[
        (URL_CONFIG, &url),
        (TRUSTSTORE_TYPE_CONFIG, "PEM"),
        (TRUSTSTORE_LOCATION_CONFIG, &truststore),
        (KEYSTORE_CHAIN_CONFIG, &chain),
        (KEYSTORE_KEY_CONFIG, &key),
    ]);
    assert_eq!(
        with_certificate.schema_by_id(1).await.expect("fetched"),
        SCHEMA
    );

    let without_certificate = client(&[
        (URL_CONFIG, &url),
        (TRUSTSTORE_LOCATION_CONFIG, &truststore),
    ]);
    let err = without_certificate
        .schema_by_id(1)
        .await
        .expect_err("the server wants a client certificate");
    assert!(err.is_retriable(), "a failed connection: {err:?}");
}

#[tokio::test]
async fn a_server_outside_the_truststore_is_refused() {
    let url = serve("server.pem", false).await;
    let err = client(&[(URL_CONFIG, &url)])
        .schema_by_id(1)
        .await
        .expect_err("the test CA is not a system root");
    assert!(err.to_string().contains(&url), "{err}");
    let ca = read("ca.pem");
    let trusted = client(&[(URL_CONFIG, &url), (TRUSTSTORE_CERTIFICATES_CONFIG, &ca)]);
    assert_eq!(trusted.schema_by_id(1).await.expect("fetched"), SCHEMA);
}

#[tokio::test]
async fn host_names_are_checked_unless_identification_is_disabled() {
    let url = serve("other-host.pem", false).await;
    let ca = read("ca.pem");
    let checking = client(&[(URL_CONFIG, &url), (TRUSTSTORE_CERTIFICATES_CONFIG, &ca)]);
    checking
        .schema_by_id(1)
        .await
        .expect_err("the certificate names another host");
    let not_checking = client(&[
        (URL_CONFIG, &url),
        (TRUSTSTORE_CERTIFICATES_CONFIG, &ca),
        (ENDPOINT_IDENTIFICATION_CONFIG, ""),
    ]);
    assert_eq!(not_checking.schema_by_id(1).await.expect("fetched"), SCHEMA);
}
