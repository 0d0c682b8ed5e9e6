// CreatePartitions (key 37), v0-v3: grows topics, with or without explicit
// placement of the new partitions; validate_only.
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/create_partitions_request.hpp"

namespace brokkr::handlers {

class CreatePartitionsHandler final : public TypedHandler<protocol::CreatePartitionsRequest> {
 public:
  explicit CreatePartitionsHandler(cluster::TopicAdmin& admin) : admin_(admin) {}
  const char* name() const override { return "CreatePartitions"; }

 protected:
  void handle(const RequestContext& context, protocol::CreatePartitionsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
};

}  // namespace brokkr::handlers
