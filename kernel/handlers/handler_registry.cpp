#include "handlers/handler_registry.hpp"

#include <stdexcept>
#include <string>

namespace brokkr::handlers {

void HandlerRegistry::add(std::unique_ptr<ApiHandler> handler) {
  std::int16_t key = handler->api_key();
  if (handlers_.count(key)) {
    throw std::logic_error("two handlers for API key " + std::to_string(key));
  }
  handlers_[key] = std::move(handler);
}

ApiHandler* HandlerRegistry::find(std::int16_t api_key) const {
  auto it = handlers_.find(api_key);
  return it == handlers_.end() ? nullptr : it->second.get();
}

}  // namespace brokkr::handlers
