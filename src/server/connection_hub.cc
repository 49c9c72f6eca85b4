// Implementation of ConnectionHub (see connection_hub.h).
#include "server/connection_hub.h"

#include <vector>

namespace writ::server {

ConnectionHub::ConnectionHub(std::shared_ptr<HttpHandler> handler, const HttpLimits& limits,
                             PoolExecutor store, PoolExecutor hashing)
    : handler_(std::move(handler)),
      limits_(limits),
      store_(std::move(store)),
      hashing_(std::move(hashing)) {}

bool ConnectionHub::stopping() const {
  const std::lock_guard lock(mutex_);
  return stopping_;
}

std::optional<std::uint64_t> ConnectionHub::Register(std::weak_ptr<ConnectionBase> connection) {
  const std::lock_guard lock(mutex_);
  if (stopping_ || connections_.size() >= limits_.max_connections) {
    return std::nullopt;
  }
  const std::uint64_t id = next_id_++;
  connections_.emplace(id, std::move(connection));
  return id;
}

void ConnectionHub::Unregister(std::uint64_t id) {
  const std::lock_guard lock(mutex_);
  connections_.erase(id);
  if (connections_.empty()) {
    empty_.notify_all();
  }
}

void ConnectionHub::BeginStop() {
  std::vector<std::shared_ptr<ConnectionBase>> open;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const auto& [id, weak] : connections_) {
      if (auto connection = weak.lock()) {
        open.push_back(std::move(connection));
      }
    }
  }
  for (const auto& connection : open) {
    connection->CloseIfIdle();
  }
}

bool ConnectionHub::WaitUntilEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return empty_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

}  // namespace writ::server
