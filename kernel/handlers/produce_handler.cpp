#include "handlers/produce_handler.hpp"

#include <chrono>
#include <mutex>
#include <set>

#include "brokkr/sdk/record_batch.hpp"
#include "cluster/topic_admin.hpp"
#include "logging/logging.hpp"
#include "partition/delayed_operation.hpp"
#include "partition/message_format_conversion.hpp"
#include "protocol/legacy_message_set.hpp"
#include "protocol/generated/produce_response.hpp"

namespace brokkr::handlers {
namespace {

using protocol::ErrorCode;
using protocol::ProduceRequest;
using protocol::ProduceResponse;
using PartitionResponse = ProduceResponse::PartitionProduceResponse;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PartitionResponse error_response(std::int32_t index, ErrorCode error, std::string message = {}) {
  PartitionResponse p;
  p.index = index;
  p.error_code = protocol::code(error);
  p.base_offset = -1;
  if (!message.empty()) p.error_message = std::move(message);
  return p;
}

// acks=-1: answers once every appended partition's high watermark covers
// what was written, or with REQUEST_TIMED_OUT for those that fall short.
class DelayedProduce final : public partition::DelayedOperation {
 public:
  struct Pending {
    std::shared_ptr<partition::Partition> partition;
    std::int64_t required_offset;  // high watermark needed
    PartitionResponse* response;
  };

  DelayedProduce(boost::asio::io_context& io, std::chrono::milliseconds timeout,
                 ProduceResponse response, ResponseWriter respond)
      : DelayedOperation(io, timeout), response_(std::move(response)), respond_(std::move(respond)) {}

  ProduceResponse& response() { return response_; }
  void add(Pending pending) { pending_.push_back(pending); }

 protected:
  bool try_complete() override {
    for (const auto& p : pending_) {
      if (p.partition->high_watermark() < p.required_offset) return false;
    }
    respond_.send(response_);
    return true;
  }
  void on_expired() override {
    for (const auto& p : pending_) {
      if (p.partition->high_watermark() < p.required_offset) {
        p.response->error_code = protocol::code(ErrorCode::request_timed_out);
      }
    }
    respond_.send(response_);
  }

 private:
  ProduceResponse response_;
  ResponseWriter respond_;
  std::vector<Pending> pending_;
};

// Says once per codec which plugin is missing, not once per request.
void warn_missing_codec(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> said;
  std::lock_guard lock(mutex);
  if (said.insert(message).second) {
    logging::get("broker")->warn("refusing compressed batches: {} (add it to plugins.codecs)", message);
  }
}

// Kafka's rule for Produce v3+: the records of a partition are exactly one
// record batch of magic v2.
std::optional<std::string> record_shape_error(const protocol::Records& records) {
  if (!records || records->empty()) return "Produce requests must carry one record batch";
  auto header = sdk::record_batch::parse_header(*records);
  if (!header) return "Produce requests must carry one whole record batch";
  if (header->magic != 2) {
    return "Produce requests with version 3 and above may only contain record batches of magic v2";
  }
  if (header->total_size() != static_cast<std::int64_t>(records->size())) {
    return "Produce requests with version 3 and above may only contain exactly one record batch";
  }
  return std::nullopt;
}

struct RecordsError {
  ErrorCode error;
  std::string message;
  bool missing_codec = false;
};

// Produce v0-2: a legacy message set becomes one v2 batch in place. A v2
// batch sent at these versions is taken as it is (Kafka does not check
// the magic below v3 either); validation then checks it.
std::optional<RecordsError> convert_legacy_records(partition::Partition& partition, protocol::Records& records) {
  if (!records || records->empty()) return RecordsError{ErrorCode::corrupt_message, "no messages"};
  if (records->size() > protocol::legacy::kMagicPos && (*records)[protocol::legacy::kMagicPos] == 2) {
    return std::nullopt;
  }
  auto validation = partition.settings().validation;
  auto converted = partition::to_record_batch(*records, {validation.codecs, validation.max_decompressed_bytes});
  if (!converted.ok()) return RecordsError{converted.error, std::move(converted.message), converted.missing_codec};
  *records = std::move(converted.bytes);
  return std::nullopt;
}

// What Kafka checks of a partition's records before appending them.
std::optional<RecordsError> prepare_records(std::int16_t version, partition::Partition& partition,
                                            protocol::Records& records) {
  if (version < 3) {
    if (auto error = convert_legacy_records(partition, records)) return error;
  } else if (auto shape_error = record_shape_error(records)) {
    return RecordsError{ErrorCode::invalid_record, *shape_error};
  }
  // Kafka accepts zstd only from clients that know it (Produce v7+).
  auto header = sdk::record_batch::parse_header(*records);
  if (version < 7 && header && header->compression() == sdk::CompressionType::zstd) {
    return RecordsError{ErrorCode::unsupported_compression_type, "zstd needs Produce v7 or later"};
  }
  return std::nullopt;
}

}  // namespace

void ProduceHandler::handle(const RequestContext& context, ProduceRequest request,
                            ResponseWriter respond) {
  auto snapshot = metadata_.snapshot();
  std::int64_t now = now_ms();
  bool valid_acks = request.acks == 0 || request.acks == 1 || request.acks == -1;

  ProduceResponse response;
  struct Appended {
    std::shared_ptr<partition::Partition> partition;
    std::size_t topic_index;
    std::size_t partition_index;
    std::int64_t required_high_watermark;
  };
  std::vector<Appended> appended;
  for (auto& topic : request.topic_data) {
    ProduceResponse::TopicProduceResponse topic_response;
    topic_response.name = topic.name;
    auto known = snapshot->topics.find(topic.name);
    for (auto& data : topic.partition_data) {
      if (!valid_acks) {
        topic_response.partition_responses.push_back(error_response(data.index, ErrorCode::invalid_required_acks));
        continue;
      }
      if (cluster::is_internal_topic(topic.name)) {
        // Only the broker writes its internal topics (Kafka refuses clients too).
        topic_response.partition_responses.push_back(error_response(
            data.index, ErrorCode::invalid_topic_exception, "Cannot append to internal topic " + topic.name));
        continue;
      }
      auto partition = partitions_.get(topic.name, data.index);
      if (!partition) {
        bool exists = known != snapshot->topics.end() && data.index >= 0 &&
                      data.index < static_cast<std::int32_t>(known->second->partitions.size());
        topic_response.partition_responses.push_back(error_response(
            data.index, exists ? ErrorCode::not_leader_or_follower : ErrorCode::unknown_topic_or_partition));
        continue;
      }
      if (auto error = prepare_records(context.api_version, *partition, data.records)) {
        if (error->missing_codec) warn_missing_codec(error->message);
        topic_response.partition_responses.push_back(error_response(data.index, error->error, error->message));
        continue;
      }
      if (request.acks == -1) {
        // Kafka checks min.insync.replicas before appending.
        // (The ISR is this replica alone until replication lands.)
        if (partition->settings().min_insync_replicas > 1) {
          topic_response.partition_responses.push_back(error_response(
              data.index, ErrorCode::not_enough_replicas,
              "min.insync.replicas is " + std::to_string(partition->settings().min_insync_replicas) +
                  " but only 1 replica is in sync"));
          continue;
        }
      }
      partition::AppendResult result = partition->append(*data.records, now);
      if (result.error == ErrorCode::unsupported_compression_type) warn_missing_codec(result.error_message);
      PartitionResponse p;
      p.index = data.index;
      p.error_code = protocol::code(result.error);
      p.base_offset = result.base_offset;
      p.log_append_time_ms = result.log_append_time;
      p.log_start_offset = result.log_start_offset;
      if (!result.error_message.empty()) p.error_message = result.error_message;
      if (result.error == ErrorCode::none) {
        appended.push_back({partition, response.responses.size(),
                            topic_response.partition_responses.size(), result.last_offset + 1});
      }
      topic_response.partition_responses.push_back(std::move(p));
    }
    response.responses.push_back(std::move(topic_response));
  }

  if (request.acks == 0) {
    // An acks=0 producer reads no response: closing the connection is the
    // only way to tell it that a write failed (Kafka does the same).
    for (const auto& topic : response.responses) {
      for (const auto& p : topic.partition_responses) {
        if (p.error_code != 0) {
          return respond.close("acks=0 produce to " + topic.name + "-" + std::to_string(p.index) +
                               " failed with error " + std::to_string(p.error_code));
        }
      }
    }
    return respond.no_response();
  }
  if (request.acks != -1 || appended.empty()) return respond.send(response);

  auto delayed = std::make_shared<DelayedProduce>(
      io_, std::chrono::milliseconds(std::max(request.timeout_ms, 0)), std::move(response), std::move(respond));
  std::vector<std::shared_ptr<partition::Partition>> watched;
  for (const auto& a : appended) {
    auto* slot = &delayed->response().responses[a.topic_index].partition_responses[a.partition_index];
    delayed->add({a.partition, a.required_high_watermark, slot});
    watched.push_back(a.partition);
  }
  delayed->start(watched);
}

}  // namespace brokkr::handlers
