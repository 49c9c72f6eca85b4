#include "store/redis_connection.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/time.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace writ::store {
namespace {

timeval ToTimeval(std::chrono::milliseconds duration) {
  const auto millis = std::max<std::int64_t>(duration.count(), 1);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(millis / 1000);
  tv.tv_usec = static_cast<suseconds_t>((millis % 1000) * 1000);
  return tv;
}

RedisReply Convert(const redisReply& reply) {
  RedisReply value;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      value.kind = RedisReply::Kind::kInteger;
      value.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      value.kind = reply.type == REDIS_REPLY_STRING ? RedisReply::Kind::kString : RedisReply::Kind::kStatus;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ARRAY:
      value.kind = RedisReply::Kind::kArray;
      value.elements.reserve(reply.elements);
      for (std::size_t i = 0; i < reply.elements; ++i) {
        value.elements.push_back(Convert(*reply.element[i]));
      }
      break;
    default:
      value.kind = RedisReply::Kind::kNil;
      break;
  }
  return value;
}

// The first word of an error reply ("WRONGPASS", "NOAUTH", "ERR"): enough to say what
// went wrong, never an echo of an argument.
std::string ErrorWord(const redisReply& reply) {
  std::string_view text(reply.str, reply.len);
  return std::string(text.substr(0, std::min<std::size_t>(text.find(' '), 32)));
}

// An error reply as text for logs, at most 200 bytes (our own arguments are ids and
// scripts, never a secret; AUTH is handled apart).
std::string ErrorText(const redisReply& reply) {
  return std::string(reply.str, std::min<std::size_t>(reply.len, 200));
}

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

tl::unexpected<Error> RedisUnavailable(std::string_view detail) {
  return Fail(ErrorCode::kStorage, "redis unavailable: " + std::string(detail));
}

Result<std::unique_ptr<RedisConnection>> RedisConnection::Open(const RedisOptions& options) {
  const std::string where = DescribeRedis(options.url);
  redisContext* context =
      redisConnectWithTimeout(options.url.host.c_str(), options.url.port, ToTimeval(options.connect_timeout));
  if (context == nullptr) {
    return RedisUnavailable(where + ": out of memory");
  }
  std::unique_ptr<RedisConnection> connection(new RedisConnection(context));
  if (context->err != 0) {
    return RedisUnavailable(where + ": " + std::string(context->errstr));
  }
  if (redisSetTimeout(context, ToTimeval(options.command_timeout)) != REDIS_OK) {
    return RedisUnavailable(where + ": cannot set the command timeout");
  }
  if (!options.password.empty()) {
    auto secret = options.password.expose_secret();
    std::array<const char*, 2> argv = {"AUTH", reinterpret_cast<const char*>(secret.data())};
    const std::array<std::size_t, 2> lengths = {4, secret.size()};
    ReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(context, 2, argv.data(), lengths.data())));
    if (reply == nullptr) {
      return RedisUnavailable(where + ": AUTH: " + std::string(context->errstr));
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      // Never the server's text: it may quote what it was sent.
      return RedisUnavailable(where + ": the server refused the password (" + ErrorWord(*reply) +
                              "); check redis_password");
    }
  }
  if (options.url.db != 0) {
    const std::string db = std::to_string(options.url.db);
    const std::array<std::string_view, 2> select = {"SELECT", db};
    if (auto selected = connection->Command(select); !selected) {
      return RedisUnavailable(where + ": SELECT " + db + ": " + selected.error().detail);
    }
  }
  return connection;
}

RedisConnection::~RedisConnection() { redisFree(context_); }

tl::unexpected<Error> RedisConnection::Broken(std::string_view what) {
  broken_ = true;
  std::string detail(what);
  if (context_->err != 0) {
    detail += ": ";
    detail += context_->errstr;
  }
  return RedisUnavailable(detail);
}

Status RedisConnection::Send(std::span<const std::string_view> argv) {
  if (broken_) {
    return RedisUnavailable("connection broken");
  }
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  for (std::string_view arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), pointers.data(), lengths.data()) !=
      REDIS_OK) {
    return Broken("append");
  }
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(context_, &done) != REDIS_OK) {
      return Broken("write");
    }
  }
  return {};
}

Result<RedisReply> RedisConnection::Command(std::span<const std::string_view> argv) {
  if (broken_) {
    return RedisUnavailable("connection broken");
  }
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  for (std::string_view arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  ReplyPtr reply(static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(argv.size()), pointers.data(), lengths.data())));
  if (reply == nullptr) {
    return Broken(argv.empty() ? "command" : std::string(argv[0]).substr(0, 16));
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    // The connection stays usable: the server answered.
    return RedisUnavailable(std::string(argv.empty() ? "" : argv[0].substr(0, 16)) + ": " + ErrorText(*reply));
  }
  return Convert(*reply);
}

Result<std::optional<RedisReply>> RedisConnection::Receive(std::chrono::milliseconds wait) {
  if (broken_) {
    return RedisUnavailable("connection broken");
  }
  void* raw = nullptr;
  // A reply may already be buffered from an earlier read.
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) {
    return Broken("protocol");
  }
  if (raw == nullptr) {
    pollfd fd{context_->fd, POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(std::max<std::int64_t>(wait.count(), 0)));
    if (ready < 0 && errno != EINTR) {
      return Broken("poll");
    }
    if (ready <= 0) {
      return std::optional<RedisReply>{};
    }
    if (redisBufferRead(context_) != REDIS_OK) {
      return Broken("read");
    }
    if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) {
      return Broken("protocol");
    }
    if (raw == nullptr) {
      return std::optional<RedisReply>{};  // a partial reply: the rest comes with the next read
    }
  }
  ReplyPtr reply(static_cast<redisReply*>(raw));
  if (reply->type == REDIS_REPLY_ERROR) {
    return RedisUnavailable(ErrorText(*reply));
  }
  return std::optional<RedisReply>(Convert(*reply));
}

}  // namespace writ::store
