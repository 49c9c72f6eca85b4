// The wire side of HttpRequest / HttpResponse: checks on raw request heads, the framing
// rules the server enforces before any handler runs, and conversion between Boost.Beast
// messages and the server's own types. Pure functions, testable without sockets.
#ifndef WRIT_SERVER_HTTP_WIRE_H_
#define WRIT_SERVER_HTTP_WIRE_H_

#include <utility>  // Boost 1.74's Asio needs it before its own headers.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/http_message.h"
#include "server/server_config.h"

namespace writ::server {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
using WireRequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A request the server answers itself, without calling the handler, then closes.
struct Rejection {
  int status = 400;
  std::string_view error_code = "bad_request";  // for ErrorResponse
};

// How many bytes of empty lines (CRLF) precede the request line; RFC 9112 §2.2 asks servers
// to ignore at least one.
std::size_t LeadingEmptyLines(std::string_view data);

// The length of the request head at the start of `data` up to and including the CRLF CRLF
// that ends it, or std::nullopt while it is incomplete.
std::optional<std::size_t> RequestHeadLength(std::string_view data);

// True when `head` contains a line folded with obs-fold (CRLF followed by SP or HTAB),
// including whitespace between the request line and the first field. RFC 9112 §5.2 lets a
// server reject it with 400; we do, since proxies may disagree about what it means.
bool HasObsFold(std::string_view head);

// The answer to a Beast parse error: 431 for header_limit, 413 for body_limit, else 400.
Rejection RejectionForParseError(const boost::beast::error_code& error);

// Framing checks on a parsed head, in this order: Content-Length with Transfer-Encoding (400, RFC
// 9112 §6.3 item 3: request smuggling); Transfer-Encoding in HTTP/1.0 (400, §6.1), repeated, or
// without chunked last (400, §6.3 item 4), or with another coding (501, §6.1); Content-Length over
// the body limit (413, RFC 9110 §15.5.14); a missing Host in HTTP/1.1 or several Host fields (400,
// RFC 9112 §3.2); a target not in origin-form (400, §3.2.1).
std::optional<Rejection> CheckRequestHead(const WireRequestParser& parser,
                                          const HttpLimits& limits);

// True when the request carries "Expect: 100-continue" (RFC 9110 §10.1.1).
bool ExpectsContinue(const WireRequest& message);

// The handler's view of `message`: header names lower-cased, values without surrounding OWS.
HttpRequest ToHttpRequest(WireRequest&& message, std::string peer_ip, bool tls);

// Appends to `out` the bytes the server sends for `response` (RFC 9112 §4, §6): status line,
// fields, empty line, body. Content-Length is computed (the handler's Content-Length,
// Transfer-Encoding and Connection fields are ignored); no body for HEAD (RFC 9110 §9.3.2)
// and none, nor Content-Length, for 204 and 304. A status outside 200..599 or a field with a
// bad name or a CR, LF or NUL in its value becomes 500 {"error":"internal"}. `keep_alive`
// false adds "Connection: close"; true with an HTTP/1.0 client adds "Connection: keep-alive".
// The response is HTTP/1.1 (RFC 9110 §6.2) with a Date field. Written by hand rather than
// through Beast's serializer: one reusable buffer per connection instead of an allocation
// per field, on the path every forward-auth check takes.
void AppendResponse(const HttpResponse& response, unsigned request_version, bool head_request,
                    bool keep_alive, std::chrono::system_clock::time_point now, std::string& out);

// IMF-fixdate (RFC 9110 §5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(std::chrono::system_clock::time_point time);

}  // namespace writ::server

#endif  // WRIT_SERVER_HTTP_WIRE_H_
