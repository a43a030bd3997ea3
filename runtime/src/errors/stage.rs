//! Where in the data path an error happened.

/// The stage names Kafka Connect writes into `__connect.errors.stage` and its logs, so
/// tooling built around Kafka Connect's dead letter queues reads ours unchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Converting a record key.
    KeyConverter,
    /// Converting a record value.
    ValueConverter,
    /// Converting a header value.
    HeaderConverter,
    /// Applying a single message transform.
    Transformation,
    /// A sink task writing records (`put`), or reporting one it could not write.
    TaskPut,
    /// A source task producing records (`poll`).
    TaskPoll,
    /// Producing a record to Kafka.
    KafkaProduce,
    /// Consuming a record from Kafka.
    KafkaConsume,
}

impl Stage {
    /// Kafka Connect's name of the stage.
    pub fn name(self) -> &'static str {
        match self {
            Stage::KeyConverter => "KEY_CONVERTER",
            Stage::ValueConverter => "VALUE_CONVERTER",
            Stage::HeaderConverter => "HEADER_CONVERTER",
            Stage::Transformation => "TRANSFORMATION",
            Stage::TaskPut => "TASK_PUT",
            Stage::TaskPoll => "TASK_POLL",
            Stage::KafkaProduce => "KAFKA_PRODUCE",
            Stage::KafkaConsume => "KAFKA_CONSUME",
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
