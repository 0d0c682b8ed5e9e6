#include "console-producer/produce_lines.hpp"

#include <unistd.h>

#include <atomic>
#include <iostream>

#include "client/producer/producer.hpp"
#include "console-producer/line_reader.hpp"

namespace brokkr::cli {
namespace {

// Kafka's ErrorLoggingCallback (logAsString=false): sizes, not contents.
std::string describe_bytes(const std::optional<std::string>& bytes) {
  return bytes ? std::to_string(bytes->size()) + " bytes" : "null";
}

}  // namespace

int produce_lines(const std::string& topic, const client::Properties& producer_properties,
                  const std::map<std::string, std::string>& reader_properties, bool sync) {
  LineReader reader(topic, reader_properties);
  client::Producer producer(producer_properties);
  std::atomic<long> failed{0};
  const bool prompt = ::isatty(STDIN_FILENO) == 1;  // Kafka: System.console() != null

  std::ios::sync_with_stdio(false);
  std::string line;
  long line_number = 0;
  bool first = true;
  for (;;) {
    ++line_number;
    if (prompt) std::cout << ">" << std::flush;
    if (!std::getline(std::cin, line)) break;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // Java's readLine drops "\r\n" too
    auto record = reader.parse(line, line_number);
    if (first) {
      // A cluster that cannot be reached ends the tool with one line rather
      // than an error per record.
      producer.partition_count(topic);
      first = false;
    }
    auto key_text = describe_bytes(record.key);
    auto value_text = describe_bytes(record.value);
    producer.send(record, [&failed, topic, key_text, value_text](const client::RecordMetadata&,
                                                                 const client::SendError* error) {
      if (error == nullptr) return;
      ++failed;
      std::cerr << "ERROR Error when sending message to topic " << topic << " with key: " << key_text
                << ", value: " << value_text << " with error: " << error->to_string() << std::endl;
    });
    if (sync) producer.flush();
  }
  producer.close();
  return failed.load() == 0 ? 0 : 1;
}

}  // namespace brokkr::cli
