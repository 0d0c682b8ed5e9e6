// A well-formed plugin, built the normal way.
#include "test_assignor.hpp"

BROKKR_PLUGIN(assignor, brokkr_test::TestAssignor, TEST_PLUGIN_NAME, "1.2.3",
              "test plugin that loads fine");
