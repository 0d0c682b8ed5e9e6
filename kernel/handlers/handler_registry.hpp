// The APIs this broker serves, by API key.
#pragma once

#include <map>
#include <memory>

#include "handlers/api_handler.hpp"

namespace brokkr::handlers {

class HandlerRegistry {
 public:
  void add(std::unique_ptr<ApiHandler> handler);
  ApiHandler* find(std::int16_t api_key) const;
  const std::map<std::int16_t, std::unique_ptr<ApiHandler>>& all() const { return handlers_; }

 private:
  std::map<std::int16_t, std::unique_ptr<ApiHandler>> handlers_;
};

}  // namespace brokkr::handlers
