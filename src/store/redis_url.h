// writ::store::RedisUrl: where the optional Redis of `writ serve` is, parsed from the
// configuration's `redis = "redis://HOST:PORT/DB"`. The password never comes from the URL:
// it is `redis_password = SOURCE` (docs/configuration.md), so it cannot leak with the URL.
#ifndef WRIT_STORE_REDIS_URL_H_
#define WRIT_STORE_REDIS_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "writ/result.h"

namespace writ::store {

struct RedisUrl {
  std::string host;          // a host name, IPv4 address or (unbracketed) IPv6 address
  std::uint16_t port = 6379;
  int db = 0;                // SELECTed after AUTH; 0..15 with Redis's default `databases`
};

// Parses `redis://HOST[:PORT][/DB]` (IANA "redis" URI scheme, without user information).
// kInvalidArgument when the text has another shape: another scheme (rediss:// needs TLS,
// which hiredis 0.14 lacks), user information or a password ('@' in the authority), a
// query or fragment, a port outside 1..65535, a DB outside 0..1023. Error details never
// repeat the URL, since a refused URL may hold a password.
[[nodiscard]] Result<RedisUrl> ParseRedisUrl(std::string_view url);

// "HOST:PORT/DB" for logs and messages.
std::string DescribeRedis(const RedisUrl& url);

}  // namespace writ::store

#endif  // WRIT_STORE_REDIS_URL_H_
