// --delete: DeleteGroups for each selected group, reported as Kafka's
// deleteGroups does.
#include <iostream>

#include "commands.hpp"

namespace brokkr::cli::groups {

int delete_command(const CommandLine& command_line, client::Cluster& cluster) {
  auto results = delete_groups(cluster, selected_groups(command_line, cluster));
  std::vector<std::string> deleted;
  std::vector<std::pair<std::string, std::int16_t>> failed;
  for (const auto& [group, code] : results) {
    if (code == 0) deleted.push_back(group);
    else failed.emplace_back(group, code);
  }
  auto join = [](const std::vector<std::string>& names, const std::string& separator) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : separator) + n;
    return out;
  };
  if (failed.empty()) {
    std::cout << "Deletion of requested consumer groups ('" << join(deleted, ", ") << "') was successful.\n";
    return 0;
  }
  std::cerr << "Error: Deletion of some consumer groups failed:\n";
  for (const auto& [group, code] : failed) {
    std::cerr << "* Group '" << group << "' could not be deleted due to: java.util.concurrent.ExecutionException: "
              << java_exception_text(code) << "\n";
  }
  // Kafka's wording, quotes included.
  if (!deleted.empty()) {
    std::cout << "\nThese consumer groups were deleted successfully: '" << join(deleted, "'") << "', '\n";
  }
  return 1;
}

}  // namespace brokkr::cli::groups
