// OffsetsTopicLog with the real kernel in-process (raft coordinator, segment
// storage on disk, partition manager, topic admin, handlers): creating
// __consumer_offsets, writing offsets and groups, restarting, and loading
// them back in log order with tombstones; the coordinator errors; garbage in
// the log; DeleteTopics and Metadata on the internal topic.
#include <catch2/catch.hpp>

#include <future>
#include <sstream>

#include "brokkr/sdk/record_batch.hpp"
#include "groups/offsets_records.hpp"
#include "groups/offsets_topic_log.hpp"
#include "protocol/generated/delete_topics_request.hpp"
#include "protocol/generated/delete_topics_response.hpp"
#include "protocol/generated/metadata_request.hpp"
#include "protocol/generated/metadata_response.hpp"
#include "support/batch_builder.hpp"
#include "support/in_process_kernel.hpp"

using namespace brokkr;
using namespace std::chrono_literals;
using groups::CommittedOffset;
using groups::GroupLog;
using groups::StoredGroup;
using protocol::ErrorCode;
namespace rb = sdk::record_batch;

namespace {

struct Broker {
  test::InProcessKernel kernel;
  groups::OffsetsTopicLog log;

  explicit Broker(std::optional<std::filesystem::path> existing = {})
      : kernel("brokkr-offsets-topic", std::move(existing), /*fsync=*/false), log(make_log(kernel)) {
    log.ensure_topic(*kernel.admin, kernel.cache, 1);
  }

  static groups::OffsetsTopicLog make_log(test::InProcessKernel& k) {
    k.config.groups.offsets_partitions = 3;
    k.config.groups.offsets_replication_factor = 3;  // capped by the one live broker
    k.config.groups.offsets_segment_bytes = 1 << 20;
    return groups::OffsetsTopicLog(*k.partitions, nullptr, k.config, k.io);
  }

  std::shared_ptr<partition::Partition> partition_of(const std::string& group) {
    return kernel.partitions->get(groups::kOffsetsTopic, log.partition_for(group));
  }

  void load_all(const groups::GroupLogVisitor& visitor) {
    for (auto p : log.led_partitions()) log.load_partition(p, visitor);
  }
};

// Runs one write and waits for its `done`.
ErrorCode wait(const std::function<void(GroupLog::Done)>& write) {
  auto promise = std::make_shared<std::promise<ErrorCode>>();
  auto future = promise->get_future();
  write([promise](ErrorCode e) { promise->set_value(e); });
  REQUIRE(future.wait_for(5s) == std::future_status::ready);
  return future.get();
}

CommittedOffset offset(const std::string& topic, std::int32_t partition, std::int64_t at,
                       std::optional<std::string> metadata = std::nullopt) {
  CommittedOffset o;
  o.topic = topic;
  o.partition = partition;
  o.offset = at;
  o.leader_epoch = 0;
  o.metadata = std::move(metadata);
  o.commit_timestamp_ms = 1700000000000 + at;
  return o;
}

StoredGroup group(const std::string& id, std::int32_t generation, std::vector<std::string> members) {
  StoredGroup g;
  g.group_id = id;
  g.protocol_type = "consumer";
  g.generation = generation;
  g.protocol = "range";
  g.leader = members.empty() ? std::nullopt : std::optional(members.front());
  g.current_state_timestamp_ms = 1700000000000;
  for (const auto& m : members) {
    groups::StoredMember member;
    member.member_id = m;
    member.client_id = "client";
    member.client_host = "/127.0.0.1";
    member.rebalance_timeout_ms = 300000;
    member.session_timeout_ms = 45000;
    member.subscription = {1, 2};
    member.assignment = {3, 4, 5};
    g.members.push_back(member);
  }
  return g;
}

// Every visit as one line, in the order the log delivers them.
struct Recorder {
  std::vector<std::string> events;
  groups::GroupLogVisitor visitor() {
    groups::GroupLogVisitor v;
    v.offset = [this](const std::string& g, const CommittedOffset& o) {
      events.push_back("offset " + g + " " + o.topic + "-" + std::to_string(o.partition) + " @" +
                       std::to_string(o.offset) + " '" + o.metadata.value_or("<null>") + "'");
    };
    v.offset_removed = [this](const std::string& g, const std::string& t, std::int32_t p) {
      events.push_back("offset-removed " + g + " " + t + "-" + std::to_string(p));
    };
    v.group = [this](const StoredGroup& g) {
      std::ostringstream line;
      line << "group " << g.group_id << " gen " << g.generation << " leader " << g.leader.value_or("<none>")
           << " members";
      for (const auto& m : g.members) line << " " << m.member_id;
      events.push_back(line.str());
    };
    v.group_removed = [this](const std::string& g) { events.push_back("group-removed " + g); };
    return v;
  }
  std::vector<std::string> of(const std::string& group) const {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (e.find(" " + group + " ") != std::string::npos || e.ends_with(" " + group)) out.push_back(e);
    }
    return out;
  }
};

// Appends raw bytes straight to the storage engine, bypassing validation
// (what a damaged disk or an older broker could leave behind).
void append_raw(partition::Partition& partition, std::vector<std::uint8_t> batch) {
  auto header = *rb::parse_header(batch);
  sdk::AppendInfo info;
  info.base_offset = partition.log_end_offset();
  info.last_offset = info.base_offset + header.last_offset_delta;
  info.record_count = header.record_count;
  info.max_timestamp = header.max_timestamp;
  rb::set_base_offset(batch, info.base_offset);
  partition.log().append(batch, info);
}

std::string as_string(const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

test::TestRecord record(std::string key, std::string value) { return {std::move(key), std::move(value), 0, {}}; }

}  // namespace

TEST_CASE("__consumer_offsets is created once, compacted, internal, with the configured partitions",
          "[groups][offsets-topic]") {
  Broker b;
  auto topic = b.kernel.cache.snapshot()->topics.at(groups::kOffsetsTopic);
  CHECK(topic->internal);
  CHECK(topic->partitions.size() == 3);
  CHECK(topic->partitions[0].replicas == std::vector<std::int32_t>{1});
  CHECK(topic->configs.at("cleanup.policy") == "compact");
  CHECK(topic->configs.at("compression.type") == "producer");
  CHECK(topic->configs.at("segment.bytes") == "1048576");
  CHECK(b.log.partition_count() == 3);
  CHECK(b.log.led_partitions() == std::vector<std::int32_t>{0, 1, 2});
  CHECK(b.log.partition_for("group") == 98629247 % 3);
  for (int p = 0; p < 3; ++p) REQUIRE(b.kernel.partitions->get(groups::kOffsetsTopic, p));

  // A second ensure (the next start) changes nothing; a different configured
  // count does not apply to the existing topic.
  auto id = topic->topic_id;
  b.kernel.config.groups.offsets_partitions = 7;
  b.log.ensure_topic(*b.kernel.admin, b.kernel.cache, 1);
  CHECK(b.kernel.cache.snapshot()->topics.at(groups::kOffsetsTopic)->topic_id == id);
  CHECK(b.log.partition_count() == 3);
}

TEST_CASE("offsets and groups survive a restart and load back in log order with tombstones applied",
          "[groups][offsets-topic]") {
  std::filesystem::path dir;
  {
    Broker b;
    dir = b.kernel.dir;
    b.kernel.keep_data = true;

    // Nothing is written before the partition is loaded.
    CHECK(wait([&](auto done) { b.log.store_offsets("g1", {offset("orders", 0, 1)}, done); }) ==
          ErrorCode::coordinator_load_in_progress);
    Recorder empty;
    b.load_all(empty.visitor());
    CHECK(empty.events.empty());

    auto ok = [](ErrorCode e) { CHECK(e == ErrorCode::none); };
    ok(wait([&](auto done) { b.log.store_offsets("g1", {offset("orders", 0, 10), offset("orders", 1, 20)}, done); }));
    ok(wait([&](auto done) { b.log.store_group(group("g1", 1, {"m1", "m2"}), done); }));
    ok(wait([&](auto done) { b.log.store_offsets("g1", {offset("orders", 0, 15, "note")}, done); }));
    ok(wait([&](auto done) { b.log.remove_offsets("g1", {{"orders", 1}}, done); }));
    ok(wait([&](auto done) { b.log.store_group(group("g1", 2, {"m2"}), done); }));
    ok(wait([&](auto done) { b.log.store_offsets("g2", {offset("t", 0, 1)}, done); }));
    ok(wait([&](auto done) { b.log.store_group(group("g2", 1, {"x"}), done); }));
    ok(wait([&](auto done) { b.log.remove_group("g2", done); }));
    ok(wait([&](auto done) { b.log.remove_offsets("g2", {{"t", 0}}, done); }));
    ok(wait([&](auto done) { b.log.store_offsets("g3", {}, done); }));  // nothing to write

    // One batch per call: g1's partition holds 6 records in 5 batches.
    auto p1 = b.partition_of("g1");
    std::int64_t g1_records = 6 + (b.log.partition_for("g2") == b.log.partition_for("g1") ? 4 : 0);
    CHECK(p1->log_end_offset() == g1_records);
    CHECK(p1->high_watermark() == p1->log_end_offset());
  }

  Broker b(dir);
  CHECK(b.log.partition_count() == 3);
  CHECK(wait([&](auto done) { b.log.store_group(group("g1", 3, {}), done); }) ==
        ErrorCode::coordinator_load_in_progress);
  Recorder r;
  b.load_all(r.visitor());
  CHECK(r.of("g1") == std::vector<std::string>{
                          "offset g1 orders-0 @10 ''",  // null metadata is stored as "", as in Kafka
                          "offset g1 orders-1 @20 ''",
                          "group g1 gen 1 leader m1 members m1 m2",
                          "offset g1 orders-0 @15 'note'",
                          "offset-removed g1 orders-1",
                          "group g1 gen 2 leader m2 members m2",
                      });
  CHECK(r.of("g2") == std::vector<std::string>{
                          "offset g2 t-0 @1 ''",
                          "group g2 gen 1 leader x members x",
                          "group-removed g2",
                          "offset-removed g2 t-0",
                      });
  CHECK(r.of("g3").empty());
  // Loaded: writes go through again.
  CHECK(wait([&](auto done) { b.log.store_group(group("g1", 3, {}), done); }) == ErrorCode::none);
}

TEST_CASE("writes need this broker to lead the partition, loaded in its current epoch",
          "[groups][offsets-topic]") {
  Broker b;
  Recorder r;
  b.load_all(r.visitor());
  auto partition = b.partition_of("g1");
  CHECK(wait([&](auto done) { b.log.store_offsets("g1", {offset("a", 0, 1)}, done); }) == ErrorCode::none);

  partition->set_leadership(false, 0, {1});
  CHECK(wait([&](auto done) { b.log.store_offsets("g1", {offset("a", 0, 2)}, done); }) ==
        ErrorCode::not_coordinator);
  CHECK(wait([&](auto done) { b.log.remove_group("g1", done); }) == ErrorCode::not_coordinator);
  CHECK(b.log.led_partitions().size() == 2);
  Recorder none;
  b.log.load_partition(b.log.partition_for("g1"), none.visitor());  // not led: nothing to load
  CHECK(none.events.empty());

  // Leading again, in a new epoch: the partition must be loaded again first.
  partition->set_leadership(true, 1, {1});
  CHECK(wait([&](auto done) { b.log.store_offsets("g1", {offset("a", 0, 3)}, done); }) ==
        ErrorCode::coordinator_load_in_progress);
  Recorder again;
  b.log.load_partition(b.log.partition_for("g1"), again.visitor());
  CHECK(again.of("g1") == std::vector<std::string>{"offset g1 a-0 @1 ''"});
  CHECK(wait([&](auto done) { b.log.store_offsets("g1", {offset("a", 0, 3)}, done); }) == ErrorCode::none);

  // A string the record format cannot hold is refused, not written.
  CHECK(wait([&](auto done) { b.log.store_offsets("g1", {offset("a", 0, 4, std::string(40000, 'x'))}, done); }) ==
        ErrorCode::invalid_commit_offset_size);
}

TEST_CASE("garbage in __consumer_offsets is skipped and the good records still load", "[groups][offsets-topic]") {
  Broker b;
  auto partition = b.partition_of("g1");
  auto good_key = as_string(groups::encode_offset_key("g1", "t", 0));
  auto good_value = as_string(groups::encode_offset_value(offset("t", 0, 5), 3));
  auto group_key = as_string(groups::encode_group_key("g1"));
  auto group_value = groups::encode_group_value(group("g1", 4, {"m"}), 3);

  // What a client could produce into the topic (it passes validation).
  std::vector<test::TestRecord> records = {
      record(std::string("\xff\xff junk", 7), "value"),              // undecodable key
      record(std::string("\x00\x03\x00\x01g", 5), "848"),          // a newer record kind
      record(good_key, std::string("\x00\x03\x01", 3)),              // truncated value
      record(group_key, as_string(group_value).substr(0, 10)),        // truncated group
      record(good_key, good_value),                                   // fine
  };
  auto produced = test::build_batch(records, 1700000000000);
  REQUIRE(partition->append(produced, 1700000000000).error == ErrorCode::none);

  // Left behind on disk: a batch with a broken CRC, a compressed batch
  // without its codec loaded, a transactional batch, a control batch.
  auto corrupt = test::build_batch({record(good_key, as_string(groups::encode_offset_value(offset("t", 0, 99), 3)))});
  corrupt.back() ^= 0xFF;
  append_raw(*partition, corrupt);
  auto gzip_flagged = test::build_batch({record(good_key, good_value)}, 1700000000000, /*attributes=*/1);
  append_raw(*partition, gzip_flagged);
  auto transactional = test::build_batch({record(good_key, good_value)}, 1700000000000, rb::kTransactionalBit);
  append_raw(*partition, transactional);
  auto control = test::build_batch({record(std::string("\x00\x00\x00\x00", 4), std::string("\x00\x00\x00\x00\x00\x00", 6))},
                                   1700000000000, rb::kControlBit | rb::kTransactionalBit);
  append_raw(*partition, control);

  // And a good batch after it all (this one moves the high watermark).
  auto last = test::build_batch({record(group_key, as_string(group_value))}, 1700000000000);
  REQUIRE(partition->append(last, 1700000000000).error == ErrorCode::none);

  Recorder r;
  b.load_all(r.visitor());
  CHECK(r.of("g1") == std::vector<std::string>{"offset g1 t-0 @5 ''", "group g1 gen 4 leader m members m"});
}

TEST_CASE("DeleteTopics refuses __consumer_offsets; Metadata reports it internal", "[groups][offsets-topic]") {
  Broker b;
  auto id = b.kernel.cache.snapshot()->topics.at(groups::kOffsetsTopic)->topic_id;
  for (std::int16_t v = 0; v <= protocol::DeleteTopicsRequest::kHighestVersion; ++v) {
    INFO("version " << v);
    protocol::DeleteTopicsRequest request;
    if (v >= 6) {
      request.topics.resize(2);
      request.topics[0].name = groups::kOffsetsTopic;
      request.topics[1].topic_id = id;
    } else {
      request.topic_names = {groups::kOffsetsTopic};
    }
    auto response = b.kernel.call<protocol::DeleteTopicsResponse>(request, v);
    REQUIRE(response.responses.size() == (v >= 6 ? 2u : 1u));
    for (const auto& result : response.responses) {
      CHECK(result.error_code == protocol::code(ErrorCode::invalid_topic_exception));
      if (v >= 5) CHECK(result.error_message == "Topic __consumer_offsets is an internal topic and cannot be deleted.");
    }
  }
  CHECK(b.kernel.cache.snapshot()->topics.count(groups::kOffsetsTopic));

  protocol::MetadataRequest request;
  request.topics = std::nullopt;  // every topic
  auto response = b.kernel.call<protocol::MetadataResponse>(request, 9);
  bool found = false;
  for (const auto& topic : response.topics) {
    if (topic.name != groups::kOffsetsTopic) continue;
    found = true;
    CHECK(topic.is_internal);
    CHECK(topic.partitions.size() == 3);
    for (const auto& p : topic.partitions) CHECK(p.leader_id == 1);
  }
  CHECK(found);
}
