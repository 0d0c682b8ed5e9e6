// The console consumer's run: consume, print each record with the
// formatter, stop at --max-messages, after --timeout-ms without records, or
// on SIGINT/SIGTERM; then close cleanly (commit when auto-commit is on,
// leave the group) and report "Processed a total of N messages".
#pragma once

#include "console_consumer_options.hpp"

namespace brokkr::cli {

// Returns the exit code: 0, 1 after an error, 128+signal after SIGINT/SIGTERM.
int run_console_consumer(const ConsoleConsumerOptions& options);

}  // namespace brokkr::cli
