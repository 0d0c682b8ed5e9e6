// brokkr-bench: a librdkafka load generator. Produces N records of a given
// size over the partitions of a fresh topic, then consumes them all back, and
// prints records/s and MB/s (1 MB = 10^6 bytes of record values) per phase.
//
//   brokkr-bench --bootstrap HOST:PORT | --mock  --topic T --partitions N
//                --records N --record-size BYTES --acks 0|1|all
//                [--linger-ms MS] [--batch-size BYTES] [-X key=value ...]
//
// --mock runs against librdkafka's built-in mock cluster (one broker in this
// process), the reference for comparisons: same client, same machine.
// The topic is created with CreateTopics (or in the mock cluster); the
// consumer uses assigned partitions without a consumer group.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "codec/corpus.hpp"

#include <algorithm>
#include <cstdint>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Options {
  std::string bootstrap;
  bool mock = false;
  std::string topic;
  int partitions = 1;
  long long records = 100000;
  int record_size = 1024;
  std::string acks = "1";
  int linger_ms = 5;
  long long batch_size = 1000000;
  std::vector<std::pair<std::string, std::string>> extra;  // -X key=value
};

[[noreturn]] void usage(const char* message = nullptr) {
  if (message) std::fprintf(stderr, "brokkr-bench: %s\n", message);
  std::fprintf(stderr,
               "usage: brokkr-bench (--bootstrap HOST:PORT | --mock) --topic T [--partitions N]\n"
               "                    [--records N] [--record-size BYTES] [--acks 0|1|all]\n"
               "                    [--linger-ms MS] [--batch-size BYTES] [-X key=value ...]\n");
  std::exit(2);
}

long long parse_number(const std::string& flag, const char* text, long long min, long long max) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
    usage((flag + ": expected a number from " + std::to_string(min) + " to " + std::to_string(max) +
           ", got '" + text + "'").c_str());
  }
  return v;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((flag + " needs a value").c_str());
      return argv[++i];
    };
    if (flag == "--bootstrap") o.bootstrap = value();
    else if (flag == "--mock") o.mock = true;
    else if (flag == "--topic") o.topic = value();
    else if (flag == "--partitions") o.partitions = static_cast<int>(parse_number(flag, value(), 1, 10000));
    else if (flag == "--records") o.records = parse_number(flag, value(), 1, 1000000000000LL);
    else if (flag == "--record-size") o.record_size = static_cast<int>(parse_number(flag, value(), 0, 100 * 1024 * 1024));
    else if (flag == "--acks") {
      o.acks = value();
      if (o.acks != "0" && o.acks != "1" && o.acks != "all" && o.acks != "-1") usage("--acks: 0, 1 or all");
    } else if (flag == "--linger-ms") o.linger_ms = static_cast<int>(parse_number(flag, value(), 0, 900000));
    else if (flag == "--batch-size") o.batch_size = parse_number(flag, value(), 1, 2147483647);
    else if (flag == "-X") {
      std::string kv = value();
      auto eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) usage("-X expects key=value");
      o.extra.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    } else if (flag == "-h" || flag == "--help") usage();
    else usage(("unknown argument " + flag).c_str());
  }
  if (o.mock == !o.bootstrap.empty()) usage("give exactly one of --bootstrap and --mock");
  if (o.topic.empty()) usage("--topic is required");
  return o;
}

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- librdkafka handles ----

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using Kafka = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

void set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
    throw std::runtime_error("config " + key + "=" + value + ": " + error);
  }
}

rd_kafka_conf_t* base_conf(const Options& o, const std::string& bootstrap) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "client.id", "brokkr-bench");
  for (const auto& [k, v] : o.extra) set(conf, k, v);
  return conf;
}

Kafka make(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char error[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof error);
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(std::string("rd_kafka_new: ") + error);
  }
  return Kafka(rk);
}

// ---- topic creation ----

void create_topic(rd_kafka_t* rk, const Options& o) {
  char error[512];
  rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(o.topic.c_str(), o.partitions, 1, error, sizeof error);
  if (!topic) throw std::runtime_error(std::string("NewTopic: ") + error);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(options, 30000, error, sizeof error);
  rd_kafka_CreateTopics(rk, &topic, 1, options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 60000);
  std::string failure;
  if (!event) {
    failure = "CreateTopics: no answer within 60 s";
  } else if (rd_kafka_event_error(event)) {
    failure = std::string("CreateTopics: ") + rd_kafka_event_error_string(event);
  } else {
    const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event);
    size_t count = 0;
    const rd_kafka_topic_result_t** topics = rd_kafka_CreateTopics_result_topics(result, &count);
    for (size_t i = 0; i < count; ++i) {
      rd_kafka_resp_err_t err = rd_kafka_topic_result_error(topics[i]);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* msg = rd_kafka_topic_result_error_string(topics[i]);
        failure = std::string("CreateTopics ") + o.topic + ": " + rd_kafka_err2name(err) + " " + (msg ? msg : "");
      }
    }
  }
  if (event) rd_kafka_event_destroy(event);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(topic);
  if (!failure.empty()) throw std::runtime_error(failure);
}

// ---- phases ----

struct PhaseResult {
  long long records = 0;
  long long bytes = 0;
  double seconds = 0;
};

void print_phase(const char* name, const PhaseResult& r) {
  double mb = static_cast<double>(r.bytes) / 1e6;
  std::printf("%s: %lld records, %.1f MB in %.3f s: %.0f records/s, %.2f MB/s\n", name, r.records, mb,
              r.seconds, static_cast<double>(r.records) / r.seconds, mb / r.seconds);
  std::fflush(stdout);
}

struct DeliveryState {
  std::atomic<long long> delivered{0};
  std::atomic<long long> failed{0};
  std::atomic<long long> bytes{0};
  std::string first_error;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto* state = static_cast<DeliveryState*>(opaque);
  if (msg->err) {
    if (state->failed.fetch_add(1) == 0) state->first_error = rd_kafka_err2str(msg->err);
  } else {
    state->delivered.fetch_add(1);
    state->bytes.fetch_add(static_cast<long long>(msg->len));
  }
}

PhaseResult produce(const Options& o, const std::string& bootstrap) {
  DeliveryState state;
  rd_kafka_conf_t* conf = base_conf(o, bootstrap);
  set(conf, "acks", o.acks);
  set(conf, "linger.ms", std::to_string(o.linger_ms));
  set(conf, "batch.size", std::to_string(o.batch_size));
  set(conf, "queue.buffering.max.messages", "1000000");
  set(conf, "queue.buffering.max.kbytes", "1048576");
  // Uncompressed unless -X compression.type (or .codec) says otherwise.
  bool codec_given = std::any_of(o.extra.begin(), o.extra.end(), [](const auto& kv) {
    return kv.first == "compression.type" || kv.first == "compression.codec";
  });
  if (!codec_given) set(conf, "compression.codec", "none");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_conf_set_opaque(conf, &state);
  Kafka producer = make(RD_KAFKA_PRODUCER, conf);
  rd_kafka_topic_t* topic = rd_kafka_topic_new(producer.get(), o.topic.c_str(), nullptr);

  // Text-like values (the codec benchmark's corpus: log lines and prose), so
  // compressed runs see realistic ratios; 4096 distinct values in turn.
  const auto record_size = static_cast<std::size_t>(o.record_size);
  constexpr std::size_t kDistinctValues = 4096;
  const std::vector<std::uint8_t> corpus = brokkr::bench::make_corpus(record_size * kDistinctValues, 42);

  auto start = Clock::now();
  for (long long i = 0; i < o.records; ++i) {
    auto partition = static_cast<int32_t>(i % o.partitions);
    auto* value = const_cast<std::uint8_t*>(corpus.data()) +
                  (static_cast<std::size_t>(i) % kDistinctValues) * record_size;
    while (rd_kafka_produce(topic, partition, RD_KAFKA_MSG_F_COPY, value, record_size, nullptr, 0,
                            nullptr) != 0) {
      rd_kafka_resp_err_t err = rd_kafka_last_error();
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(err));
      }
      rd_kafka_poll(producer.get(), 10);
    }
    if ((i & 1023) == 0) rd_kafka_poll(producer.get(), 0);
  }
  while (rd_kafka_outq_len(producer.get()) > 0) {
    rd_kafka_resp_err_t err = rd_kafka_flush(producer.get(), 120000);
    if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) throw std::runtime_error("produce: flush timed out after 120 s");
  }
  PhaseResult r;
  r.seconds = seconds_since(start);
  r.records = state.delivered.load();
  r.bytes = state.bytes.load();
  rd_kafka_topic_destroy(topic);
  if (state.failed.load() > 0) {
    throw std::runtime_error("produce: " + std::to_string(state.failed.load()) + " records failed, first: " +
                             state.first_error);
  }
  return r;
}

// Reads every partition from its log start to its high watermark, in passes
// until as many records as were produced have been read: a broker that keeps
// everything takes one pass; librdkafka's mock cluster keeps only the last
// few MB of each partition, so it is read several times over.
PhaseResult consume(const Options& o, const std::string& bootstrap, int* passes_out, long long* window_out) {
  rd_kafka_conf_t* conf = base_conf(o, bootstrap);
  set(conf, "fetch.wait.max.ms", "10");
  set(conf, "queued.max.messages.kbytes", "262144");
  Kafka consumer = make(RD_KAFKA_CONSUMER, conf);
  rd_kafka_topic_t* topic = rd_kafka_topic_new(consumer.get(), o.topic.c_str(), nullptr);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(consumer.get());

  std::vector<int64_t> low(static_cast<size_t>(o.partitions)), high(low.size());
  long long window = 0;
  for (int p = 0; p < o.partitions; ++p) {
    rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(consumer.get(), o.topic.c_str(), p,
                                                               &low[static_cast<size_t>(p)],
                                                               &high[static_cast<size_t>(p)], 10000);
    if (err) throw std::runtime_error(std::string("watermarks: ") + rd_kafka_err2str(err));
    window += high[static_cast<size_t>(p)] - low[static_cast<size_t>(p)];
  }
  if (window <= 0) throw std::runtime_error("consume: the topic is empty");
  if (!o.mock && window != o.records) {
    throw std::runtime_error("consume: the broker holds " + std::to_string(window) + " records, " +
                             std::to_string(o.records) + " were produced");
  }

  PhaseResult r;
  int passes = 0;
  std::vector<rd_kafka_message_t*> batch(10000);
  auto start = Clock::now();
  while (r.records < o.records) {
    std::vector<int64_t> next(low);
    long long left = window;
    for (int p = 0; p < o.partitions; ++p) {
      if (high[static_cast<size_t>(p)] == low[static_cast<size_t>(p)]) continue;
      if (passes == 0) {
        if (rd_kafka_consume_start_queue(topic, p, low[static_cast<size_t>(p)], queue) != 0) {
          throw std::runtime_error(std::string("consume start: ") + rd_kafka_err2str(rd_kafka_last_error()));
        }
      } else if (rd_kafka_resp_err_t err = rd_kafka_seek(topic, p, low[static_cast<size_t>(p)], 10000)) {
        throw std::runtime_error(std::string("seek: ") + rd_kafka_err2str(err));
      }
    }
    auto last_progress = Clock::now();
    while (left > 0) {
      // It waits until the array is full or the timeout: ask for no more than are left.
      auto want = static_cast<size_t>(std::min<long long>(left, static_cast<long long>(batch.size())));
      ssize_t n = rd_kafka_consume_batch_queue(queue, 1000, batch.data(), want);
      if (n < 0) throw std::runtime_error(std::string("consume: ") + rd_kafka_err2str(rd_kafka_last_error()));
      for (ssize_t i = 0; i < n; ++i) {
        rd_kafka_message_t* m = batch[static_cast<size_t>(i)];
        auto p = static_cast<size_t>(m->partition);
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
          rd_kafka_message_destroy(m);
          continue;
        }
        if (m->err) {
          std::string what = rd_kafka_message_errstr(m);
          rd_kafka_message_destroy(m);
          throw std::runtime_error("consume: " + what);
        }
        if (m->offset != next[p]) {
          std::string what = "consume: partition " + std::to_string(p) + ": offset " + std::to_string(m->offset) +
                             ", expected " + std::to_string(next[p]);
          rd_kafka_message_destroy(m);
          throw std::runtime_error(what);
        }
        ++next[p];
        --left;
        ++r.records;
        r.bytes += static_cast<long long>(m->len);
        rd_kafka_message_destroy(m);
      }
      if (n > 0) last_progress = Clock::now();
      if (seconds_since(last_progress) > 30) {
        throw std::runtime_error("consume: no records for 30 s, " + std::to_string(left) + " missing");
      }
    }
    ++passes;
  }
  for (int p = 0; p < o.partitions; ++p) rd_kafka_consume_stop(topic, p);
  r.seconds = seconds_since(start);
  rd_kafka_queue_destroy(queue);
  rd_kafka_topic_destroy(topic);
  *passes_out = passes;
  *window_out = window;
  return r;
}

// A client instance hosting a mock cluster; every other client connects to
// its brokers through their bootstrap address. The cluster must go first.
struct MockHost {
  Kafka rk;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  ~MockHost() {
    if (cluster) rd_kafka_mock_cluster_destroy(cluster);
  }
};

int run(const Options& o) {
  MockHost mock;
  std::string bootstrap = o.bootstrap;
  if (o.mock) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "log_level", "3");
    mock.rk = make(RD_KAFKA_PRODUCER, conf);
    mock.cluster = rd_kafka_mock_cluster_new(mock.rk.get(), 1);
    if (!mock.cluster) throw std::runtime_error("cannot create the mock cluster");
    bootstrap = rd_kafka_mock_cluster_bootstraps(mock.cluster);
    if (rd_kafka_mock_topic_create(mock.cluster, o.topic.c_str(), o.partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error("cannot create the topic in the mock cluster");
    }
  } else {
    Kafka admin = make(RD_KAFKA_PRODUCER, base_conf(o, bootstrap));
    create_topic(admin.get(), o);
  }
  std::printf("brokkr-bench: target=%s topic=%s partitions=%d records=%lld record-size=%d acks=%s librdkafka=%s\n",
              o.mock ? "mock" : bootstrap.c_str(), o.topic.c_str(), o.partitions, o.records, o.record_size,
              o.acks.c_str(), rd_kafka_version_str());
  std::fflush(stdout);
  print_phase("produce", produce(o, bootstrap));
  int passes = 0;
  long long window = 0;
  PhaseResult consumed = consume(o, bootstrap, &passes, &window);
  print_phase("consume", consumed);
  if (passes > 1) {
    std::printf("consume: %d passes over the %lld records the target retains\n", passes, window);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse_options(argc, argv);
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "brokkr-bench: %s\n", e.what());
    return 1;
  }
}
