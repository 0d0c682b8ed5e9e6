// Kafka's producer: send() partitions a record and appends it to its
// partition's batch, then returns; a background thread sends the batches
// (see sender.hpp) and calls each record's callback with its offset or its
// error. Settings are Kafka's producer properties (producer_config.hpp).
// Not idempotent and not transactional: retries may duplicate records or,
// with more than one request in flight, reorder them, as Kafka's producer
// does with enable.idempotence=false.
//
//   Producer producer(properties);   // bootstrap.servers, acks, linger.ms, ...
//   producer.send(record, [](const RecordMetadata& m, const SendError* e) { ... });
//   producer.flush();
//   producer.close();
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "producer/producer_config.hpp"
#include "producer/record_accumulator.hpp"
#include "producer/send_result.hpp"
#include "properties.hpp"
#include "records/record.hpp"

namespace brokkr::client {

class Sender;

class Producer {
 public:
  // Throws ClientError for invalid properties (nothing is connected yet).
  explicit Producer(const Properties& properties);
  ~Producer();  // close()
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Queues the record. Blocks (up to max.block.ms) only for metadata of a
  // topic not seen yet and for buffer memory. Errors found before the record
  // is queued go to the callback before send() returns. Thread-safe.
  void send(const ProducerRecord& record, SendCallback callback = {});

  // The topic's partition count, fetching metadata (auto-creating the topic
  // where the broker does so) like Kafka's partitionsFor(); throws
  // SendFailure (a ClientError) when it cannot within max.block.ms, or at
  // once when no bootstrap server answers.
  std::int32_t partition_count(const std::string& topic);

  // Sends everything queued and waits until every callback has run.
  void flush();
  // flush(), then stops the I/O thread. Idempotent.
  void close();

  const ProducerConfig& config() const { return config_; }

 private:
  ProducerConfig config_;
  RecordAccumulator accumulator_;
  std::unique_ptr<Sender> sender_;
  std::thread io_thread_;
};

}  // namespace brokkr::client
