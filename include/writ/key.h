// writ::Key: a signing or verification key bound to exactly one JWS algorithm.
#ifndef WRIT_KEY_H_
#define WRIT_KEY_H_

#include <memory>
#include <string>
#include <string_view>

#include "writ/alg.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ {

namespace internal {
class KeyMaterial;
}  // namespace internal

// A key and the one algorithm it may be used with. The algorithm always comes from the
// key, never from a token. Immutable, cheap to copy (shared material), safe to share
// across threads.
//
// Minimum strengths are enforced at creation: HMAC keys at least the hash length
// (32/48/64 bytes), RSA moduli at least 2048 bits. Weaker keys are refused with kWeakKey.
class Key {
 public:
  // A fresh key from the CSPRNG (HMAC: hash-length secret; RSA: 2048 bits for RS256/PS256,
  // 3072 for *384, 4096 for *512; EC on the algorithm's curve; Ed25519). An empty `kid`
  // becomes the RFC 7638 thumbprint (for a generated HMAC key, a random id instead).
  static Result<Key> Generate(Alg alg, std::string kid = "");

  // An HMAC key from raw secret bytes. kWeakKey when shorter than the hash length. An
  // empty `kid` becomes the RFC 7638 thumbprint, which is stable across loads (a SHA-256
  // of the secret: name the key explicitly if that must not link environments).
  static Result<Key> FromHmacSecret(Alg alg, SecretBytes secret, std::string kid);

  // A key from one JWK (RFC 7517). kty oct, RSA, EC (P-256/384/521) and OKP (Ed25519).
  // `alg` is required for oct and RSA keys (an RSA key could be RS* or PS*; RFC 8725 §3.1);
  // for EC it must match the curve and may be omitted; for OKP it must be EdDSA if present.
  // A missing `kid` becomes the RFC 7638 thumbprint. Keys with "use" other than "sig"
  // or "key_ops" without sign/verify are refused. Private members make a private key.
  // x5c/x5t/x5u members are ignored: the key is always n/e, x/y or k, never a
  // certificate (RFC 7517 §4.6-4.9). RSA moduli with the ROCA fingerprint
  // (CVE-2017-15361) are refused as kWeakKey.
  static Result<Key> FromJwk(std::string_view jwk_json);

  Alg alg() const;
  const std::string& kid() const;
  // True when this key can sign (HMAC keys always can).
  bool can_sign() const;

  // The public half as a verification-only Key with the same kid. kInvalidKey for HMAC.
  Result<Key> PublicKey() const;

  // The public JWK, with kty, alg, kid, use:"sig" and the public members only.
  // kInvalidKey for HMAC keys, which have no public form.
  Result<std::string> ToPublicJwk() const;

  // The complete JWK including private members, in secure memory. kInvalidKey when this
  // key has no private part.
  Result<SecretBytes> ToPrivateJwk() const;

  // RFC 7638 JWK thumbprint (SHA-256, base64url) of the key's required public members
  // (for oct keys: of k, which is why generated HMAC keys get a random kid instead).
  std::string Thumbprint() const;

  // Strength in bits of the underlying primitive's key (HMAC secret bits, RSA modulus
  // bits, curve order bits, 256 for Ed25519).
  int key_bits() const;

  // For the library's own use.
  const internal::KeyMaterial& material() const { return *material_; }

 private:
  Key(std::shared_ptr<const internal::KeyMaterial> material, std::string kid);
  friend class KeyFactory;
  std::shared_ptr<const internal::KeyMaterial> material_;
  std::string kid_;
};

}  // namespace writ

#endif  // WRIT_KEY_H_
