// ECDSA keys for ES256/384/512 on P-256/P-384/P-521 (RFC 7518 §3.4).
#ifndef WRIT_CORE_EC_KEY_H_
#define WRIT_CORE_EC_KEY_H_

#include <optional>

#include "core/jwk_members.h"
#include "core/key_material.h"

namespace writ::internal {

// The algorithm a curve name implies (P-256 → ES256, ...).
std::optional<Alg> EcAlgForCurve(std::string_view crv);

// From a JWK with kty "EC" (crv, x, y; d for a private key). The point must be on the
// curve and, with d, match it.
Result<KeyMaterialPtr> EcKeyFromJwk(Alg alg, const JwkMembers& jwk);
Result<KeyMaterialPtr> GenerateEcKey(Alg alg);

}  // namespace writ::internal

#endif  // WRIT_CORE_EC_KEY_H_
