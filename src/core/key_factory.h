// internal access to writ::Key's private constructor, for the library's own factories.
#ifndef WRIT_CORE_KEY_FACTORY_H_
#define WRIT_CORE_KEY_FACTORY_H_

#include <string>

#include <simdjson.h>

#include "core/key_material.h"
#include "writ/key.h"

namespace writ {

class KeyFactory {
 public:
  // A Key for `material`; an empty `kid` becomes the RFC 7638 thumbprint.
  static Key Make(internal::KeyMaterialPtr material, std::string kid);
  // A Key from one parsed JWK object.
  static Result<Key> FromJwkObject(simdjson::dom::object jwk);
};

}  // namespace writ

#endif  // WRIT_CORE_KEY_FACTORY_H_
