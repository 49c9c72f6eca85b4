// CSRF defence for cookie-authenticated requests (OWASP CSRF cheat sheet): a per-session
// token that must come back in X-CSRF-Token, and a Fetch-Metadata / Origin check.
#ifndef WRIT_SERVER_CSRF_H_
#define WRIT_SERVER_CSRF_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::server {

// Immutable; thread-safe.
class CsrfGuard {
 public:
  // kWeakKey under 32 bytes.
  [[nodiscard]] static Result<CsrfGuard> Create(SecretBytes key, std::vector<std::string> allowed_origins);

  // base64url(HMAC-SHA256(key, "writ-csrf-v1\0" || session_id)): 43 characters.
  std::string TokenFor(std::string_view session_id) const;
  // True when the request's single X-CSRF-Token header equals TokenFor(session_id),
  // compared in constant time. False for two or more such headers and for an empty
  // session id.
  bool HasValidToken(const HttpRequest& request, std::string_view session_id) const;
  // The cross-site check for unsafe methods and for login/signup (login CSRF):
  //  - Sec-Fetch-Site present: must be "same-origin" or "none" — except "same-site" /
  //    "cross-site" when Origin is on the allowed list (a frontend on another origin);
  //  - otherwise Origin present: must be on the allowed list ("null" never is);
  //  - neither present (non-browser client): allowed.
  // Returns an empty string when allowed, else the reason code ("cross_site",
  // "origin_not_allowed"). A repeated Sec-Fetch-Site or Origin field, or an unknown
  // Sec-Fetch-Site value, is not allowed.
  std::string CrossSiteReason(const HttpRequest& request) const;
  // True for POST, PUT, PATCH, DELETE and any method not known to be safe (GET, HEAD, OPTIONS).
  static bool IsUnsafeMethod(std::string_view method);
  bool IsAllowedOrigin(std::string_view origin) const;

 private:
  CsrfGuard(SecretBytes key, std::vector<std::string> allowed_origins)
      : key_(std::move(key)), allowed_origins_(std::move(allowed_origins)) {}
  SecretBytes key_;
  std::vector<std::string> allowed_origins_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_CSRF_H_
