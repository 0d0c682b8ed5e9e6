// The group APIs through the dispatcher as real frames, at every version
// each serves: JoinGroup (MEMBER_ID_REQUIRED from v4), SyncGroup, Heartbeat,
// OffsetCommit, OffsetFetch (multi-group v8+), DescribeGroups, ListGroups,
// LeaveGroup (batch v3+), DeleteGroups, OffsetDelete; and the request-level
// checks the handlers make (unknown topics, v5 SyncGroup protocol fields).
#include <catch2/catch.hpp>

#include <future>
#include <memory>
#include <thread>

#include "cluster/metadata_records.hpp"
#include "groups/group_coordinator.hpp"
#include "handlers/group_handlers.hpp"
#include "protocol/generated/delete_groups_request.hpp"
#include "protocol/generated/delete_groups_response.hpp"
#include "protocol/generated/describe_groups_request.hpp"
#include "protocol/generated/describe_groups_response.hpp"
#include "protocol/generated/heartbeat_request.hpp"
#include "protocol/generated/heartbeat_response.hpp"
#include "protocol/generated/join_group_request.hpp"
#include "protocol/generated/join_group_response.hpp"
#include "protocol/generated/leave_group_request.hpp"
#include "protocol/generated/leave_group_response.hpp"
#include "protocol/generated/list_groups_request.hpp"
#include "protocol/generated/list_groups_response.hpp"
#include "protocol/generated/offset_commit_request.hpp"
#include "protocol/generated/offset_commit_response.hpp"
#include "protocol/generated/offset_delete_request.hpp"
#include "protocol/generated/offset_delete_response.hpp"
#include "protocol/generated/offset_fetch_request.hpp"
#include "protocol/generated/offset_fetch_response.hpp"
#include "protocol/generated/sync_group_request.hpp"
#include "protocol/generated/sync_group_response.hpp"
#include "support/in_process_kernel.hpp"

using namespace brokkr;
using namespace std::chrono_literals;
using protocol::ErrorCode;

namespace {

struct GroupBroker : test::InProcessKernel {
  std::unique_ptr<groups::GroupCoordinator> groups;

  GroupBroker() : InProcessKernel("brokkr-group-handlers") {
    config::GroupsConfig settings;
    settings.initial_rebalance_delay_ms = 0;
    groups = std::make_unique<groups::GroupCoordinator>(io, settings, 1, &cache);
    handlers::register_group_handlers(registry, *groups, cache);
    create_topic("t", 2);
  }
  ~GroupBroker() {
    // Timers run on the io thread: the coordinator goes away there too.
    std::promise<void> gone;
    boost::asio::post(io, [&] {
      groups.reset();
      gone.set_value();
    });
    gone.get_future().wait();
  }

  void create_topic(const std::string& name, int partition_count) {
    cluster::TopicMetadata topic;
    topic.name = name;
    topic.topic_id = protocol::Uuid::random();
    for (int p = 0; p < partition_count; ++p) topic.partitions.push_back({p, 1, 0, {1}, {1}});
    REQUIRE(coordinator->put(cluster::topic_key(name), cluster::encode_topic(topic), sdk::kMustNotExist).ok());
    for (int i = 0; i < 200 && !cache.snapshot()->topics.count(name); ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(cache.snapshot()->topics.count(name));
  }

  // Joins `group` at `version` (two steps from v4) as its only member.
  protocol::JoinGroupResponse join(const std::string& group, std::int16_t version) {
    protocol::JoinGroupRequest request;
    request.group_id = group;
    request.session_timeout_ms = 10000;
    request.rebalance_timeout_ms = 20000;
    request.protocol_type = "consumer";
    request.protocols.push_back({"range", {0, 0, 0, 0, 0, 1, 0, 1, 't', 0, 0, 0, 0}, {}});
    auto response = call<protocol::JoinGroupResponse>(request, version);
    if (version >= 4) {
      REQUIRE(response.error_code == protocol::code(ErrorCode::member_id_required));
      REQUIRE(!response.member_id.empty());
      request.member_id = response.member_id;
      response = call<protocol::JoinGroupResponse>(request, version);
    }
    return response;
  }
};

}  // namespace

TEST_CASE("every version of the group APIs works end to end", "[groups][handlers]") {
  GroupBroker b;
  for (std::int16_t v = 0; v <= 9; ++v) {
    INFO("round " << v);
    std::string group = "group-" + std::to_string(v);
    auto joined = b.join(group, v);
    REQUIRE(joined.error_code == 0);
    CHECK(joined.generation_id == 1);
    CHECK(joined.leader == joined.member_id);
    CHECK(joined.protocol_name == std::optional<std::string>("range"));
    if (v >= 7) CHECK(joined.protocol_type == std::optional<std::string>("consumer"));
    REQUIRE(joined.members.size() == 1);
    std::string member = joined.member_id;

    auto sv = static_cast<std::int16_t>(std::min<int>(v, 5));
    protocol::SyncGroupRequest sync;
    sync.group_id = group;
    sync.generation_id = 1;
    sync.member_id = member;
    if (sv >= 5) {
      sync.protocol_type = "consumer";
      sync.protocol_name = "range";
    }
    sync.assignments.push_back({member, {9, 9}, {}});
    auto synced = b.call<protocol::SyncGroupResponse>(sync, sv);
    CHECK(synced.error_code == 0);
    CHECK(synced.assignment == std::vector<std::uint8_t>{9, 9});
    if (sv >= 5) CHECK(synced.protocol_name == std::optional<std::string>("range"));

    protocol::HeartbeatRequest heartbeat;
    heartbeat.group_id = group;
    heartbeat.generation_id = 1;
    heartbeat.member_id = member;
    CHECK(b.call<protocol::HeartbeatResponse>(heartbeat, std::min<std::int16_t>(v, 4)).error_code == 0);
    heartbeat.generation_id = 2;
    CHECK(b.call<protocol::HeartbeatResponse>(heartbeat, std::min<std::int16_t>(v, 4)).error_code ==
          protocol::code(ErrorCode::illegal_generation));

    // v0 commits carry no generation: they go to a group that only stores offsets.
    protocol::OffsetCommitRequest commit;
    commit.group_id = v == 0 ? "simple-0" : group;
    commit.generation_id_or_member_epoch = 1;
    commit.member_id = member;
    commit.topics.push_back({"t", {{0, 100 + v, -1, -1, std::string("m"), {}}}, {}});
    commit.topics.push_back({"missing", {{0, 1, -1, -1, std::string(), {}}}, {}});
    commit.topics.push_back({"t", {{7, 1, -1, -1, std::string(), {}}}, {}});
    auto committed = b.call<protocol::OffsetCommitResponse>(commit, v);
    REQUIRE(committed.topics.size() == 3);
    CHECK(committed.topics[0].partitions.at(0).error_code == 0);
    CHECK(committed.topics[1].partitions.at(0).error_code == protocol::code(ErrorCode::unknown_topic_or_partition));
    CHECK(committed.topics[2].partitions.at(0).error_code == protocol::code(ErrorCode::unknown_topic_or_partition));

    protocol::OffsetFetchRequest fetch;
    if (v < 8) {
      fetch.group_id = commit.group_id;
      fetch.topics = std::vector<protocol::OffsetFetchRequest::OffsetFetchRequestTopic>{{"t", {0, 1}, {}}};
    } else {
      protocol::OffsetFetchRequest::OffsetFetchRequestGroup g;
      g.group_id = commit.group_id;
      g.topics = std::vector<protocol::OffsetFetchRequest::OffsetFetchRequestTopics>{{"t", {0, 1}, {}}};
      fetch.groups.push_back(g);
      g.group_id = "nobody";
      g.topics = std::nullopt;  // every offset of a group that has none
      fetch.groups.push_back(g);
    }
    auto fetched = b.call<protocol::OffsetFetchResponse>(fetch, v);
    if (v < 8) {
      REQUIRE(fetched.topics.size() == 1);
      REQUIRE(fetched.topics[0].partitions.size() == 2);
      CHECK(fetched.topics[0].partitions[0].committed_offset == 100 + v);
      CHECK(fetched.topics[0].partitions[0].metadata == std::optional<std::string>("m"));
      CHECK(fetched.topics[0].partitions[1].committed_offset == -1);
    } else {
      REQUIRE(fetched.groups.size() == 2);
      CHECK(fetched.groups[0].error_code == 0);
      REQUIRE(fetched.groups[0].topics.size() == 1);
      CHECK(fetched.groups[0].topics[0].partitions.at(0).committed_offset == 100 + v);
      CHECK(fetched.groups[0].topics[0].partitions.at(1).committed_offset == -1);
      CHECK(fetched.groups[1].topics.empty());
    }

    auto dv = static_cast<std::int16_t>(std::min<int>(v, 5));
    protocol::DescribeGroupsRequest describe;
    describe.groups = {group, "no-such-group"};
    describe.include_authorized_operations = true;
    auto described = b.call<protocol::DescribeGroupsResponse>(describe, dv);
    REQUIRE(described.groups.size() == 2);
    CHECK(described.groups[0].group_state == "Stable");
    CHECK(described.groups[0].protocol_data == "range");
    REQUIRE(described.groups[0].members.size() == 1);
    CHECK(described.groups[0].members[0].member_assignment == std::vector<std::uint8_t>{9, 9});
    CHECK(described.groups[0].members[0].client_id == "in-process-test");
    CHECK(described.groups[1].group_state == "Dead");

    protocol::ListGroupsRequest list;
    if (dv >= 4) list.states_filter = {"stable"};
    auto listed = b.call<protocol::ListGroupsResponse>(list, dv);
    bool found = false;
    for (const auto& g : listed.groups) found = found || g.group_id == group;
    CHECK(found);

    protocol::LeaveGroupRequest leave;
    leave.group_id = group;
    if (dv < 3) {
      leave.member_id = member;
    } else {
      leave.members.push_back({member, std::nullopt, std::nullopt, {}});
      leave.members.push_back({"stranger", std::nullopt, std::nullopt, {}});
    }
    auto left = b.call<protocol::LeaveGroupResponse>(leave, dv);
    CHECK(left.error_code == 0);
    if (dv >= 3) {
      REQUIRE(left.members.size() == 2);
      CHECK(left.members[0].error_code == 0);
      CHECK(left.members[1].error_code == protocol::code(ErrorCode::unknown_member_id));
    }

    protocol::OffsetDeleteRequest offset_delete;
    offset_delete.group_id = commit.group_id;
    offset_delete.topics.push_back({"t", {{0, {}}}, {}});
    auto deleted_offsets = b.call<protocol::OffsetDeleteResponse>(offset_delete, 0);
    CHECK(deleted_offsets.error_code == 0);
    REQUIRE(deleted_offsets.topics.size() == 1);
    CHECK(deleted_offsets.topics[0].partitions.at(0).error_code == 0);

    protocol::DeleteGroupsRequest delete_groups;
    delete_groups.groups_names = {group, "no-such-group"};
    auto deleted = b.call<protocol::DeleteGroupsResponse>(delete_groups, std::min<std::int16_t>(v, 2));
    REQUIRE(deleted.results.size() == 2);
    CHECK(deleted.results[0].error_code == 0);
    CHECK(deleted.results[1].error_code == protocol::code(ErrorCode::group_id_not_found));
  }
}

TEST_CASE("SyncGroup v5 without protocol type and name is INCONSISTENT_GROUP_PROTOCOL", "[groups][handlers]") {
  GroupBroker b;
  auto joined = b.join("g", 5);
  protocol::SyncGroupRequest sync;
  sync.group_id = "g";
  sync.generation_id = joined.generation_id;
  sync.member_id = joined.member_id;
  CHECK(b.call<protocol::SyncGroupResponse>(sync, 5).error_code ==
        protocol::code(ErrorCode::inconsistent_group_protocol));
  CHECK(b.call<protocol::SyncGroupResponse>(sync, 4).error_code == 0);
}

TEST_CASE("the group APIs are advertised with their whole generated ranges", "[groups][handlers]") {
  GroupBroker b;
  struct Range {
    std::int16_t key, min, max;
  };
  for (auto r : {Range{8, 0, 9}, Range{9, 0, 9}, Range{11, 0, 9}, Range{12, 0, 4}, Range{13, 0, 5}, Range{14, 0, 5},
                 Range{15, 0, 5}, Range{16, 0, 5}, Range{42, 0, 2}, Range{47, 0, 0}}) {
    auto* handler = b.registry.find(r.key);
    REQUIRE(handler);
    CHECK(handler->min_version() == r.min);
    CHECK(handler->max_version() == r.max);
  }
}
