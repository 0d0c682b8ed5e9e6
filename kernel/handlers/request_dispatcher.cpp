#include "handlers/request_dispatcher.hpp"

#include <string>

#include "logging/logging.hpp"
#include "protocol/decode_error.hpp"
#include "protocol/generated/api_catalog.hpp"

namespace brokkr::handlers {
namespace {

std::string api_label(std::int16_t api_key, std::int16_t version) {
  const protocol::ApiInfo* info = protocol::find_api(api_key);
  std::string name = info ? info->name : "api " + std::to_string(api_key);
  return name + " v" + std::to_string(version);
}

// Kafka's rule; for a version newer than any we know (an ApiVersions probe
// from a newer client) the header is flexible exactly when the newest known
// version is.
std::int16_t header_version_for(std::int16_t api_key, std::int16_t version) {
  const protocol::ApiInfo* info = protocol::find_api(api_key);
  if (info && version > info->max_version) version = info->max_version;
  return protocol::request_header_version(api_key, version);
}

}  // namespace

void RequestDispatcher::on_request(std::vector<std::uint8_t> frame,
                                   const net::ConnectionInfo& connection,
                                   net::OutcomeCallback done) {
  protocol::WireReader reader(frame);
  std::int16_t api_key = -1;
  std::int16_t version = -1;
  try {
    // The first three header fields are the same in every header version.
    protocol::WireReader peek(frame);
    api_key = peek.read_int16();
    version = peek.read_int16();

    ApiHandler* handler = registry_.find(api_key);
    if (!handler) {
      return done(net::RequestOutcome::close("unsupported API key " + std::to_string(api_key)));
    }
    bool supported = version >= handler->min_version() && version <= handler->max_version();
    if (!supported && !handler->accepts_unsupported_versions()) {
      return done(net::RequestOutcome::close(
          "unsupported version " + std::to_string(version) + " of " + handler->name() +
          " (supported " + std::to_string(handler->min_version()) + "-" +
          std::to_string(handler->max_version()) + ")"));
    }

    protocol::RequestHeader header;
    header.decode(reader, header_version_for(api_key, version));
    RequestContext context{header, version, connection};
    handler->handle(context, reader, ResponseWriter(header.correlation_id, api_key, version, done));
  } catch (const protocol::DecodeError& e) {
    done(net::RequestOutcome::close("malformed " + api_label(api_key, version) +
                                    " request: " + e.what()));
  } catch (const std::exception& e) {
    logging::get("protocol")->error("{} request from {} failed: {}", api_label(api_key, version),
                                    connection.describe(), e.what());
    done(net::RequestOutcome::close("internal error handling " + api_label(api_key, version)));
  }
}

}  // namespace brokkr::handlers
