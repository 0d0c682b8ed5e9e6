#include "common/command_line.hpp"

#include <algorithm>
#include <charconv>
#include <iostream>

namespace brokkr::cli {

CommandLine::CommandLine(std::string tool, std::string summary)
    : tool_(std::move(tool)), summary_(std::move(summary)) {
  flag("help", "Print usage information.");
  flag("version", "Display Brokkr version.");
}

CommandLine& CommandLine::flag(const std::string& name, const std::string& description) {
  specs_.push_back(Spec{name, "", description, false});
  return *this;
}

CommandLine& CommandLine::option(const std::string& name, const std::string& argument,
                                 const std::string& description, bool repeatable) {
  specs_.push_back(Spec{name, argument, description, repeatable});
  return *this;
}

CommandLine& CommandLine::optional_value_option(const std::string& name, const std::string& argument,
                                                const std::string& description) {
  specs_.push_back(Spec{name, argument, description, false, true});
  return *this;
}

const CommandLine::Spec* CommandLine::find(const std::string& name) const {
  for (const auto& spec : specs_) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

void CommandLine::parse(int argc, char** argv) {
  const Spec* last_repeatable = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.rfind("--", 0) != 0) {
      // `--property a=1 b=2`: extra k=v words belong to the option before them.
      if (last_repeatable != nullptr && word.find('=') != std::string::npos) {
        given_.emplace_back(last_repeatable->name, word);
        continue;
      }
      throw UsageError("Found non-option argument '" + word + "'");
    }
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const Spec* spec = find(name);
    if (spec == nullptr) throw UsageError(name + " is not a recognized option");
    if (!spec->repeatable && has(name) && !spec->argument.empty()) {
      throw UsageError("Option " + name + " was given more than once");
    }
    last_repeatable = nullptr;
    if (spec->argument.empty()) {
      if (inline_value) throw UsageError("Option " + name + " does not take an argument");
      given_.emplace_back(name, "");
      continue;
    }
    if (!inline_value && spec->value_optional) {
      bool next_is_value = i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0;
      inline_value = next_is_value ? std::string(argv[++i]) : std::string();
    }
    if (!inline_value) {
      if (i + 1 >= argc) throw UsageError("Option " + name + " requires an argument");
      inline_value = argv[++i];
    }
    given_.emplace_back(name, *inline_value);
    if (spec->repeatable) last_repeatable = spec;
  }
}

void CommandLine::print_help(std::ostream& out) const {
  out << summary_ << "\n";
  std::vector<std::string> left;
  std::size_t width = 6;
  for (const auto& spec : specs_) {
    std::string text = "--" + spec.name;
    if (!spec.argument.empty()) text += spec.value_optional ? " [" + spec.argument + "]" : " <" + spec.argument + ">";
    width = std::max(width, text.size());
    left.push_back(std::move(text));
  }
  out << "Option" << std::string(width - 6 + 2, ' ') << "Description\n"
      << "------" << std::string(width - 6 + 2, ' ') << "-----------\n";
  // Options sorted by name, as Kafka's tools print them.
  std::vector<std::size_t> order(specs_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return specs_[a].name < specs_[b].name; });
  for (auto i : order) {
    out << left[i] << std::string(width - left[i].size() + 2, ' ') << specs_[i].description << "\n";
  }
}

bool CommandLine::has(const std::string& name) const {
  return std::any_of(given_.begin(), given_.end(), [&](const auto& g) { return g.first == name; });
}

std::optional<std::string> CommandLine::value(const std::string& name) const {
  for (const auto& [given, value] : given_) {
    if (given == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> CommandLine::values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [given, value] : given_) {
    if (given == name) out.push_back(value);
  }
  return out;
}

std::string CommandLine::required(const std::string& name) const {
  auto v = value(name);
  if (!v) throw UsageError("Missing required argument \"[" + name + "]\"");
  return *v;
}

std::int64_t CommandLine::int_value(const std::string& name, std::int64_t fallback) const {
  auto text = value(name);
  if (!text) return fallback;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
  if (ec != std::errc() || end != text->data() + text->size()) {
    throw UsageError("Cannot parse argument '" + *text + "' of option " + name + " as a number");
  }
  return out;
}

std::string CommandLine::exactly_one_of(const std::vector<std::string>& names) const {
  std::vector<std::string> present;
  for (const auto& n : names) {
    if (has(n)) present.push_back(n);
  }
  if (present.size() == 1) return present.front();
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "--" : ", --") + n;
  throw UsageError("Command must include exactly one action: " + list);
}

int run_tool(CommandLine& command_line, int argc, char** argv, const std::string& error_prefix,
             int (*body)(const CommandLine&)) {
  try {
    command_line.parse(argc, argv);
    if (command_line.help_requested() || argc == 1) {
      command_line.print_help(argc == 1 ? std::cerr : std::cout);
      return argc == 1 ? 1 : 0;
    }
    if (command_line.has("version")) {
      std::cout << BROKKR_VERSION << "\n";
      return 0;
    }
    return body(command_line);
  } catch (const UsageError& e) {
    std::cerr << e.what() << "\n";
    command_line.print_help(std::cerr);
    return 1;
  } catch (const std::exception& e) {
    std::cerr << error_prefix << e.what() << "\n";
    return 1;
  }
}

}  // namespace brokkr::cli
