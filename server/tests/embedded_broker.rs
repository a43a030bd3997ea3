//! The embedded broker is a real Kafka-compatible broker: rdkafka clients produce to it,
//! consume from it with a consumer group and commit offsets, over its loopback port.

#![cfg(feature = "embedded-kafka")]

mod kafka_support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use connect_server::embedded_broker::{EmbeddedBroker, EmbeddedBrokerError, StorageChoice};
use kafka_support::*;
use rdkafka::consumer::Consumer;

fn any_loopback_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_broker_on_port_zero_serves_produce_and_group_consume() -> TestResult {
    let started = Instant::now();
    let broker = EmbeddedBroker::start(any_loopback_port(), StorageChoice::Memory).await?;
    eprintln!("embedded broker accepting after {:?}", started.elapsed());
    let bootstrap = broker.bootstrap_servers();
    assert!(bootstrap.starts_with("127.0.0.1:"), "{bootstrap}");
    assert!(!bootstrap.ends_with(":0"), "{bootstrap}");
    assert!(broker.storage_description().contains("memory"));

    let topic = unique("embedded");
    create_topic(&bootstrap, &topic, 2).await?;
    let producer = producer(&bootstrap, true)?;
    produce(&producer, &topic, 0, 20).await?;

    let group = unique("embedded-group");
    let consumer = kafka_support::consumer(&bootstrap, &group, &[])?;
    consumer.subscribe(&[&topic])?;
    assert_eq!(receive(&consumer, 20).await?, expected_records(0, 20));
    commit(&consumer)?;
    assert_eq!(committed_total(&consumer, &topic, 2)?, 20);

    drop(consumer);
    drop(producer);
    broker.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_broker_stops_listening_on_shutdown() -> TestResult {
    let broker = EmbeddedBroker::start(any_loopback_port(), StorageChoice::Memory).await?;
    let addr: SocketAddr = broker.bootstrap_servers().parse()?;
    broker.shutdown().await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "{addr} still accepts after shutdown"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_broker_reports_a_port_in_use() -> TestResult {
    let taken = std::net::TcpListener::bind(any_loopback_port())?;
    let addr = taken.local_addr()?;
    match EmbeddedBroker::start(addr, StorageChoice::Memory).await {
        Err(EmbeddedBrokerError::Broker { addr: failed, .. }) => assert_eq!(failed, addr),
        Err(other) => return Err(format!("expected a bind failure, got {other}").into()),
        Ok(broker) => {
            broker.shutdown().await;
            return Err("started on a port that is in use".into());
        }
    }
    Ok(())
}

#[cfg(feature = "embedded-kafka-sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_broker_keeps_records_and_offsets_in_a_sqlite_file_across_restarts() -> TestResult
{
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("broker").join("kafka.db");
    let topic = unique("durable");
    let group = unique("durable-group");

    let broker =
        EmbeddedBroker::start(any_loopback_port(), StorageChoice::SqliteFile(file.clone())).await?;
    assert!(broker.storage_description().contains("kafka.db"));
    let bootstrap = broker.bootstrap_servers();
    create_topic(&bootstrap, &topic, 1).await?;
    let producer = kafka_support::producer(&bootstrap, false)?;
    produce(&producer, &topic, 0, 30).await?;
    let consumer = kafka_support::consumer(&bootstrap, &group, &[])?;
    consumer.subscribe(&[&topic])?;
    assert_eq!(receive(&consumer, 30).await?, expected_records(0, 30));
    commit(&consumer)?;
    drop(consumer);
    drop(producer);
    broker.shutdown().await;
    assert!(file.is_file(), "no database at {}", file.display());

    // Same file, new broker (and a new port): records and the group's offsets are back.
    let broker =
        EmbeddedBroker::start(any_loopback_port(), StorageChoice::SqliteFile(file.clone())).await?;
    let bootstrap = broker.bootstrap_servers();
    let producer = kafka_support::producer(&bootstrap, false)?;
    produce(&producer, &topic, 30, 5).await?;
    let consumer = kafka_support::consumer(&bootstrap, &group, &[])?;
    consumer.subscribe(&[&topic])?;
    assert_eq!(receive(&consumer, 5).await?, expected_records(30, 5));
    assert_eq!(committed_total(&consumer, &topic, 1)?, 30);

    let fresh = kafka_support::consumer(&bootstrap, &unique("durable-reader"), &[])?;
    fresh.subscribe(&[&topic])?;
    assert_eq!(receive(&fresh, 35).await?.len(), 35);
    drop(fresh);
    drop(consumer);
    drop(producer);
    broker.shutdown().await;
    Ok(())
}
