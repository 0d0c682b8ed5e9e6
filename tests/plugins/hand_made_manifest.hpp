// Exports a manifest that is right in every field but one, chosen by the
// includer with TEST_SDK_FINGERPRINT / TEST_TOOLCHAIN_FINGERPRINT.
#pragma once

#include "test_assignor.hpp"

#ifndef TEST_SDK_FINGERPRINT
#define TEST_SDK_FINGERPRINT BROKKR_SDK_FINGERPRINT
#endif
#ifndef TEST_TOOLCHAIN_FINGERPRINT
#define TEST_TOOLCHAIN_FINGERPRINT BROKKR_SDK_TOOLCHAIN_FINGERPRINT
#endif

namespace {
const brokkr::sdk::PluginManifest hand_made_manifest{
    brokkr::sdk::kAbiVersion,
    static_cast<std::uint32_t>(sizeof(brokkr::sdk::PluginManifest)),
    TEST_SDK_FINGERPRINT,
    TEST_TOOLCHAIN_FINGERPRINT,
    brokkr::sdk::PluginKind::assignor,
    TEST_PLUGIN_NAME,
    "0.0.1",
    "test plugin with a doctored manifest",
    brokkr::sdk::detail::factories_for<brokkr::sdk::Assignor, brokkr_test::TestAssignor>()};
}  // namespace

extern "C" {
__attribute__((visibility("default"), section("boostdll"), used))
const void* brokkr_plugin_manifest = &hand_made_manifest;
}
