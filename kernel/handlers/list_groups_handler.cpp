#include "handlers/list_groups_handler.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/generated/list_groups_response.hpp"

namespace brokkr::handlers {
namespace {

constexpr const char* kClassic = "classic";

bool names_classic(const std::vector<std::string>& types) {
  return std::any_of(types.begin(), types.end(), [](std::string t) {
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
    return t == kClassic;
  });
}

}  // namespace

void ListGroupsHandler::handle(const RequestContext&, protocol::ListGroupsRequest request, ResponseWriter respond) {
  auto [error, groups] = coordinator_.list_groups(request.states_filter);
  protocol::ListGroupsResponse out;
  out.error_code = protocol::code(error);
  // Every group here is a classic group (v5's types filter).
  bool wanted = request.types_filter.empty() || names_classic(request.types_filter);
  for (auto& g : groups) {
    if (!wanted) break;
    protocol::ListGroupsResponse::ListedGroup listed;
    listed.group_id = std::move(g.group_id);
    listed.protocol_type = std::move(g.protocol_type);
    listed.group_state = std::move(g.state);
    listed.group_type = kClassic;
    out.groups.push_back(std::move(listed));
  }
  respond.send(out);
}

}  // namespace brokkr::handlers
