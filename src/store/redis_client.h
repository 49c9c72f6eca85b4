// writ::store::RedisClient: the shared Redis connection of one `writ serve` process, for
// hot, expiring state (throttle counters, revocation notices). Thread-safe: one connection
// behind a mutex (commands are short; the callers are login and logout, not the hot path).
// A failed call drops the connection and the next call connects again, so a Redis restart
// needs no writ restart. Every failure is kStorage "redis unavailable: ..." within the
// connect + command timeouts; never an exception, never the password.
//
// Fail fast: a failure that dropped the connection after making its caller wait (a connect,
// AUTH or command that ran into its timeout: Redis hung or unreachable) starts a backoff
// window, 250 ms after the first such failure and doubling up to 2 s. Calls inside the
// window get that failure again at once, without touching the network, instead of queueing
// on the mutex for a timeout each; the first call after it tries again. Any answer from
// Redis ends the backoff. A failure that cost no wait (connection refused, connection
// closed by a restarting Redis) is retried by the very next call, so recovery is immediate.
#ifndef WRIT_STORE_REDIS_CLIENT_H_
#define WRIT_STORE_REDIS_CLIENT_H_

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "store/redis_connection.h"
#include "writ/result.h"

namespace writ::store {

class RedisClient {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  // The first backoff window, and the longest (see above).
  static constexpr std::chrono::milliseconds kFirstBackoff{250};
  static constexpr std::chrono::milliseconds kMaxBackoff{2'000};

  // Does not connect: the first command does (so a server can start while Redis is down
  // and refuse what needs it until it returns). `now` drives the backoff windows (tests
  // step it); how long a failed attempt made its caller wait is always steady_clock time.
  explicit RedisClient(
      RedisOptions options,
      std::function<SteadyTime()> now = [] { return std::chrono::steady_clock::now(); })
      : options_(std::move(options)), now_(std::move(now)) {}

  // One command (see RedisConnection::Command); inside a backoff window, at once the
  // failure that started it.
  [[nodiscard]] Result<RedisReply> Command(std::span<const std::string_view> argv);
  [[nodiscard]] Result<RedisReply> Command(std::initializer_list<std::string_view> argv) {
    return Command(std::span<const std::string_view>(argv.begin(), argv.size()));
  }
  // PING; kStorage when Redis cannot be reached or refuses us.
  [[nodiscard]] Status Ping();

  const RedisOptions& options() const { return options_; }

 private:
  // One attempt: connects when there is no connection, runs the command, drops the
  // connection when it broke. The caller holds mutex_.
  Result<RedisReply> Attempt(std::span<const std::string_view> argv);

  const RedisOptions options_;
  const std::function<SteadyTime()> now_;
  std::mutex mutex_;  // guards the members below
  std::unique_ptr<RedisConnection> connection_;  // null until connected, and after a failure
  // The backoff: while last_failure_ is set, calls before retry_at_ get it again; backoff_
  // is the current window (zero after a success or a failure that cost no wait).
  std::optional<Error> last_failure_;
  SteadyTime retry_at_{};
  std::chrono::milliseconds backoff_{0};
};

}  // namespace writ::store

#endif  // WRIT_STORE_REDIS_CLIENT_H_
