#include "store/redis_client.h"

namespace writ::store {

Result<RedisReply> RedisClient::Command(std::span<const std::string_view> argv) {
  const std::lock_guard lock(mutex_);
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

Status RedisClient::Ping() {
  auto reply = Command({"PING"});
  if (!reply) {
    return tl::unexpected(reply.error());
  }
  return {};
}

}  // namespace writ::store
