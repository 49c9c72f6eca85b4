// Checks across the settings of a loaded ServerConfig (each value was checked on its own when
// read). Internal to the configuration loader.
#ifndef WRIT_SERVER_CONFIG_VALIDATE_H_
#define WRIT_SERVER_CONFIG_VALIDATE_H_

#include <cstddef>
#include <string_view>

#include "server/server_config.h"
#include "writ/key.h"
#include "writ/result.h"

namespace writ::server {

// Room the estimate leaves for claims that depend on the user (RFC 9068 §2.2 claims plus
// writ's own): sub (the user id), name (the username) and roles.
inline constexpr std::size_t kEstimatedSubBytes = 64;
inline constexpr std::size_t kEstimatedNameBytes = 64;
inline constexpr std::size_t kEstimatedRolesBytes = 512;

// An upper estimate of name + value of the __Host-writ-access cookie holding an access JWT
// signed by `signing_key` for `issuer` and `audience` (header {alg,typ,kid}; claims iss, sub,
// aud, exp, iat, jti, sid, roles, name with the allowances above).
std::size_t EstimateAccessCookieBytes(std::string_view issuer, std::string_view audience,
                                      const Key& signing_key);

// Refuses what no single value shows: a missing issuer/audience or signing key, an access
// cookie that could pass 4096 bytes (browsers drop larger cookies: RFC 6265 §6.1), request
// limits too small for the cookie or the longest password, min > max, short secret keys,
// --dev in production. Each message says what to change.
[[nodiscard]] Status ValidateServerConfig(const ServerConfig& config);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_VALIDATE_H_
