#include <catch2/catch.hpp>

#include <fstream>

#include "raft_log.hpp"
#include "test_support.hpp"

using brokkr::raft::LogEntry;
using brokkr::raft::RaftLog;
namespace fs = std::filesystem;

namespace {
LogEntry make(std::uint64_t term, std::uint64_t index, std::string payload = "") {
  if (payload.empty()) payload = "entry-" + std::to_string(index);
  return LogEntry{term, index, payload};
}

void append_all(RaftLog& log, const std::vector<LogEntry>& entries) {
  for (const auto& e : entries) log.append(e);
  log.sync();
}
}  // namespace

TEST_CASE("entries survive a reopen", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  std::vector<LogEntry> written{make(1, 1), make(1, 2), make(2, 3, std::string(5000, 'x'))};
  {
    RaftLog log(path, true);
    CHECK(log.empty());
    CHECK(log.last_index() == 0);
    append_all(log, written);
    CHECK(log.last_index() == 3);
    CHECK(log.last_term() == 2);
  }
  RaftLog log(path, true);
  CHECK(log.recovery().entries == 3);
  CHECK(log.recovery().truncated_bytes == 0);
  CHECK(log.entries(1, 3) == written);
  CHECK(log.term_at(2) == 1u);
  CHECK(log.term_at(0) == 0u);
  CHECK_FALSE(log.term_at(4));
  CHECK_THROWS_AS(log.entry(4), std::out_of_range);
}

TEST_CASE("appends must be in sequence", "[raft_log]") {
  raft_test::TempDir dir;
  RaftLog log(dir.path() / "log", false);
  log.append(make(2, 1));
  CHECK_THROWS_AS(log.append(make(2, 3)), std::logic_error);
  CHECK_THROWS_AS(log.append(make(1, 2)), std::logic_error);  // term going back
  CHECK(log.last_index() == 1);
}

TEST_CASE("a torn last entry is cut off, every complete entry kept", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  std::uintmax_t size_after_two = 0;
  {
    RaftLog log(path, true);
    append_all(log, {make(1, 1), make(1, 2)});
    size_after_two = log.size_bytes();
    append_all(log, {make(1, 3, std::string(100, 'z'))});
  }
  // A crash half-way through writing entry 3.
  fs::resize_file(path, size_after_two + RaftLog::kRecordHeaderSize + 40);
  {
    RaftLog log(path, true);
    CHECK(log.last_index() == 2);
    CHECK(log.recovery().truncated_bytes == RaftLog::kRecordHeaderSize + 40);
    CHECK(log.recovery().truncation_reason == "incomplete record");
    CHECK(fs::file_size(path) == size_after_two);
    CHECK(log.entry(2) == make(1, 2));
    log.append(make(1, 3, "rewritten"));  // the log goes on where it was cut
    log.sync();
  }
  RaftLog log(path, true);
  CHECK(log.last_index() == 3);
  CHECK(log.entry(3).payload == "rewritten");
}

TEST_CASE("a torn record header is cut off too", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  std::uintmax_t size_after_one = 0;
  {
    RaftLog log(path, true);
    append_all(log, {make(1, 1)});
    size_after_one = log.size_bytes();
    append_all(log, {make(1, 2)});
  }
  fs::resize_file(path, size_after_one + 10);
  RaftLog log(path, true);
  CHECK(log.last_index() == 1);
  CHECK(log.recovery().truncation_reason == "incomplete record header");
}

TEST_CASE("garbage after the last entry is dropped", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  {
    RaftLog log(path, true);
    append_all(log, {make(1, 1), make(1, 2), make(1, 3)});
  }
  const auto good_size = fs::file_size(path);
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << std::string(64, '\x5a');
  }
  RaftLog log(path, true);
  CHECK(log.last_index() == 3);
  CHECK(log.recovery().truncated_bytes == 64);
  CHECK(fs::file_size(path) == good_size);
}

TEST_CASE("a corrupt entry ends the log there", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  std::uint64_t second_offset = 0;
  {
    RaftLog log(path, true);
    append_all(log, {make(1, 1)});
    second_offset = log.size_bytes();
    append_all(log, {make(1, 2), make(1, 3)});
  }
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(second_offset + RaftLog::kRecordHeaderSize + 1));
    file.put('!');  // flip a payload byte of entry 2
  }
  RaftLog log(path, true);
  CHECK(log.last_index() == 1);
  CHECK(log.recovery().truncation_reason == "CRC mismatch");
}

TEST_CASE("truncate_after drops a suffix durably", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  {
    RaftLog log(path, true);
    append_all(log, {make(1, 1), make(1, 2), make(2, 3)});
    log.truncate_after(1);
    CHECK(log.last_index() == 1);
    log.append(make(3, 2, "new leader"));
    log.sync();
  }
  RaftLog log(path, true);
  CHECK(log.last_index() == 2);
  CHECK(log.entry(2).term == 3);
  CHECK(log.entry(2).payload == "new leader");
}

TEST_CASE("compaction drops the prefix and keeps the rest", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  {
    RaftLog log(path, true);
    append_all(log, {make(1, 1), make(1, 2), make(2, 3), make(2, 4)});
    log.compact_to(2, 1);
    CHECK(log.base_index() == 2);
    CHECK(log.first_index() == 3);
    CHECK(log.term_at(2) == 1u);
    CHECK_FALSE(log.term_at(1));
    CHECK(log.entry(3) == make(2, 3));
    log.append(make(2, 5));
    log.sync();
    CHECK_THROWS_AS(log.compact_to(3, 9), std::logic_error);  // wrong term for entry 3
  }
  {
    RaftLog log(path, true);
    CHECK(log.base_index() == 2);
    CHECK(log.entries(3, 5) == std::vector<LogEntry>{make(2, 3), make(2, 4), make(2, 5)});
    log.compact_to(5, 2);  // everything
    CHECK(log.empty());
    CHECK(log.last_index() == 5);
    CHECK(log.last_term() == 2);
    CHECK(log.size_bytes() == RaftLog::kHeaderSize);
  }
  RaftLog log(path, true, 0, 0);  // base arguments only matter for a new file
  CHECK(log.base_index() == 5);
  CHECK(log.last_index() == 5);
  CHECK_FALSE(fs::exists(dir.path() / "log.tmp"));
}

TEST_CASE("a log with a broken header is refused, not truncated", "[raft_log]") {
  raft_test::TempDir dir;
  const fs::path path = dir.path() / "log";
  { std::ofstream(path) << "not a log at all"; }
  CHECK_THROWS_WITH(RaftLog(path, true), Catch::Contains("no valid header"));
}
