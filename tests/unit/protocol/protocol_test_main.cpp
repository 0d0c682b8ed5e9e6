// Catch2 main for the protocol unit tests. Leave it out if the protocol tests
// are linked into an executable that already has a Catch2 main.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
