// A plugin from a hypothetical future SDK: only abi_version is where every
// version puts it; the rest of the manifest has another layout. The host
// must refuse it after reading abi_version alone. The manifest and its
// export are written by hand, as the SDK macro would.
#include <cstdint>
#include <cstdlib>

namespace {

struct FutureManifest {
  std::uint32_t abi_version;
  std::uint32_t flags;         // not a size
  std::uint64_t something;     // where a kernel of ABI 1 expects a pointer
  const char* never_read;
};

const FutureManifest future_manifest{999, 0xffffffffu, 0xdeadbeefdeadbeefull, nullptr};

// Shows the test that this library *was* loaded (unlike a non-plugin).
struct MarkLoaded {
  MarkLoaded() { setenv("BROKKR_TEST_ABI999_LOADED", "1", 1); }
} mark_loaded;

}  // namespace

extern "C" {
__attribute__((visibility("default"), section("boostdll"), used))
const void* brokkr_plugin_manifest = &future_manifest;
}
