// HMAC keys for HS256/384/512 (RFC 7518 §3.2).
#ifndef WRIT_CORE_HMAC_KEY_H_
#define WRIT_CORE_HMAC_KEY_H_

#include "core/jwk_members.h"
#include "core/key_material.h"
#include "writ/secret_bytes.h"

namespace writ::internal {

// RFC 7518 §3.2: a key at least as long as the hash output; kWeakKey otherwise.
Result<KeyMaterialPtr> MakeHmacKey(Alg alg, SecretBytes secret);
// From a JWK with kty "oct" and member k.
Result<KeyMaterialPtr> HmacKeyFromJwk(Alg alg, const JwkMembers& jwk);
// A hash-length secret from the CSPRNG.
KeyMaterialPtr GenerateHmacKey(Alg alg);

}  // namespace writ::internal

#endif  // WRIT_CORE_HMAC_KEY_H_
