// Boost.DLL at arm's length: inspecting a file without loading it, and
// loading it. Kept out of the public header so the kernel does not see Boost.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace brokkr::plugin_host {

struct ProbeResult {
  bool exports_manifest = false;
  std::string error;  // set when the file could not be read as a native shared library
};

// Reads the file's symbol table (no dlopen, so none of its code runs) and
// looks for `symbol` in `section`.
ProbeResult probe_library(const std::filesystem::path& file, const char* section,
                          const char* symbol);

struct LoadedLibrary {
  std::shared_ptr<const void> handle;  // the library stays loaded while this lives
  const void* symbol_value = nullptr;  // the value of the pointer variable `symbol`
};

// Loads the library (RTLD_NOW | RTLD_LOCAL) and reads the pointer variable
// `symbol` (a Boost.DLL-style alias). Throws std::runtime_error with the
// loader's message on failure.
LoadedLibrary load_library(const std::filesystem::path& file, const char* symbol);

}  // namespace brokkr::plugin_host
