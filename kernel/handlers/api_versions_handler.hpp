// ApiVersions (key 18): the versions of every API this broker serves.
#pragma once

#include "handlers/handler_registry.hpp"

namespace brokkr::handlers {

class ApiVersionsHandler final : public ApiHandler {
 public:
  explicit ApiVersionsHandler(const HandlerRegistry& registry) : registry_(registry) {}

  std::int16_t api_key() const override;
  const char* name() const override { return "ApiVersions"; }
  std::int16_t min_version() const override;
  std::int16_t max_version() const override;
  bool accepts_unsupported_versions() const override { return true; }
  void handle(const RequestContext& context, protocol::WireReader& body,
              ResponseWriter respond) override;

 private:
  const HandlerRegistry& registry_;
};

}  // namespace brokkr::handlers
