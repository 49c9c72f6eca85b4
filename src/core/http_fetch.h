// HttpGet: one hardened HTTP GET with libcurl, for small public documents such as a JWK
// Set. The only HTTP client in libwrit; nothing else in core speaks HTTP.
#ifndef WRIT_CORE_HTTP_FETCH_H_
#define WRIT_CORE_HTTP_FETCH_H_

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "writ/result.h"

namespace writ::internal {

// A URL that CheckFetchUrl accepted.
struct FetchUrl {
  std::string url;        // as normalised by libcurl's URL parser
  bool https = true;      // false: plain http to a loopback host
  bool loopback = false;  // host is localhost, 127.0.0.0/8 or ::1
};

// Parses `url` with libcurl's own URL parser, so that the host checked is the host
// connected to. Accepts https://, and http:// only to localhost, 127.0.0.0/8 or [::1]
// when `allow_loopback_http`. Refuses (kInvalidArgument) any other scheme, user
// information (credentials do not belong in a configured URL), control characters,
// spaces and URLs over 4096 bytes.
Result<FetchUrl> CheckFetchUrl(std::string_view url, bool allow_loopback_http);

struct HttpGetRequest {
  FetchUrl url;
  std::string accept;                          // the Accept field value; empty leaves it out
  std::optional<std::string> if_none_match;  // an entity-tag from a previous response
  std::size_t max_body_bytes = 0;
  std::chrono::milliseconds timeout{0};       // connection and whole transfer
  std::string ca_file;                        // trust anchors instead of the system's
};

struct HttpGetResponse {
  long status = 0;
  std::string body;
  std::vector<std::string> cache_control;  // each Cache-Control field line
  std::optional<std::string> etag;         // only a well-formed entity-tag (RFC 9110 §8.8.3)
};

// One GET of request.url. Only the URL's own protocol is allowed; redirects are not
// followed (the caller sees the 3xx); TLS peer and host names are verified; the body stops
// at max_body_bytes (kTooLarge); the timeout covers connecting and the whole transfer
// (kIo); no cookies, no content decoding, no environment proxy for a loopback URL.
// Connection, TLS and protocol failures are kIo. The status is returned, not judged.
Result<HttpGetResponse> HttpGet(const HttpGetRequest& request);

}  // namespace writ::internal

#endif  // WRIT_CORE_HTTP_FETCH_H_
