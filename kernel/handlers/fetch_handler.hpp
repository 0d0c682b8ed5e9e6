// Fetch (key 1): reads partitions from the high watermark down to the
// socket without copying (file ranges sent with sendfile), long-polls with
// fetch.min.bytes / max.wait.ms, honours response and partition byte
// limits, and keeps fetch sessions (KIP-227, v7+). v0-3 clients read only
// message formats 0/1: their records are down-converted in memory.
#pragma once

#include <boost/asio/io_context.hpp>

#include "cluster/metadata_cache.hpp"
#include "fetch/fetch_session_cache.hpp"
#include "handlers/api_handler.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/fetch_request.hpp"

namespace brokkr::handlers {

class FetchHandler final : public TypedHandler<protocol::FetchRequest> {
 public:
  FetchHandler(boost::asio::io_context& io, const cluster::MetadataCache& metadata,
               partition::PartitionManager& partitions)
      : io_(io), metadata_(metadata), partitions_(partitions) {}
  const char* name() const override { return "Fetch"; }
  // Kept from v0 (Kafka 4 dropped v0-3): librdkafka only compresses with
  // gzip/snappy when Fetch v2 is advertised.
  std::int16_t min_version() const override { return 0; }

 protected:
  void handle(const RequestContext& context, protocol::FetchRequest request,
              ResponseWriter respond) override;

 private:
  boost::asio::io_context& io_;
  const cluster::MetadataCache& metadata_;
  partition::PartitionManager& partitions_;
  fetch::FetchSessionCache sessions_;
};

}  // namespace brokkr::handlers
