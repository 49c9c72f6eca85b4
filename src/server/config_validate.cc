#include "server/config_validate.h"

#include <string>

#include "core/json_writer.h"
#include "server/config_secrets.h"
#include "server/config_values.h"
#include "server/cookies.h"
#include "writ/alg.h"

namespace writ::server {
namespace {

// Members of the payload besides iss, aud and the per-user allowances: names, quotes,
// commas, exp and iat (11 digits each), jti and sid (base64url of 32 random bytes each).
constexpr std::size_t kPayloadOverheadBytes = 256;
// Requests also carry the refresh cookie (on /auth), Host, User-Agent, Accept, ...
constexpr std::size_t kOtherHeaderBytes = 1024;
// {"username":..., "password":..., "remember":...} around the password.
constexpr std::size_t kLoginBodyOverheadBytes = 512;

std::size_t Base64UrlLength(std::size_t bytes) { return (bytes * 4 + 2) / 3; }

std::size_t JsonStringLength(std::string_view text) {
  std::string quoted;
  internal::AppendJsonString(quoted, text);
  return quoted.size();
}

// The size of a JWS signature made with `key` (RFC 7518 §3).
std::size_t SignatureBytes(const Key& key) {
  const auto key_bytes = static_cast<std::size_t>(key.key_bits() + 7) / 8;
  switch (key.alg()) {
    case Alg::kHs256:
      return 32;
    case Alg::kHs384:
      return 48;
    case Alg::kHs512:
      return 64;
    case Alg::kRs256: case Alg::kRs384: case Alg::kRs512:
    case Alg::kPs256: case Alg::kPs384: case Alg::kPs512:
      return key_bytes;  // the modulus length (RFC 8017 §8.1.1, §8.2.1)
    case Alg::kEs256: case Alg::kEs384: case Alg::kEs512:
      return 2 * key_bytes;  // R || S (RFC 7518 §3.4)
    case Alg::kEdDsa:
      return 64;  // RFC 8032 §5.1.6
  }
  return 1024;
}

bool HasControlCharacters(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return true;
    }
  }
  return false;
}

Status CheckTokens(const ServerConfig& config) {
  if (config.issuer.empty() || HasControlCharacters(config.issuer)) {
    return ConfigError("tokens.issuer", "set the issuer URL, e.g. \"https://auth.example.com\"");
  }
  if (config.audience.empty() || HasControlCharacters(config.audience)) {
    return ConfigError("tokens.audience", "set the audience the services expect, e.g. \"app\"");
  }
  if (!config.signing_key || !config.signing_key->can_sign()) {
    return ConfigError("tokens.signing_keys", "give a private key that can sign");
  }
  if (config.verification_keys.empty()) {
    return ConfigError("tokens.signing_keys", "no verification keys");
  }
  const std::size_t cookie =
      EstimateAccessCookieBytes(config.issuer, config.audience, *config.signing_key);
  if (cookie > kMaxCookieBytes) {
    return ConfigError("tokens", "the access cookie could reach " + std::to_string(cookie) +
                                     " bytes, over the 4096 browsers keep; shorten the issuer, "
                                     "audience or kid, or sign with a smaller key (EdDSA, ES256)");
  }
  if (config.limits.max_header_bytes < cookie + kOtherHeaderBytes) {
    return ConfigError("http.max_header_bytes",
                       "must be at least " + std::to_string(cookie + kOtherHeaderBytes) +
                           " to leave room for the access cookie and other headers");
  }
  return {};
}

Status CheckPolicies(const ServerConfig& config) {
  if (config.passwords.min_length > config.passwords.max_length) {
    return ConfigError("accounts.password_min_length",
                       "must not exceed accounts.password_max_length");
  }
  if (config.limits.max_body_bytes < config.passwords.max_length + kLoginBodyOverheadBytes) {
    return ConfigError("http.max_body_bytes",
                       "must be at least " +
                           std::to_string(config.passwords.max_length + kLoginBodyOverheadBytes) +
                           " to carry a login with the longest password allowed");
  }
  if (config.throttle.account_backoff_max < config.throttle.account_backoff_base) {
    return ConfigError("throttle.account_backoff_max",
                       "must not be shorter than throttle.account_backoff_base");
  }
  return {};
}

// What production refuses beyond the general rules. Keys of another environment or of
// --dev are refused by LoadTokenKeys; HMAC under 256 bits and RSA under 2048 by the core.
Status CheckProduction(const ServerConfig& config) {
  if (config.environment != Environment::kProduction) {
    return {};
  }
  for (const std::string& origin : config.allowed_origins) {
    if (origin.starts_with("http://")) {
      return ConfigError("allowed_origins",
                         "\"" + origin + "\" is plain HTTP; the cookies are Secure and a "
                         "production frontend is served over https://");
    }
  }
  if (config.signing_key && config.signing_key->kid().starts_with("dev-")) {
    return ConfigError("tokens.signing_keys", "a --dev key never signs in production");
  }
  return {};
}

}  // namespace

std::size_t EstimateAccessCookieBytes(std::string_view issuer, std::string_view audience,
                                      const Key& signing_key) {
  // {"alg":"..","typ":"at+jwt","kid":".."}
  const std::size_t header = 2 + 3 * 8 + AlgName(signing_key.alg()).size() +
                             std::string_view("at+jwt").size() +
                             JsonStringLength(signing_key.kid());
  const std::size_t payload = kPayloadOverheadBytes + JsonStringLength(issuer) +
                              JsonStringLength(audience) + kEstimatedSubBytes +
                              kEstimatedNameBytes + kEstimatedRolesBytes;
  const std::size_t jwt = Base64UrlLength(header) + 1 + Base64UrlLength(payload) + 1 +
                          Base64UrlLength(SignatureBytes(signing_key));
  return kAccessCookie.size() + jwt;
}

Status ValidateServerConfig(const ServerConfig& config) {
  if (config.dev_mode && config.environment != Environment::kDevelopment) {
    return ConfigError("environment", "--dev runs only in development; remove --dev");
  }
  if (auto production = CheckProduction(config); !production) {
    return production;
  }
  if (config.refresh_hash_key.size() < kMinSecretKeyBytes) {
    return ConfigError("secrets.refresh_hash_key", "use at least 32 random bytes");
  }
  if (config.csrf_key.size() < kMinSecretKeyBytes) {
    return ConfigError("secrets.csrf_key", "use at least 32 random bytes");
  }
  if (auto tokens = CheckTokens(config); !tokens) {
    return tokens;
  }
  return CheckPolicies(config);
}

}  // namespace writ::server
