//! Kafka features the runtime relies on, checked against the broker in
//! `KAFKA_BOOTSTRAP_SERVERS` (`scripts/test.sh` starts a tansu broker and sets it; any real
//! Kafka works too). Skipped, with a note on stderr, when the variable is not set.

mod kafka_support;

use std::time::{Duration, Instant};

use kafka_support::*;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, ResourceSpecifier, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::Consumer;
use rdkafka::types::RDKafkaErrorCode;

fn bootstrap() -> Option<String> {
    match std::env::var("KAFKA_BOOTSTRAP_SERVERS") {
        Ok(servers) if !servers.is_empty() => Some(servers),
        _ => {
            eprintln!("KAFKA_BOOTSTRAP_SERVERS is not set: skipped (scripts/test.sh sets it)");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_records_round_trip_through_a_consumer_group_with_commits() -> TestResult {
    let Some(bootstrap) = bootstrap() else {
        return Ok(());
    };
    let t0 = Instant::now();
    let topic = unique("round-trip");
    let group = unique("round-trip-group");
    create_topic(&bootstrap, &topic, 3).await?;
    assert_eq!(partition_count(&bootstrap, &topic)?, 3);

    let producer = producer(&bootstrap, true)?;
    produce(&producer, &topic, 0, 1000).await?;
    eprintln!(
        "created topic and produced 1000 records in {:?}",
        t0.elapsed()
    );

    let first = consumer(&bootstrap, &group, &[])?;
    first.subscribe(&[&topic])?;
    let received = receive(&first, 1000).await?;
    assert_eq!(received, expected_records(0, 1000));
    eprintln!(
        "joined the group and consumed 1000 records at {:?}",
        t0.elapsed()
    );
    commit(&first)?;
    assert_eq!(committed_total(&first, &topic, 3)?, 1000);
    drop(first); // leaves the group: the next member must not wait for a session timeout

    // A new member of the same group resumes from the committed offsets.
    produce(&producer, &topic, 1000, 10).await?;
    let started = Instant::now();
    let second = consumer(&bootstrap, &group, &[])?;
    second.subscribe(&[&topic])?;
    let received = receive(&second, 10).await?;
    eprintln!("second member resumed after {:?}", started.elapsed());
    assert_eq!(received, expected_records(1000, 10));
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "rejoining after a clean leave took {:?}",
        started.elapsed()
    );
    expect_nothing(&second, Duration::from_millis(500)).await?;
    commit(&second)?;
    assert_eq!(committed_total(&second, &topic, 3)?, 1010);
    Ok(())
}

/// Distributed mode keeps configs, statuses and offsets in compacted topics it creates
/// itself, and must recognise a topic that already exists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compacted_topics_are_created_with_their_config_and_only_once() -> TestResult {
    let Some(bootstrap) = bootstrap() else {
        return Ok(());
    };
    let topic = unique("connect-configs");
    let admin: AdminClient<DefaultClientContext> = client_config(&bootstrap).create()?;
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let compacted =
        NewTopic::new(&topic, 1, TopicReplication::Fixed(1)).set("cleanup.policy", "compact");
    let created = admin.create_topics(&[compacted], &options).await?;
    assert!(
        matches!(created.as_slice(), [Ok(name)] if *name == topic),
        "{created:?}"
    );

    let configs = admin
        .describe_configs(&[ResourceSpecifier::Topic(&topic)], &options)
        .await?;
    let [Ok(config)] = configs.as_slice() else {
        return Err(format!("describe_configs: {configs:?}").into());
    };
    let policy = config
        .get("cleanup.policy")
        .and_then(|entry| entry.value.as_deref());
    assert_eq!(policy, Some("compact"));

    let again = NewTopic::new(&topic, 1, TopicReplication::Fixed(1));
    let created = admin.create_topics(&[again], &options).await?;
    assert!(
        matches!(
            created.as_slice(),
            [Err((_, RDKafkaErrorCode::TopicAlreadyExists))]
        ),
        "{created:?}"
    );
    Ok(())
}
