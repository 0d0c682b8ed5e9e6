// Claims to be built with another compiler and standard library.
#define TEST_TOOLCHAIN_FINGERPRINT "gcc-0/libstdc++-19700101-cxx11abi0"
#include "hand_made_manifest.hpp"
