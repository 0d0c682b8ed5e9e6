// An ordinary shared library. If the host ever dlopen'ed it, this static
// initializer would leave a mark the test looks for.
#include <cstdlib>

namespace {
struct MarkLoaded {
  MarkLoaded() { setenv("BROKKR_TEST_NOT_A_PLUGIN_LOADED", "1", 1); }
} mark_loaded;
}  // namespace

extern "C" __attribute__((visibility("default"))) int not_a_plugin_answer() { return 42; }
