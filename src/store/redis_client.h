// writ::store::RedisClient: the shared Redis connection of one `writ serve` process, for
// hot, expiring state (throttle counters, revocation notices). Thread-safe: one connection
// behind a mutex (commands are short; the callers are login and logout, not the hot path).
// A failed call drops the connection and the next call connects again, so a Redis restart
// needs no writ restart. Every failure is kStorage "redis unavailable: ..." within the
// connect + command timeouts; never an exception, never the password.
#ifndef WRIT_STORE_REDIS_CLIENT_H_
#define WRIT_STORE_REDIS_CLIENT_H_

#include <initializer_list>
#include <memory>
#include <mutex>
#include <string_view>

#include "store/redis_connection.h"
#include "writ/result.h"

namespace writ::store {

class RedisClient {
 public:
  // Does not connect: the first command does (so a server can start while Redis is down
  // and refuse what needs it until it returns).
  explicit RedisClient(RedisOptions options) : options_(std::move(options)) {}

  // One command; see RedisConnection::Command.
  [[nodiscard]] Result<RedisReply> Command(std::span<const std::string_view> argv);
  [[nodiscard]] Result<RedisReply> Command(std::initializer_list<std::string_view> argv) {
    return Command(std::span<const std::string_view>(argv.begin(), argv.size()));
  }
  // PING; kStorage when Redis cannot be reached or refuses us.
  [[nodiscard]] Status Ping();

  const RedisOptions& options() const { return options_; }

 private:
  const RedisOptions options_;
  std::mutex mutex_;
  std::unique_ptr<RedisConnection> connection_;  // null until connected, and after a failure
};

}  // namespace writ::store

#endif  // WRIT_STORE_REDIS_CLIENT_H_
