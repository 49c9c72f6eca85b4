// RSA keys for RS256/384/512 (RFC 7518 §3.3) and PS256/384/512 (§3.5).
#ifndef WRIT_CORE_RSA_KEY_H_
#define WRIT_CORE_RSA_KEY_H_

#include "core/jwk_members.h"
#include "core/key_material.h"

namespace writ::internal {

// From a JWK with kty "RSA" (n, e; d, p, q, dp, dq, qi for a private key).
// kWeakKey under 2048 bits.
Result<KeyMaterialPtr> RsaKeyFromJwk(Alg alg, const JwkMembers& jwk);
// 2048 bits for *256, 3072 for *384, 4096 for *512.
Result<KeyMaterialPtr> GenerateRsaKey(Alg alg);

}  // namespace writ::internal

#endif  // WRIT_CORE_RSA_KEY_H_
