// v4.public: Ed25519 over PAE(h, m, f, i) (PASETO spec, Version 4, "v4.public"), and
// the v4 key types.
#include <sodium.h>

#include "core/paseto/pae.h"
#include "core/paseto/token_format.h"
#include "core/sodium_init.h"
#include "writ/paseto.h"

namespace writ {
namespace {

constexpr std::string_view kHeader = "v4.public.";

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

Result<V4PublicKey> V4PublicKey::FromBytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kSize) {
    return Fail(ErrorCode::kInvalidKey, "a v4.public key is exactly 32 bytes");
  }
  internal::EnsureSodium();  // before any libsodium call on this verify-only path
  return V4PublicKey(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

V4SecretKey V4SecretKey::Generate() {
  internal::EnsureSodium();
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(public_key, secret_key);
  V4SecretKey key(SecretBytes(std::span<const std::uint8_t>(secret_key, sizeof(secret_key))));
  sodium_memzero(secret_key, sizeof(secret_key));
  return key;
}

Result<V4SecretKey> V4SecretKey::FromSeed(std::span<const std::uint8_t> seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Fail(ErrorCode::kInvalidKey, "an Ed25519 seed is exactly 32 bytes");
  }
  internal::EnsureSodium();
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key, secret_key, seed.data());
  V4SecretKey key(SecretBytes(std::span<const std::uint8_t>(secret_key, sizeof(secret_key))));
  sodium_memzero(secret_key, sizeof(secret_key));
  return key;
}

Result<V4SecretKey> V4SecretKey::FromBytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kSize) {
    return Fail(ErrorCode::kInvalidKey, "a v4.secret key is exactly 64 bytes");
  }
  auto key = FromSeed(bytes.first(crypto_sign_SEEDBYTES));
  if (!key) {
    return key;
  }
  // The second half must be the public key of the first: a mismatched pair would sign
  // with one key and publish another.
  if (sodium_memcmp(key->secret().expose_secret().data() + crypto_sign_SEEDBYTES,
                    bytes.data() + crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES) != 0) {
    return Fail(ErrorCode::kInvalidKey, "the secret key's public half does not match its seed");
  }
  return key;
}

V4PublicKey V4SecretKey::public_key() const {
  const auto* bytes = key_.expose_secret().data() + crypto_sign_SEEDBYTES;
  return V4PublicKey(std::string(reinterpret_cast<const char*>(bytes), crypto_sign_PUBLICKEYBYTES));
}

namespace paseto {

Result<std::string> Sign(const V4SecretKey& key, std::string_view payload, std::string_view footer,
                         std::string_view implicit) {
  if (footer.size() > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kTooLarge, "footer longer than " + std::to_string(kMaxPasetoFooterBytes) + " bytes");
  }
  internal::EnsureSodium();
  const std::string pre_auth = internal::Pae({kHeader, payload, footer, implicit});
  std::string body(payload);
  body.resize(payload.size() + crypto_sign_BYTES);
  crypto_sign_detached(reinterpret_cast<unsigned char*>(body.data()) + payload.size(), nullptr,
                       Bytes(pre_auth), pre_auth.size(), key.secret().expose_secret().data());
  return internal::JoinPaseto(kHeader, body, footer);
}

Result<PasetoMessage> Verify(const V4PublicKey& key, std::string_view token, std::string_view implicit) {
  auto parts = internal::SplitPaseto(token, kHeader, crypto_sign_BYTES);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  const std::string_view body = parts->body;
  const std::string_view payload = body.substr(0, body.size() - crypto_sign_BYTES);
  const std::string_view signature = body.substr(body.size() - crypto_sign_BYTES);
  const std::string pre_auth = internal::Pae({kHeader, payload, parts->footer, implicit});
  if (crypto_sign_verify_detached(Bytes(signature), Bytes(pre_auth), pre_auth.size(), Bytes(key.bytes())) != 0) {
    return Fail(ErrorCode::kBadSignature, "signature does not verify");
  }
  return PasetoMessage{std::string(payload), std::move(parts->footer)};
}

}  // namespace paseto
}  // namespace writ
