// libFuzzer target for what `writ serve` reads out of request header fields once the HTTP
// parser is done (the parser itself: http_request_fuzzer.cc), each checked against a model
// written here from its contract:
//  - ClientIp (client_ip.h): X-Forwarded-For is believed only from a trusted peer, read from
//    the right, every entry an exact IP address, at most 32 entries; results canonical;
//  - CsrfGuard (csrf.h): TokenFor, HasValidToken (one X-CSRF-Token, equal to the session's
//    token; a forged, repeated or sessionless one fails), CrossSiteReason (Sec-Fetch-Site,
//    then Origin against the allowed list, "null" never allowed), IsUnsafeMethod;
//  - FindCookie (cookies.h), over several Cookie fields: RFC 6265 §4.2.1 cookie-strings,
//    8 KiB in all, a name found exactly once or not at all;
//  - ParseDuration (duration.h): 1-9 digits and one of s, m, h, d.
//
// An input is lines:
//   PEER_IP
//   TRUSTED_PROXY,TRUSTED_PROXY,...
//   SESSION_ID
//   ALLOWED_ORIGIN,ALLOWED_ORIGIN,...
//   name: value        (header fields, any number)
// Header lines are kept only as the HTTP parser would hand them over (a token name,
// lower-cased; a value without control characters other than HTAB, blanks around it
// removed): HttpRequest's contract.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/client_ip.h"
#include "server/cookies.h"
#include "server/csrf.h"
#include "server/duration.h"
#include "server/http_message.h"
#include "writ/secret_bytes.h"

namespace {

using writ::server::HttpRequest;

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "request_fields_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) {
      return parts;
    }
    text.remove_prefix(at + 1);
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

// ---- ClientIp --------------------------------------------------------------------------

// The canonical text of an address (inet_ntop; IPv4-mapped IPv6 as IPv4), nullopt when
// `text` is not exactly an IPv4 or IPv6 address.
std::optional<std::string> Canonical(std::string_view text) {
  if (text.empty() || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string terminated(text);
  std::array<unsigned char, 16> bytes{};
  int family = AF_INET;
  if (inet_pton(AF_INET, terminated.c_str(), bytes.data()) != 1) {
    if (inet_pton(AF_INET6, terminated.c_str(), bytes.data()) != 1) {
      return std::nullopt;
    }
    family = AF_INET6;
    constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped.begin(), kMapped.end(), bytes.begin())) {
      std::copy(bytes.begin() + 12, bytes.end(), bytes.begin());
      family = AF_INET;
    }
  }
  std::array<char, INET6_ADDRSTRLEN> out{};
  Check(inet_ntop(family, bytes.data(), out.data(), out.size()) != nullptr, "inet_ntop");
  return std::string(out.data());
}

std::string ExpectedClientIp(const HttpRequest& request, const std::vector<std::string>& trusted) {
  const auto peer = Canonical(request.peer_ip);
  if (!peer) {
    return request.peer_ip;
  }
  std::vector<std::string> trusted_canonical;
  for (const std::string& proxy : trusted) {
    if (auto address = Canonical(proxy)) {
      trusted_canonical.push_back(*address);
    }
  }
  const auto is_trusted = [&](const std::string& address) {
    return std::find(trusted_canonical.begin(), trusted_canonical.end(), address) !=
           trusted_canonical.end();
  };
  if (!is_trusted(*peer) || request.HeaderCount("x-forwarded-for") != 1) {
    return *peer;
  }
  const std::vector<std::string_view> entries = Split(*request.Header("x-forwarded-for"), ',');
  if (entries.size() > 32) {
    return *peer;
  }
  std::vector<std::string> addresses;
  for (std::string_view entry : entries) {
    auto address = Canonical(Trim(entry));
    if (!address) {
      return *peer;
    }
    addresses.push_back(*address);
  }
  for (auto it = addresses.rbegin(); it != addresses.rend(); ++it) {
    if (!is_trusted(*it)) {
      return *it;
    }
  }
  return addresses.front();
}

void CheckClientIp(const HttpRequest& request, const std::vector<std::string>& trusted) {
  const std::string client = writ::server::ClientIp(request, trusted);
  Check(client == ExpectedClientIp(request, trusted), "ClientIp differs from its contract");
  if (Canonical(request.peer_ip)) {
    Check(Canonical(client) == client, "ClientIp of an IP peer is a canonical IP address");
  }
}

// ---- CSRF --------------------------------------------------------------------------------

const writ::server::CsrfGuard& Guard(const std::vector<std::string>& origins) {
  // One key for the run (random, never written anywhere); the origins change per input, so
  // the guard is remade around the same key.
  static const writ::SecretBytes key = writ::SecretBytes::Random(32);
  static std::optional<writ::server::CsrfGuard> guard;
  guard.emplace(writ::server::CsrfGuard::Create(key, origins).value());
  return *guard;
}

std::vector<std::string_view> Values(const HttpRequest& request, std::string_view name) {
  std::vector<std::string_view> values;
  for (const auto& [field_name, field_value] : request.headers) {
    if (field_name == name) {
      values.push_back(field_value);
    }
  }
  return values;
}

bool ExpectedAllowedOrigin(std::string_view origin, const std::vector<std::string>& allowed) {
  return !origin.empty() && origin != "null" &&
         std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

// csrf.h, CrossSiteReason.
std::string ExpectedCrossSiteReason(const HttpRequest& request,
                                    const std::vector<std::string>& allowed) {
  const auto sites = Values(request, "sec-fetch-site");
  const auto origins = Values(request, "origin");
  const bool origin_allowed =
      origins.size() == 1 && ExpectedAllowedOrigin(origins.front(), allowed);
  if (!sites.empty()) {
    if (sites.size() > 1) {
      return "cross_site";
    }
    const std::string_view site = sites.front();
    if (site == "same-origin" || site == "none") {
      return "";
    }
    if ((site == "same-site" || site == "cross-site") && origin_allowed) {
      return "";
    }
    return "cross_site";
  }
  if (!origins.empty()) {
    return origin_allowed ? "" : "origin_not_allowed";
  }
  return "";
}

void CheckCsrf(HttpRequest request, std::string_view session_id,
               const std::vector<std::string>& allowed) {
  const writ::server::CsrfGuard& guard = Guard(allowed);
  const std::string token = guard.TokenFor(session_id);
  Check(token.size() == 43, "a CSRF token is 43 characters");
  for (char c : token) {
    Check((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_',
          "a CSRF token is base64url");
  }
  Check(guard.TokenFor(session_id) == token, "TokenFor is deterministic");

  const auto presented = Values(request, "x-csrf-token");
  const bool expected_valid = !session_id.empty() && presented.size() == 1 &&
                              presented.front() == token;
  Check(guard.HasValidToken(request, session_id) == expected_valid,
        "HasValidToken differs from its contract");
  // The right token added: valid exactly when it is now the only one and there is a session.
  request.headers.emplace_back("x-csrf-token", token);
  Check(guard.HasValidToken(request, session_id) == (presented.empty() && !session_id.empty()),
        "HasValidToken with the session's token added");
  request.headers.pop_back();

  const std::string reason = guard.CrossSiteReason(request);
  Check(reason == ExpectedCrossSiteReason(request, allowed),
        "CrossSiteReason differs from its contract");
  for (const std::string& origin : allowed) {
    Check(guard.IsAllowedOrigin(origin) == (!origin.empty() && origin != "null"),
          "IsAllowedOrigin of a listed origin");
  }
  for (const auto& [name, value] : request.headers) {
    Check(guard.IsAllowedOrigin(value) == ExpectedAllowedOrigin(value, allowed),
          "IsAllowedOrigin differs from its contract");
    Check(writ::server::CsrfGuard::IsUnsafeMethod(value) ==
              !(value == "GET" || value == "HEAD" || value == "OPTIONS"),
          "IsUnsafeMethod differs from its contract");
  }
}

// ---- Cookies -----------------------------------------------------------------------------

bool IsCookieOctet(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x21 && byte <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

std::optional<std::string> ExpectedCookie(const HttpRequest& request, std::string_view name) {
  std::size_t total = 0;
  std::size_t count = 0;
  std::string found;
  for (std::string_view field : Values(request, "cookie")) {
    total += field.size();
    if (Trim(field).empty()) {
      continue;
    }
    for (std::string_view pair : Split(Trim(field), ';')) {
      pair = Trim(pair);
      const std::size_t equals = pair.find('=');
      if (equals == std::string_view::npos || pair.size() > writ::server::kMaxCookieBytes + 1 ||
          !IsToken(pair.substr(0, equals))) {
        return std::nullopt;
      }
      const std::string_view value = pair.substr(equals + 1);
      if (!std::all_of(value.begin(), value.end(), IsCookieOctet)) {
        return std::nullopt;
      }
      if (pair.substr(0, equals) == name) {
        ++count;
        found = std::string(value);
      }
    }
  }
  if (total > 8192 || count != 1) {
    return std::nullopt;
  }
  return found;
}

void CheckCookies(const HttpRequest& request) {
  std::vector<std::string> names = {std::string(writ::server::kAccessCookie),
                                    std::string(writ::server::kRefreshCookie)};
  // And the first name the input itself uses, so that any name is exercised.
  for (std::string_view field : Values(request, "cookie")) {
    const std::string_view first = Trim(field.substr(0, field.find('=')));
    if (!first.empty() && first.size() < field.size()) {
      names.emplace_back(first);
      break;
    }
  }
  for (const std::string& name : names) {
    const auto cookie = writ::server::FindCookie(request, name);
    Check(cookie == ExpectedCookie(request, name), "FindCookie differs from its contract");
    if (cookie) {
      Check(std::all_of(cookie->begin(), cookie->end(), IsCookieOctet),
            "a cookie value is cookie-octets");
    }
  }
}

// ---- Durations ---------------------------------------------------------------------------

void CheckDuration(std::string_view text) {
  std::optional<std::int64_t> expected;
  if (text.size() >= 2 && text.size() <= 10 &&
      std::all_of(text.begin(), text.end() - 1, [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t count = 0;
    for (char c : text.substr(0, text.size() - 1)) {
      count = count * 10 + (c - '0');
    }
    switch (text.back()) {
      case 's': expected = count; break;
      case 'm': expected = count * 60; break;
      case 'h': expected = count * 3600; break;
      case 'd': expected = count * 86400; break;
      default: break;
    }
  }
  const auto parsed = writ::server::ParseDuration(text);
  Check(parsed.has_value() == expected.has_value(), "ParseDuration accepts exactly N[smhd]");
  if (parsed) {
    Check(parsed->count() == *expected, "ParseDuration's value");
  } else {
    Check(parsed.error().code == writ::ErrorCode::kInvalidArgument, "a bad duration is refused");
  }
}

// ---- The input ---------------------------------------------------------------------------

std::vector<std::string> List(std::string_view line) {
  std::vector<std::string> items;
  if (line.empty()) {
    return items;
  }
  for (std::string_view item : Split(line, ',')) {
    items.emplace_back(item);
  }
  return items;
}

// A header line as the HTTP parser would hand it over, or nothing.
std::optional<std::pair<std::string, std::string>> HeaderField(std::string_view line) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
    return std::nullopt;
  }
  const std::string_view value = Trim(line.substr(colon + 1));
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      return std::nullopt;
    }
  }
  std::string name(line.substr(0, colon));
  for (char& c : name) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return std::pair{std::move(name), std::string(value)};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string_view> lines =
      Split(std::string_view(reinterpret_cast<const char*>(data), size), '\n');
  const auto line = [&lines](std::size_t index) {
    return index < lines.size() ? lines[index] : std::string_view();
  };
  HttpRequest request;
  request.method = "POST";
  request.target = "/auth/refresh";
  request.peer_ip = std::string(line(0));
  const std::vector<std::string> trusted = List(line(1));
  const std::string_view session_id = line(2);
  const std::vector<std::string> allowed_origins = List(line(3));
  for (std::size_t i = 4; i < lines.size(); ++i) {
    if (auto field = HeaderField(lines[i])) {
      request.headers.push_back(std::move(*field));
    }
  }

  CheckClientIp(request, trusted);
  CheckCsrf(request, session_id, allowed_origins);
  CheckCookies(request);
  for (std::string_view text : lines) {
    CheckDuration(text);
  }
  for (const auto& [name, value] : request.headers) {
    CheckDuration(value);
  }
  return 0;
}
