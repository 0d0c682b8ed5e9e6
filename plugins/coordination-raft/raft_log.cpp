#include "raft_log.hpp"

#include <stdexcept>

#include <fcntl.h>

#include "encoding.hpp"

namespace brokkr::raft {

namespace {
constexpr std::string_view kMagic = "BRKRLOG1";

std::uint32_t record_crc(std::string_view record) {
  return crc32_of(record.substr(4));  // everything after the crc field
}
}  // namespace

RaftLog::RaftLog(std::filesystem::path path, bool durable, std::uint64_t new_base_index,
                 std::uint64_t new_base_term)
    : path_(std::move(path)), durable_(durable) {
  if (!std::filesystem::exists(path_)) {
    plugin_common::atomic_write_file(path_, encode_header(new_base_index, new_base_term), durable_);
  }
  fd_ = plugin_common::open_file(path_, O_RDWR);
  load();
}

std::string RaftLog::encode_header(std::uint64_t base_index, std::uint64_t base_term) {
  Writer w;
  w.bytes(kMagic);
  w.u64(base_index);
  w.u64(base_term);
  w.u32(crc32_of(w.data()));
  return w.take();
}

std::string RaftLog::encode_record(const LogEntry& entry) {
  if (entry.payload.size() > kMaxPayload) throw std::length_error("raft log entry too large");
  Writer w;
  w.u32(0);  // crc, filled in below
  w.u32(static_cast<std::uint32_t>(entry.payload.size()));
  w.u64(entry.term);
  w.u64(entry.index);
  w.bytes(entry.payload);
  std::string record = w.take();
  Writer crc;
  crc.u32(record_crc(record));
  record.replace(0, 4, crc.data());
  return record;
}

void RaftLog::load() {
  const std::int64_t file_size = plugin_common::file_size(fd_.get(), path_);
  std::string data = plugin_common::read_exact_at(fd_.get(), 0, static_cast<std::size_t>(file_size), path_);
  if (data.size() < kHeaderSize || std::string_view(data).substr(0, kMagic.size()) != kMagic) {
    throw std::runtime_error("metadata log " + path_.string() + " has no valid header");
  }
  Reader header(std::string_view(data).substr(0, kHeaderSize));
  header.bytes(kMagic.size());
  base_index_ = header.u64();
  base_term_ = header.u64();
  if (header.u32() != crc32_of(std::string_view(data).substr(0, kHeaderSize - 4))) {
    throw std::runtime_error("metadata log " + path_.string() + " has a corrupt header");
  }

  slots_.clear();
  recovery_ = LogRecovery{};
  std::uint64_t pos = kHeaderSize;
  std::uint64_t last_term = base_term_;
  const std::uint64_t size = data.size();
  while (pos < size) {
    std::string_view rest = std::string_view(data).substr(pos);
    if (rest.size() < kRecordHeaderSize) {
      recovery_.truncation_reason = "incomplete record header";
      break;
    }
    Reader r(rest);
    std::uint32_t crc = r.u32();
    std::uint32_t length = r.u32();
    std::uint64_t term = r.u64();
    std::uint64_t index = r.u64();
    if (length > kMaxPayload) {
      recovery_.truncation_reason = "implausible record length";
      break;
    }
    if (rest.size() - kRecordHeaderSize < length) {
      recovery_.truncation_reason = "incomplete record";
      break;
    }
    if (crc != record_crc(rest.substr(0, kRecordHeaderSize + length))) {
      recovery_.truncation_reason = "CRC mismatch";
      break;
    }
    if (index != last_index() + 1 || term < last_term) {
      recovery_.truncation_reason = "entry out of sequence";
      break;
    }
    slots_.push_back(Slot{term, pos, length});
    last_term = term;
    pos += kRecordHeaderSize + length;
  }
  recovery_.entries = slots_.size();
  if (pos < size) {
    recovery_.truncated_bytes = size - pos;
    plugin_common::truncate_file(fd_.get(), static_cast<std::int64_t>(pos), path_);
    if (durable_) plugin_common::sync_fd(fd_.get(), path_);
  }
  end_offset_ = pos;
}

const RaftLog::Slot& RaftLog::slot(std::uint64_t index) const {
  if (index < first_index() || index > last_index()) {
    throw std::out_of_range("raft log has no entry " + std::to_string(index) + " (holds " +
                            std::to_string(first_index()) + ".." + std::to_string(last_index()) + ")");
  }
  return slots_[index - first_index()];
}

std::optional<std::uint64_t> RaftLog::term_at(std::uint64_t index) const {
  if (index == base_index_) return base_term_;
  if (index < first_index() || index > last_index()) return std::nullopt;
  return slot(index).term;
}

LogEntry RaftLog::entry(std::uint64_t index) const {
  const Slot& s = slot(index);
  std::string record = plugin_common::read_exact_at(fd_.get(), static_cast<std::int64_t>(s.offset),
                                                    kRecordHeaderSize + s.length, path_);
  Reader r(record);
  std::uint32_t crc = r.u32();
  if (crc != record_crc(record)) {
    throw std::runtime_error("metadata log " + path_.string() + ": entry " + std::to_string(index) +
                             " is corrupt on disk");
  }
  return LogEntry{s.term, index, record.substr(kRecordHeaderSize)};
}

std::vector<LogEntry> RaftLog::entries(std::uint64_t from, std::uint64_t to_inclusive) const {
  std::vector<LogEntry> out;
  for (std::uint64_t i = from; i <= to_inclusive; ++i) out.push_back(entry(i));
  return out;
}

void RaftLog::append(const LogEntry& entry) {
  if (entry.index != last_index() + 1) {
    throw std::logic_error("raft log append of index " + std::to_string(entry.index) +
                           ", expected " + std::to_string(last_index() + 1));
  }
  if (entry.term < last_term()) throw std::logic_error("raft log append with an older term");
  std::string record = encode_record(entry);
  plugin_common::write_all_at(fd_.get(), record, static_cast<std::int64_t>(end_offset_), path_);
  slots_.push_back(Slot{entry.term, end_offset_, static_cast<std::uint32_t>(entry.payload.size())});
  end_offset_ += record.size();
}

void RaftLog::sync() {
  if (durable_) plugin_common::sync_fd(fd_.get(), path_);
}

void RaftLog::truncate_after(std::uint64_t index) {
  if (index >= last_index()) return;
  if (index < base_index_) throw std::logic_error("raft log cannot truncate into its snapshot");
  std::uint64_t new_end = slot(index + 1).offset;
  plugin_common::truncate_file(fd_.get(), static_cast<std::int64_t>(new_end), path_);
  sync();
  slots_.resize(index - base_index_);
  end_offset_ = new_end;
}

void RaftLog::compact_to(std::uint64_t index, std::uint64_t term) {
  if (index <= base_index_) return;
  if (auto known = term_at(index); known && *known != term) {
    throw std::logic_error("raft log compaction term does not match entry " + std::to_string(index));
  }
  std::string contents = encode_header(index, term);
  std::vector<Slot> kept;
  if (index < last_index()) {
    const std::uint64_t from = slot(index + 1).offset;
    contents += plugin_common::read_exact_at(fd_.get(), static_cast<std::int64_t>(from),
                                             static_cast<std::size_t>(end_offset_ - from), path_);
    for (std::uint64_t i = index + 1; i <= last_index(); ++i) {
      Slot s = slot(i);
      s.offset = s.offset - from + kHeaderSize;
      kept.push_back(s);
    }
  }
  plugin_common::atomic_write_file(path_, contents, durable_);
  fd_ = plugin_common::open_file(path_, O_RDWR);
  base_index_ = index;
  base_term_ = term;
  slots_ = std::move(kept);
  end_offset_ = contents.size();
}

}  // namespace brokkr::raft
