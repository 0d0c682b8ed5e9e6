#include "library_loader.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

namespace brokkr::plugin_host {

ProbeResult probe_library(const std::filesystem::path& file, const char* section,
                          const char* symbol) {
  ProbeResult result;
  try {
    boost::dll::library_info info(file, /*throw_if_not_native_format=*/true);
    std::vector<std::string> symbols = info.symbols(section);
    result.exports_manifest = std::find(symbols.begin(), symbols.end(), symbol) != symbols.end();
  } catch (const std::exception& e) {
    // library_info reports malformed files through iostream and range errors.
    result.error = e.what();
    if (result.error.empty()) result.error = "unreadable";
  }
  return result;
}

LoadedLibrary load_library(const std::filesystem::path& file, const char* symbol) {
  namespace mode = boost::dll::load_mode;
  auto library = std::make_shared<boost::dll::shared_library>(file, mode::rtld_now | mode::rtld_local);
  if (!library->has(symbol)) {
    throw std::runtime_error(std::string("no ") + symbol + " symbol after loading");
  }
  LoadedLibrary loaded;
  loaded.symbol_value = library->get<const void*>(symbol);
  loaded.handle = std::move(library);
  return loaded;
}

}  // namespace brokkr::plugin_host
