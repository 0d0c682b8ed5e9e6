// The console producer's loop: a record per line of standard input until
// end of input, each sent asynchronously (or, with --sync, one at a time).
#pragma once

#include <map>
#include <string>

#include "client/properties.hpp"

namespace brokkr::cli {

// Returns the exit code: 0 when every record was acknowledged, 1 otherwise
// (each failed record is reported on stderr as Kafka's ErrorLoggingCallback
// logs it).
int produce_lines(const std::string& topic, const client::Properties& producer_properties,
                  const std::map<std::string, std::string>& reader_properties, bool sync);

}  // namespace brokkr::cli
