// writ::store::RedisConnection: one hiredis connection (RAII over redisContext), connected
// with a timeout, authenticated and on its database — the building block of RedisClient
// (shared, reconnecting) and of the revocation subscriber (a dedicated connection).
// Every failure is ErrorCode::kStorage "redis unavailable: ..."; nothing throws and no
// call blocks longer than its timeout. Details never carry the password.
#ifndef WRIT_STORE_REDIS_CONNECTION_H_
#define WRIT_STORE_REDIS_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/redis_url.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

struct redisContext;

namespace writ::store {

struct RedisOptions {
  RedisUrl url;
  SecretBytes password;  // empty: no AUTH
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};  // each command's send and reply
};

// A reply as a value (RESP2): error replies never reach callers as values, they are
// kStorage errors.
struct RedisReply {
  enum class Kind { kNil, kInteger, kString, kStatus, kArray };
  Kind kind = Kind::kNil;
  std::int64_t integer = 0;
  std::string text;  // kString and kStatus
  std::vector<RedisReply> elements;  // kArray
};

// Not thread-safe: one thread at a time (RedisClient adds the lock).
class RedisConnection {
 public:
  // Connects (connect_timeout), sets command_timeout, AUTHs with the password when there is
  // one and SELECTs the database. A refused AUTH says so without the server's text.
  [[nodiscard]] static Result<std::unique_ptr<RedisConnection>> Open(const RedisOptions& options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command (binary-safe arguments) and reads its reply. After a failure the
  // connection is broken(): close it and open another.
  [[nodiscard]] Result<RedisReply> Command(std::span<const std::string_view> argv);
  // Sends a command without reading its reply (for SUBSCRIBE, whose replies are pushes).
  [[nodiscard]] Status Send(std::span<const std::string_view> argv);
  // The next reply the server sends (a pub/sub message), waiting at most `wait`; nullopt
  // when none came in time (the connection stays usable).
  [[nodiscard]] Result<std::optional<RedisReply>> Receive(std::chrono::milliseconds wait);
  // True after an I/O or protocol failure.
  bool broken() const { return broken_; }

 private:
  explicit RedisConnection(redisContext* context) : context_(context) {}
  tl::unexpected<Error> Broken(std::string_view what);

  redisContext* context_;
  bool broken_ = false;
};

// "redis unavailable: <detail>" as kStorage.
tl::unexpected<Error> RedisUnavailable(std::string_view detail);

}  // namespace writ::store

#endif  // WRIT_STORE_REDIS_CONNECTION_H_
