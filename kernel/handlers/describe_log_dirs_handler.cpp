#include "handlers/describe_log_dirs_handler.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "protocol/generated/describe_log_dirs_response.hpp"

namespace brokkr::handlers {

using protocol::DescribeLogDirsResponse;

void DescribeLogDirsHandler::handle(const RequestContext& context, protocol::DescribeLogDirsRequest request,
                                    ResponseWriter respond) {
  // null: every partition; otherwise only the listed ones.
  std::optional<std::set<std::pair<std::string, std::int32_t>>> wanted;
  if (request.topics) {
    wanted.emplace();
    for (const auto& topic : *request.topics) {
      for (auto p : topic.partitions) wanted->insert({topic.topic, p});
    }
  }

  DescribeLogDirsResponse::DescribeLogDirsResult dir;
  dir.log_dir = partitions_.storage().log_dir();
  std::map<std::string, std::vector<DescribeLogDirsResponse::DescribeLogDirsPartition>> by_topic;
  for (const auto& partition : partitions_.all()) {
    const auto& id = partition->id();
    if (wanted && !wanted->count({id.topic, id.partition})) continue;
    DescribeLogDirsResponse::DescribeLogDirsPartition entry;
    entry.partition_index = id.partition;
    entry.partition_size = partition->log().size_bytes();
    entry.offset_lag = 0;
    entry.is_future_key = false;
    by_topic[id.topic].push_back(entry);
  }
  for (auto& [name, partitions] : by_topic) {
    std::sort(partitions.begin(), partitions.end(),
              [](const auto& a, const auto& b) { return a.partition_index < b.partition_index; });
    DescribeLogDirsResponse::DescribeLogDirsTopic topic;
    topic.name = name;
    topic.partitions = std::move(partitions);
    dir.topics.push_back(std::move(topic));
  }
  std::error_code ec;
  auto space = std::filesystem::space(dir.log_dir, ec);
  if (!ec) {
    dir.total_bytes = static_cast<std::int64_t>(space.capacity);
    dir.usable_bytes = static_cast<std::int64_t>(space.available);
  }

  DescribeLogDirsResponse response;
  response.results.push_back(std::move(dir));
  respond.send(response);
}

}  // namespace brokkr::handlers
