// A request that waits on partitions (Kafka's "purgatory"): a long-poll
// Fetch waiting for data, an acks=all Produce waiting for the high
// watermark. It re-checks itself whenever a watched partition changes and
// completes exactly once: when its condition holds, or at its deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "partition/partition.hpp"

namespace brokkr::partition {

class DelayedOperation : public std::enable_shared_from_this<DelayedOperation> {
 public:
  DelayedOperation(boost::asio::io_context& io, std::chrono::milliseconds timeout);
  virtual ~DelayedOperation();

  // Checks once now, and if not yet complete, waits on `partitions`.
  void start(const std::vector<std::shared_ptr<Partition>>& partitions);

 protected:
  // Whether the operation can complete now (it then sends its response).
  virtual bool try_complete() = 0;
  // The deadline passed: send whatever there is.
  virtual void on_expired() = 0;

 private:
  void check();
  void finish();

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  std::chrono::milliseconds timeout_;
  std::atomic<bool> done_{false};
  std::mutex watch_mutex_;
  std::vector<std::pair<std::weak_ptr<Partition>, std::uint64_t>> watches_;
};

}  // namespace brokkr::partition
