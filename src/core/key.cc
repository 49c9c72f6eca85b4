#include "writ/key.h"

#include <sodium.h>

#include "core/base64url.h"
#include "core/ec_key.h"
#include "core/ed25519_key.h"
#include "core/hmac_key.h"
#include "core/jwk.h"
#include "core/key_factory.h"
#include "core/rsa_key.h"
#include "core/sodium_init.h"
#include "core/strict_json.h"

namespace writ {
namespace {

constexpr internal::JsonLimits kJwkLimits{.max_bytes = 65536, .max_depth = 8};
constexpr std::size_t kMaxKidBytes = 256;

std::string RandomKid() {
  internal::EnsureSodium();
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof(bytes));
  return internal::Base64UrlEncode(std::span<const std::uint8_t>(bytes, sizeof(bytes)));
}

Result<internal::KeyMaterialPtr> GenerateMaterial(Alg alg) {
  switch (alg) {
    case Alg::kHs256: case Alg::kHs384: case Alg::kHs512:
      return internal::GenerateHmacKey(alg);
    case Alg::kRs256: case Alg::kRs384: case Alg::kRs512:
    case Alg::kPs256: case Alg::kPs384: case Alg::kPs512:
      return internal::GenerateRsaKey(alg);
    case Alg::kEs256: case Alg::kEs384: case Alg::kEs512:
      return internal::GenerateEcKey(alg);
    case Alg::kEdDsa:
      return internal::GenerateEd25519Key();
  }
  return Fail(ErrorCode::kUnsupportedAlg, "unknown algorithm");
}

Status CheckKid(std::string_view kid) {
  if (kid.size() > kMaxKidBytes) {
    return Fail(ErrorCode::kInvalidArgument, "kid longer than 256 bytes");
  }
  return {};
}

}  // namespace

Key KeyFactory::Make(internal::KeyMaterialPtr material, std::string kid) {
  if (kid.empty()) {
    kid = internal::JwkThumbprint(*material);
  }
  return Key(std::move(material), std::move(kid));
}

Result<Key> KeyFactory::FromJwkObject(simdjson::dom::object jwk) {
  auto parsed = internal::ParseJwk(jwk);
  if (!parsed) {
    return tl::unexpected(parsed.error());
  }
  if (auto status = CheckKid(parsed->kid); !status) {
    return tl::unexpected(status.error());
  }
  return Make(std::move(parsed->material), std::move(parsed->kid));
}

Key::Key(std::shared_ptr<const internal::KeyMaterial> material, std::string kid)
    : material_(std::move(material)), kid_(std::move(kid)) {}

Result<Key> Key::Generate(Alg alg, std::string kid) {
  if (auto status = CheckKid(kid); !status) {
    return tl::unexpected(status.error());
  }
  auto material = GenerateMaterial(alg);
  if (!material) {
    return tl::unexpected(material.error());
  }
  if (kid.empty() && IsSymmetric(alg)) {
    kid = RandomKid();  // a thumbprint of an HMAC key would be a hash of the secret
  }
  return KeyFactory::Make(std::move(*material), std::move(kid));
}

Result<Key> Key::FromHmacSecret(Alg alg, SecretBytes secret, std::string kid) {
  if (auto status = CheckKid(kid); !status) {
    return tl::unexpected(status.error());
  }
  auto material = internal::MakeHmacKey(alg, std::move(secret));
  if (!material) {
    return tl::unexpected(material.error());
  }
  return KeyFactory::Make(std::move(*material), std::move(kid));
}

Result<Key> Key::FromJwk(std::string_view jwk_json) {
  auto object = internal::ParseStrictObject(jwk_json, kJwkLimits);
  if (!object) {
    return tl::unexpected(object.error());
  }
  return KeyFactory::FromJwkObject(*object);
}

Alg Key::alg() const { return material_->alg(); }
const std::string& Key::kid() const { return kid_; }
bool Key::can_sign() const { return material_->has_private(); }
int Key::key_bits() const { return material_->key_bits(); }

Result<Key> Key::PublicKey() const {
  auto material = material_->PublicOnly();
  if (!material) {
    return tl::unexpected(material.error());
  }
  return Key(std::move(*material), kid_);
}

Result<std::string> Key::ToPublicJwk() const {
  if (IsSymmetric(alg())) {
    return Fail(ErrorCode::kInvalidKey, "an HMAC key has no public form and is never published");
  }
  return internal::SerializeJwk(*material_, kid_, false);
}

Result<SecretBytes> Key::ToPrivateJwk() const {
  if (!material_->has_private()) {
    return Fail(ErrorCode::kInvalidKey, "this key has no private part");
  }
  std::string jwk = internal::SerializeJwk(*material_, kid_, true);
  SecretBytes secret = SecretBytes::FromString(jwk);
  sodium_memzero(jwk.data(), jwk.size());
  return secret;
}

std::string Key::Thumbprint() const { return internal::JwkThumbprint(*material_); }

}  // namespace writ
