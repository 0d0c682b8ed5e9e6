#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "client/client_error.hpp"
#include "client/cluster.hpp"
#include "client/properties.hpp"

using namespace brokkr::client;

TEST_CASE("properties files: key=value, key: value, comments") {
  auto file = std::filesystem::temp_directory_path() / ("brokkr-props-" + std::to_string(::getpid()));
  {
    std::ofstream out(file);
    out << "# comment\n! also\n\nclient.id = tool-1\nrequest.timeout.ms: 5000\n";
  }
  auto props = Properties::load_file(file);
  CHECK(props.get("client.id") == "tool-1");
  CHECK(props.get_int("request.timeout.ms", 0) == 5000);
  {
    std::ofstream out(file);
    out << "client.id=a\nno separator here\n";
  }
  CHECK_THROWS_WITH(Properties::load_file(file), Catch::Contains(":2: expected key=value"));
  std::filesystem::remove(file);
  CHECK_THROWS_WITH(Properties::load_file(file), Catch::Contains("cannot read config file"));
}

TEST_CASE("typed getters name the key in errors") {
  Properties props;
  props.set_pair("acks=all");
  props.set_pair("enable.auto.commit=maybe");
  CHECK_THROWS_WITH(props.get_int("acks", 1), Catch::Contains("property acks"));
  CHECK_THROWS_WITH(props.get_bool("enable.auto.commit", true), Catch::Contains("enable.auto.commit"));
  CHECK_THROWS_AS(props.set_pair("novalue"), ClientError);
  props.set_default("acks", "1");
  CHECK(props.get("acks") == "all");
}

TEST_CASE("bootstrap server lists") {
  auto list = parse_bootstrap_servers("localhost:9092, 10.0.0.2:19092,[::1]:9093");
  REQUIRE(list.size() == 3);
  CHECK(list[0].host == "localhost");
  CHECK(list[0].node_id == -1);
  CHECK(list[1].port == 19092);
  CHECK(list[2].host == "::1");
  CHECK_THROWS_WITH(parse_bootstrap_servers("localhost"), Catch::Contains("Invalid url in bootstrap.servers: localhost"));
  CHECK_THROWS_AS(parse_bootstrap_servers("host:99999"), ClientError);
  CHECK_THROWS_AS(parse_bootstrap_servers(""), ClientError);
}
