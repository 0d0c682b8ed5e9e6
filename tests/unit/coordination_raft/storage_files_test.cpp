#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "cluster_id.hpp"
#include "persistent_state.hpp"
#include "plugin_common/file_util.hpp"
#include "snapshot.hpp"
#include "test_support.hpp"

using namespace brokkr::raft;
using namespace brokkr::plugin_common;
namespace fs = std::filesystem;

TEST_CASE("term, vote and cluster id persist", "[persistent_state]") {
  raft_test::TempDir dir;
  PersistentStateFile file(dir.path() / "state", true);
  CHECK_FALSE(file.load());
  PersistentState state{7, 3, "abc"};
  file.store(state);
  CHECK(file.load() == state);
  state.voted_for.reset();
  state.current_term = 8;
  file.store(state);
  CHECK(file.load() == state);
  CHECK_FALSE(fs::exists(dir.path() / "state.tmp"));
}

TEST_CASE("a corrupt state file is an error", "[persistent_state]") {
  raft_test::TempDir dir;
  PersistentStateFile file(dir.path() / "state", true);
  file.store(PersistentState{1, 1, "id"});
  {
    std::fstream f(dir.path() / "state", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(9);
    f.put('\x7f');
  }
  CHECK_THROWS_WITH(file.load(), Catch::Contains("corrupt"));
}

TEST_CASE("snapshots round-trip and are checked", "[snapshot]") {
  raft_test::TempDir dir;
  SnapshotFile file(dir.path() / "snapshot", true);
  CHECK_FALSE(file.load());
  file.store(Snapshot{42, 3, std::string("image\0bytes", 11)});
  auto loaded = file.load();
  REQUIRE(loaded);
  CHECK(loaded->index == 42);
  CHECK(loaded->term == 3);
  CHECK(loaded->image == std::string("image\0bytes", 11));

  fs::resize_file(dir.path() / "snapshot", fs::file_size(dir.path() / "snapshot") - 1);
  CHECK_THROWS_WITH(file.load(), Catch::Contains("corrupt"));
}

TEST_CASE("cluster ids are 22 url-safe base64 characters", "[cluster_id]") {
  std::array<std::uint8_t, 16> zeros{};
  CHECK(encode_cluster_id(zeros) == "AAAAAAAAAAAAAAAAAAAAAA");
  std::array<std::uint8_t, 16> ones;
  ones.fill(0xff);
  CHECK(encode_cluster_id(ones) == "_____________________w");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string id = generate_cluster_id();
    CHECK(id.size() == 22);
    CHECK(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 50);
}

TEST_CASE("atomic_write_file replaces a file whole", "[file_util]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "f";
  atomic_write_file(path, "first", true);
  atomic_write_file(path, "second", true);
  CHECK(read_whole_file(path) == std::optional<std::string>("second"));
  CHECK_FALSE(read_whole_file(dir.path() / "missing"));
}

TEST_CASE("a directory lock excludes a second holder", "[file_util]") {
  raft_test::TempDir dir;
  {
    DirectoryLock first(dir.path() / "lock");
    CHECK_THROWS_WITH(DirectoryLock(dir.path() / "lock"), Catch::Contains("in use"));
  }
  DirectoryLock again(dir.path() / "lock");  // released with the first
}
