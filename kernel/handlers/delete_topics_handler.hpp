// DeleteTopics (key 20), v0-v6 (by name; v6 also by topic id). The logs are
// removed from disk by each replica's partition manager.
#pragma once

#include "cluster/topic_admin.hpp"
#include "handlers/api_handler.hpp"
#include "protocol/generated/delete_topics_request.hpp"

namespace brokkr::handlers {

class DeleteTopicsHandler final : public TypedHandler<protocol::DeleteTopicsRequest> {
 public:
  DeleteTopicsHandler(cluster::TopicAdmin& admin, const cluster::MetadataCache& metadata)
      : admin_(admin), metadata_(metadata) {}
  const char* name() const override { return "DeleteTopics"; }

 protected:
  void handle(const RequestContext& context, protocol::DeleteTopicsRequest request,
              ResponseWriter respond) override;

 private:
  cluster::TopicAdmin& admin_;
  const cluster::MetadataCache& metadata_;
};

}  // namespace brokkr::handlers
