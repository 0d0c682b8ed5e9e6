#pragma once

#include <filesystem>

namespace brokkr::app {

// Holds an exclusive lock on <data_dir>/.lock so two brokers never share a
// data directory. Creates the directory when missing.
class DataDirLock {
 public:
  explicit DataDirLock(const std::filesystem::path& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace brokkr::app
