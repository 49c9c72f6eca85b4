// Implementation of the wire checks and conversions (see http_wire.h).
#include "server/http_wire.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <system_error>

namespace writ::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::string_view kOws = " \t";

std::string_view TrimOws(std::string_view text) {
  const std::size_t first = text.find_first_not_of(kOws);
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(kOws) - first + 1);
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view left, std::string_view right) {
  return left.size() == right.size() &&
         std::equal(left.begin(), left.end(), right.begin(),
                    [](char a, char b) { return AsciiLower(a) == AsciiLower(b); });
}

// RFC 9110 §5.6.2: token = 1*tchar (ASCII only, whatever the C locale says).
bool IsToken(std::string_view text) {
  constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kSpecials.find(c) != std::string_view::npos;
  });
}

// RFC 9110 §5.5: no CTL but HTAB in a field value (CR or LF would split the response).
bool IsFieldValue(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7f;
  });
}

bool IsFramingField(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
         EqualsIgnoreCase(name, "connection");
}

bool IsValidResponse(const HttpResponse& response) {
  if (response.status < 200 || response.status > 599) {
    return false;
  }
  return std::all_of(response.headers.begin(), response.headers.end(), [](const auto& field) {
    return IsToken(field.first) && IsFieldValue(field.second);
  });
}

// True when the Content-Length `value` is at most `limit`. Beast has checked that the value is
// one decimal number, or a list of identical ones (RFC 9110 §8.6), so the first one counts.
bool LengthWithin(std::string_view value, std::size_t limit) {
  const std::string_view first = TrimOws(value.substr(0, value.find(',')));
  std::uint64_t length = 0;
  const auto [end, error] = std::from_chars(first.data(), first.data() + first.size(), length);
  return error == std::errc() && end == first.data() + first.size() && length <= limit;
}

// RFC 9112 §6.1 and §6.3: only "chunked", exactly once and last, is a coding we can frame.
std::optional<Rejection> CheckTransferEncoding(const WireRequest& message) {
  if (message.version() < 11 || message.count(http::field::transfer_encoding) != 1) {
    return Rejection{400, "bad_request"};
  }
  const std::string_view value = message[http::field::transfer_encoding];
  std::size_t chunked_count = 0;
  bool other_coding = false;
  std::string_view last;
  for (std::size_t start = 0; start <= value.size();) {
    std::size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) {
      comma = value.size();
    }
    last = TrimOws(value.substr(start, comma - start));
    if (EqualsIgnoreCase(last, "chunked")) {
      ++chunked_count;
    } else {
      other_coding = true;
    }
    start = comma + 1;
  }
  if (chunked_count != 1 || !EqualsIgnoreCase(last, "chunked")) {
    return Rejection{400, "bad_request"};
  }
  if (other_coding) {
    return Rejection{501, "not_implemented"};
  }
  return std::nullopt;
}

// HttpDate of `now`, formatted once a second per thread.
const std::string& CachedHttpDate(std::chrono::system_clock::time_point now) {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached;
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second) {
    cached = HttpDate(now);
    cached_second = second;
  }
  return cached;
}

}  // namespace

std::size_t LeadingEmptyLines(std::string_view data) {
  std::size_t skipped = 0;
  while (data.substr(skipped, 2) == "\r\n") {
    skipped += 2;
  }
  return skipped;
}

std::optional<std::size_t> RequestHeadLength(std::string_view data) {
  const std::size_t end = data.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  return end + 4;
}

bool HasObsFold(std::string_view head) {
  for (std::size_t line_end = head.find("\r\n"); line_end != std::string_view::npos;
       line_end = head.find("\r\n", line_end + 2)) {
    if (line_end + 2 < head.size() && (head[line_end + 2] == ' ' || head[line_end + 2] == '\t')) {
      return true;
    }
  }
  return false;
}

Rejection RejectionForParseError(const beast::error_code& error) {
  if (error == http::error::header_limit) {
    return Rejection{431, "header_too_large"};  // RFC 6585 §5
  }
  if (error == http::error::body_limit) {
    return Rejection{413, "body_too_large"};
  }
  return Rejection{400, "bad_request"};
}

std::optional<Rejection> CheckRequestHead(const WireRequestParser& parser,
                                          const HttpLimits& limits) {
  // Beast itself refuses versions other than HTTP/1.0 and HTTP/1.1 (bad_version: 400).
  const WireRequest& message = parser.get();
  const bool has_length = message.count(http::field::content_length) > 0;
  const bool has_coding = message.count(http::field::transfer_encoding) > 0;
  if (has_length && has_coding) {
    return Rejection{400, "bad_request"};
  }
  if (has_coding) {
    if (auto rejection = CheckTransferEncoding(message)) {
      return rejection;
    }
  }
  // Beast refuses a body_limit excess too; this check does not depend on it.
  if (has_length && !LengthWithin(message[http::field::content_length], limits.max_body_bytes)) {
    return Rejection{413, "body_too_large"};
  }
  const std::size_t hosts = message.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && message.version() >= 11)) {
    return Rejection{400, "bad_request"};
  }
  if (message.target().empty() || message.target().front() != '/') {
    return Rejection{400, "bad_request"};
  }
  return std::nullopt;
}

bool ExpectsContinue(const WireRequest& message) {
  return message.version() >= 11 &&
         EqualsIgnoreCase(TrimOws(message[http::field::expect]), "100-continue");
}

HttpRequest ToHttpRequest(WireRequest&& message, std::string peer_ip, bool tls) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  request.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), AsciiLower);
    request.headers.emplace_back(std::move(name), std::string(TrimOws(field.value())));
  }
  request.body = std::move(message.body());
  request.peer_ip = std::move(peer_ip);
  request.tls = tls;
  return request;
}

void AppendResponse(const HttpResponse& response, unsigned request_version, bool head_request,
                    bool keep_alive, std::chrono::system_clock::time_point now, std::string& out) {
  if (!IsValidResponse(response)) {
    AppendResponse(ErrorResponse(500, "internal"), request_version, head_request, keep_alive, now,
                   out);
    return;
  }
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  // The reason phrase is informational only (RFC 9112 §4); Beast knows the registered ones.
  const std::string_view reason =
      http::obsolete_reason(http::int_to_status(static_cast<unsigned>(response.status)));
  if (reason != "<unknown-status>") {
    out += reason;
  }
  out += "\r\n";
  bool has_date = false;
  for (const auto& [name, value] : response.headers) {
    if (IsFramingField(name)) {
      continue;
    }
    has_date = has_date || EqualsIgnoreCase(name, "date");
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!has_date) {
    out += "Date: ";
    out += CachedHttpDate(now);
    out += "\r\n";
  }
  // RFC 9110 §8.6: no Content-Length in 204; for 304 it would describe another response.
  const bool has_body = response.status != 204 && response.status != 304;
  if (has_body) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (request_version < 11) {
    out += "Connection: keep-alive\r\n";  // RFC 9112 §9.3 (HTTP/1.0)
  }
  out += "\r\n";
  if (has_body && !head_request) {
    out += response.body;
  }
}

std::string HttpDate(std::chrono::system_clock::time_point time) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                kDays.at(static_cast<std::size_t>(parts.tm_wday)), parts.tm_mday,
                kMonths.at(static_cast<std::size_t>(parts.tm_mon)), parts.tm_year + 1900,
                parts.tm_hour, parts.tm_min, parts.tm_sec);
  return std::string(text.data());
}

}  // namespace writ::server
