#include "handlers/list_groups_handler.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/generated/list_groups_response.hpp"

namespace brokkr::handlers {
namespace {

// Whether v5's types filter (any case) names `type` ("classic" or "consumer").
bool names_type(const std::vector<std::string>& types, const std::string& type) {
  return std::any_of(types.begin(), types.end(), [&](std::string t) {
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    return t == type;
  });
}

}  // namespace

void ListGroupsHandler::handle(const RequestContext&, protocol::ListGroupsRequest request, ResponseWriter respond) {
  auto [error, groups] = coordinator_.list_groups(request.states_filter);
  protocol::ListGroupsResponse out;
  out.error_code = protocol::code(error);
  for (auto& g : groups) {
    if (!request.types_filter.empty() && !names_type(request.types_filter, g.group_type)) continue;
    protocol::ListGroupsResponse::ListedGroup listed;
    listed.group_id = std::move(g.group_id);
    listed.protocol_type = std::move(g.protocol_type);
    listed.group_state = std::move(g.state);
    listed.group_type = std::move(g.group_type);
    out.groups.push_back(std::move(listed));
  }
  respond.send(out);
}

}  // namespace brokkr::handlers
