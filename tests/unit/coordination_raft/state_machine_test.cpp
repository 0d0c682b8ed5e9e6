#include <catch2/catch.hpp>

#include "commands.hpp"
#include "encoding.hpp"
#include "state_machine.hpp"

using brokkr::raft::KvStateMachine;
using namespace brokkr::sdk;

namespace {
StoreOp put(std::string key, std::string data, std::int64_t expected = kAnyVersion) {
  return StoreOp{StoreOp::Type::put, std::move(key), std::move(data), expected};
}
StoreOp erase(std::string key, std::int64_t expected = kAnyVersion) {
  return StoreOp{StoreOp::Type::erase, std::move(key), {}, expected};
}
StoreOp check(std::string key, std::int64_t expected) {
  return StoreOp{StoreOp::Type::check, std::move(key), {}, expected};
}
std::int64_t version_of(const KvStateMachine& m, const std::string& key) {
  auto v = m.get(key);
  REQUIRE(v);
  return v->version;
}
}  // namespace

TEST_CASE("create starts at version 0 and refuses an existing key", "[state_machine]") {
  KvStateMachine m;
  StoreResult r = m.apply({put("/a", "1", kMustNotExist)});
  REQUIRE(r.ok());
  CHECK(r.version == 0);
  CHECK(m.get("/a")->data == "1");

  r = m.apply({put("/a", "2", kMustNotExist)});
  CHECK(r.status == StoreStatus::version_mismatch);
  CHECK(r.failed_op == 0);
  CHECK(m.get("/a")->data == "1");
}

TEST_CASE("each write adds one to the version; compare-and-set", "[state_machine]") {
  KvStateMachine m;
  REQUIRE(m.apply({put("/a", "x")}).version == 0);  // kAnyVersion creates
  REQUIRE(m.apply({put("/a", "y")}).version == 1);  // and overwrites
  StoreResult r = m.apply({put("/a", "z", 1)});
  REQUIRE(r.ok());
  CHECK(r.version == 2);

  r = m.apply({put("/a", "lost", 1)});  // someone wrote first
  CHECK(r.status == StoreStatus::version_mismatch);
  CHECK(m.get("/a")->data == "z");
  CHECK(version_of(m, "/a") == 2);

  r = m.apply({put("/missing", "v", 0)});  // a version on a missing key
  CHECK(r.status == StoreStatus::version_mismatch);
  CHECK_FALSE(m.get("/missing"));
}

TEST_CASE("a batch applies all or nothing", "[state_machine]") {
  KvStateMachine m;
  REQUIRE(m.apply({put("/a", "a0")}).ok());

  StoreResult r = m.apply({put("/b", "b0", kMustNotExist), put("/c", "c0"), put("/a", "a1", 7)});
  CHECK(r.status == StoreStatus::version_mismatch);
  CHECK(r.failed_op == 2);
  CHECK_FALSE(m.get("/b"));
  CHECK_FALSE(m.get("/c"));
  CHECK(m.get("/a")->data == "a0");

  r = m.apply({put("/b", "b0", kMustNotExist), put("/c", "c0"), put("/a", "a1", 0)});
  REQUIRE(r.ok());
  CHECK(r.version == 1);  // the last put's new version
  CHECK(m.size() == 3);
}

TEST_CASE("later ops in a batch see the earlier ones", "[state_machine]") {
  KvStateMachine m;
  StoreResult r = m.apply({put("/k", "v0", kMustNotExist), put("/k", "v1", 0), check("/k", 1)});
  REQUIRE(r.ok());
  CHECK(r.version == 1);
  CHECK(version_of(m, "/k") == 1);

  // Erase then create again within one batch: a fresh key at version 0.
  r = m.apply({erase("/k", 1), check("/k", kMustNotExist), put("/k", "again", kMustNotExist)});
  REQUIRE(r.ok());
  CHECK(version_of(m, "/k") == 0);
}

TEST_CASE("erase", "[state_machine]") {
  KvStateMachine m;
  CHECK(m.apply({erase("/nope")}).status == StoreStatus::not_found);
  REQUIRE(m.apply({put("/a", "x")}).ok());
  REQUIRE(m.apply({put("/a", "y")}).ok());

  StoreResult r = m.apply({erase("/a", 0)});
  CHECK(r.status == StoreStatus::version_mismatch);
  CHECK(m.get("/a"));

  REQUIRE(m.apply({erase("/a", 1)}).ok());
  CHECK_FALSE(m.get("/a"));
  CHECK(m.apply({erase("/a")}).status == StoreStatus::not_found);

  REQUIRE(m.apply({put("/a", "new")}).version == 0);  // recreated from scratch
}

TEST_CASE("check ops guard a batch without writing", "[state_machine]") {
  KvStateMachine m;
  REQUIRE(m.apply({put("/guard", "g")}).ok());

  StoreResult r = m.apply({check("/guard", 0), put("/x", "1")});
  REQUIRE(r.ok());
  CHECK(version_of(m, "/guard") == 0);  // a check does not bump the version

  r = m.apply({check("/guard", 3), put("/y", "1")});
  CHECK(r.status == StoreStatus::version_mismatch);
  CHECK(r.failed_op == 0);
  CHECK_FALSE(m.get("/y"));

  r = m.apply({put("/z", "1"), check("/absent", kAnyVersion)});
  CHECK(r.status == StoreStatus::not_found);
  CHECK(r.failed_op == 1);
  CHECK_FALSE(m.get("/z"));

  CHECK(m.apply({check("/absent", kMustNotExist)}).ok());
  CHECK(m.apply({check("/guard", kMustNotExist)}).status == StoreStatus::version_mismatch);
  CHECK(m.apply({check("/guard", kAnyVersion)}).ok());
}

TEST_CASE("check() evaluates without changing anything", "[state_machine]") {
  KvStateMachine m;
  REQUIRE(m.check({put("/a", "1", kMustNotExist)}).ok());
  CHECK_FALSE(m.get("/a"));
  CHECK(m.check({erase("/a")}).status == StoreStatus::not_found);
}

TEST_CASE("changes are reported per write, in op order", "[state_machine]") {
  KvStateMachine m;
  REQUIRE(m.apply({put("/old", "o")}).ok());
  std::vector<StoreChange> changes;
  REQUIRE(m.apply({put("/b", "1"), check("/old", 0), erase("/old"), put("/a", "2")}, &changes).ok());
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].key == "/b");
  CHECK(changes[0].value->data == "1");
  CHECK(changes[0].value->version == 0);
  CHECK(changes[1].key == "/old");
  CHECK_FALSE(changes[1].value);
  CHECK(changes[2].key == "/a");

  changes.clear();
  REQUIRE_FALSE(m.apply({put("/c", "3"), erase("/nothing")}, &changes).ok());
  CHECK(changes.empty());
}

TEST_CASE("list returns a prefix in key order", "[state_machine]") {
  KvStateMachine m;
  for (const char* key : {"/topics/b", "/brokers/2", "/brokers/1", "/brokersX", "/topics/a"}) {
    REQUIRE(m.apply({put(key, key)}).ok());
  }
  auto brokers = m.list("/brokers/");
  REQUIRE(brokers.size() == 2);
  CHECK(brokers[0].key == "/brokers/1");
  CHECK(brokers[1].key == "/brokers/2");
  CHECK(m.list("/").size() == 5);
  CHECK(m.list("/zzz").empty());
  CHECK(m.list("").size() == 5);
}

TEST_CASE("the image round-trips and rejects garbage", "[state_machine]") {
  KvStateMachine m;
  REQUIRE(m.apply({put("/a", std::string("bin\0ary", 7))}).ok());
  REQUIRE(m.apply({put("/a", "v1")}).ok());
  REQUIRE(m.apply({put("/b", "")}).ok());
  KvStateMachine copy = KvStateMachine::deserialize(m.serialize());
  CHECK(copy == m);
  CHECK(version_of(copy, "/a") == 1);
  CHECK_THROWS_AS(KvStateMachine::deserialize("\x05garbage"), brokkr::raft::DecodeError);
}

TEST_CASE("store ops survive the log's command encoding", "[state_machine]") {
  std::vector<StoreOp> ops{put("/a", "1", kMustNotExist), erase("/b", 4), check("/c", kAnyVersion)};
  std::string payload = brokkr::raft::encode_store_ops(ops);
  CHECK(brokkr::raft::entry_type(payload) == brokkr::raft::EntryType::store_ops);
  auto decoded = brokkr::raft::decode_store_ops(payload);
  REQUIRE(decoded.size() == 3);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    CHECK(decoded[i].type == ops[i].type);
    CHECK(decoded[i].key == ops[i].key);
    CHECK(decoded[i].data == ops[i].data);
    CHECK(decoded[i].expected_version == ops[i].expected_version);
  }
  CHECK_THROWS(brokkr::raft::decode_store_ops(payload.substr(0, payload.size() - 1)));
}
