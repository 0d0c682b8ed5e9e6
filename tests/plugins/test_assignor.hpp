// A trivial assignor shared by the test plugins: every member gets nothing
// but its own entry. Its name is the plugin name it was built as.
#pragma once

#include "brokkr/sdk/assignor.hpp"

#ifndef TEST_PLUGIN_NAME
#error "define TEST_PLUGIN_NAME"
#endif

namespace brokkr_test {

class TestAssignor : public brokkr::sdk::Assignor {
 public:
  explicit TestAssignor(const brokkr::sdk::PluginContext& context) : config_(context.config) {
    config_.reject_unknown_keys({});
  }
  std::string name() const override { return TEST_PLUGIN_NAME; }
  brokkr::sdk::Assignment assign(const brokkr::sdk::AssignmentInput& input) override {
    brokkr::sdk::Assignment out;
    for (const auto& member : input.members) out[member.member_id];
    return out;
  }

 private:
  brokkr::sdk::ConfigTable config_;
};

}  // namespace brokkr_test
