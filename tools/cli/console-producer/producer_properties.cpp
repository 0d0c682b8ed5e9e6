#include "console-producer/producer_properties.hpp"

#include "common/client_options.hpp"

namespace brokkr::cli {
namespace {

// Flags that set one producer property, with Kafka's console defaults.
struct MergedOption {
  const char* flag;
  const char* property;
  const char* fallback;  // nullptr: no default, set only when given
};

const MergedOption kMerged[] = {
    {"timeout", "linger.ms", "1000"},
    {"request-required-acks", "acks", "-1"},
    {"request-timeout-ms", "request.timeout.ms", "1500"},
    {"message-send-max-retries", "retries", "3"},
    {"retry-backoff-ms", "retry.backoff.ms", "100"},
    {"socket-buffer-size", "send.buffer.bytes", "102400"},
    {"max-memory-bytes", "buffer.memory", "33554432"},
    {"batch-size", "batch.size", "16384"},
    {"max-partition-memory-bytes", "batch.size", nullptr},
    {"metadata-expiry-ms", "metadata.max.age.ms", "300000"},
    {"max-block-ms", "max.block.ms", "60000"},
};

}  // namespace

void add_console_producer_options(CommandLine& c) {
  c.option("topic", "String: topic", "REQUIRED: The topic name to produce messages to.");
  c.option("bootstrap-server", "String: server to connect to",
           "REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. The broker list "
           "string in the form HOST1:PORT1,HOST2:PORT2.");
  c.option("broker-list", "String: broker-list",
           "DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified.  The broker list "
           "string in the form HOST1:PORT1,HOST2:PORT2.");
  c.flag("sync", "If set message send requests to the brokers are synchronously, one at a time as they arrive.");
  c.optional_value_option("compression-codec", "String: compression-codec",
                          "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'.If specified "
                          "without value, then it defaults to 'gzip'");
  c.option("batch-size", "Integer: size",
           "Number of messages to send in a single batch if they are not being sent synchronously. please note that "
           "this option will be replaced if max-partition-memory-bytes is also set (default: 16384)");
  c.option("message-send-max-retries", "Integer",
           "Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just "
           "one of them. This property specifies the number of retries before the producer give up and drop this "
           "message. This is the option to control `retries` in producer configs. (default: 3)");
  c.option("retry-backoff-ms", "Long",
           "Before each retry, the producer refreshes the metadata of relevant topics. Since leader election takes a "
           "bit of time, this property specifies the amount of time that the producer waits before refreshing the "
           "metadata. This is the option to control `retry.backoff.ms` in producer configs. (default: 100)");
  c.option("timeout", "Long: timeout_ms",
           "If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message "
           "will queue awaiting sufficient batch size. The value is given in ms. This is the option to control "
           "`linger.ms` in producer configs. (default: 1000)");
  c.option("request-required-acks", "String: request required acks",
           "The required `acks` of the producer requests (default: -1)");
  c.option("request-timeout-ms", "Integer: request timeout ms",
           "The ack timeout of the producer requests. Value must be non-negative and non-zero. (default: 1500)");
  c.option("metadata-expiry-ms", "Long: metadata expiration interval",
           "The period of time in milliseconds after which we force a refresh of metadata even if we haven't seen "
           "any leadership changes. This is the option to control `metadata.max.age.ms` in producer configs. "
           "(default: 300000)");
  c.option("max-block-ms", "Long: max block on send",
           "The max time that the producer will block for during a send request. (default: 60000)");
  c.option("max-memory-bytes", "Long: total memory in bytes",
           "The total memory used by the producer to buffer records waiting to be sent to the server. This is the "
           "option to control `buffer.memory` in producer configs. (default: 33554432)");
  c.option("max-partition-memory-bytes", "Integer: memory in bytes per partition",
           "The buffer size allocated for a partition. When records are received which are smaller than this size "
           "the producer will attempt to optimistically group them together until this size is reached. This is the "
           "option to control `batch.size` in producer configs. (default: 16384)");
  c.option("line-reader", "String: reader_class",
           "The class name of the class to use for reading lines from standard in. By default each line is read as "
           "a separate message. Only the default, kafka.tools.LineMessageReader "
           "(org.apache.kafka.tools.LineMessageReader), is available.");
  c.option("socket-buffer-size", "Integer: size",
           "The size of the tcp RECV size. This is the option to control `send.buffer.bytes` in producer configs. "
           "(default: 102400)");
  c.option("property", "String: prop",
           "A mechanism to pass user-defined properties in the form key=value to the message reader. This allows "
           "custom configuration for a user-defined message reader.\n"
           "Default properties include:\n parse.key=false\n parse.headers=false\n ignore.error=false\n "
           "key.separator=\\t\n headers.delimiter=\\t\n headers.separator=,\n headers.key.separator=:\n null.marker=   "
           "When set, any fields (key, value and headers) equal to this will be replaced by null\n"
           "Default parsing pattern when:\n parse.headers=true and parse.key=true:\n  \"h1:v1,h2:v2...\\tkey\\tvalue\"\n "
           "parse.key=true:\n  \"key\\tvalue\"\n parse.headers=true:\n  \"h1:v1,h2:v2...\\tvalue\"",
           true);
  c.option("reader-config", "String: config file",
           "Config properties file for the message reader. Note that [property] takes precedence over this config.");
  c.option("producer-property", "String: producer_prop",
           "A mechanism to pass user-defined properties in the form key=value to the producer. ", true);
  c.option("producer.config", "String: config file",
           "Producer config properties file. Note that [producer-property] takes precedence over this config.");
  c.option("command-config", "String: config file", "The same as --producer.config (the name Brokkr's other tools use).");
}

client::Properties console_producer_properties(const CommandLine& c) {
  if (c.has("producer.config") && c.has("command-config")) {
    throw UsageError("Option producer.config and command-config are the same; give only one of them");
  }
  auto props = layered_properties(c, {"producer.config", "command-config"}, "producer-property", PairSyntax::kTrimmed);

  auto servers = c.value("bootstrap-server");
  if (!servers) servers = c.value("broker-list");
  if (!servers) throw UsageError("Missing required argument \"[bootstrap-server]\"");
  props.set("bootstrap.servers", *servers);

  std::string codec = "none";
  if (c.has("compression-codec")) {
    codec = *c.value("compression-codec");
    if (codec.empty()) codec = "gzip";
  }
  props.set("compression.type", codec);
  props.set_default("client.id", "console-producer");

  for (const auto& merged : kMerged) apply_flag(props, c, merged.flag, merged.property, merged.fallback);
  return props;
}

std::map<std::string, std::string> console_reader_properties(const CommandLine& c) {
  return layered_properties(c, {"reader-config"}, "property", PairSyntax::kTrimmed).all();
}

}  // namespace brokkr::cli
