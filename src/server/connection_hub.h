// ConnectionHub: the state an HttpServer shares with its connections (handler, limits,
// store and hashing pools, shutdown flag) and the registry that enforces max_connections
// and lets shutdown close idle connections.
#ifndef WRIT_SERVER_CONNECTION_HUB_H_
#define WRIT_SERVER_CONNECTION_HUB_H_

#include <utility>  // Boost 1.74's Asio needs it before its own headers.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/thread_pool.hpp>

#include "server/http_server.h"

namespace writ::server {

class ConnectionBase;

// ConnectionHub is shared (by shared_ptr) between the server and every connection, so it
// outlives all of them. Thread-safe.
class ConnectionHub {
 public:
  using PoolExecutor = boost::asio::thread_pool::executor_type;

  ConnectionHub(std::shared_ptr<HttpHandler> handler, const HttpLimits& limits, PoolExecutor store,
                PoolExecutor hashing);

  HttpHandler& handler() const { return *handler_; }
  const HttpLimits& limits() const { return limits_; }
  // The pools of HttpHandler::Placement::kStore and kHashing.
  PoolExecutor store_executor() const { return store_; }
  PoolExecutor hashing_executor() const { return hashing_; }
  // True once BeginStop() ran: responses close their connection, idle connections end.
  bool stopping() const;

  // Registers `connection` and returns its id, or nothing when max_connections are open
  // or the hub is stopping (the caller then drops the connection, closing its socket).
  [[nodiscard]] std::optional<std::uint64_t> Register(std::weak_ptr<ConnectionBase> connection);
  void Unregister(std::uint64_t id);
  // Sets stopping() and closes every connection that waits for a request.
  void BeginStop();
  // Waits until no connection is registered or `deadline` passes; true when none is left.
  bool WaitUntilEmpty(std::chrono::steady_clock::time_point deadline);

 private:
  const std::shared_ptr<HttpHandler> handler_;
  const HttpLimits limits_;
  const PoolExecutor store_;
  const PoolExecutor hashing_;
  mutable std::mutex mutex_;
  std::condition_variable empty_;
  bool stopping_ = false;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<ConnectionBase>> connections_;
};

// What ConnectionHub::BeginStop needs from a connection.
class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Closes the connection if it waits for the next request (or its TLS handshake); a
  // connection reading or answering a request finishes it first.
  virtual void CloseIfIdle() = 0;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_CONNECTION_HUB_H_
