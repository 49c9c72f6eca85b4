#include "server/cookies.h"

#include <cstddef>

namespace writ::server {
namespace {

// The Cookie header(s) of one request, together, beyond which nothing is believed.
constexpr std::size_t kMaxCookieHeaderBytes = 8192;

// RFC 9110 §5.6.2 tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// RFC 6265 §4.1.1 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E, that is
// visible US-ASCII except DQUOTE, comma, semicolon and backslash.
bool IsCookieOctet(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x21 && byte <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// One cookie-pair (RFC 6265 §4.2.1): token "=" *cookie-octet. Quoted values are refused.
bool ParsePair(std::string_view pair, std::string_view& name, std::string_view& value) {
  const std::size_t equals = pair.find('=');
  if (equals == std::string_view::npos || equals == 0 || pair.size() > kMaxCookieBytes + 1) {
    return false;
  }
  name = pair.substr(0, equals);
  value = pair.substr(equals + 1);
  for (const char c : name) {
    if (!IsTokenChar(c)) {
      return false;
    }
  }
  for (const char c : value) {
    if (!IsCookieOctet(c)) {
      return false;
    }
  }
  return true;
}

// Counts the cookies named `name` in one Cookie header value, keeping the last one's value
// in `found`. False when the header is not a cookie-string (RFC 6265 §4.2.1: pairs joined
// by "; "; extra spaces or tabs around ';' are tolerated, nothing else is).
bool ScanHeader(std::string_view header, std::string_view name, std::size_t& count,
                std::string_view& found) {
  header = TrimSpaces(header);
  if (header.empty()) {
    return true;
  }
  while (true) {
    const std::size_t semicolon = header.find(';');
    const std::string_view pair = TrimSpaces(header.substr(0, semicolon));
    std::string_view pair_name;
    std::string_view pair_value;
    if (!ParsePair(pair, pair_name, pair_value)) {
      return false;
    }
    if (pair_name == name) {
      ++count;
      found = pair_value;
    }
    if (semicolon == std::string_view::npos) {
      return true;
    }
    header.remove_prefix(semicolon + 1);
  }
}

std::string MaxAge(std::chrono::seconds max_age) {
  const auto seconds = max_age.count() < 0 ? 0 : max_age.count();
  return "; Max-Age=" + std::to_string(seconds);
}

}  // namespace

std::optional<std::string> FindCookie(const HttpRequest& request, std::string_view name) {
  std::size_t total_bytes = 0;
  std::size_t count = 0;
  std::string_view found;
  // HTTP/2 lets a client split cookies over several fields (RFC 9113 §8.2.3) and proxies
  // may forward them as several Cookie headers: every one of them is read.
  for (const auto& [field_name, field_value] : request.headers) {
    if (field_name != "cookie") {
      continue;
    }
    total_bytes += field_value.size();
    if (total_bytes > kMaxCookieHeaderBytes || !ScanHeader(field_value, name, count, found)) {
      return std::nullopt;
    }
  }
  // Two cookies of one name: a sibling (sub)domain can set a second one that the browser
  // sends alongside ours (cookie tossing), and nothing says which is ours.
  if (count != 1) {
    return std::nullopt;
  }
  return std::string(found);
}

std::string AccessCookie(std::string_view jwt, std::chrono::seconds max_age) {
  std::string cookie(kAccessCookie);
  cookie += '=';
  cookie += jwt;
  cookie += "; Path=/";
  cookie += MaxAge(max_age);
  cookie += "; Secure; HttpOnly; SameSite=Lax";
  return cookie;
}

std::string RefreshCookie(std::string_view token,
                          std::optional<std::chrono::seconds> persistent_max_age) {
  std::string cookie(kRefreshCookie);
  cookie += '=';
  cookie += token;
  cookie += "; Path=/auth; Secure; HttpOnly; SameSite=Strict";
  if (persistent_max_age.has_value()) {
    cookie += MaxAge(*persistent_max_age);
  }
  return cookie;
}

std::string ClearAccessCookie() { return AccessCookie("", std::chrono::seconds(0)); }

std::string ClearRefreshCookie() { return RefreshCookie("", std::chrono::seconds(0)); }

}  // namespace writ::server
