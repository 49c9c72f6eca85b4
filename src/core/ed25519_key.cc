#include "core/ed25519_key.h"

#include <sodium.h>

#include "core/base64url.h"
#include "core/sodium_init.h"
#include "writ/secret_bytes.h"

namespace writ::internal {
namespace {

std::string_view AsChars(const unsigned char* bytes, std::size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}

class Ed25519Key final : public KeyMaterial {
 public:
  // `secret` is libsodium's 64-byte secret key (seed || public key), or empty.
  Ed25519Key(std::string public_key, SecretBytes secret)
      : public_key_(std::move(public_key)), secret_(std::move(secret)) {}

  Alg alg() const override { return Alg::kEdDsa; }
  bool has_private() const override { return !secret_.empty(); }
  int key_bits() const override { return 256; }

  Result<std::string> Sign(std::string_view signing_input) const override {
    if (secret_.empty()) {
      return Fail(ErrorCode::kInvalidKey, "a public Ed25519 key cannot sign");
    }
    std::string signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(signing_input.data()),
                         signing_input.size(), secret_.expose_secret().data());
    return signature;
  }

  bool Verify(std::string_view signing_input,
              std::span<const std::uint8_t> signature) const override {
    if (signature.size() != crypto_sign_BYTES) {
      return false;
    }
    // libsodium rejects a non-canonical S (S >= L), small-order R and non-canonical or
    // small-order public keys (RFC 8032 §5.1.7 plus malleability checks).
    return crypto_sign_verify_detached(signature.data(),
                                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                                       signing_input.size(),
                                       reinterpret_cast<const unsigned char*>(public_key_.data())) == 0;
  }

  void AppendJwkMembers(std::string& out, bool include_private) const override {
    out += "\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"";
    Base64UrlEncodeAppend(public_key_, out);
    out += '"';
    if (include_private && !secret_.empty()) {
      out += ",\"d\":\"";  // RFC 8037 §2: d is the 32-byte seed
      Base64UrlEncodeAppend(AsChars(secret_.expose_secret().data(), crypto_sign_SEEDBYTES), out);
      out += '"';
    }
  }

  std::string ThumbprintInput() const override {
    return "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + Base64UrlEncode(public_key_) + "\"}";
  }

  Result<KeyMaterialPtr> PublicOnly() const override {
    return std::make_shared<Ed25519Key>(public_key_, SecretBytes());
  }

 private:
  std::string public_key_;
  SecretBytes secret_;
};

}  // namespace

Result<KeyMaterialPtr> Ed25519KeyFromJwk(const JwkMembers& jwk) {
  const auto crv = jwk.Get("crv");
  if (!crv || *crv != "Ed25519") {
    return Fail(ErrorCode::kInvalidKey, "OKP keys must be on Ed25519 (X25519 and Ed448 are not signature keys writ supports)");
  }
  auto x = jwk.Decoded("x");
  if (!x || x->size() != crypto_sign_PUBLICKEYBYTES) {
    return Fail(ErrorCode::kMalformed, "Ed25519 JWK x must be 32 bytes of base64url");
  }
  EnsureSodium();
  if (!jwk.Has("d")) {
    return std::make_shared<Ed25519Key>(std::move(*x), SecretBytes());
  }
  auto seed = jwk.Decoded("d");
  if (!seed || seed->size() != crypto_sign_SEEDBYTES) {
    return Fail(ErrorCode::kMalformed, "Ed25519 JWK d must be a 32-byte seed");
  }
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret_key, reinterpret_cast<const unsigned char*>(seed->data()));
  sodium_memzero(seed->data(), seed->size());
  SecretBytes secret(std::span<const std::uint8_t>(secret_key, sizeof(secret_key)));
  sodium_memzero(secret_key, sizeof(secret_key));
  if (sodium_memcmp(public_key, x->data(), sizeof(public_key)) != 0) {
    return Fail(ErrorCode::kInvalidKey, "Ed25519 JWK x is not the public key of d");
  }
  return std::make_shared<Ed25519Key>(std::move(*x), std::move(secret));
}

KeyMaterialPtr GenerateEd25519Key() {
  EnsureSodium();
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(public_key, secret_key);
  SecretBytes secret(std::span<const std::uint8_t>(secret_key, sizeof(secret_key)));
  sodium_memzero(secret_key, sizeof(secret_key));
  return std::make_shared<Ed25519Key>(std::string(AsChars(public_key, sizeof(public_key))),
                                      std::move(secret));
}

}  // namespace writ::internal
