//! A schema registry for a test: in-process, on a topic of its own in the test broker,
//! and a small JSON client for its REST API that returns status and body as they came.

use std::time::Duration;

use connect_schema_registry::{RunningRegistry, StoreOptions};
use reqwest::Method;
use serde_json::Value;

use crate::kafka;

/// How long a registry may take to read its topic.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// A running registry and an HTTP client for it.
pub struct TestRegistry {
    running: RunningRegistry,
    /// The topic holding its state (unique per test unless given).
    pub topic: String,
    http: reqwest::Client,
}

/// A fresh topic name for a registry.
pub fn unique_topic() -> String {
    kafka::unique_name("_schemas")
}

impl TestRegistry {
    /// Starts a registry on a fresh topic and waits until it answers.
    pub async fn start() -> TestRegistry {
        TestRegistry::on_topic(&unique_topic()).await
    }

    /// Starts a registry on `topic` (e.g. to restart on the same state).
    pub async fn on_topic(topic: &str) -> TestRegistry {
        let mut options = StoreOptions::new(kafka::bootstrap_servers());
        options.topic = topic.to_owned();
        let listen = "127.0.0.1:0".parse().expect("loopback address");
        let running = connect_schema_registry::start(listen, options)
            .await
            .expect("registry starts");
        running
            .ready(READY_TIMEOUT)
            .await
            .expect("registry reads its topic");
        TestRegistry {
            running,
            topic: topic.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        self.running.url()
    }

    /// Sends a request, with a JSON body when given (Confluent's content type), and
    /// returns the status and the JSON body (`Null` when empty).
    pub async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> (u16, Value) {
        let (status, _, body) = self.call_raw(method, path, body, None).await;
        let json = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&body)
                .unwrap_or_else(|err| panic!("{path}: response is not JSON ({err}): {body}"))
        };
        (status, json)
    }

    /// Like [`TestRegistry::call`] with a chosen content type (`None`: Confluent's), and
    /// the response content type and body text as they came.
    pub async fn call_raw(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        content_type: Option<&str>,
    ) -> (u16, String, String) {
        let mut request = self.http.request(method, format!("{}{path}", self.url()));
        if let Some(body) = body {
            request = request
                .header(
                    "Content-Type",
                    content_type.unwrap_or(connect_schema_registry::CONTENT_TYPE),
                )
                .body(body.to_string());
        }
        let response = request.send().await.expect("registry answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("response body");
        (status, content_type, text)
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put(&self, path: &str, body: &Value) -> (u16, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// Registers `schema` (a JSON schema text) under `subject`; panics unless it worked.
    pub async fn register(&self, subject: &str, schema: &str) -> i64 {
        let (status, body) = self
            .post(
                &format!("/subjects/{subject}/versions"),
                &serde_json::json!({ "schema": schema }),
            )
            .await;
        assert_eq!(status, 200, "registering under {subject}: {body}");
        body["id"].as_i64().expect("an id")
    }

    /// Stops the registry.
    pub async fn stop(self) {
        self.running
            .shutdown()
            .await
            .expect("registry stops cleanly");
    }
}
