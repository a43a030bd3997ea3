//! The baseline: the same records through plain rdkafka, no runtime.
//!
//! A `ThreadedProducer` (librdkafka's own poll thread serves the delivery callbacks) with
//! the settings our source tasks' producers get (`PRODUCER_DEFAULTS`), and a `BaseConsumer`
//! poll loop in its own thread with the settings our sink tasks' consumers get
//! (`CONSUMER_DEFAULTS` plus the group settings), in a fresh consumer group. The consumer
//! reads every message's key and value length (what the counting sink measures), nothing
//! more.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use connect_bench::pipeline::{bytes_key, bytes_value};
use connect_runtime::kafka::{CONSUMER_DEFAULTS, PRODUCER_DEFAULTS};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;
use rdkafka::producer::{BaseRecord, DeliveryResult, Producer, ProducerContext, ThreadedProducer};
use rdkafka::{ClientConfig, ClientContext};

use crate::kafka::GROUP_SETTINGS;

/// What one producer run took.
pub(crate) struct Produced {
    /// When the first record was handed to the producer.
    pub(crate) started: Instant,
    /// When the last delivery report came in (`flush` returned).
    pub(crate) acked: Instant,
}

/// What one consumer run saw.
pub(crate) struct Consumed {
    /// When the consumer subscribed.
    pub(crate) subscribed: Instant,
    /// When the first record was read.
    pub(crate) first: Instant,
    /// When the last (N-th) record was read.
    pub(crate) last: Instant,
}

/// One baseline round.
pub(crate) struct BaselineRun {
    /// Producer timings.
    pub(crate) produced: Produced,
    /// Consumer timings.
    pub(crate) consumed: Consumed,
}

impl BaselineRun {
    /// From the first record produced to the last consumed.
    pub(crate) fn total(&self) -> Duration {
        self.consumed.last - self.produced.started
    }

    /// From the first record produced to the last acknowledged.
    pub(crate) fn produce(&self) -> Duration {
        self.produced.acked - self.produced.started
    }

    /// From the first record consumed to the last.
    pub(crate) fn consume_span(&self) -> Duration {
        self.consumed.last - self.consumed.first
    }

    /// From subscribing to the first record (the consumer group join, mostly).
    pub(crate) fn join(&self) -> Duration {
        self.consumed.first - self.consumed.subscribed
    }
}

/// Counts delivery reports.
#[derive(Default)]
struct Deliveries {
    ok: AtomicU64,
    failed: AtomicU64,
}

struct DeliveryCounter(Arc<Deliveries>);

impl ClientContext for DeliveryCounter {}

impl ProducerContext for DeliveryCounter {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _opaque: ()) {
        let counter = match result {
            Ok(_) => &self.0.ok,
            Err(_) => &self.0.failed,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Produces datagen's `bytes` records `0..records` (seed 0, task 0) to `topic`.
pub(crate) fn produce(
    bootstrap: &str,
    topic: &str,
    records: u64,
    payload_size: usize,
) -> Result<Produced, String> {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    for (k, v) in PRODUCER_DEFAULTS {
        config.set(*k, *v);
    }
    config.set("client.id", "bench-baseline-producer");
    let deliveries = Arc::new(Deliveries::default());
    let producer: ThreadedProducer<DeliveryCounter> = config
        .create_with_context(DeliveryCounter(deliveries.clone()))
        .map_err(|e| format!("cannot create the baseline producer: {e}"))?;
    let mut value = Vec::with_capacity(payload_size);
    let started = Instant::now();
    for seq in 0..records as i64 {
        let key = bytes_key(seq);
        bytes_value(0, 0, seq, payload_size, &mut value);
        let mut record: BaseRecord<'_, [u8], [u8]> =
            BaseRecord::to(topic).key(&key[..]).payload(&value[..]);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), returned)) => {
                    // librdkafka's queue is full: give the delivery thread a moment.
                    record = returned;
                    thread::sleep(Duration::from_millis(1));
                }
                Err((e, _)) => return Err(format!("baseline produce failed: {e}")),
            }
        }
    }
    producer
        .flush(Duration::from_secs(120))
        .map_err(|e| format!("baseline producer flush failed: {e}"))?;
    let acked = Instant::now();
    let (ok, failed) = (
        deliveries.ok.load(Ordering::Relaxed),
        deliveries.failed.load(Ordering::Relaxed),
    );
    if ok != records || failed != 0 {
        return Err(format!(
            "baseline producer: {ok} records delivered and {failed} failed out of {records}"
        ));
    }
    Ok(Produced { started, acked })
}

/// Consumes `records` records of `topic` in the new consumer group `group`.
pub(crate) fn consume(
    bootstrap: &str,
    topic: &str,
    group: &str,
    records: u64,
    timeout: Duration,
) -> Result<Consumed, String> {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    for (k, v) in CONSUMER_DEFAULTS.iter().chain(GROUP_SETTINGS) {
        config.set(*k, *v);
    }
    config.set("group.id", group);
    config.set("client.id", "bench-baseline-consumer");
    let consumer: BaseConsumer = config
        .create()
        .map_err(|e| format!("cannot create the baseline consumer: {e}"))?;
    consumer
        .subscribe(&[topic])
        .map_err(|e| format!("baseline subscribe failed: {e}"))?;
    let subscribed = Instant::now();
    let deadline = subscribed + timeout;
    let mut count = 0u64;
    let mut bytes = 0u64;
    let mut first = None;
    while count < records {
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(message)) => {
                first.get_or_insert_with(Instant::now);
                count += 1;
                bytes += (message.key().map_or(0, <[u8]>::len)
                    + message.payload().map_or(0, <[u8]>::len)) as u64;
            }
            Some(Err(e)) => eprintln!("note: baseline consumer error (it retries): {e}"),
            None if Instant::now() > deadline => {
                return Err(format!(
                    "baseline consumer read {count} of {records} records in {timeout:?}"
                ));
            }
            None => {}
        }
    }
    let last = Instant::now();
    std::hint::black_box(bytes);
    Ok(Consumed {
        subscribed,
        first: first.unwrap_or(last),
        last,
    })
}

/// Produces and consumes at the same time: the consumer subscribes as the producer starts,
/// which is how the pipeline runs (sink and source created together).
pub(crate) fn concurrent(
    bootstrap: &str,
    topic: &str,
    group: &str,
    records: u64,
    payload_size: usize,
    timeout: Duration,
) -> Result<BaselineRun, String> {
    thread::scope(|scope| {
        let consumer = scope.spawn(|| consume(bootstrap, topic, group, records, timeout));
        let produced = produce(bootstrap, topic, records, payload_size);
        let consumed = consumer
            .join()
            .map_err(|_| "the baseline consumer thread panicked".to_string())?;
        Ok(BaselineRun {
            produced: produced?,
            consumed: consumed?,
        })
    })
}

/// Produces everything, then consumes it all.
pub(crate) fn sequential(
    bootstrap: &str,
    topic: &str,
    group: &str,
    records: u64,
    payload_size: usize,
    timeout: Duration,
) -> Result<BaselineRun, String> {
    let produced = produce(bootstrap, topic, records, payload_size)?;
    let consumed = consume(bootstrap, topic, group, records, timeout)?;
    Ok(BaselineRun { produced, consumed })
}
