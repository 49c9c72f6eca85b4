// writ::server::HttpRequest / HttpResponse: the server's own view of an HTTP/1.1 exchange,
// independent of Boost.Beast so that handlers are plain functions, testable and fuzzable
// without sockets.
#ifndef WRIT_SERVER_HTTP_MESSAGE_H_
#define WRIT_SERVER_HTTP_MESSAGE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace writ::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // origin-form: path plus optional ?query
  // Header fields in arrival order; names lower-cased, values with surrounding OWS removed.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The TCP peer (not X-Forwarded-For; see client_ip.h).
  std::string peer_ip;
  bool tls = false;

  // The path part of `target` (before '?').
  std::string_view Path() const;
  // The raw (not percent-decoded) value of the query parameter `name`; nullopt when absent
  // or given more than once (ambiguous).
  std::optional<std::string_view> QueryParam(std::string_view name) const;
  std::size_t QueryParamCount(std::string_view name) const;
  // QueryParam percent-decoded (RFC 3986 §2.1; '+' is a space, as HTML forms send it);
  // nullopt when absent, repeated, malformed (a '%' without two hex digits), decoding
  // to a control character (below U+0020, or DEL) or to ill-formed UTF-8 (RFC 3986 §2.5).
  std::optional<std::string> DecodedQueryParam(std::string_view name) const;
  // The first field named `name` (lower-case), if any.
  std::optional<std::string_view> Header(std::string_view name) const;
  // How many fields are named `name`.
  std::size_t HeaderCount(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  // Sent in this order; Set-Cookie may repeat. Content-Length is added by the server.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // False closes the connection after this response.
  bool keep_alive = true;

  HttpResponse& SetHeader(std::string name, std::string value);  // replaces
  HttpResponse& AddHeader(std::string name, std::string value);  // appends
  std::optional<std::string_view> Header(std::string_view name) const;  // case-insensitive
};

// A JSON response: status, Content-Type application/json, `json_body`.
HttpResponse JsonResponse(int status, std::string json_body);
// {"error":"<code>"} with `status`.
HttpResponse ErrorResponse(int status, std::string_view error_code);

}  // namespace writ::server

#endif  // WRIT_SERVER_HTTP_MESSAGE_H_
