#include "handlers/delete_groups_handler.hpp"

#include "protocol/generated/delete_groups_response.hpp"

namespace brokkr::handlers {

void DeleteGroupsHandler::handle(const RequestContext&, protocol::DeleteGroupsRequest request, ResponseWriter respond) {
  auto results = coordinator_.delete_groups(request.groups_names);
  protocol::DeleteGroupsResponse out;
  for (const auto& id : request.groups_names) {
    protocol::DeleteGroupsResponse::DeletableGroupResult r;
    r.group_id = id;
    r.error_code = protocol::code(results[id]);
    out.results.push_back(std::move(r));
  }
  respond.send(out);
}

}  // namespace brokkr::handlers
