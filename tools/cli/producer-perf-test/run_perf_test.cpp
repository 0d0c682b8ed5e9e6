#include "producer-perf-test/run_perf_test.hpp"

#include <iostream>

#include "client/producer/producer.hpp"
#include "producer-perf-test/payloads.hpp"
#include "producer-perf-test/perf_stats.hpp"
#include "producer-perf-test/throughput_throttler.hpp"

namespace brokkr::cli {
namespace {

// Small enough for std::function's inline storage: no allocation per record.
struct PerfCallback {
  PerfStats* stats;
  std::int32_t start_offset_ms;  // send time, from the start of the test
  std::int32_t bytes;
  void operator()(const client::RecordMetadata&, const client::SendError* error) const {
    if (error != nullptr) {
      std::cerr << error->to_string() << "\n";
      return;
    }
    const auto now = current_time_ms();
    stats->record(static_cast<std::int32_t>(now - stats->start_ms() - start_offset_ms), bytes, now);
    stats->next_iteration();
  }
};

}  // namespace

int run_perf_test(const PerfOptions& o) {
  std::vector<std::string> payload_list;
  if (o.payload_file) payload_list = read_payload_file(*o.payload_file, o.payload_delimiter);
  client::Producer producer(o.producer_properties);
  // Metadata first: an unreachable cluster is one error line, not one per record.
  producer.partition_count(o.topic);
  PayloadGenerator payloads(o.record_size.value_or(0), std::move(payload_list), o.payload_monotonic);

  PerfStats stats(o.num_records, 5000);
  ThroughputThrottler throttler(o.throughput);
  client::ProducerRecord record;
  record.topic = o.topic;
  record.value.emplace();
  for (std::int64_t i = 0; i < o.num_records; ++i) {
    *record.value = payloads.next(i);
    const auto send_start = current_time_ms();
    producer.send(record, PerfCallback{&stats, static_cast<std::int32_t>(send_start - stats.start_ms()),
                                       static_cast<std::int32_t>(record.value->size())});
    if (throttler.should_throttle(i)) throttler.throttle();
  }
  if (!o.print_metrics) {
    producer.close();
    stats.print_total();
  } else {
    producer.flush();
    stats.print_total();
    std::cout << "Metrics are not available: Brokkr's producer does not collect Kafka's client metrics yet."
              << std::endl;
    producer.close();
  }
  return 0;
}

}  // namespace brokkr::cli
