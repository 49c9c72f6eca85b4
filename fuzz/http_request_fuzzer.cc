// libFuzzer target for the request path of `writ serve` up to the handler, fed the bytes a
// client sends (no socket): the head framing of http_connection.cc (leading empty lines,
// head length, obs-fold), Beast's parser with our limits, the smuggling and framing checks
// of CheckRequestHead, the body, the conversion to HttpRequest, and what handlers read from
// it — cookies (RFC 6265 §5.4), the path and query, header lookups and the JSON credentials
// body. None of it may crash, hang or trip a sanitizer, whatever the bytes; and whatever the
// parser accepts must satisfy the invariants the handlers rely on.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/cookies.h"
#include "server/http_wire.h"
#include "server/json_body.h"
#include "server/server_config.h"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "http_request_fuzzer invariant broken: %s\n", what);
    std::abort();
  }
}

bool HasCrOrLf(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace writ::server;  // NOLINT(google-build-using-namespace): one short function
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const HttpLimits limits;  // the defaults writ serve runs with

  // As HttpConnection::ReadHead: skip empty lines, find the whole head, refuse obs-fold.
  bytes.remove_prefix(LeadingEmptyLines(bytes));
  const auto head_length = RequestHeadLength(bytes);
  if (!head_length || *head_length > limits.max_header_bytes) {
    return 0;
  }
  Check(*head_length >= 4 && *head_length <= bytes.size(), "head length within the input");
  Check(bytes.substr(*head_length - 4, 4) == "\r\n\r\n", "head ends with CRLF CRLF");
  if (HasObsFold(bytes.substr(0, *head_length - 2))) {
    return 0;
  }

  WireRequestParser parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  boost::beast::error_code error;
  parser.put(boost::asio::const_buffer(bytes.data(), *head_length), error);
  if (error || !parser.is_header_done()) {
    const Rejection rejection = RejectionForParseError(error);
    Check(rejection.status >= 400 && rejection.status < 500, "a parse error is a 4xx");
    return 0;
  }
  if (const auto rejection = CheckRequestHead(parser, limits)) {
    Check(rejection->status >= 400 && rejection->status < 600, "a framing rejection is an error");
    return 0;
  }
  // The body: whatever follows, as the parser frames it (Content-Length or chunked).
  std::string_view rest = bytes.substr(*head_length);
  while (!parser.is_done() && !rest.empty()) {
    const std::size_t used = parser.put(boost::asio::const_buffer(rest.data(), rest.size()), error);
    if (error == boost::beast::http::error::need_more) {
      return 0;  // the connection would wait for more bytes
    }
    if (error) {
      return 0;  // answered with RejectionForParseError
    }
    if (used == 0) {
      break;
    }
    rest.remove_prefix(used);
  }
  if (!parser.is_done()) {
    return 0;
  }
  (void)ExpectsContinue(parser.get());
  const HttpRequest request = ToHttpRequest(parser.release(), "192.0.2.1", false);
  Check(request.body.size() <= limits.max_body_bytes, "the body limit holds");

  // What the handlers read.
  const std::string_view path = request.Path();
  Check(!HasCrOrLf(path), "no CR or LF in a parsed path");
  (void)request.QueryParam("aud");
  (void)request.QueryParamCount("aud");
  for (const char* name : {"origin", "sec-fetch-site", "x-csrf-token", "x-forwarded-method",
                           "x-original-method", "authorization", "user-agent", "content-type"}) {
    if (const auto value = request.Header(name)) {
      Check(!HasCrOrLf(*value), "no CR or LF in a parsed header value");
    }
  }
  for (const char* name : {"__Host-writ-access", "__Secure-writ-refresh"}) {
    if (const auto cookie = FindCookie(request, name)) {
      Check(!HasCrOrLf(*cookie) && cookie->find(';') == std::string::npos,
            "a cookie value holds no CR, LF or ';'");
    }
  }
  Credentials credentials;
  BodyError body_error;
  if (ParseCredentials(request, credentials, body_error)) {
    (void)NormalizeUsername(credentials.username);
  } else {
    Check(body_error.status == 400 || body_error.status == 415, "a body error is 400 or 415");
  }
  return 0;
}
