#include "producer-perf-test/perf_options.hpp"

#include <charconv>

#include "client/client_error.hpp"
#include "common/client_options.hpp"

namespace brokkr::cli {

void add_perf_options(CommandLine& c) {
  c.option("topic", "TOPIC", "produce messages to this topic");
  c.option("num-records", "NUM-RECORDS", "number of messages to produce");
  c.option("record-size", "RECORD-SIZE",
           "message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or "
           "--payload-monotonic.");
  c.option("payload-file", "PAYLOAD-FILE",
           "file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be "
           "read from this file and a payload will be randomly selected when sending messages. Note that you must "
           "provide exactly one of --record-size or --payload-file or --payload-monotonic.");
  c.flag("payload-monotonic",
         "payload is monotonically increasing integer. Note that you must provide exactly one of --record-size or "
         "--payload-file or --payload-monotonic.");
  c.option("payload-delimiter", "PAYLOAD-DELIMITER",
           "provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this "
           "parameter will be ignored if --payload-file is not provided. (default: \\n)");
  c.option("throughput", "THROUGHPUT",
           "throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable "
           "throttling.");
  c.option("producer-props", "PROP-NAME=PROP-VALUE",
           "kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take "
           "precedence over those passed via --producer.config.",
           true);
  c.option("producer.config", "CONFIG-FILE", "producer config properties file.");
  c.option("command-config", "CONFIG-FILE", "The same as --producer.config.");
  c.option("bootstrap-server", "BOOTSTRAP-SERVER",
           "The server(s) to connect to, host:port[,host:port]; sets bootstrap.servers, and takes precedence over "
           "--producer-props and --producer.config.");
  c.flag("print-metrics", "print out metrics at the end of the test. (Brokkr's client has no metrics yet: a note says so.)");
  c.option("transactional-id", "TRANSACTIONAL-ID",
           "The transactional id to use. Not supported by Brokkr's client yet: the tool refuses it.");
  c.option("transaction-duration-ms", "TRANSACTION-DURATION",
           "The max age of each transaction. Not supported by Brokkr's client yet: the tool refuses it.");
}

PerfOptions perf_options(const CommandLine& c) {
  PerfOptions o;
  o.topic = c.required("topic");
  o.num_records = c.int_value("num-records", 0);
  if (!c.has("num-records")) throw UsageError("argument --num-records is required");
  if (!c.has("throughput")) throw UsageError("argument --throughput is required");
  auto throughput_text = *c.value("throughput");
  try {
    std::size_t used = 0;
    o.throughput = std::stod(throughput_text, &used);
    if (used != throughput_text.size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    throw UsageError("argument --throughput: could not convert '" + throughput_text + "' to Double");
  }

  int payload_options = c.has("record-size") + c.has("payload-file") + c.has("payload-monotonic");
  if (payload_options == 0) {
    throw UsageError("one of the arguments --record-size --payload-file --payload-monotonic is required");
  }
  if (payload_options > 1) {
    throw UsageError("only one of the arguments --record-size --payload-file --payload-monotonic may be given");
  }
  if (c.has("record-size")) o.record_size = static_cast<std::int32_t>(c.int_value("record-size", 0));
  o.payload_file = c.value("payload-file");
  o.payload_monotonic = c.has("payload-monotonic");
  if (auto d = c.value("payload-delimiter"); d && *d != "\\n") o.payload_delimiter = *d;
  o.print_metrics = c.has("print-metrics");

  if (o.num_records <= 0) throw UsageError("--num-records should be greater than zero");
  if (o.record_size && *o.record_size <= 0) throw UsageError("--record-size should be greater than zero");
  if (!c.has("producer-props") && !c.has("producer.config") && !c.has("command-config") && !c.has("bootstrap-server")) {
    throw UsageError("Either --producer-props or --producer.config must be specified.");
  }

  auto& props = o.producer_properties;
  props = layered_properties(c, {"producer.config", "command-config"}, "producer-props", PairSyntax::kSingleEquals);
  apply_flag(props, c, "bootstrap-server", "bootstrap.servers");
  if (!props.contains("bootstrap.servers")) {
    throw client::ClientError("Missing required configuration \"bootstrap.servers\" which has no default value.");
  }
  props.set_default("client.id", "perf-producer-client");

  if (c.has("transactional-id") || c.has("transaction-duration-ms") || props.contains("transactional.id")) {
    throw client::ClientError(
        "Transactions are not supported by Brokkr's producer yet (--transactional-id, --transaction-duration-ms, "
        "transactional.id)");
  }
  return o;
}

}  // namespace brokkr::cli
