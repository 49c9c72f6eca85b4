// k3.seal (operations/PKE.md, "Version 3"; types/seal.md): the local key encrypted to a
// P-384 public key. With h = "k3.seal.", the recipient's compressed key pk and the
// ephemeral pair (esk, epk), epk compressed:
//   xk = ECDH-P384(esk, pk); Ek || n = SHA-384(0x01 || h || xk || epk || pk);
//   Ak = SHA-384(0x02 || h || xk || epk || pk); edk = AES-256-CTR(pdk, Ek, n);
//   t = HMAC-SHA384(h || epk || edk, key = Ak).
// Data: t(48) epk(49) edk(32). PKE.md sets h to "k3.local." and writes "xpk" for pk in
// Ek's derivation; the official test vectors are made with h = "k3.seal." and pk.
#include <openssl/evp.h>

#include "core/openssl_util.h"
#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "core/paserk/paserk_internal.h"
#include "core/paseto/p384_key.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using internal::P384Key;

constexpr std::string_view kHeader = "k3.seal.";
constexpr std::size_t kTagSize = 48;
constexpr std::size_t kPointSize = P384Key::kCoordinateBytes + 1;
constexpr std::size_t kDataSize = kTagSize + kPointSize + V3LocalKey::kSize;
constexpr char kEncryptionDomain = '\x01';
constexpr char kAuthenticationDomain = '\x02';

// The ECDH shared secret (the x-coordinate of own·peer, SEC 1 §3.3.1), 48 bytes.
bool Ecdh(EVP_PKEY* own, EVP_PKEY* peer, std::span<std::uint8_t, P384Key::kCoordinateBytes> out) {
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(own, nullptr));
  std::size_t size = out.size();
  return ctx && EVP_PKEY_derive_init(ctx.get()) == 1 && EVP_PKEY_derive_set_peer(ctx.get(), peer) == 1 &&
         EVP_PKEY_derive(ctx.get(), out.data(), &size) == 1 && size == out.size();
}

// Ek || n and Ak from the shared secret and both compressed public keys.
struct SealKeys {
  internal::WipedBuffer<48> encryption;  // Ek (32) || n (16)
  internal::WipedBuffer<48> authentication;
  bool ok;
  SealKeys(std::string_view shared, std::string_view ephemeral_public, std::string_view recipient_public)
      : ok(internal::Sha384(encryption.bytes, {std::string_view(&kEncryptionDomain, 1), kHeader, shared,
                                               ephemeral_public, recipient_public}) &&
           internal::Sha384(authentication.bytes, {std::string_view(&kAuthenticationDomain, 1), kHeader, shared,
                                                   ephemeral_public, recipient_public})) {}
  std::string_view cipher_key() const { return encryption.view().substr(0, 32); }
  std::string_view counter() const { return encryption.view().substr(32); }
};

Result<std::string> SealWith(const V3PublicKey& recipient, const V3LocalKey& key, const P384Key& ephemeral) {
  internal::WipedBuffer<P384Key::kCoordinateBytes> shared;
  if (!Ecdh(ephemeral.pkey(), recipient.key().pkey(), shared.span())) {
    return Fail(ErrorCode::kCrypto, "P-384 ECDH failed: " + internal::OpenSslErrors());
  }
  const std::string_view epk = ephemeral.compressed();
  const SealKeys keys(shared.view(), epk, recipient.bytes());
  std::string data(kTagSize, '\0');
  data.append(epk);
  data.resize(kDataSize);
  auto* encrypted_key = reinterpret_cast<std::uint8_t*>(data.data()) + kTagSize + kPointSize;
  if (!keys.ok ||
      !internal::Aes256Ctr(encrypted_key, internal::AsText(key.secret().expose_secret()), keys.cipher_key(),
                           keys.counter()) ||
      !internal::HmacSha384(std::span<std::uint8_t, kTagSize>(reinterpret_cast<std::uint8_t*>(data.data()), kTagSize),
                            keys.authentication.view(), {kHeader, epk, std::string_view(data).substr(kTagSize + kPointSize)})) {
    return Fail(ErrorCode::kCrypto, "k3 sealing failed");
  }
  return internal::EncodePaserk(kHeader, data);
}

}  // namespace

namespace internal {

Result<std::string> SealWithEphemeral(const V3PublicKey& recipient, const V3LocalKey& key,
                                      std::string_view ephemeral_secret) {
  auto ephemeral = P384Key::FromScalar(std::span<const std::uint8_t>(BytePointer(ephemeral_secret), ephemeral_secret.size()));
  if (!ephemeral) {
    return Fail(ErrorCode::kInvalidArgument, "the ephemeral key is a P-384 scalar in [1, n-1]");
  }
  return SealWith(recipient, key, **ephemeral);
}

}  // namespace internal

namespace paserk {

Result<std::string> Seal(const V3PublicKey& recipient, const V3LocalKey& key) {
  auto ephemeral = P384Key::Generate();
  if (!ephemeral) {
    return tl::unexpected(ephemeral.error());
  }
  return SealWith(recipient, key, **ephemeral);
}

Result<V3LocalKey> Unseal(const V3SecretKey& recipient, std::string_view paserk) {
  auto data = internal::DecodePaserkData(paserk, kHeader, kDataSize);
  if (!data) {
    return tl::unexpected(data.error());
  }
  const std::string_view view = *data;
  const std::string_view tag = view.substr(0, kTagSize);
  const std::string_view epk = view.substr(kTagSize, kPointSize);
  const std::string_view encrypted_key = view.substr(kTagSize + kPointSize);
  // The ephemeral key must be a point on P-384 (not the identity): an invalid-curve point
  // would leak the recipient's scalar.
  auto ephemeral = P384Key::FromCompressed(std::span<const std::uint8_t>(internal::BytePointer(epk), epk.size()));
  if (!ephemeral) {
    return Fail(ErrorCode::kMalformed, "the sealed key's ephemeral public key is not a P-384 point");
  }
  internal::WipedBuffer<P384Key::kCoordinateBytes> shared;
  if (!Ecdh(recipient.key().pkey(), (*ephemeral)->pkey(), shared.span())) {
    return Fail(ErrorCode::kCrypto, "P-384 ECDH failed: " + internal::OpenSslErrors());
  }
  const SealKeys keys(shared.view(), epk, recipient.key().compressed());
  std::uint8_t expected[kTagSize];
  if (!keys.ok || !internal::HmacSha384(expected, keys.authentication.view(), {kHeader, epk, encrypted_key})) {
    return Fail(ErrorCode::kCrypto, "k3 unsealing failed");
  }
  // PKE.md, decryption step 4: constant-time comparison before any decryption.
  if (!internal::ConstantTimeEqual(tag, internal::AsText(expected))) {
    return Fail(ErrorCode::kBadSignature, "the key was not sealed to this recipient, or was altered");
  }
  internal::WipedBuffer<V3LocalKey::kSize> plaintext_key;
  if (!internal::Aes256Ctr(plaintext_key.bytes, encrypted_key, keys.cipher_key(), keys.counter())) {
    return Fail(ErrorCode::kCrypto, "k3 unsealing failed");
  }
  return V3LocalKey::FromBytes(plaintext_key.span());
}

}  // namespace paserk
}  // namespace writ
