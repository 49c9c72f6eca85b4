// Implementation of RedisClient (see redis_client.h), with its fail-fast backoff.
#include "store/redis_client.h"

#include <algorithm>

namespace writ::store {
namespace {

// A failed attempt that made its caller wait at least this long ran into a timeout (half
// the shorter one: refused and closed connections fail in well under a millisecond).
std::chrono::steady_clock::duration SlowFailure(const RedisOptions& options) {
  return std::min(options.connect_timeout, options.command_timeout) / 2;
}

}  // namespace

Result<RedisReply> RedisClient::Attempt(std::span<const std::string_view> argv) {
  if (connection_ == nullptr) {
    auto opened = RedisConnection::Open(options_);
    if (!opened) {
      return tl::unexpected(opened.error());
    }
    connection_ = std::move(*opened);
  }
  auto reply = connection_->Command(argv);
  if (!reply && connection_->broken()) {
    connection_.reset();  // the next call reconnects
  }
  return reply;
}

Result<RedisReply> RedisClient::Command(std::span<const std::string_view> argv) {
  const std::lock_guard lock(mutex_);
  if (last_failure_ && now_() < retry_at_) {
    return tl::unexpected(*last_failure_);  // inside the backoff window: no attempt
  }
  const auto started = std::chrono::steady_clock::now();
  auto reply = Attempt(argv);
  const bool waited = std::chrono::steady_clock::now() - started >= SlowFailure(options_);
  if (reply || connection_ != nullptr || !waited) {
    // Redis answered (an error reply too), or the failure cost nothing: no backoff.
    backoff_ = std::chrono::milliseconds{0};
    last_failure_.reset();
    return reply;
  }
  backoff_ = backoff_.count() == 0 ? kFirstBackoff : std::min(2 * backoff_, kMaxBackoff);
  retry_at_ = now_() + backoff_;
  last_failure_ = reply.error();
  return reply;
}

Status RedisClient::Ping() {
  auto reply = Command({"PING"});
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  return {};
}

}  // namespace writ::store
