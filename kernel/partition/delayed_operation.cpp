#include "partition/delayed_operation.hpp"

namespace brokkr::partition {
namespace asio = boost::asio;

DelayedOperation::DelayedOperation(asio::io_context& io, std::chrono::milliseconds timeout)
    : strand_(asio::make_strand(io)), timer_(strand_), timeout_(timeout) {}

DelayedOperation::~DelayedOperation() = default;

void DelayedOperation::start(const std::vector<std::shared_ptr<Partition>>& partitions) {
  if (try_complete()) {
    done_ = true;
    return;
  }
  auto self = shared_from_this();
  {
    std::lock_guard lock(watch_mutex_);
    for (const auto& partition : partitions) {
      // Partition listeners run on the appending thread: hop to our strand.
      std::weak_ptr<DelayedOperation> weak = self;
      auto handle = partition->add_listener([weak] {
        if (auto op = weak.lock()) asio::post(op->strand_, [op] { op->check(); });
      });
      watches_.emplace_back(partition, handle);
    }
  }
  timer_.expires_after(timeout_);
  timer_.async_wait([self](boost::system::error_code ec) {
    if (ec || self->done_.exchange(true)) return;
    self->finish();
    self->on_expired();
  });
  // A change between the first check and the listeners being in place.
  asio::post(strand_, [self] { self->check(); });
}

void DelayedOperation::check() {
  if (done_) return;
  if (try_complete()) {
    if (done_.exchange(true)) return;
    finish();
  }
}

void DelayedOperation::finish() {
  timer_.cancel();
  std::lock_guard lock(watch_mutex_);
  for (auto& [weak, handle] : watches_) {
    if (auto partition = weak.lock()) partition->remove_listener(handle);
  }
  watches_.clear();
}

}  // namespace brokkr::partition
