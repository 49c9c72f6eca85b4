// Ed25519 keys for EdDSA (RFC 8037), on libsodium.
#ifndef WRIT_CORE_ED25519_KEY_H_
#define WRIT_CORE_ED25519_KEY_H_

#include "core/jwk_members.h"
#include "core/key_material.h"

namespace writ::internal {

// From a JWK with kty "OKP", crv "Ed25519", x (and d, the 32-byte seed, for a private
// key; x must then be the seed's public key).
Result<KeyMaterialPtr> Ed25519KeyFromJwk(const JwkMembers& jwk);
KeyMaterialPtr GenerateEd25519Key();

}  // namespace writ::internal

#endif  // WRIT_CORE_ED25519_KEY_H_
