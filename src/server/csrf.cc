#include "server/csrf.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include <sodium.h>

#include "core/base64url.h"
#include "core/sodium_init.h"

namespace writ::server {
namespace {

// HMAC-SHA256 needs a key of at least its output length (RFC 2104 §3).
constexpr std::size_t kMinKeyBytes = 32;
// The domain-separation prefix of TokenFor, NUL included.
constexpr std::string_view kTokenContext{"writ-csrf-v1\0", 13};
// base64url of 32 bytes, unpadded.
constexpr std::size_t kTokenChars = 43;

// The value of the only field named `name` (lower-case). nullopt when absent; `repeated`
// tells a repeated field apart, which callers treat as hostile.
std::optional<std::string_view> SingleHeader(const HttpRequest& request, std::string_view name,
                                             bool& repeated) {
  std::optional<std::string_view> value;
  repeated = false;
  for (const auto& [field_name, field_value] : request.headers) {
    if (field_name != name) {
      continue;
    }
    if (value.has_value()) {
      repeated = true;
    }
    value = field_value;
  }
  return value;
}

}  // namespace

Result<CsrfGuard> CsrfGuard::Create(SecretBytes key, std::vector<std::string> allowed_origins) {
  if (key.size() < kMinKeyBytes) {
    return Fail(ErrorCode::kWeakKey, "the CSRF key must be at least 32 bytes");
  }
  return CsrfGuard(std::move(key), std::move(allowed_origins));
}

std::string CsrfGuard::TokenFor(std::string_view session_id) const {
  internal::EnsureSodium();
  const auto key = key_.expose_secret();
  crypto_auth_hmacsha256_state state;
  std::array<std::uint8_t, crypto_auth_hmacsha256_BYTES> tag{};
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(kTokenContext.data()),
                                kTokenContext.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(session_id.data()),
                                session_id.size());
  crypto_auth_hmacsha256_final(&state, tag.data());
  sodium_memzero(&state, sizeof state);
  std::string token = internal::Base64UrlEncode(std::span<const std::uint8_t>(tag));
  sodium_memzero(tag.data(), tag.size());
  return token;
}

bool CsrfGuard::HasValidToken(const HttpRequest& request, std::string_view session_id) const {
  if (session_id.empty()) {
    return false;
  }
  bool repeated = false;
  const std::optional<std::string_view> presented = SingleHeader(request, "x-csrf-token", repeated);
  if (!presented.has_value() || repeated || presented->size() != kTokenChars) {
    return false;
  }
  const std::string expected = TokenFor(session_id);
  // Lengths are equal (and public); the contents are compared in constant time.
  return sodium_memcmp(presented->data(), expected.data(), kTokenChars) == 0;
}

std::string CsrfGuard::CrossSiteReason(const HttpRequest& request) const {
  bool site_repeated = false;
  bool origin_repeated = false;
  const std::optional<std::string_view> site = SingleHeader(request, "sec-fetch-site", site_repeated);
  const std::optional<std::string_view> origin = SingleHeader(request, "origin", origin_repeated);
  const bool origin_allowed = origin.has_value() && !origin_repeated && IsAllowedOrigin(*origin);
  // Fetch Metadata (W3C Fetch Metadata Request Headers §2.1): a browser says where the
  // request comes from; only a frontend on an allowed origin may call cross-origin.
  if (site.has_value()) {
    if (site_repeated) {
      return "cross_site";
    }
    if (*site == "same-origin" || *site == "none") {
      return "";
    }
    if ((*site == "same-site" || *site == "cross-site") && origin_allowed) {
      return "";
    }
    return "cross_site";
  }
  // Older browsers: Origin (RFC 6454 §7) on unsafe requests.
  if (origin.has_value()) {
    return origin_allowed ? "" : "origin_not_allowed";
  }
  // No browser metadata at all: curl, a service. Cookies are not sent cross-site by such
  // clients on the user's behalf, so there is nothing to forge.
  return "";
}

bool CsrfGuard::IsUnsafeMethod(std::string_view method) {
  // RFC 9110 §9.2.1 (methods are case-sensitive): only these are treated as safe.
  return !(method == "GET" || method == "HEAD" || method == "OPTIONS");
}

bool CsrfGuard::IsAllowedOrigin(std::string_view origin) const {
  // An opaque origin serialises as "null" (RFC 6454 §6.2) and is shared by every sandboxed
  // frame and data: URL, so it is never allowed even if configured.
  if (origin.empty() || origin == "null") {
    return false;
  }
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) != allowed_origins_.end();
}

}  // namespace writ::server
