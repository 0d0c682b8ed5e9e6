// ABI identity of the Brokkr plugin SDK.
//
// Plugins exchange C++ objects (std::string, std::vector, virtual classes)
// with the kernel, so a plugin must be built against the same SDK headers and
// an ABI-compatible compiler and standard library. The kernel compares three
// values before it trusts anything else in a plugin: the ABI version number,
// the fingerprint of the SDK headers, and the toolchain fingerprint.
#pragma once

#include <cstdint>

#include "brokkr/sdk/sdk_fingerprint.hpp"  // generated at SDK build time

namespace brokkr::sdk {

// Bumped by hand on any change that breaks binary compatibility on purpose.
inline constexpr std::uint32_t kAbiVersion = 1;

}  // namespace brokkr::sdk

#define BROKKR_SDK_STR_(x) #x
#define BROKKR_SDK_STR(x) BROKKR_SDK_STR_(x)

#if defined(__clang__)
#define BROKKR_SDK_COMPILER "clang-" BROKKR_SDK_STR(__clang_major__)
#elif defined(__GNUC__)
#define BROKKR_SDK_COMPILER "gcc-" BROKKR_SDK_STR(__GNUC__)
#else
#define BROKKR_SDK_COMPILER "unknown-compiler"
#endif

#if defined(_LIBCPP_VERSION)
#define BROKKR_SDK_STDLIB "libc++-" BROKKR_SDK_STR(_LIBCPP_VERSION)
#elif defined(__GLIBCXX__)
#define BROKKR_SDK_STDLIB \
  "libstdc++-" BROKKR_SDK_STR(__GLIBCXX__) "-cxx11abi" BROKKR_SDK_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define BROKKR_SDK_STDLIB "unknown-stdlib"
#endif

// Evaluated in the translation unit that includes it: the kernel and each
// plugin bake in the toolchain they were compiled with.
#define BROKKR_SDK_TOOLCHAIN_FINGERPRINT BROKKR_SDK_COMPILER "/" BROKKR_SDK_STDLIB
