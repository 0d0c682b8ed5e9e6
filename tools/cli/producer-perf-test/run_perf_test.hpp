// The perf test's main loop (ProducerPerformance.start): sends num-records
// records as fast as the throttler allows, each timed from send() to its
// acknowledgement, then closes the producer and prints the summary.
#pragma once

#include "producer-perf-test/perf_options.hpp"

namespace brokkr::cli {

// Returns the exit code.
int run_perf_test(const PerfOptions& options);

}  // namespace brokkr::cli
