#include "store/redis_url.h"

namespace writ::store {
namespace {

constexpr std::string_view kScheme = "redis://";

// Decimal digits only, at most `max`; false otherwise.
bool ParseNumber(std::string_view text, std::uint32_t max, std::uint32_t& out) {
  if (text.empty() || text.size() > 5) {
    return false;
  }
  std::uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (value > max) {
    return false;
  }
  out = value;
  return true;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

Result<RedisUrl> ParseRedisUrl(std::string_view url) {
  if (!url.starts_with(kScheme)) {
    return Fail(ErrorCode::kInvalidArgument,
                url.starts_with("rediss://")
                    ? "rediss:// (TLS) is not supported by this build (hiredis 0.14); reach Redis "
                      "over loopback or a private network, or through a TLS tunnel"
                    : "write redis://HOST:PORT/DB");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find('@') != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "a Redis URL carries no user or password; name the password's source in "
                "redis_password = \"env:NAME\" (or file:/exec:)");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "a Redis URL has no query or fragment: write redis://HOST:PORT/DB");
  }
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = rest.size() > authority.size() ? rest.substr(authority.size() + 1) : "";
  RedisUrl parsed;
  std::string_view port;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument, "an IPv6 Redis host needs a closing ']'");
    }
    parsed.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      return Fail(ErrorCode::kInvalidArgument, "write redis://[IPV6]:PORT/DB");
    }
    port = after.empty() ? after : after.substr(1);
    for (char c : parsed.host) {
      if (!(IsHostChar(c) || c == ':')) {
        return Fail(ErrorCode::kInvalidArgument, "the bracketed Redis host is not an IPv6 address");
      }
    }
  } else {
    const std::size_t colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) {
        return Fail(ErrorCode::kInvalidArgument, "the Redis port is empty: write redis://HOST:PORT/DB");
      }
    }
    for (char c : parsed.host) {
      if (!IsHostChar(c)) {
        return Fail(ErrorCode::kInvalidArgument, "the Redis host is not a host name or IP address");
      }
    }
  }
  if (parsed.host.empty() || parsed.host.size() > 253) {
    return Fail(ErrorCode::kInvalidArgument, "the Redis URL names no host: write redis://HOST:PORT/DB");
  }
  if (!port.empty()) {
    std::uint32_t number = 0;
    if (!ParseNumber(port, 65535, number) || number == 0) {
      return Fail(ErrorCode::kInvalidArgument, "the Redis port must be a number from 1 to 65535");
    }
    parsed.port = static_cast<std::uint16_t>(number);
  }
  if (!path.empty()) {
    std::uint32_t db = 0;
    if (!ParseNumber(path, 1023, db)) {
      return Fail(ErrorCode::kInvalidArgument, "the Redis database after '/' must be a number from 0 to 1023");
    }
    parsed.db = static_cast<int>(db);
  }
  return parsed;
}

std::string DescribeRedis(const RedisUrl& url) {
  const bool ipv6 = url.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port) + "/" +
         std::to_string(url.db);
}

}  // namespace writ::store
