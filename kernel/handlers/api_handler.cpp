#include "handlers/api_handler.hpp"

#include "protocol/generated/api_catalog.hpp"
#include "protocol/generated/response_header.hpp"

namespace brokkr::handlers {

protocol::WireWriter begin_response_frame(std::int32_t correlation_id, std::int16_t header_version) {
  protocol::WireWriter writer;
  writer.write_int32(0);  // size, patched by finish_response_frame
  protocol::ResponseHeader header;
  header.correlation_id = correlation_id;
  header.encode(writer, header_version);
  return writer;
}

net::RequestOutcome finish_response_frame(protocol::WireWriter& writer) {
  writer.patch_int32(0, static_cast<std::int32_t>(writer.total_size() - 4));
  std::vector<net::FrameSplice> splices;
  for (auto& splice : writer.take_splices()) splices.push_back({splice.position, std::move(splice.slice)});
  return net::RequestOutcome::respond(writer.take(), std::move(splices));
}

std::int16_t ResponseWriter::header_version() const {
  return protocol::response_header_version(api_key_, api_version_);
}

}  // namespace brokkr::handlers
