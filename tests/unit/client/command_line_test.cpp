#include <catch2/catch.hpp>

#include <sstream>

#include "common/command_line.hpp"

using brokkr::cli::CommandLine;
using brokkr::cli::UsageError;

namespace {

CommandLine make() {
  CommandLine cl("brokkr-test", "A test tool.");
  cl.flag("list", "List.")
      .option("topic", "String: topic", "The topic.")
      .option("property", "String: prop", "A property.", true);
  return cl;
}

void parse(CommandLine& cl, std::vector<std::string> words) {
  std::vector<char*> argv{const_cast<char*>("tool")};
  for (auto& w : words) argv.push_back(w.data());
  cl.parse(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("options take values separately or after '='") {
  auto cl = make();
  parse(cl, {"--topic", "orders", "--list"});
  CHECK(cl.value("topic") == "orders");
  CHECK(cl.has("list"));
  auto cl2 = make();
  parse(cl2, {"--topic=a=b"});
  CHECK(cl2.value("topic") == "a=b");
}

TEST_CASE("a repeatable option collects repeats and the bare k=v words after it") {
  auto cl = make();
  parse(cl, {"--property", "parse.key=true", "key.separator=:", "--property", "x=1"});
  CHECK(cl.values("property") == std::vector<std::string>{"parse.key=true", "key.separator=:", "x=1"});
}

TEST_CASE("bad command lines are usage errors naming the problem") {
  auto unknown = make();
  CHECK_THROWS_WITH(parse(unknown, {"--nope"}), "nope is not a recognized option");
  auto missing = make();
  CHECK_THROWS_WITH(parse(missing, {"--topic"}), "Option topic requires an argument");
  auto twice = make();
  CHECK_THROWS_AS(parse(twice, {"--topic", "a", "--topic", "b"}), UsageError);
  auto stray = make();
  CHECK_THROWS_WITH(parse(stray, {"stray"}), "Found non-option argument 'stray'");
  auto flag_value = make();
  CHECK_THROWS_AS(parse(flag_value, {"--list=yes"}), UsageError);
  auto none = make();
  parse(none, {});
  CHECK_THROWS_WITH(none.required("topic"), "Missing required argument \"[topic]\"");
  CHECK_THROWS_AS(none.exactly_one_of({"list", "topic"}), UsageError);
}

TEST_CASE("help lists every option sorted by name") {
  auto cl = make();
  std::ostringstream out;
  cl.print_help(out);
  auto text = out.str();
  CHECK(text.find("--help") != std::string::npos);
  CHECK(text.find("--property <String: prop>") != std::string::npos);
  CHECK(text.find("--list") < text.find("--property"));
  CHECK(text.find("--property") < text.find("--topic"));
}
