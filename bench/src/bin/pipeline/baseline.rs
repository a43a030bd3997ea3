//! The baseline: the same records through plain rdkafka, no runtime.
//!
//! A `ThreadedProducer` (librdkafka's own poll thread serves the delivery callbacks) with
//! the settings our source tasks' producers get (`PRODUCER_DEFAULTS`), and a `BaseConsumer`
//! poll loop in its own thread with the settings our sink tasks' consumers get
//! (`CONSUMER_DEFAULTS` plus the group settings), in a fresh consumer group. The consumer
//! reads every message's key and value length (what the counting sink measures), nothing
//! more.
//!
//! The producer is warm when the clock starts (it has delivered one warm-up record). In the
//! "together" runs the consumer has also joined its group (it has read that record), as the
//! pipeline's sink has, so both sides measure the data path rather than the broker's join
//! delay; the sequential runs include the join.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
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
    /// When the first delivery report came in.
    pub(crate) first_acked: Instant,
    /// When the last delivery report came in (`flush` returned).
    pub(crate) acked: Instant,
}

/// What one consumer run saw.
pub(crate) struct Consumed {
    /// When the consumer subscribed.
    pub(crate) subscribed: Instant,
    /// When it read the warm-up record, if it waited for one.
    pub(crate) warm: Option<Instant>,
    /// When the first record was read.
    pub(crate) first: Instant,
    /// When the last (N-th) record was read.
    pub(crate) last: Instant,
    /// Records per partition (index: partition).
    pub(crate) partition_counts: Vec<u64>,
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

    /// From subscribing to the first record, warm-up included (the consumer group join,
    /// mostly).
    pub(crate) fn join(&self) -> Duration {
        self.consumed.warm.unwrap_or(self.consumed.first) - self.consumed.subscribed
    }

    /// From the first record produced to its delivery report.
    pub(crate) fn first_ack(&self) -> Duration {
        self.produced.first_acked - self.produced.started
    }

    /// From the first record produced to the first consumed.
    pub(crate) fn first_record(&self) -> Duration {
        self.consumed
            .first
            .saturating_duration_since(self.produced.started)
    }
}

/// Counts delivery reports.
#[derive(Default)]
struct Deliveries {
    ok: AtomicU64,
    failed: AtomicU64,
    /// Set once the warm-up record is delivered: only later reports are timed.
    timing: AtomicBool,
    /// When the first timed delivery report came in.
    first: OnceLock<Instant>,
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
        if self.0.timing.load(Ordering::Relaxed) {
            self.0.first.get_or_init(Instant::now);
        }
    }
}

/// The `producer.*` or `consumer.*` settings of `worker` (`--worker-prop`), unprefixed: the
/// baseline's clients get what the worker's clients get.
fn client_settings<'a>(
    worker: &'a [(String, String)],
    prefix: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str)> {
    worker
        .iter()
        .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
}

fn producer(
    bootstrap: &str,
    worker: &[(String, String)],
) -> Result<(ThreadedProducer<DeliveryCounter>, Arc<Deliveries>), String> {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    for (k, v) in PRODUCER_DEFAULTS {
        config.set(*k, *v);
    }
    for (k, v) in client_settings(worker, "producer.") {
        config.set(k, v);
    }
    config.set("client.id", "bench-baseline-producer");
    let deliveries = Arc::new(Deliveries::default());
    let producer = config
        .create_with_context(DeliveryCounter(deliveries.clone()))
        .map_err(|e| format!("cannot create the baseline producer: {e}"))?;
    Ok((producer, deliveries))
}

/// Writes one warm-up record (key `warm-up`, empty value) to `topic`: a consumer that has
/// read it is in its group and fetching.
pub(crate) fn produce_warm_up(
    bootstrap: &str,
    topic: &str,
    worker: &[(String, String)],
) -> Result<(), String> {
    let (producer, deliveries) = producer(bootstrap, worker)?;
    producer
        .send(
            BaseRecord::<'_, [u8], [u8]>::to(topic)
                .key(&b"warm-up"[..])
                .payload(&[][..]),
        )
        .map_err(|(e, _)| format!("warm-up record: {e}"))?;
    producer
        .flush(Duration::from_secs(30))
        .map_err(|e| format!("warm-up record: {e}"))?;
    if deliveries.ok.load(Ordering::Relaxed) != 1 {
        return Err("the warm-up record was not delivered".to_string());
    }
    Ok(())
}

/// Produces datagen's `bytes` records `0..records` (seed 0, task 0) to `topic`.
///
/// The producer is warmed up before the clock starts: it delivers one record to
/// `warm_up_topic` (connection, idempotent producer id and metadata are then in place: a
/// cold librdkafka producer takes about 0.5 s to deliver its first record), then, with
/// `ready`, waits for that signal (the consumer has read the warm-up record).
pub(crate) fn produce(
    bootstrap: &str,
    topic: &str,
    records: u64,
    payload_size: usize,
    worker: &[(String, String)],
    warm_up_topic: &str,
    ready: Option<(&mpsc::Receiver<()>, Duration)>,
) -> Result<Produced, String> {
    let (producer, deliveries) = producer(bootstrap, worker)?;
    producer
        .send(
            BaseRecord::<'_, [u8], [u8]>::to(warm_up_topic)
                .key(&b"warm-up"[..])
                .payload(&[][..]),
        )
        .map_err(|(e, _)| format!("warm-up record: {e}"))?;
    producer
        .flush(Duration::from_secs(30))
        .map_err(|e| format!("warm-up record: {e}"))?;
    if deliveries.ok.swap(0, Ordering::Relaxed) != 1 {
        return Err("the warm-up record was not delivered".to_string());
    }
    deliveries.timing.store(true, Ordering::Relaxed);
    if let Some((ready, timeout)) = ready {
        // An error here means the consumer gave up; its own error says why.
        let _ = ready.recv_timeout(timeout);
    }
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
    Ok(Produced {
        started,
        first_acked: deliveries.first.get().copied().unwrap_or(acked),
        acked,
    })
}

/// Consumes `records` records of `topic` in the new consumer group `group`. With
/// `warm_up`, the first record is a warm-up record: it is not counted, and `warm_up` is
/// told when it arrived.
pub(crate) fn consume(
    bootstrap: &str,
    topic: &str,
    group: &str,
    records: u64,
    timeout: Duration,
    warm_up: Option<mpsc::Sender<()>>,
    worker: &[(String, String)],
) -> Result<Consumed, String> {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    for (k, v) in CONSUMER_DEFAULTS.iter().chain(GROUP_SETTINGS) {
        config.set(*k, *v);
    }
    for (k, v) in client_settings(worker, "consumer.") {
        config.set(k, v);
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
    let mut partition_counts = Vec::new();
    let mut warm = None;
    let mut warm_up = warm_up;
    while count < records {
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(_)) if warm_up.is_some() => {
                warm = Some(Instant::now());
                if let Some(ready) = warm_up.take() {
                    let _ = ready.send(());
                }
            }
            Some(Ok(message)) => {
                first.get_or_insert_with(Instant::now);
                count += 1;
                let partition = usize::try_from(message.partition()).unwrap_or(0);
                if partition >= partition_counts.len() {
                    partition_counts.resize(partition + 1, 0);
                }
                partition_counts[partition] += 1;
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
        warm,
        first: first.unwrap_or(last),
        last,
        partition_counts,
    })
}

/// Produces and consumes at the same time, like the pipeline: the producer writes a warm-up
/// record to `topic`, the consumer joins its group and reads it, then the clock starts.
pub(crate) fn concurrent(
    bootstrap: &str,
    topic: &str,
    group: &str,
    records: u64,
    payload_size: usize,
    timeout: Duration,
    worker: &[(String, String)],
) -> Result<BaselineRun, String> {
    thread::scope(|scope| {
        let (ready_tx, ready) = mpsc::channel();
        let consumer = scope.spawn(|| {
            consume(
                bootstrap,
                topic,
                group,
                records,
                timeout,
                Some(ready_tx),
                worker,
            )
        });
        let produced = produce(
            bootstrap,
            topic,
            records,
            payload_size,
            worker,
            topic,
            Some((&ready, timeout)),
        );
        let consumed = consumer
            .join()
            .map_err(|_| "the baseline consumer thread panicked".to_string())?;
        Ok(BaselineRun {
            produced: produced?,
            consumed: consumed?,
        })
    })
}

/// Produces everything (the producer warmed up on `warm_up_topic`), then consumes it all.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sequential(
    bootstrap: &str,
    topic: &str,
    group: &str,
    records: u64,
    payload_size: usize,
    timeout: Duration,
    worker: &[(String, String)],
    warm_up_topic: &str,
) -> Result<BaselineRun, String> {
    let produced = produce(
        bootstrap,
        topic,
        records,
        payload_size,
        worker,
        warm_up_topic,
        None,
    )?;
    let consumed = consume(bootstrap, topic, group, records, timeout, None, worker)?;
    Ok(BaselineRun { produced, consumed })
}
