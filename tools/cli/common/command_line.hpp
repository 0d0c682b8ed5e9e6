// Command-line parsing with the conventions of Kafka's tools (joptsimple):
// `--name value` or `--name=value`, flags without values, repeatable
// options, `--help` printing every option. A value-taking option followed by
// further bare `k=v` words (`--property a=1 b=2`) collects them all.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace brokkr::cli {

// A bad command line: the tool prints the message, then its help.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CommandLine {
 public:
  CommandLine(std::string tool, std::string summary);

  CommandLine& flag(const std::string& name, const std::string& description);
  CommandLine& option(const std::string& name, const std::string& argument,
                      const std::string& description, bool repeatable = false);
  // An option whose value may be left out (joptsimple's withOptionalArg):
  // `--name`, `--name value` or `--name=value`; value() is "" when left out.
  CommandLine& optional_value_option(const std::string& name, const std::string& argument,
                                     const std::string& description);

  // Throws UsageError for an unknown option, a missing value, a repeated
  // single option, or a stray argument. `--help` sets help_requested().
  void parse(int argc, char** argv);
  bool help_requested() const { return has("help"); }
  void print_help(std::ostream& out) const;
  const std::string& tool() const { return tool_; }

  bool has(const std::string& name) const;
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
  std::string required(const std::string& name) const;
  std::int64_t int_value(const std::string& name, std::int64_t fallback) const;
  // UsageError unless exactly one of `names` is given.
  std::string exactly_one_of(const std::vector<std::string>& names) const;

 private:
  struct Spec {
    std::string name;
    std::string argument;  // empty: a flag
    std::string description;
    bool repeatable = false;
    bool value_optional = false;
  };
  const Spec* find(const std::string& name) const;

  std::string tool_;
  std::string summary_;
  std::vector<Spec> specs_;
  std::vector<std::pair<std::string, std::string>> given_;  // name, value ("" for flags)
};

// Runs a tool's body: prints UsageError with the help and exits 1; prints
// other exceptions as one line `<error_prefix><message>` and exits 1.
int run_tool(CommandLine& command_line, int argc, char** argv, const std::string& error_prefix,
             int (*body)(const CommandLine&));

}  // namespace brokkr::cli
