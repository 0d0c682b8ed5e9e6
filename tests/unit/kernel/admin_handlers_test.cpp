// The admin APIs through the dispatcher as real frames, on a kernel with the
// real raft coordinator and segment storage in process: CreateTopics,
// DeleteTopics, CreatePartitions, DescribeConfigs, AlterConfigs,
// IncrementalAlterConfigs, DescribeCluster, DeleteRecords, DescribeLogDirs,
// and topic auto-creation in Metadata, at every version we serve.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>
#include <thread>

#include "cluster/metadata_cache.hpp"
#include "cluster/metadata_records.hpp"
#include "cluster/topic_admin.hpp"
#include "config/broker_config.hpp"
#include "config/topic_config_schema.hpp"
#include "handlers/all_handlers.hpp"
#include "handlers/request_dispatcher.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/alter_configs_request.hpp"
#include "protocol/generated/alter_configs_response.hpp"
#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/api_versions_request.hpp"
#include "protocol/generated/api_versions_response.hpp"
#include "protocol/generated/create_partitions_request.hpp"
#include "protocol/generated/create_partitions_response.hpp"
#include "protocol/generated/create_topics_request.hpp"
#include "protocol/generated/create_topics_response.hpp"
#include "protocol/generated/delete_records_request.hpp"
#include "protocol/generated/delete_records_response.hpp"
#include "protocol/generated/delete_topics_request.hpp"
#include "protocol/generated/delete_topics_response.hpp"
#include "protocol/generated/describe_cluster_request.hpp"
#include "protocol/generated/describe_cluster_response.hpp"
#include "protocol/generated/describe_configs_request.hpp"
#include "protocol/generated/describe_configs_response.hpp"
#include "protocol/generated/describe_log_dirs_request.hpp"
#include "protocol/generated/describe_log_dirs_response.hpp"
#include "protocol/generated/incremental_alter_configs_request.hpp"
#include "protocol/generated/incremental_alter_configs_response.hpp"
#include "protocol/generated/metadata_request.hpp"
#include "protocol/generated/metadata_response.hpp"
#include "protocol/generated/produce_request.hpp"
#include "protocol/generated/produce_response.hpp"
#include "protocol/generated/response_header.hpp"
#include "raft_coordinator.hpp"
#include "segment_storage.hpp"
#include "support/batch_builder.hpp"
#include "support/in_process_kernel.hpp"

using namespace brokkr;
using namespace std::chrono_literals;
using protocol::ErrorCode;

namespace {

constexpr std::int8_t kTopic = 2;
constexpr std::int8_t kBroker = 4;

struct Kernel : test::InProcessKernel {
  // Broker 2 is registered too (on another listener only), for placement
  // and DescribeCluster.
  Kernel()
      : InProcessKernel("brokkr-admin-api", std::nullopt, /*fsync=*/false,
                        {{1, "rack-1", {{"PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT"}, {"INTERNAL", "10.0.0.1", 9093, "PLAINTEXT"}}},
                         {2, std::nullopt, {{"INTERNAL", "10.0.0.2", 9093, "PLAINTEXT"}}}}) {}

  std::shared_ptr<const cluster::TopicMetadata> topic(const std::string& name) {
    auto snapshot = cache.snapshot();
    auto it = snapshot->topics.find(name);
    return it == snapshot->topics.end() ? nullptr : it->second;
  }

  void create(const std::string& name, std::int32_t partitions_count, std::map<std::string, std::string> configs = {}) {
    cluster::TopicSpec spec;
    spec.name = name;
    spec.configs = std::move(configs);
    // Placed on this broker (1), so its partitions are local.
    for (std::int32_t p = 0; p < partitions_count; ++p) spec.assignments.push_back({p, {1}});
    REQUIRE(admin->create_topic(spec, false).ok());
    for (int i = 0; i < 500 && !partitions->get(name, partitions_count - 1); ++i) std::this_thread::sleep_for(5ms);
    REQUIRE(partitions->get(name, partitions_count - 1));
  }

  void produce(const std::string& topic, std::int32_t partition, int records) {
    std::vector<test::TestRecord> batch;
    for (int i = 0; i < records; ++i) batch.push_back({"k" + std::to_string(i), "v" + std::to_string(i), i, {}});
    protocol::ProduceRequest request;
    request.acks = -1;
    request.timeout_ms = 1000;
    request.topic_data.resize(1);
    request.topic_data[0].name = topic;
    request.topic_data[0].partition_data.resize(1);
    request.topic_data[0].partition_data[0].index = partition;
    request.topic_data[0].partition_data[0].records = test::build_batch(batch);
    auto response = call<protocol::ProduceResponse>(request, 9);
    REQUIRE(response.responses.at(0).partition_responses.at(0).error_code == 0);
  }
};

protocol::CreateTopicsRequest::CreatableTopic creatable(std::string name, std::int32_t partitions,
                                                        std::int16_t factor,
                                                        std::map<std::string, std::optional<std::string>> configs = {}) {
  protocol::CreateTopicsRequest::CreatableTopic topic;
  topic.name = std::move(name);
  topic.num_partitions = partitions;
  topic.replication_factor = factor;
  for (auto& [k, v] : configs) {
    protocol::CreateTopicsRequest::CreatableTopicConfig c;
    c.name = k;
    c.value = v;
    topic.configs.push_back(std::move(c));
  }
  return topic;
}

protocol::MetadataRequest metadata_for(std::vector<std::string> names, bool allow_auto_create = true) {
  protocol::MetadataRequest request;
  request.topics.emplace();
  for (auto& n : names) {
    protocol::MetadataRequest::MetadataRequestTopic t;
    t.name = std::move(n);
    request.topics->push_back(std::move(t));
  }
  request.allow_auto_topic_creation = allow_auto_create;
  return request;
}

}  // namespace

TEST_CASE("ApiVersions advertises the admin APIs with their version ranges", "[admin-api]") {
  Kernel k;
  protocol::ApiVersionsRequest request;
  auto response = k.call<protocol::ApiVersionsResponse>(request, 2);
  std::map<std::int16_t, std::pair<std::int16_t, std::int16_t>> ranges;
  for (const auto& api : response.api_keys) ranges[api.api_key] = {api.min_version, api.max_version};
  using R = std::pair<std::int16_t, std::int16_t>;
  CHECK(ranges.at(19) == R{0, 7});  // CreateTopics
  CHECK(ranges.at(20) == R{0, 6});  // DeleteTopics
  CHECK(ranges.at(21) == R{0, 2});  // DeleteRecords
  CHECK(ranges.at(32) == R{0, 4});  // DescribeConfigs
  CHECK(ranges.at(33) == R{0, 2});  // AlterConfigs
  CHECK(ranges.at(35) == R{0, 4});  // DescribeLogDirs
  CHECK(ranges.at(37) == R{0, 3});  // CreatePartitions
  CHECK(ranges.at(44) == R{0, 1});  // IncrementalAlterConfigs
  CHECK(ranges.at(60) == R{0, 1});  // DescribeCluster
}

TEST_CASE("CreateTopics at every version", "[admin-api]") {
  Kernel k;
  for (std::int16_t v = 0; v <= protocol::CreateTopicsRequest::kHighestVersion; ++v) {
    INFO("version " << v);
    std::string name = "created-v" + std::to_string(v);
    protocol::CreateTopicsRequest request;
    request.topics.push_back(creatable(name, 3, 1, {{"retention.ms", "1234"}}));
    auto response = k.call<protocol::CreateTopicsResponse>(request, v);
    REQUIRE(response.topics.size() == 1);
    const auto& result = response.topics[0];
    CHECK(result.name == name);
    CHECK(result.error_code == 0);
    if (v >= 1) CHECK(result.error_message == std::nullopt);
    auto topic = k.topic(name);  // in the cache as soon as the response is out
    REQUIRE(topic);
    CHECK(topic->partitions.size() == 3);
    CHECK(topic->configs.at("retention.ms") == "1234");
    if (v >= 5) {
      CHECK(result.num_partitions == 3);
      CHECK(result.replication_factor == 1);
      REQUIRE(result.configs);
      bool saw_override = false, saw_default = false;
      for (const auto& c : *result.configs) {
        if (c.name == "retention.ms") {
          saw_override = c.value == "1234" && c.config_source == 1;
        }
        if (c.name == "segment.bytes") saw_default = c.value == "1073741824" && c.config_source == 5;
        CHECK_FALSE(c.read_only);
        CHECK_FALSE(c.is_sensitive);
      }
      CHECK(saw_override);
      CHECK(saw_default);
    }
    if (v >= 7) {
      CHECK(result.topic_id == topic->topic_id);
      CHECK_FALSE(result.topic_id.is_zero());
    }
  }
}

TEST_CASE("CreateTopics per-topic errors, duplicates and validate_only", "[admin-api]") {
  Kernel k;
  k.create("taken", 1);
  protocol::CreateTopicsRequest request;
  request.topics = {creatable("taken", 1, 1),
                    creatable("twice", 1, 1),
                    creatable("no partitions", 1, 1),
                    creatable("zero", 0, 1),
                    creatable("wide", 1, 3),
                    creatable("bad-config", 1, 1, {{"retention.ms", "never"}}),
                    creatable("null-config", 1, 1, {{"retention.ms", std::nullopt}}),
                    creatable("twice", 2, 1),
                    creatable("fine", -1, -1)};
  auto response = k.call<protocol::CreateTopicsResponse>(request, 5);
  std::map<std::string, const protocol::CreateTopicsResponse::CreatableTopicResult*> by_name;
  for (const auto& t : response.topics) by_name[t.name] = &t;
  REQUIRE(response.topics.size() == 8);  // one answer for the duplicated name
  CHECK(by_name.at("taken")->error_code == code(ErrorCode::topic_already_exists));
  CHECK(by_name.at("taken")->error_message == "Topic 'taken' already exists.");
  CHECK(by_name.at("twice")->error_code == code(ErrorCode::invalid_request));
  CHECK(by_name.at("twice")->error_message == "Duplicate topic name.");
  CHECK(by_name.at("no partitions")->error_code == code(ErrorCode::invalid_topic_exception));
  CHECK(by_name.at("zero")->error_code == code(ErrorCode::invalid_partitions));
  CHECK(by_name.at("wide")->error_code == code(ErrorCode::invalid_replication_factor));
  CHECK(by_name.at("bad-config")->error_code == code(ErrorCode::invalid_config));
  CHECK_THAT(*by_name.at("bad-config")->error_message, Catch::Contains("retention.ms"));
  CHECK(by_name.at("null-config")->error_code == code(ErrorCode::invalid_request));
  CHECK(by_name.at("fine")->error_code == 0);
  CHECK(by_name.at("wide")->num_partitions == -1);
  CHECK_FALSE(k.topic("twice"));
  CHECK(k.topic("fine"));

  SECTION("validate_only checks everything and creates nothing") {
    protocol::CreateTopicsRequest dry;
    dry.validate_only = true;
    dry.topics = {creatable("dry-ok", 2, 1, {{"cleanup.policy", "compact"}}), creatable("dry-bad", 1, 9)};
    auto result = k.call<protocol::CreateTopicsResponse>(dry, 7);
    REQUIRE(result.topics.size() == 2);
    CHECK(result.topics[0].error_code == 0);
    CHECK(result.topics[0].num_partitions == 2);
    CHECK(result.topics[0].topic_id.is_zero());
    CHECK(result.topics[1].error_code == code(ErrorCode::invalid_replication_factor));
    CHECK_FALSE(k.topic("dry-ok"));
    CHECK_FALSE(k.coordinator->get(cluster::topic_key("dry-ok")));
  }
}

TEST_CASE("Metadata auto-creates unknown topics and describes them at once", "[admin-api]") {
  Kernel k;
  k.config.topics.num_partitions = 2;
  for (std::int16_t v : {0, 1, 4, 9, 12}) {
    INFO("version " << v);
    std::string name = "auto-v" + std::to_string(v);
    for (int round = 0; round < 2; ++round) {  // created, then found
      auto response = k.call<protocol::MetadataResponse>(metadata_for({name}), v);
      REQUIRE(response.topics.size() == 1);
      CHECK(response.topics[0].error_code == 0);
      CHECK(response.topics[0].name == name);
      REQUIRE(response.topics[0].partitions.size() == 2);  // num.partitions
      CHECK(response.topics[0].partitions[0].leader_id >= 1);
      if (v >= 10) CHECK(response.topics[0].topic_id == k.topic(name)->topic_id);
    }
  }
  SECTION("v4+ clients that do not allow it") {
    auto response = k.call<protocol::MetadataResponse>(metadata_for({"not-allowed"}, false), 9);
    CHECK(response.topics[0].error_code == code(ErrorCode::unknown_topic_or_partition));
    CHECK_FALSE(k.topic("not-allowed"));
  }
  SECTION("auto.create.topics.enable off") {
    k.config.topics.auto_create = false;
    auto response = k.call<protocol::MetadataResponse>(metadata_for({"off"}), 1);
    CHECK(response.topics[0].error_code == code(ErrorCode::unknown_topic_or_partition));
    CHECK_FALSE(k.topic("off"));
  }
  SECTION("invalid names, internal topics and impossible defaults are not created") {
    k.config.topics.replication_factor = 3;
    auto response = k.call<protocol::MetadataResponse>(metadata_for({"bad name", "__consumer_offsets", "too-wide"}), 9);
    CHECK(response.topics[0].error_code == code(ErrorCode::invalid_topic_exception));
    CHECK(response.topics[1].error_code == code(ErrorCode::unknown_topic_or_partition));
    CHECK(response.topics[2].error_code == code(ErrorCode::invalid_replication_factor));
    CHECK_FALSE(k.topic("__consumer_offsets"));
    CHECK_FALSE(k.topic("too-wide"));
  }
}

TEST_CASE("DeleteTopics by name at every version and by id at v6", "[admin-api]") {
  Kernel k;
  for (std::int16_t v = 0; v <= protocol::DeleteTopicsRequest::kHighestVersion; ++v) {
    INFO("version " << v);
    std::string name = "gone-v" + std::to_string(v);
    k.create(name, 1);
    auto id = k.topic(name)->topic_id;
    protocol::DeleteTopicsRequest request;
    if (v >= 6) {
      request.topics.resize(2);
      request.topics[0].name = name;
      request.topics[1].name = "never-was";
    } else {
      request.topic_names = {name, "never-was"};
    }
    auto response = k.call<protocol::DeleteTopicsResponse>(request, v);
    REQUIRE(response.responses.size() == 2);
    CHECK(response.responses[0].name == name);
    CHECK(response.responses[0].error_code == 0);
    CHECK(response.responses[1].error_code == code(ErrorCode::unknown_topic_or_partition));
    if (v >= 5) {
      CHECK(response.responses[0].error_message == std::nullopt);
      CHECK(response.responses[1].error_message.has_value());
    }
    if (v >= 6) CHECK(response.responses[0].topic_id == id);
    CHECK_FALSE(k.topic(name));
    for (int i = 0; i < 200 && k.partitions->get(name, 0); ++i) std::this_thread::sleep_for(5ms);
    CHECK_FALSE(k.partitions->get(name, 0));  // the partition manager followed
  }

  SECTION("v6 by topic id, unknown ids, duplicates, name and id together") {
    k.create("by-id", 1);
    auto id = k.topic("by-id")->topic_id;
    protocol::DeleteTopicsRequest request;
    request.topics.resize(5);
    request.topics[0].topic_id = id;
    request.topics[1].topic_id = protocol::Uuid::random();
    request.topics[2].name = "dup";
    request.topics[3].name = "dup";
    request.topics[4].name = "both";
    request.topics[4].topic_id = protocol::Uuid::random();
    auto response = k.call<protocol::DeleteTopicsResponse>(request, 6);
    REQUIRE(response.responses.size() == 4);
    CHECK(response.responses[0].error_code == 0);
    CHECK(response.responses[0].name == "by-id");
    CHECK(response.responses[0].topic_id == id);
    CHECK(response.responses[1].error_code == code(ErrorCode::unknown_topic_id));
    CHECK(response.responses[1].name == std::nullopt);
    CHECK(response.responses[2].error_code == code(ErrorCode::invalid_request));
    CHECK(response.responses[2].name == "dup");
    CHECK(response.responses[3].error_code == code(ErrorCode::invalid_request));
    CHECK_FALSE(k.topic("by-id"));
  }
}

TEST_CASE("CreatePartitions at every version", "[admin-api]") {
  Kernel k;
  k.create("grow", 1);
  for (std::int16_t v = 0; v <= protocol::CreatePartitionsRequest::kHighestVersion; ++v) {
    INFO("version " << v);
    protocol::CreatePartitionsRequest request;
    request.topics.resize(3);
    request.topics[0].name = "grow";
    request.topics[0].count = v + 2;
    request.topics[0].assignments = std::nullopt;
    request.topics[1].name = "grow-missing";
    request.topics[1].count = 2;
    request.topics[2].name = "grow";  // duplicate entry
    request.topics[2].count = 9;
    auto response = k.call<protocol::CreatePartitionsResponse>(request, v);
    REQUIRE(response.results.size() == 2);
    CHECK(response.results[0].error_code == code(ErrorCode::invalid_request));
    CHECK(response.results[0].error_message == "Duplicate topic name.");
    CHECK(response.results[1].error_code == code(ErrorCode::unknown_topic_or_partition));

    request.topics.resize(1);
    response = k.call<protocol::CreatePartitionsResponse>(request, v);
    REQUIRE(response.results.size() == 1);
    CHECK(response.results[0].error_code == 0);
    CHECK(response.results[0].error_message == std::nullopt);
    CHECK(k.topic("grow")->partitions.size() == static_cast<std::size_t>(v + 2));
  }
  protocol::CreatePartitionsRequest shrink;
  shrink.topics.resize(1);
  shrink.topics[0].name = "grow";
  shrink.topics[0].count = 2;
  auto response = k.call<protocol::CreatePartitionsResponse>(shrink, 3);
  CHECK(response.results[0].error_code == code(ErrorCode::invalid_partitions));
  CHECK(response.results[0].error_message == "Topic currently has 5 partitions, which is higher than the requested 2.");

  protocol::CreatePartitionsRequest placed;
  placed.validate_only = true;
  placed.topics.resize(1);
  placed.topics[0].name = "grow";
  placed.topics[0].count = 6;
  placed.topics[0].assignments.emplace(1);
  (*placed.topics[0].assignments)[0].broker_ids = {2};
  CHECK(k.call<protocol::CreatePartitionsResponse>(placed, 1).results[0].error_code == 0);
  CHECK(k.topic("grow")->partitions.size() == 5);  // validate_only
  (*placed.topics[0].assignments)[0].broker_ids = {4};
  CHECK(k.call<protocol::CreatePartitionsResponse>(placed, 1).results[0].error_code ==
        code(ErrorCode::invalid_replica_assignment));
}

TEST_CASE("DescribeConfigs at every version", "[admin-api][configs]") {
  Kernel k;
  k.config.topics.config = {{"segment.ms", "3600000"}};
  k.create("described", 1, {{"retention.ms", "1000"}});
  for (std::int16_t v = 0; v <= protocol::DescribeConfigsRequest::kHighestVersion; ++v) {
    INFO("version " << v);
    protocol::DescribeConfigsRequest request;
    request.include_synonyms = true;
    request.include_documentation = true;
    request.resources.resize(4);
    request.resources[0].resource_type = kTopic;
    request.resources[0].resource_name = "described";
    request.resources[0].configuration_keys = std::nullopt;
    request.resources[1].resource_type = kTopic;
    request.resources[1].resource_name = "described";
    request.resources[1].configuration_keys = std::vector<std::string>{"retention.ms", "no.such.key"};
    request.resources[2].resource_type = kTopic;
    request.resources[2].resource_name = "missing";
    request.resources[3].resource_type = kBroker;
    request.resources[3].resource_name = "1";
    request.resources[3].configuration_keys = std::vector<std::string>{"log.roll.ms", "broker.id"};
    auto response = k.call<protocol::DescribeConfigsResponse>(request, v);
    REQUIRE(response.results.size() == 4);

    const auto& all = response.results[0];
    CHECK(all.error_code == 0);
    CHECK(all.error_message == std::nullopt);
    CHECK(all.resource_type == kTopic);
    CHECK(all.configs.size() == config::topic_config_definitions().size());
    for (const auto& c : all.configs) {
      if (c.name == "retention.ms") {
        CHECK(c.value == "1000");
        if (v == 0) CHECK_FALSE(c.is_default);
        if (v >= 1) CHECK(c.config_source == 1);
        if (v >= 1) {
          REQUIRE(c.synonyms.size() == 2);
          CHECK(c.synonyms[0].name == "retention.ms");
          CHECK(c.synonyms[1].name == "log.retention.ms");
          CHECK(c.synonyms[1].source == 5);
        }
        if (v >= 3) {
          CHECK(c.config_type == 5);  // LONG
          CHECK(c.documentation.has_value());
        }
      }
      if (c.name == "segment.ms") {
        CHECK(c.value == "3600000");
        if (v == 0) CHECK_FALSE(c.is_default);
        if (v >= 1) CHECK(c.config_source == 4);
      }
      if (c.name == "cleanup.policy") {
        CHECK(c.value == "delete");
        if (v == 0) CHECK(c.is_default);
        if (v >= 1) CHECK(c.config_source == 5);
        if (v >= 3) CHECK(c.config_type == 7);  // LIST
      }
    }
    REQUIRE(response.results[1].configs.size() == 1);
    CHECK(response.results[1].configs[0].name == "retention.ms");
    CHECK(response.results[2].error_code == code(ErrorCode::unknown_topic_or_partition));
    CHECK(response.results[2].error_message.has_value());
    const auto& broker = response.results[3];
    CHECK(broker.error_code == 0);
    REQUIRE(broker.configs.size() == 2);
    CHECK(broker.configs[0].name == "broker.id");
    CHECK(broker.configs[0].value == "1");
    CHECK(broker.configs[0].read_only);
    CHECK(broker.configs[1].name == "log.roll.ms");
    CHECK(broker.configs[1].value == "3600000");
    CHECK_FALSE(broker.configs[1].read_only);
  }

  SECTION("synonyms and documentation only when asked for") {
    protocol::DescribeConfigsRequest request;
    request.resources.resize(1);
    request.resources[0].resource_type = kTopic;
    request.resources[0].resource_name = "described";
    request.resources[0].configuration_keys = std::vector<std::string>{"retention.ms"};
    auto response = k.call<protocol::DescribeConfigsResponse>(request, 4);
    REQUIRE(response.results[0].configs.size() == 1);
    CHECK(response.results[0].configs[0].synonyms.empty());
    CHECK(response.results[0].configs[0].documentation == std::nullopt);
    CHECK(response.results[0].configs[0].config_type == 5);
  }
}

TEST_CASE("AlterConfigs and IncrementalAlterConfigs at every version", "[admin-api][configs]") {
  Kernel k;
  k.create("altered", 1, {{"retention.ms", "1000"}, {"flush.ms", "5"}});

  auto describe = [&](const std::string& key) -> std::optional<std::string> {
    protocol::DescribeConfigsRequest request;
    request.resources.resize(1);
    request.resources[0].resource_type = kTopic;
    request.resources[0].resource_name = "altered";
    request.resources[0].configuration_keys = std::vector<std::string>{key};
    auto response = k.call<protocol::DescribeConfigsResponse>(request, 1);
    REQUIRE(response.results[0].configs.size() == 1);
    return response.results[0].configs[0].value;
  };

  for (std::int16_t v = 0; v <= protocol::AlterConfigsRequest::kHighestVersion; ++v) {
    INFO("AlterConfigs version " << v);
    protocol::AlterConfigsRequest request;
    request.resources.resize(3);
    request.resources[0].resource_type = kTopic;
    request.resources[0].resource_name = "altered";
    request.resources[0].configs.resize(1);
    request.resources[0].configs[0].name = "retention.ms";
    request.resources[0].configs[0].value = std::to_string(2000 + v);
    request.resources[1].resource_type = kTopic;
    request.resources[1].resource_name = "missing";
    request.resources[2].resource_type = kBroker;
    request.resources[2].resource_name = "";
    request.resources[2].configs.resize(1);
    request.resources[2].configs[0].name = "log.retention.bytes";
    request.resources[2].configs[0].value = "nope";
    auto response = k.call<protocol::AlterConfigsResponse>(request, v);
    REQUIRE(response.responses.size() == 3);
    CHECK(response.responses[0].error_code == 0);
    CHECK(response.responses[0].error_message == std::nullopt);
    CHECK(response.responses[0].resource_name == "altered");
    CHECK(response.responses[1].error_code == code(ErrorCode::unknown_topic_or_partition));
    CHECK(response.responses[2].error_code == code(ErrorCode::invalid_config));
    CHECK_THAT(*response.responses[2].error_message, Catch::Contains("log.retention.bytes"));
    CHECK(describe("retention.ms") == std::to_string(2000 + v));
    CHECK(describe("flush.ms") == "9223372036854775807");  // replaced: the override is gone
  }

  for (std::int16_t v = 0; v <= protocol::IncrementalAlterConfigsRequest::kHighestVersion; ++v) {
    INFO("IncrementalAlterConfigs version " << v);
    protocol::IncrementalAlterConfigsRequest request;
    request.resources.resize(2);
    auto& topic = request.resources[0];
    topic.resource_type = kTopic;
    topic.resource_name = "altered";
    topic.configs.resize(3);
    topic.configs[0] = {"segment.ms", 0, std::to_string(60000 + v), {}};
    topic.configs[1] = {"retention.ms", 1, std::nullopt, {}};
    topic.configs[2] = {"cleanup.policy", 2, "compact", {}};
    auto& broker = request.resources[1];
    broker.resource_type = kBroker;
    broker.resource_name = "1";
    broker.configs.resize(1);
    broker.configs[0] = {"log.retention.ms", 0, "86400000", {}};
    auto response = k.call<protocol::IncrementalAlterConfigsResponse>(request, v);
    REQUIRE(response.responses.size() == 2);
    CHECK(response.responses[0].error_code == 0);
    CHECK(response.responses[1].error_code == 0);
    CHECK(describe("segment.ms") == std::to_string(60000 + v));
    CHECK(describe("retention.ms") == "86400000");  // now from this broker's dynamic default
    CHECK(describe("cleanup.policy") == "delete,compact");
  }

  SECTION("validate_only and read-only broker configs") {
    protocol::IncrementalAlterConfigsRequest request;
    request.validate_only = true;
    request.resources.resize(2);
    request.resources[0].resource_type = kTopic;
    request.resources[0].resource_name = "altered";
    request.resources[0].configs = {{"segment.ms", 0, "1", {}}};
    request.resources[1].resource_type = kBroker;
    request.resources[1].resource_name = "1";
    request.resources[1].configs = {{"broker.id", 0, "7", {}}};
    auto response = k.call<protocol::IncrementalAlterConfigsResponse>(request, 1);
    CHECK(response.responses[0].error_code == 0);
    CHECK(response.responses[1].error_code == code(ErrorCode::invalid_request));
    CHECK(describe("segment.ms") == "60001");
  }
}

TEST_CASE("DescribeCluster at every version", "[admin-api]") {
  Kernel k;
  for (std::int16_t v = 0; v <= protocol::DescribeClusterRequest::kHighestVersion; ++v) {
    INFO("version " << v);
    protocol::DescribeClusterRequest request;
    auto response = k.call<protocol::DescribeClusterResponse>(request, v);
    CHECK(response.error_code == 0);
    CHECK(response.error_message == std::nullopt);
    CHECK(response.cluster_id == k.coordinator->cluster_id());
    CHECK(response.controller_id == 1);
    REQUIRE(response.brokers.size() == 1);  // broker 2 has no PLAINTEXT listener
    CHECK(response.brokers[0].broker_id == 1);
    CHECK(response.brokers[0].host == "127.0.0.1");
    CHECK(response.brokers[0].port == 9092);
    CHECK(response.brokers[0].rack == "rack-1");
    CHECK(response.cluster_authorized_operations == std::numeric_limits<std::int32_t>::min());
    if (v >= 1) CHECK(response.endpoint_type == 1);

    request.include_cluster_authorized_operations = true;
    response = k.call<protocol::DescribeClusterResponse>(request, v);
    CHECK((response.cluster_authorized_operations & (1 << 8)) != 0);  // DESCRIBE
  }
  k.connection.listener_name = "INTERNAL";
  protocol::DescribeClusterRequest request;
  CHECK(k.call<protocol::DescribeClusterResponse>(request, 1).brokers.size() == 2);
  request.endpoint_type = 2;
  CHECK(k.call<protocol::DescribeClusterResponse>(request, 1).error_code == 114);
  request.endpoint_type = 7;
  CHECK(k.call<protocol::DescribeClusterResponse>(request, 1).error_code == 115);
}

TEST_CASE("DeleteRecords at every version", "[admin-api][data]") {
  Kernel k;
  k.create("trim", 2);
  k.create("compacted", 1, {{"cleanup.policy", "compact"}});
  k.produce("trim", 0, 10);
  k.produce("trim", 1, 3);

  auto delete_before = [&](std::int16_t v, std::vector<std::pair<std::int32_t, std::int64_t>> partitions,
                           std::string topic = "trim") {
    protocol::DeleteRecordsRequest request;
    request.timeout_ms = 1000;
    request.topics.resize(1);
    request.topics[0].name = topic;
    for (auto [p, offset] : partitions) request.topics[0].partitions.push_back({p, offset, {}});
    auto response = k.call<protocol::DeleteRecordsResponse>(request, v);
    REQUIRE(response.topics.size() == 1);
    CHECK(response.topics[0].name == topic);
    return response.topics[0].partitions;
  };

  auto first = delete_before(0, {{0, 4}, {1, 11}, {7, 0}});
  REQUIRE(first.size() == 3);
  CHECK(first[0].error_code == 0);
  CHECK(first[0].low_watermark == 4);
  CHECK(k.partitions->get("trim", 0)->log_start_offset() == 4);
  CHECK(first[1].error_code == code(ErrorCode::offset_out_of_range));  // beyond the high watermark
  CHECK(first[1].low_watermark == -1);
  CHECK(first[2].error_code == code(ErrorCode::unknown_topic_or_partition));

  auto second = delete_before(1, {{0, 2}});  // before the start: nothing to do
  CHECK(second[0].error_code == 0);
  CHECK(second[0].low_watermark == 4);

  auto third = delete_before(2, {{0, -1}, {1, 3}});  // -1: up to the high watermark
  CHECK(third[0].error_code == 0);
  CHECK(third[0].low_watermark == 10);
  CHECK(third[1].low_watermark == 3);
  CHECK(delete_before(2, {{0, -5}})[0].error_code == code(ErrorCode::offset_out_of_range));
  CHECK(delete_before(2, {{0, 1}}, "unknown")[0].error_code == code(ErrorCode::unknown_topic_or_partition));
  CHECK(delete_before(2, {{0, 0}}, "compacted")[0].error_code == code(ErrorCode::policy_violation));
}

TEST_CASE("DescribeLogDirs at every version", "[admin-api][data]") {
  Kernel k;
  k.create("sized", 2);
  k.create("other", 1);
  k.produce("sized", 1, 5);
  for (std::int16_t v = 0; v <= protocol::DescribeLogDirsRequest::kHighestVersion; ++v) {
    INFO("version " << v);
    protocol::DescribeLogDirsRequest all;
    all.topics = std::nullopt;
    auto response = k.call<protocol::DescribeLogDirsResponse>(all, v);
    CHECK(response.error_code == 0);
    REQUIRE(response.results.size() == 1);
    const auto& dir = response.results[0];
    CHECK(dir.error_code == 0);
    CHECK(dir.log_dir == k.storage->log_dir());
    REQUIRE(dir.topics.size() == 2);
    CHECK(dir.topics[0].name == "other");
    CHECK(dir.topics[1].name == "sized");
    REQUIRE(dir.topics[1].partitions.size() == 2);
    CHECK(dir.topics[1].partitions[0].partition_index == 0);
    CHECK(dir.topics[1].partitions[1].partition_size > dir.topics[1].partitions[0].partition_size);
    CHECK(dir.topics[1].partitions[1].partition_size == k.partitions->get("sized", 1)->log().size_bytes());
    CHECK(dir.topics[1].partitions[1].offset_lag == 0);
    if (v >= 4) {
      CHECK(dir.total_bytes > 0);
      CHECK(dir.usable_bytes >= 0);
    }

    protocol::DescribeLogDirsRequest some;
    some.topics.emplace(2);
    (*some.topics)[0].topic = "sized";
    (*some.topics)[0].partitions = {1, 9};
    (*some.topics)[1].topic = "missing";
    (*some.topics)[1].partitions = {0};
    response = k.call<protocol::DescribeLogDirsResponse>(some, v);
    REQUIRE(response.results[0].topics.size() == 1);
    REQUIRE(response.results[0].topics[0].partitions.size() == 1);
    CHECK(response.results[0].topics[0].partitions[0].partition_index == 1);
  }
}
