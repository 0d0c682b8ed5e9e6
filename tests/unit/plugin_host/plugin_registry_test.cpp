// The registry against real shared libraries: the raft plugin as built for
// the broker, and the test plugins of tests/plugins.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "brokkr/sdk/assignor.hpp"
#include "brokkr/sdk/coordination.hpp"
#include "plugin_host/plugin_registry.hpp"

using namespace brokkr;
using plugin_host::PluginError;
using plugin_host::PluginListing;
using plugin_host::PluginRegistry;
using plugin_host::PluginStatus;
namespace fs = std::filesystem;

namespace {

const fs::path kPluginsDir = BROKKR_PLUGINS_DIR;
const fs::path kTestPlugins = BROKKR_TEST_PLUGINS_DIR;

class TestLogger : public sdk::Logger {
 public:
  bool enabled(sdk::LogLevel) const override { return true; }
  void log(sdk::LogLevel, std::string_view message) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "brokkr-host-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

sdk::PluginContext context_for(const std::string& name, const fs::path& data_dir = {}) {
  sdk::PluginContext context;
  context.plugin_name = name;
  context.config = sdk::ConfigTable("plugins." + name);
  context.logger = std::make_shared<TestLogger>();
  context.data_dir = data_dir.string();
  context.node_id = 1;
  return context;
}

PluginListing entry_for(const std::vector<PluginListing>& listing, const fs::path& file) {
  for (const auto& e : listing) {
    if (e.file == file) return e;
  }
  FAIL("no listing entry for " << file);
  throw std::logic_error("unreachable");
}

bool mapped(const std::string& fragment) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find(fragment) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the raft plugin is found, listed and creates a working coordinator", "[registry]") {
  PluginRegistry registry;
  registry.scan({kPluginsDir});
  const fs::path file = kPluginsDir / "libbrokkr_coordination_raft.so";
  const PluginListing raft = entry_for(registry.listing(), file);
  CHECK(raft.status == PluginStatus::ok);
  CHECK(raft.kind == sdk::PluginKind::coordination);
  CHECK(raft.name == "raft");
  CHECK(raft.version == "0.1.0");
  CHECK_FALSE(raft.description.empty());
  CHECK(raft.reason.empty());
  auto names = registry.names(sdk::PluginKind::coordination);
  CHECK(std::find(names.begin(), names.end(), "raft") != names.end());

  TempDir data;
  auto coordinator = registry.create<sdk::ClusterCoordinator>("raft", context_for("raft", data.path()));
  REQUIRE(coordinator);
  coordinator->start();
  CHECK(coordinator->put("/hello", "world").ok());
  CHECK(coordinator->get("/hello")->data == "world");
  CHECK(coordinator->cluster_id().size() == 22);
  coordinator->stop();
  CHECK(fs::exists(data.path() / "metadata" / "log"));
}

TEST_CASE("a plugin's exceptions reach the kernel with their type", "[registry]") {
  PluginRegistry registry;
  registry.scan({kPluginsDir});
  sdk::PluginContext context = context_for("raft", "/tmp");
  context.config.set("bogus", sdk::ConfigValue{true});
  CHECK_THROWS_MATCHES(registry.create<sdk::ClusterCoordinator>("raft", context), sdk::ConfigError,
                       Catch::Matchers::Message("plugins.raft.bogus: unknown key"));
}

TEST_CASE("plugin objects keep their library loaded after the registry is gone", "[registry]") {
  plugin_host::PluginPtr<sdk::Assignor> assignor;
  {
    PluginRegistry registry;
    registry.scan({kTestPlugins / "good"});
    assignor = registry.create<sdk::Assignor>("test-good", context_for("test-good"));
  }
  CHECK(mapped("libtest_good_assignor.so"));
  CHECK(assignor->name() == "test-good");  // code and vtable still there
  sdk::AssignmentInput input;
  input.members.push_back(sdk::AssignorMember{"m1", {}, {}, {"t"}, {}, {}});
  CHECK(assignor->assign(input).count("m1") == 1);

  // With a shared_ptr too (the deleter comes along).
  std::shared_ptr<sdk::Assignor> shared = std::move(assignor);
  CHECK(shared->name() == "test-good");
}

TEST_CASE("a plugin from another ABI version is refused on abi_version alone", "[registry][refused]") {
  unsetenv("BROKKR_TEST_ABI999_LOADED");
  PluginRegistry registry;
  registry.scan({kTestPlugins / "abi-version"});
  // It is a plugin (right export), so it was loaded: its initializer ran.
  CHECK(std::getenv("BROKKR_TEST_ABI999_LOADED") != nullptr);

  const fs::path file = kTestPlugins / "abi-version" / "libtest_abi_version_999.so";
  const PluginListing entry = entry_for(registry.listing(), file);
  CHECK(entry.status == PluginStatus::refused);
  CHECK(entry.reason == "ABI version 999, this broker needs 1");
  CHECK(entry.message == "plugin " + file.string() + " refused: ABI version 999, this broker needs 1");
  CHECK_FALSE(entry.kind);
  CHECK(entry.name.empty());
}

TEST_CASE("a plugin built against other SDK headers is refused", "[registry][refused]") {
  PluginRegistry registry;
  registry.scan({kTestPlugins / "sdk-fingerprint"});
  const fs::path file = kTestPlugins / "sdk-fingerprint" / "libtest_wrong_sdk_fingerprint.so";
  const std::string expected = "plugin " + file.string() +
                               " refused: built against other SDK headers (fingerprint 0123456789ab.. != " +
                               std::string(BROKKR_SDK_FINGERPRINT).substr(0, 12) + "..)";
  const PluginListing entry = entry_for(registry.listing(), file);
  CHECK(entry.status == PluginStatus::refused);
  CHECK(entry.message == expected);
  CHECK(entry.name == "test-wrong-sdk");  // named in the listing all the same
  CHECK(entry.kind == sdk::PluginKind::assignor);
  // Asking for it by name gives the refusal.
  CHECK_THROWS_MATCHES(registry.create<sdk::Assignor>("test-wrong-sdk", context_for("x")), PluginError,
                       Catch::Matchers::Message(expected));
}

TEST_CASE("a plugin built with another toolchain is refused", "[registry][refused]") {
  PluginRegistry registry;
  registry.scan({kTestPlugins / "toolchain"});
  const fs::path file = kTestPlugins / "toolchain" / "libtest_wrong_toolchain.so";
  const std::string expected = "plugin " + file.string() +
                               " refused: built with another toolchain (gcc-0/libstdc++-19700101-cxx11abi0 != " +
                               BROKKR_SDK_TOOLCHAIN_FINGERPRINT + ")";
  CHECK(entry_for(registry.listing(), file).message == expected);
  CHECK_THROWS_MATCHES(registry.create<sdk::Assignor>("test-wrong-toolchain", context_for("x")),
                       PluginError, Catch::Matchers::Message(expected));
}

TEST_CASE("a library that is not a plugin is never loaded", "[registry][refused]") {
  unsetenv("BROKKR_TEST_NOT_A_PLUGIN_LOADED");
  unsetenv("BROKKR_TEST_WRONG_SECTION_LOADED");
  PluginRegistry registry;
  registry.scan({kTestPlugins / "not-a-plugin"});
  CHECK(std::getenv("BROKKR_TEST_NOT_A_PLUGIN_LOADED") == nullptr);
  CHECK(std::getenv("BROKKR_TEST_WRONG_SECTION_LOADED") == nullptr);
  CHECK_FALSE(mapped("libtest_not_a_plugin.so"));
  CHECK_FALSE(mapped("libtest_wrong_section.so"));

  auto listing = registry.listing();
  REQUIRE(listing.size() == 2);
  for (const char* name : {"libtest_not_a_plugin.so", "libtest_wrong_section.so"}) {
    const fs::path file = kTestPlugins / "not-a-plugin" / name;
    const PluginListing entry = entry_for(listing, file);
    CHECK(entry.status == PluginStatus::refused);
    CHECK(entry.message == file.string() + " is not a Brokkr plugin (no brokkr_plugin_manifest export)");
  }
}

TEST_CASE("files that are not shared libraries at all", "[registry][refused]") {
  TempDir dir;
  { std::ofstream(dir.path() / "text.so") << "just some text, long enough to look at\n"; }
  { std::ofstream(dir.path() / "empty.so"); }
  { std::ofstream(dir.path() / "ignored.so.1") << "not *.so"; }
  { std::ofstream(dir.path() / "ignored.txt") << "not *.so"; }
  fs::create_directory(dir.path() / "directory.so");
  PluginRegistry registry;
  registry.scan({dir.path()});
  auto listing = registry.listing();
  REQUIRE(listing.size() == 2);
  CHECK(listing[0].file == dir.path() / "empty.so");  // file name order
  for (const auto& entry : listing) {
    CHECK(entry.status == PluginStatus::refused);
    CHECK_THAT(entry.message, Catch::StartsWith(entry.file.string() +
                                                " is not a Brokkr plugin (not a readable shared library: "));
  }
}

TEST_CASE("two plugins of the same kind and name are both refused", "[registry][refused]") {
  PluginRegistry registry;
  const fs::path a = kTestPlugins / "duplicate-a";
  const fs::path b = kTestPlugins / "duplicate-b";
  registry.scan({a, b});
  const std::string expected = "two assignor plugins named 'test-dup': " +
                               (a / "libtest_duplicate_a.so").string() + " and " +
                               (b / "libtest_duplicate_b.so").string();
  auto listing = registry.listing();
  REQUIRE(listing.size() == 2);
  for (const auto& entry : listing) {
    CHECK(entry.status == PluginStatus::refused);
    CHECK(entry.message == expected);
  }
  CHECK_THROWS_MATCHES(registry.create<sdk::Assignor>("test-dup", context_for("test-dup")), PluginError,
                       Catch::Matchers::Message(expected));
  CHECK(registry.names(sdk::PluginKind::assignor).empty());
}

TEST_CASE("asking for a missing name lists what there is", "[registry]") {
  PluginRegistry registry;
  registry.scan({kPluginsDir, kTestPlugins / "abi-version"});
  try {
    registry.create<sdk::ClusterCoordinator>("raftx", context_for("raftx"));
    FAIL("no exception");
  } catch (const PluginError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Catch::StartsWith("no coordination plugin named 'raftx' in " + kPluginsDir.string() +
                                          ", " + (kTestPlugins / "abi-version").string() + " (found: "));
    CHECK_THAT(message, Catch::Contains("raft"));
    // The refused plugin whose name could not be read might have been it.
    CHECK_THAT(message, Catch::Contains("refused without a readable name: " +
                                        (kTestPlugins / "abi-version" / "libtest_abi_version_999.so").string()));
    CHECK(message.find('\n') == std::string::npos);
  }

  PluginRegistry empty;
  empty.scan({kTestPlugins / "good"});
  CHECK_THROWS_MATCHES(empty.create<sdk::ClusterCoordinator>("raft", context_for("raft")), PluginError,
                       Catch::Matchers::Message("no coordination plugin named 'raft' in " +
                                                (kTestPlugins / "good").string() + " (found: none)"));
}

TEST_CASE("a name of another kind is reported as such", "[registry]") {
  PluginRegistry registry;
  registry.scan({kPluginsDir, kTestPlugins / "good"});
  CHECK_THROWS_MATCHES(registry.create<sdk::ClusterCoordinator>("test-good", context_for("test-good")),
                       PluginError,
                       Catch::Matchers::Message("plugin " + (kTestPlugins / "good" / "libtest_good_assignor.so").string() +
                                                " is an assignor plugin, expected coordination"));
  CHECK_THROWS_MATCHES(registry.create<sdk::Assignor>("raft", context_for("raft")), PluginError,
                       Catch::Matchers::Message("plugin " + (kPluginsDir / "libbrokkr_coordination_raft.so").string() +
                                                " is a coordination plugin, expected assignor"));
}

TEST_CASE("directories", "[registry]") {
  PluginRegistry registry;
  CHECK_THROWS_MATCHES(registry.scan({kTestPlugins / "good", "/nonexistent/brokkr-plugins"}), PluginError,
                       Catch::Matchers::Message("plugin directory /nonexistent/brokkr-plugins does not exist"));
  CHECK(registry.listing().empty());  // checked before anything was loaded

  TempDir dir;
  { std::ofstream(dir.path() / "file") << "x"; }
  CHECK_THROWS_MATCHES(registry.scan({dir.path() / "file"}), PluginError,
                       Catch::Matchers::Message("plugin directory " + (dir.path() / "file").string() +
                                                " is not a directory"));

  // The same directory (or file) twice is scanned once.
  fs::create_directory_symlink(kTestPlugins / "good", dir.path() / "alias");
  registry.scan({kTestPlugins / "good", kTestPlugins / "good"});
  registry.scan({dir.path() / "alias"});
  REQUIRE(registry.listing().size() == 1);
  CHECK(registry.listing()[0].status == PluginStatus::ok);
  CHECK(registry.create<sdk::Assignor>("test-good", context_for("test-good"))->name() == "test-good");
}

TEST_CASE("a good test plugin is listed with its manifest", "[registry]") {
  PluginRegistry registry;
  registry.scan({kTestPlugins / "good"});
  auto listing = registry.listing();
  REQUIRE(listing.size() == 1);
  CHECK(listing[0].status == PluginStatus::ok);
  CHECK(listing[0].kind == sdk::PluginKind::assignor);
  CHECK(listing[0].name == "test-good");
  CHECK(listing[0].version == "1.2.3");
  CHECK(listing[0].description == "test plugin that loads fine");
  CHECK(std::string(plugin_host::to_string(listing[0].status)) == "ok");
}
