// k4.seal (operations/PKE.md, "Version 2 and 4"; types/seal.md): the local key encrypted to
// an Ed25519 public key through its birationally equivalent X25519 key. With h =
// "k4.seal." and the ephemeral X25519 pair (esk, epk):
//   xk = X25519(esk, xpk); Ek = BLAKE2b(0x01 || h || xk || epk || xpk);
//   Ak = BLAKE2b(0x02 || h || xk || epk || xpk); n = BLAKE2b-192(epk || xpk);
//   edk = XChaCha20(pdk, n, Ek); t = BLAKE2b(h || epk || edk, key = Ak).
// Data: t(32) epk(32) edk(32). PKE.md sets h to "k4.local."; the official test vectors are
// made with the PASERK's own header "k4.seal.", which is what interoperates.
#include <sodium.h>

#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "core/paserk/paserk_internal.h"
#include "core/sodium_init.h"
#include "writ/paserk.h"

namespace writ {
namespace {

constexpr std::string_view kHeader = "k4.seal.";
constexpr std::size_t kTagSize = 32;
constexpr std::size_t kPointSize = crypto_scalarmult_curve25519_BYTES;
constexpr std::size_t kDataSize = kTagSize + kPointSize + V4LocalKey::kSize;
constexpr char kEncryptionDomain = '\x01';
constexpr char kAuthenticationDomain = '\x02';

// Ek, Ak and n from the shared secret and both public keys.
struct SealKeys {
  internal::WipedBuffer<32> encryption;
  internal::WipedBuffer<32> authentication;
  std::uint8_t nonce[crypto_stream_xchacha20_NONCEBYTES];
  SealKeys(std::string_view shared, std::string_view ephemeral_public, std::string_view recipient_public) {
    internal::Blake2b(encryption.span(), {},
                      {std::string_view(&kEncryptionDomain, 1), kHeader, shared, ephemeral_public, recipient_public});
    internal::Blake2b(authentication.span(), {},
                      {std::string_view(&kAuthenticationDomain, 1), kHeader, shared, ephemeral_public,
                       recipient_public});
    internal::Blake2b(nonce, {}, {ephemeral_public, recipient_public});
  }
  std::string_view nonce_view() const { return {reinterpret_cast<const char*>(nonce), sizeof(nonce)}; }
};

}  // namespace

namespace internal {

Result<std::string> SealWithEphemeral(const V4PublicKey& recipient, const V4LocalKey& key,
                                      std::string_view ephemeral_secret) {
  if (ephemeral_secret.size() != kV4SealEphemeralSize) {
    return Fail(ErrorCode::kInvalidArgument, "an X25519 secret key is 32 bytes");
  }
  EnsureSodium();
  std::uint8_t recipient_x25519[kPointSize];
  if (crypto_sign_ed25519_pk_to_curve25519(recipient_x25519, BytePointer(recipient.bytes())) != 0) {
    return Fail(ErrorCode::kInvalidKey, "the recipient's Ed25519 key has no X25519 equivalent");
  }
  std::uint8_t ephemeral_public[kPointSize];
  WipedBuffer<kPointSize> shared;
  if (crypto_scalarmult_base(ephemeral_public, BytePointer(ephemeral_secret)) != 0 ||
      crypto_scalarmult(shared.bytes, BytePointer(ephemeral_secret), recipient_x25519) != 0) {
    return Fail(ErrorCode::kInvalidKey, "X25519 with the recipient's key gives no shared secret");
  }
  const std::string_view epk = AsText(ephemeral_public);
  const std::string_view xpk = AsText(recipient_x25519);
  const SealKeys keys(shared.view(), epk, xpk);
  std::string data(kTagSize, '\0');
  data.append(epk);
  data.resize(kDataSize);
  auto* encrypted_key = reinterpret_cast<std::uint8_t*>(data.data()) + kTagSize + kPointSize;
  XChaCha20Xor(encrypted_key, AsText(key.secret().expose_secret()), keys.encryption.view(), keys.nonce_view());
  Blake2b(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(data.data()), kTagSize), keys.authentication.view(),
          {kHeader, epk, std::string_view(data).substr(kTagSize + kPointSize)});
  return EncodePaserk(kHeader, data);
}

}  // namespace internal

namespace paserk {

Result<std::string> Seal(const V4PublicKey& recipient, const V4LocalKey& key) {
  internal::EnsureSodium();
  internal::WipedBuffer<internal::kV4SealEphemeralSize> ephemeral_secret;
  randombytes_buf(ephemeral_secret.bytes, ephemeral_secret.size());
  return internal::SealWithEphemeral(recipient, key, ephemeral_secret.view());
}

Result<V4LocalKey> Unseal(const V4SecretKey& recipient, std::string_view paserk) {
  auto data = internal::DecodePaserkData(paserk, kHeader, kDataSize);
  if (!data) {
    return tl::unexpected(data.error());
  }
  const std::string_view view = *data;
  const std::string_view tag = view.substr(0, kTagSize);
  const std::string_view epk = view.substr(kTagSize, kPointSize);
  const std::string_view encrypted_key = view.substr(kTagSize + kPointSize);
  internal::EnsureSodium();
  internal::WipedBuffer<crypto_scalarmult_curve25519_SCALARBYTES> recipient_secret;
  std::uint8_t recipient_x25519[kPointSize];
  const V4PublicKey recipient_public = recipient.public_key();
  if (crypto_sign_ed25519_sk_to_curve25519(recipient_secret.bytes, recipient.secret().expose_secret().data()) != 0 ||
      crypto_sign_ed25519_pk_to_curve25519(recipient_x25519, internal::BytePointer(recipient_public.bytes())) != 0) {
    return Fail(ErrorCode::kInvalidKey, "the recipient's Ed25519 key has no X25519 equivalent");
  }
  internal::WipedBuffer<kPointSize> shared;
  // crypto_scalarmult refuses an all-zero result, i.e. an ephemeral key of small order.
  if (crypto_scalarmult(shared.bytes, recipient_secret.bytes, internal::BytePointer(epk)) != 0) {
    return Fail(ErrorCode::kMalformed, "the sealed key's ephemeral public key is of small order");
  }
  const SealKeys keys(shared.view(), epk, internal::AsText(recipient_x25519));
  std::uint8_t expected[kTagSize];
  internal::Blake2b(expected, keys.authentication.view(), {kHeader, epk, encrypted_key});
  // PKE.md, decryption step 5: constant-time comparison before any decryption.
  if (!internal::ConstantTimeEqual(tag, internal::AsText(expected))) {
    return Fail(ErrorCode::kBadSignature, "the key was not sealed to this recipient, or was altered");
  }
  internal::WipedBuffer<V4LocalKey::kSize> plaintext_key;
  internal::XChaCha20Xor(plaintext_key.bytes, encrypted_key, keys.encryption.view(), keys.nonce_view());
  return V4LocalKey::FromBytes(plaintext_key.span());
}

}  // namespace paserk
}  // namespace writ
