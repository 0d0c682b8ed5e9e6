#include <catch2/catch.hpp>

#include "cluster/metadata_cache.hpp"
#include "cluster/metadata_records.hpp"
#include "cluster/topic_names.hpp"
#include "protocol/decode_error.hpp"

using namespace brokkr;

namespace {

cluster::TopicMetadata sample_topic(const std::string& name) {
  cluster::TopicMetadata topic;
  topic.name = name;
  topic.topic_id = protocol::Uuid::random();
  topic.partitions = {{0, 1, 3, {1, 2}, {1}}, {1, 2, 0, {2, 1}, {2, 1}}};
  topic.configs = {{"retention.ms", "1000"}, {"cleanup.policy", "compact"}};
  return topic;
}

}  // namespace

TEST_CASE("topic records round-trip and reject damage", "[cluster]") {
  auto topic = sample_topic("orders");
  std::string data = cluster::encode_topic(topic);
  CHECK(cluster::decode_topic(data) == topic);
  for (std::size_t cut = 0; cut < data.size(); ++cut) {
    CHECK_THROWS_AS(cluster::decode_topic(data.substr(0, cut)), protocol::DecodeError);
  }
  std::string future = data;
  future[0] = 9;
  CHECK_THROWS_AS(cluster::decode_topic(future), protocol::DecodeError);
}

TEST_CASE("topic keys", "[cluster]") {
  CHECK(cluster::topic_key("a.b") == "/topics/a.b");
  CHECK(cluster::topic_from_key("/topics/a.b") == "a.b");
  CHECK_FALSE(cluster::topic_from_key("/brokers/1"));
  CHECK_FALSE(cluster::topic_from_key("/topics/"));
  CHECK_FALSE(cluster::topic_from_key("/topics/a/partitions"));
}

TEST_CASE("topic name rules follow Kafka", "[cluster]") {
  CHECK_FALSE(cluster::invalid_topic_name_reason("my-topic_1.x"));
  CHECK(cluster::invalid_topic_name_reason(""));
  CHECK(cluster::invalid_topic_name_reason("."));
  CHECK(cluster::invalid_topic_name_reason(".."));
  CHECK(cluster::invalid_topic_name_reason("a b"));
  CHECK(cluster::invalid_topic_name_reason(std::string(250, 'a')));
  CHECK_FALSE(cluster::invalid_topic_name_reason(std::string(249, 'a')));
}

TEST_CASE("the metadata cache applies changes into new snapshots", "[cluster]") {
  cluster::MetadataCache cache;
  auto before = cache.snapshot();
  auto orders = sample_topic("orders");
  cache.apply_store_changes({{cluster::topic_key("orders"), sdk::VersionedValue{cluster::encode_topic(orders), 0}},
                             {"/unrelated/key", sdk::VersionedValue{"x", 0}},
                             {cluster::topic_key("broken"), sdk::VersionedValue{"\x07garbage", 0}}});
  auto after = cache.snapshot();
  CHECK(before->topics.empty());  // old snapshots never change under a reader
  REQUIRE(after->topics.size() == 1);
  CHECK(*after->topics.at("orders") == orders);

  sdk::ClusterView view;
  view.live_brokers = {{1, std::nullopt, {{"PLAINTEXT", "h", 9092, "PLAINTEXT"}}}};
  view.controller_id = 1;
  cache.apply_cluster_view(view);
  CHECK(cache.snapshot()->controller_id == 1);
  REQUIRE(cache.snapshot()->broker(1));
  CHECK(cache.snapshot()->broker(1)->endpoints[0].port == 9092);
  CHECK(cache.snapshot()->broker(2) == nullptr);

  cache.apply_store_changes({{cluster::topic_key("orders"), std::nullopt}});
  CHECK(cache.snapshot()->topics.empty());
}
