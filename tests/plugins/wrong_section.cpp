// Exports a symbol called brokkr_plugin_manifest, but not in the "boostdll"
// section: the host must not treat (or load) it as a plugin.
#include <cstdlib>

namespace {
struct MarkLoaded {
  MarkLoaded() { setenv("BROKKR_TEST_WRONG_SECTION_LOADED", "1", 1); }
} mark_loaded;
const int nothing = 0;
}  // namespace

extern "C" {
__attribute__((visibility("default"), used)) const void* brokkr_plugin_manifest = &nothing;
}
