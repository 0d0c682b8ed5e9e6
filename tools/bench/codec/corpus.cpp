#include "corpus.hpp"

#include <array>
#include <cstdio>
#include <random>
#include <string>

namespace brokkr::bench {
namespace {

constexpr std::array kWords = {
    "the",      "of",        "and",     "to",       "in",        "is",       "for",
    "that",     "with",      "on",      "request",  "response",  "user",     "order",
    "payment",  "session",   "cache",   "timeout",  "retry",     "connection",
    "broker",   "topic",     "partition", "offset", "consumer",  "producer", "batch",
    "record",   "leader",    "replica", "commit",   "latency",   "service",  "deployed",
    "failed",   "succeeded", "started", "stopped",  "received",  "sent",     "queue",
    "database", "query",     "index",   "shard",    "region",    "client",   "server",
    "token",    "expired",   "invalid", "accepted", "rejected",  "status",   "account",
    "checkout", "inventory", "shipment", "customer", "warehouse", "quantity", "price",
    "discount", "currency",  "EUR",     "USD",      "mobile",    "desktop",  "android",
    "ios",      "chrome",    "firefox", "eu-west-1", "us-east-1", "healthy", "degraded",
};
constexpr std::array kLevels = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
constexpr std::array kServices = {"orders", "payments", "gateway", "search", "auth", "billing"};
constexpr std::array kPaths = {"/api/v1/orders", "/api/v1/cart", "/health", "/api/v2/search",
                               "/login", "/api/v1/payments/authorize"};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  // Skewed: low indexes are much more frequent, like words in text.
  const char* word() {
    const std::size_t n = kWords.size();
    return kWords[below(below(n) + 1)];
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  std::string hex(int digits) {
    static const char* k = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < digits; ++i) s += k[below(16)];
    return s;
  }

  std::string log_line() {
    now_ms_ += below(50);
    char head[256];
    std::snprintf(head, sizeof head,
                  "{\"ts\":%llu,\"level\":\"%s\",\"service\":\"%s\",\"host\":\"web-%02zu\","
                  "\"trace\":\"%s\",\"path\":\"%s\",\"status\":%d,\"ms\":%zu,\"msg\":\"",
                  static_cast<unsigned long long>(now_ms_), kLevels[below(kLevels.size())],
                  kServices[below(kServices.size())], below(40), hex(16).c_str(),
                  kPaths[below(kPaths.size())], below(10) ? 200 : 500, below(900));
    return head;
  }

  std::string record(bool log) {
    std::string r = log ? log_line() : std::string();
    while (r.size() < kRecordBytes) {
      r += word();
      r += below(12) ? " " : (below(2) ? ", " : ". ");
      if (below(20) == 0) r += std::to_string(below(100000)) + " ";
    }
    r.resize(kRecordBytes - 3);
    r += log ? "\"}\n" : ".\n\n";
    return r;
  }

 private:
  std::mt19937_64 rng_;
  std::uint64_t now_ms_ = 1767225600000;  // 2026-01-01
};

}  // namespace

std::vector<std::uint8_t> make_corpus(std::size_t bytes, std::uint64_t seed) {
  Generator gen(seed);
  std::vector<std::uint8_t> out;
  out.reserve(bytes + kRecordBytes);
  for (std::size_t i = 0; out.size() < bytes; ++i) {
    const std::string r = gen.record(i % 2 == 0);
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

}  // namespace brokkr::bench
