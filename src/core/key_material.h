// internal::KeyMaterial: what each key family (HMAC, RSA, EC, Ed25519) implements.
#ifndef WRIT_CORE_KEY_MATERIAL_H_
#define WRIT_CORE_KEY_MATERIAL_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "writ/alg.h"
#include "writ/result.h"

namespace writ::internal {

class KeyMaterial {
 public:
  virtual ~KeyMaterial() = default;

  virtual Alg alg() const = 0;
  virtual bool has_private() const = 0;
  virtual int key_bits() const = 0;

  // The JWS signature of `signing_input` (raw r||s for ECDSA). kInvalidKey without a
  // private part.
  virtual Result<std::string> Sign(std::string_view signing_input) const = 0;

  // True only when `signature` is a valid signature of `signing_input` in the exact
  // encoding JWS prescribes (exact length; canonical forms). Constant-time for MACs.
  virtual bool Verify(std::string_view signing_input,
                      std::span<const std::uint8_t> signature) const = 0;

  // Appends the key-type members of the JWK ("kty":..., then the public members, then
  // the private ones when `include_private`), without braces, kid, alg or use.
  virtual void AppendJwkMembers(std::string& out, bool include_private) const = 0;

  // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
  virtual std::string ThumbprintInput() const = 0;

  // The public half. kInvalidKey for HMAC.
  virtual Result<std::shared_ptr<const KeyMaterial>> PublicOnly() const = 0;
};

using KeyMaterialPtr = std::shared_ptr<const KeyMaterial>;

}  // namespace writ::internal

#endif  // WRIT_CORE_KEY_MATERIAL_H_
