// JWK parsing and serialisation (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) and RFC 7638
// thumbprints.
#ifndef WRIT_CORE_JWK_H_
#define WRIT_CORE_JWK_H_

#include <string>
#include <string_view>

#include <simdjson.h>

#include "core/key_material.h"

namespace writ::internal {

struct ParsedJwk {
  KeyMaterialPtr material;
  std::string kid;  // empty when the JWK has none
};

// One JWK object. See writ::Key::FromJwk for the rules.
Result<ParsedJwk> ParseJwk(simdjson::dom::object jwk);

// {"kty":...,members...,"kid":...,"alg":...,"use":"sig"}.
std::string SerializeJwk(const KeyMaterial& material, std::string_view kid, bool include_private);

// RFC 7638 thumbprint with SHA-256, base64url.
std::string JwkThumbprint(const KeyMaterial& material);

}  // namespace writ::internal

#endif  // WRIT_CORE_JWK_H_
