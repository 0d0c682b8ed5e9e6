// Claims to be built against other SDK headers.
#define TEST_SDK_FINGERPRINT "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#include "hand_made_manifest.hpp"
