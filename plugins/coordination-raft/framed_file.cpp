#include "framed_file.hpp"

#include <optional>
#include <stdexcept>

#include "plugin_common/file_util.hpp"

namespace brokkr::raft {

bool FramedFile::load(const std::function<void(Reader&)>& decode) const {
  std::optional<std::string> data = plugin_common::read_whole_file(path_);
  if (!data) return false;
  try {
    std::string_view view(*data);
    if (view.size() < 4) throw DecodeError("too short");
    Reader crc(view.substr(view.size() - 4));
    if (crc.u32() != crc32_of(view.substr(0, view.size() - 4))) throw DecodeError("CRC mismatch");
    Reader r(view.substr(0, view.size() - 4));
    if (r.bytes(magic_.size()) != magic_) throw DecodeError("bad magic");
    decode(r);
    if (!r.done()) throw DecodeError("trailing bytes");
    return true;
  } catch (const DecodeError& e) {
    throw std::runtime_error(what_ + " " + path_.string() + " is corrupt (" + e.what() + ")");
  }
}

void FramedFile::store(const std::function<void(Writer&)>& encode) const {
  Writer w;
  w.bytes(magic_);
  encode(w);
  w.u32(crc32_of(w.data()));
  plugin_common::atomic_write_file(path_, w.data(), durable_);
}

}  // namespace brokkr::raft
