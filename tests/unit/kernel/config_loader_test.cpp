#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "app/command_line.hpp"
#include "config/config_error.hpp"
#include "config/config_loader.hpp"

using namespace brokkr;
using config::ConfigError;
using config::ConfigSources;

namespace {

std::filesystem::path write_temp_config(const std::string& text) {
  static int counter = 0;
  auto path = std::filesystem::temp_directory_path() /
              ("brokkr-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".toml");
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const ConfigSources& sources) {
  try {
    config::load_config(sources);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::string error_of_file(const std::string& text) {
  auto path = write_temp_config(text);
  std::string error = error_of(ConfigSources{path, {}});
  std::filesystem::remove(path);
  return error;
}

}  // namespace

TEST_CASE("no config file gives the embedded defaults", "[config]") {
  auto config = config::load_config({});
  CHECK(config.node_id == 1);
  CHECK(config.data_dir == "./brokkr-data");
  REQUIRE(config.listeners.size() == 1);
  CHECK(config.listeners[0].listen == config::HostPort{"127.0.0.1", 9092});
  CHECK(config.listeners[0].advertised() == config::HostPort{"127.0.0.1", 9092});
  CHECK(config.plugins.coordination == "raft");
  CHECK(config.network.max_request_bytes == 104857600);
}

TEST_CASE("the shipped configs/broker.toml states exactly the embedded defaults", "[config]") {
  auto shipped = config::load_config(ConfigSources{std::filesystem::path(BROKKR_SOURCE_DIR) / "configs/broker.toml", {}});
  auto defaults = config::load_config({});
  CHECK(shipped.node_id == defaults.node_id);
  CHECK(shipped.data_dir == defaults.data_dir);
  CHECK(shipped.rack == defaults.rack);
  REQUIRE(shipped.listeners.size() == defaults.listeners.size());
  CHECK(shipped.listeners[0].listen == defaults.listeners[0].listen);
  CHECK(shipped.listeners[0].name == defaults.listeners[0].name);
  CHECK(shipped.network.max_request_bytes == defaults.network.max_request_bytes);
  CHECK(shipped.network.io_threads == defaults.network.io_threads);
  CHECK(shipped.network.handler_threads == defaults.network.handler_threads);
  CHECK(shipped.topics.auto_create == defaults.topics.auto_create);
  CHECK(shipped.topics.num_partitions == defaults.topics.num_partitions);
  CHECK(shipped.topics.replication_factor == defaults.topics.replication_factor);
  CHECK(shipped.topics.config == defaults.topics.config);
  CHECK(shipped.plugins.storage == defaults.plugins.storage);
  CHECK(shipped.network.max_inflight_requests_per_connection ==
        defaults.network.max_inflight_requests_per_connection);
  CHECK(shipped.network.shutdown_timeout_ms == defaults.network.shutdown_timeout_ms);
  CHECK(shipped.logging.level == defaults.logging.level);
  CHECK(shipped.plugins.coordination == defaults.plugins.coordination);
  CHECK(shipped.plugins.assignors == defaults.plugins.assignors);
  CHECK(shipped.plugins.codecs == defaults.plugins.codecs);
  CHECK(shipped.network.max_decompressed_batch_bytes == defaults.network.max_decompressed_batch_bytes);
  CHECK(shipped.plugins.directories == defaults.plugins.directories);
  CHECK(shipped.groups.offsets_partitions == defaults.groups.offsets_partitions);
  CHECK(shipped.groups.offsets_replication_factor == defaults.groups.offsets_replication_factor);
  CHECK(shipped.groups.offsets_segment_bytes == defaults.groups.offsets_segment_bytes);
  CHECK(shipped.groups.offsets_retention_ms == defaults.groups.offsets_retention_ms);
  CHECK(shipped.groups.offsets_retention_check_interval_ms == defaults.groups.offsets_retention_check_interval_ms);
  CHECK(shipped.groups.offset_metadata_max_bytes == defaults.groups.offset_metadata_max_bytes);
  CHECK(shipped.groups.min_session_timeout_ms == defaults.groups.min_session_timeout_ms);
  CHECK(shipped.groups.max_session_timeout_ms == defaults.groups.max_session_timeout_ms);
  CHECK(shipped.groups.initial_rebalance_delay_ms == defaults.groups.initial_rebalance_delay_ms);
  CHECK(shipped.groups.max_size == defaults.groups.max_size);
  CHECK(shipped.groups.consumer_assignors == defaults.groups.consumer_assignors);
  CHECK(shipped.groups.consumer_heartbeat_interval_ms == defaults.groups.consumer_heartbeat_interval_ms);
  CHECK(shipped.groups.consumer_session_timeout_ms == defaults.groups.consumer_session_timeout_ms);
}

TEST_CASE("config errors name the key, the value and the reason", "[config]") {
  CHECK(error_of_file("[broker]\nnod_id = 3\n") == "broker.nod_id: unknown key");
  CHECK(error_of_file("[broker]\nnode_id = \"three\"\n") == "broker.node_id = \"three\": must be an integer");
  CHECK(error_of_file("[broker]\nnode_id = -4\n") ==
        "broker.node_id = -4: must be between 0 and 2147483647");
  CHECK(error_of_file("[network]\nmax_request_bytes = 10\n") ==
        "network.max_request_bytes = 10: must be between 1024 and 2147483647");
  CHECK(error_of_file("bogus = 1\n") == "bogus: unknown key");
  CHECK(error_of_file("[[listeners]]\nlisten = \"localhost\"\n") ==
        "listeners[0].listen = \"localhost\": expected host:port");
  CHECK(error_of_file("[[listeners]]\nname = \"A\"\nlisten = \"127.0.0.1:1\"\n[[listeners]]\nname = \"A\"\nlisten = \"127.0.0.1:2\"\n") ==
        "listeners[1].name = \"A\": duplicate listener name");
  CHECK(error_of_file("[logging]\nlevel = \"loud\"\n") ==
        "logging.level = \"loud\": must be one of trace, debug, info, warn, error, critical, off");
  CHECK(error_of_file("[plugins.zookeeper]\nconnect = \"x\"\n") ==
        "plugins.zookeeper: configures plugin 'zookeeper', which is not selected in [plugins]");
  CHECK(error_of_file("[broker\n").find(":1:") != std::string::npos);
}

TEST_CASE("overrides take TOML values or bare strings", "[config]") {
  ConfigSources sources;
  sources.overrides = {"broker.node_id=7", "broker.data_dir=/tmp/x y", "plugins.assignors=[\"a\",\"b\"]",
                       "network.io_threads=2", "plugins.a.level=3"};
  auto config = config::load_config(sources);
  CHECK(config.node_id == 7);
  CHECK(config.data_dir == "/tmp/x y");
  CHECK(config.plugins.assignors == std::vector<std::string>{"a", "b"});
  CHECK(config.network.io_threads == 2);
  REQUIRE(config.plugins.settings.count("a"));
  CHECK(config.plugins.settings.at("a").get_int("level") == 3);
  CHECK(config.plugins.settings.at("a").path() == "plugins.a");

  CHECK(error_of(ConfigSources{std::nullopt, {"broker.node_id"}}) ==
        "--override broker.node_id: expected dotted.key=value");
  CHECK(error_of(ConfigSources{std::nullopt, {"broker.node_id=abc"}}) ==
        "broker.node_id = \"abc\": must be an integer");
}

TEST_CASE("[groups] has Kafka's defaults and reads every key", "[config][groups]") {
  auto defaults = config::load_config({});
  CHECK(defaults.groups.offsets_partitions == 50);
  CHECK(defaults.groups.offsets_replication_factor == 1);
  CHECK(defaults.groups.offsets_segment_bytes == 104857600);
  CHECK(defaults.groups.offsets_retention_ms == 604800000);
  CHECK(defaults.groups.min_session_timeout_ms == 6000);
  CHECK(defaults.groups.max_session_timeout_ms == 1800000);
  CHECK(defaults.groups.consumer_assignors == std::vector<std::string>{"uniform", "range"});

  auto path = write_temp_config(
      "[groups]\noffsets_partitions = 5\noffsets_replication_factor = 3\noffsets_segment_bytes = 1048576\n"
      "offsets_retention_ms = 60000\noffsets_retention_check_interval_ms = 1000\n"
      "offset_metadata_max_bytes = 100\nmin_session_timeout_ms = 10\nmax_session_timeout_ms = 20\n"
      "initial_rebalance_delay_ms = 0\nmax_size = 7\nconsumer_assignors = [\"range\"]\n"
      "consumer_heartbeat_interval_ms = 100\nconsumer_session_timeout_ms = 1000\n");
  auto config = config::load_config(ConfigSources{path, {}});
  std::filesystem::remove(path);
  CHECK(config.groups.offsets_partitions == 5);
  CHECK(config.groups.offsets_replication_factor == 3);
  CHECK(config.groups.offsets_segment_bytes == 1048576);
  CHECK(config.groups.offsets_retention_ms == 60000);
  CHECK(config.groups.offsets_retention_check_interval_ms == 1000);
  CHECK(config.groups.offset_metadata_max_bytes == 100);
  CHECK(config.groups.min_session_timeout_ms == 10);
  CHECK(config.groups.max_session_timeout_ms == 20);
  CHECK(config.groups.initial_rebalance_delay_ms == 0);
  CHECK(config.groups.max_size == 7);
  CHECK(config.groups.consumer_assignors == std::vector<std::string>{"range"});
  CHECK(config.groups.consumer_heartbeat_interval_ms == 100);
  CHECK(config.groups.consumer_session_timeout_ms == 1000);
}

TEST_CASE("[groups] errors name the key, the value and the reason", "[config][groups]") {
  CHECK(error_of_file("[groups]\noffsets_partition = 5\n") == "groups.offsets_partition: unknown key");
  CHECK(error_of_file("[groups]\noffsets_partitions = 0\n") ==
        "groups.offsets_partitions = 0: must be between 1 and 10000");
  CHECK(error_of_file("[groups]\noffsets_partitions = \"5\"\n") ==
        "groups.offsets_partitions = \"5\": must be an integer");
  CHECK(error_of_file("[groups]\noffsets_replication_factor = 40000\n") ==
        "groups.offsets_replication_factor = 40000: must be between 1 and 32767");
  CHECK(error_of_file("[groups]\noffsets_segment_bytes = 10\n") ==
        "groups.offsets_segment_bytes = 10: must be between 14 and 2147483647");
  CHECK(error_of_file("[groups]\noffsets_retention_ms = 0\n") ==
        "groups.offsets_retention_ms = 0: must be between 1 and 9223372036854775807");
  CHECK(error_of_file("[groups]\noffset_metadata_max_bytes = 40000\n") ==
        "groups.offset_metadata_max_bytes = 40000: must be between 0 and 32767");
  CHECK(error_of_file("[groups]\nmax_size = 0\n") == "groups.max_size = 0: must be between 1 and 2147483647");
  CHECK(error_of_file("[groups]\nmin_session_timeout_ms = 9000\nmax_session_timeout_ms = 8000\n") ==
        "groups.min_session_timeout_ms = 9000: must not exceed groups.max_session_timeout_ms (8000)");
  CHECK(error_of_file("[groups]\nmax_session_timeout_ms = 5000\n") ==
        "groups.max_session_timeout_ms = 5000: must not be below groups.min_session_timeout_ms (6000)");
  CHECK(error_of_file("[groups]\nconsumer_heartbeat_interval_ms = 45000\n") ==
        "groups.consumer_heartbeat_interval_ms = 45000: must be less than groups.consumer_session_timeout_ms (45000)");
  CHECK(error_of_file("[groups]\nconsumer_session_timeout_ms = 4000\n") ==
        "groups.consumer_session_timeout_ms = 4000: must be greater than groups.consumer_heartbeat_interval_ms (5000)");
  CHECK(error_of_file("[groups]\nconsumer_assignors = []\n") ==
        "groups.consumer_assignors = []: must name at least one assignor");
  CHECK(error_of_file("[groups]\nconsumer_assignors = [\"range\", \"range\"]\n").find(
            "groups.consumer_assignors = [") == 0);
  CHECK(error_of_file("[groups]\nconsumer_assignors = [\"range\", \"range\"]\n").find(": names 'range' twice") !=
        std::string::npos);
  CHECK(error_of_file("[groups]\nconsumer_assignors = [1]\n").find("must be an array of strings") !=
        std::string::npos);
  CHECK(error_of_file("groups = 3\n") == "groups = 3: must be a table");
}

TEST_CASE("[groups] keys take --override like every key", "[config][groups]") {
  ConfigSources sources;
  sources.overrides = {"groups.offsets_partitions=5", "groups.consumer_assignors=[\"range\",\"uniform\"]",
                       "groups.min_session_timeout_ms=100"};
  auto config = config::load_config(sources);
  CHECK(config.groups.offsets_partitions == 5);
  CHECK(config.groups.consumer_assignors == std::vector<std::string>{"range", "uniform"});
  CHECK(config.groups.min_session_timeout_ms == 100);
  CHECK(error_of(ConfigSources{std::nullopt, {"groups.offsets_partitions=many"}}) ==
        "groups.offsets_partitions = \"many\": must be an integer");
  CHECK(error_of(ConfigSources{std::nullopt, {"groups.bogus=1"}}) == "groups.bogus: unknown key");
}

TEST_CASE("host:port parsing", "[config]") {
  CHECK(config::parse_host_port("k", "0.0.0.0:9092") == config::HostPort{"0.0.0.0", 9092});
  CHECK(config::parse_host_port("k", "[::1]:19092") == config::HostPort{"::1", 19092});
  CHECK(config::parse_host_port("k", "broker-1.local:1") == config::HostPort{"broker-1.local", 1});
  CHECK_THROWS_WITH(config::parse_host_port("k", "host:99999"),
                    "k = \"host:99999\": port must be a number from 0 to 65535");
  CHECK_THROWS_WITH(config::parse_host_port("k", ":9092"),
                    "k = \":9092\": host must not be empty (use 0.0.0.0 for all interfaces)");
  CHECK_THROWS_AS(config::parse_host_port("k", "::1:9092"), ConfigError);
}

TEST_CASE("command line flags map onto the config", "[config]") {
  const char* argv[] = {"brokkr", "--node-id", "3", "--data-dir=/tmp/b3", "--listen", "127.0.0.1:19093",
                        "--advertise", "broker3:9093", "--override", "network.io_threads=2"};
  auto command_line = app::parse_command_line(10, const_cast<char**>(argv));
  CHECK(command_line.mode == app::Mode::run);
  auto config = app::load_config(command_line);
  CHECK(config.node_id == 3);
  CHECK(config.data_dir == "/tmp/b3");
  CHECK(config.listeners[0].listen == config::HostPort{"127.0.0.1", 19093});
  CHECK(config.listeners[0].advertised() == config::HostPort{"broker3", 9093});
  CHECK(config.network.io_threads == 2);

  const char* bad[] = {"brokkr", "--frobnicate"};
  CHECK_THROWS_WITH(app::parse_command_line(2, const_cast<char**>(bad)),
                    "unknown argument '--frobnicate' (see --help)");
  const char* missing[] = {"brokkr", "--config"};
  CHECK_THROWS_WITH(app::parse_command_line(2, const_cast<char**>(missing)), "--config needs a value");
}
