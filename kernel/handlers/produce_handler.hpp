// Produce (key 0): validates and appends record batches; acks=0 sends no
// response, acks=1 answers after the leader's append, acks=-1 after the
// in-sync replicas have it (a delayed operation on the high watermark).
// v0-2 carry legacy message sets (magic 0/1): each is converted to one
// record batch first, then goes the same way.
#pragma once

#include <boost/asio/io_context.hpp>

#include "cluster/metadata_cache.hpp"
#include "handlers/api_handler.hpp"
#include "partition/partition_manager.hpp"
#include "protocol/generated/produce_request.hpp"

namespace brokkr::handlers {

class ProduceHandler final : public TypedHandler<protocol::ProduceRequest> {
 public:
  ProduceHandler(boost::asio::io_context& io, const cluster::MetadataCache& metadata,
                 partition::PartitionManager& partitions)
      : io_(io), metadata_(metadata), partitions_(partitions) {}
  const char* name() const override { return "Produce"; }
  // Kept from v0 (Kafka 4 dropped v0-2): librdkafka only compresses with
  // gzip/snappy when Produce v2 is advertised.
  std::int16_t min_version() const override { return 0; }

 protected:
  void handle(const RequestContext& context, protocol::ProduceRequest request,
              ResponseWriter respond) override;

 private:
  boost::asio::io_context& io_;
  const cluster::MetadataCache& metadata_;
  partition::PartitionManager& partitions_;
};

}  // namespace brokkr::handlers
