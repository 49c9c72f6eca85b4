// Cookies of `writ serve` (RFC 6265bis): parsing the Cookie request header and writing
// Set-Cookie with exactly the attributes of DESIGN.md.
#ifndef WRIT_SERVER_COOKIES_H_
#define WRIT_SERVER_COOKIES_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_message.h"

namespace writ::server {

inline constexpr std::string_view kAccessCookie = "__Host-writ-access";
inline constexpr std::string_view kRefreshCookie = "__Secure-writ-refresh";
// Browsers cap a cookie (name + value) at 4096 bytes.
inline constexpr std::size_t kMaxCookieBytes = 4096;

// The value of cookie `name` from the request's Cookie header(s). Absent when missing,
// when it appears more than once (a sibling domain may plant a second one: refuse rather
// than guess), or when the header is malformed or longer than 8 KiB. Values are returned
// as sent (no decoding); quotes around a value are not accepted.
// Every Cookie field of the request is read (HTTP/2 may split cookies over several); their
// values together may not exceed 8 KiB. Each must be an RFC 6265 §4.2.1 cookie-string:
// token "=" *cookie-octet pairs joined by ';' (spaces or tabs around ';' tolerated), a
// pair at most kMaxCookieBytes. One malformed field makes every name absent (fail closed).
// Names compare case-sensitively.
std::optional<std::string> FindCookie(const HttpRequest& request, std::string_view name);

// `__Host-writ-access=<jwt>; Path=/; Max-Age=<ttl>; Secure; HttpOnly; SameSite=Lax`
// Values must be cookie-octets (base64url and '.' are); a negative max age is written as 0.
std::string AccessCookie(std::string_view jwt, std::chrono::seconds max_age);
// `__Secure-writ-refresh=<token>; Path=/auth; Secure; HttpOnly; SameSite=Strict`, plus
// `; Max-Age=<n>` when `persistent` (remember-me) — without it a browser-session cookie.
std::string RefreshCookie(std::string_view token, std::optional<std::chrono::seconds> persistent_max_age);
// Both cookies with an empty value and Max-Age=0 (same Path and attributes), to clear them.
std::string ClearAccessCookie();
std::string ClearRefreshCookie();

}  // namespace writ::server

#endif  // WRIT_SERVER_COOKIES_H_
