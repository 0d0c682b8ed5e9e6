#include "console_consumer.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <deque>
#include <iostream>
#include <map>
#include <regex>
#include <thread>

#include "client/client_error.hpp"
#include "client/consumer/consumer.hpp"
#include "log_line.hpp"
#include "message_formatter.hpp"

namespace brokkr::cli {
namespace {

constexpr const char* kLogger = "org.apache.kafka.tools.consumer.ConsoleConsumer";

std::atomic<int> g_signal{0};
std::atomic<client::Consumer*> g_consumer{nullptr};

// SIGINT/SIGTERM are blocked in every thread and taken by this one, so no
// blocking call in the consumer is interrupted half-way.
void start_signal_thread() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals]() {
    int number = 0;
    if (sigwait(&signals, &number) != 0) return;
    g_signal.store(number);
    if (auto* consumer = g_consumer.load()) consumer->wakeup();
  }).detach();
}

void subscribe(client::Consumer& consumer, const ConsoleConsumerOptions& o) {
  if (o.partition) {
    client::TopicPartition tp{*o.topic, *o.partition};
    consumer.assign({tp});
    if (o.offset == -2) {
      consumer.seek_to_beginning({tp});
    } else if (o.offset == -1) {
      consumer.seek_to_end({tp});
    } else {
      consumer.seek(tp, o.offset);
    }
  } else if (o.topic) {
    consumer.subscribe(std::vector<std::string>{*o.topic});
  } else {
    consumer.subscribe(std::regex(*o.include));
  }
}

// Records fetched but not printed (after --max-messages) are not consumed:
// move the positions back so a commit does not cover them, as Kafka does.
void rewind_unprinted(client::Consumer& consumer, const std::deque<client::ConsumerRecord>& unprinted) {
  std::map<client::TopicPartition, std::int64_t> first;
  for (const auto& r : unprinted) first.try_emplace(client::TopicPartition{r.topic, r.partition}, r.offset);
  for (const auto& [tp, offset] : first) consumer.seek(tp, offset);
}

}  // namespace

int run_console_consumer(const ConsoleConsumerOptions& o) {
  start_signal_thread();
  std::signal(SIGPIPE, SIG_IGN);
  std::ios::sync_with_stdio(false);
  MessageFormatter formatter(o.formatter_properties);

  client::Consumer consumer(o.consumer_properties);
  consumer.on_warning([](const std::string& message) { log_line("WARN", message, "org.apache.kafka.clients.NetworkClient"); });
  consumer.cluster().any_broker();  // an unreachable bootstrap server fails here, in one line
  g_consumer.store(&consumer);
  if (g_signal.load() != 0) consumer.wakeup();

  std::int64_t count = 0;
  int exit_code = 0;
  std::deque<client::ConsumerRecord> pending;
  const bool has_timeout = o.timeout_ms >= 0;
  const auto timeout = std::chrono::milliseconds(std::max<std::int64_t>(o.timeout_ms, 0));
  try {
    subscribe(consumer, o);
    bool stop = false;
    while (!stop && (o.max_messages < 0 || count < o.max_messages)) {
      const auto waiting_since = std::chrono::steady_clock::now();
      while (pending.empty() && g_signal.load() == 0) {
        const auto waited =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - waiting_since);
        if (has_timeout && waited > timeout) break;
        // Short polls, so a signal is seen promptly.
        auto chunk = std::chrono::milliseconds(1000);
        if (has_timeout) chunk = std::min(chunk, timeout - waited + std::chrono::milliseconds(1));
        for (auto& record : consumer.poll(chunk)) pending.push_back(std::move(record));
      }
      if (g_signal.load() != 0) break;
      if (pending.empty()) {
        // Kafka logs the TimeoutException and exits normally.
        log_line("ERROR", "Error processing message, terminating consumer process: ", kLogger);
        std::cerr << "org.apache.kafka.common.errors.TimeoutException\n";
        break;
      }
      while (!pending.empty() && (o.max_messages < 0 || count < o.max_messages)) {
        ++count;
        formatter.write(pending.front(), std::cout);
        pending.pop_front();
        if (std::cout.fail()) {
          std::cerr << "Unable to write to standard out, closing consumer.\n";
          stop = true;
          break;
        }
      }
      std::cout.flush();
    }
  } catch (const std::exception& e) {
    std::cout.flush();
    log_line("ERROR", std::string("Error processing message, terminating consumer process: ") + e.what(), kLogger);
    exit_code = 1;
  }
  try {
    rewind_unprinted(consumer, pending);
    consumer.close();
  } catch (const std::exception& e) {
    log_line("ERROR", std::string("Error while closing the consumer: ") + e.what(), kLogger);
    if (exit_code == 0) exit_code = 1;
  }
  g_consumer.store(nullptr);
  std::cerr << "Processed a total of " << count << " messages\n";
  std::cerr.flush();
  if (int number = g_signal.load(); number != 0) {
    if (exit_code == 0) exit_code = 128 + number;
  }
  return exit_code;
}

}  // namespace brokkr::cli
