// The cluster: DescribeCluster when the broker offers it, else Metadata.
#include <algorithm>

#include "admin/admin_client.hpp"
#include "client_error.hpp"
#include "protocol/generated/describe_cluster_request.hpp"
#include "protocol/generated/describe_cluster_response.hpp"

namespace brokkr::client::admin {

ClusterDescription AdminClient::describe_cluster() {
  ClusterDescription out;
  BrokerConnection& connection = cluster_.any_broker();
  if (connection.broker_versions(protocol::DescribeClusterRequest::kApiKey).max >= 0) {
    protocol::DescribeClusterRequest request;
    auto response = connection.call<protocol::DescribeClusterResponse>(request);
    throw_if_error(response.error_code, "", response.error_message.value_or(""));
    out.cluster_id = response.cluster_id;
    out.controller_id = response.controller_id;
    for (const auto& b : response.brokers) {
      out.brokers.push_back(BrokerNode{b.broker_id, b.host, b.port, b.rack.value_or("")});
    }
  } else {
    const auto& metadata = cluster_.refresh_metadata(std::vector<std::string>{});
    out.cluster_id = metadata.cluster_id;
    out.controller_id = metadata.controller_id;
    for (const auto& [id, b] : metadata.brokers) out.brokers.push_back(BrokerNode{id, b.host, b.port, b.rack});
  }
  std::sort(out.brokers.begin(), out.brokers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace brokkr::client::admin
