// k3.local-wrap.pie and k3.secret-wrap.pie (operations/Wrap/pie.md, "Versions 1 and 3"):
// AES-256-CTR with a key and counter derived by HMAC-SHA384 from a random 32-byte nonce,
// and an HMAC-SHA384 tag over header || n || c. Output: header || base64url(t || n || c).
#include <openssl/rand.h>

#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "core/paserk/paserk_internal.h"
#include "writ/paserk.h"

namespace writ {
namespace {

constexpr std::string_view kLocalHeader = "k3.local-wrap.pie.";
constexpr std::string_view kSecretHeader = "k3.secret-wrap.pie.";
constexpr std::size_t kTagSize = 48;
constexpr char kEncryptionDomain = '\x80';
constexpr char kAuthenticationDomain = '\x81';

// Ek || n2 = HMAC-SHA384(0x80 || n, key = wk); Ak = HMAC-SHA384(0x81 || n, key = wk)
// truncated to 32 bytes. pie.md does not say "truncated", but the official test vectors
// (paseto-standard/test-vectors) are made with the first 32 bytes.
struct PieKeys {
  internal::WipedBuffer<48> encryption;
  internal::WipedBuffer<48> authentication;
  bool ok;
  PieKeys(const SecretBytes& wrapping_key, std::string_view nonce)
      : ok(internal::HmacSha384(encryption.bytes, internal::AsText(wrapping_key.expose_secret()),
                                {std::string_view(&kEncryptionDomain, 1), nonce}) &&
           internal::HmacSha384(authentication.bytes, internal::AsText(wrapping_key.expose_secret()),
                                {std::string_view(&kAuthenticationDomain, 1), nonce})) {}
  std::string_view cipher_key() const { return encryption.view().substr(0, 32); }
  std::string_view counter() const { return encryption.view().substr(32); }
  std::string_view authentication_key() const { return authentication.view().substr(0, 32); }
};

Result<std::string> PieWrap(const SecretBytes& wrapping_key, std::string_view header,
                            std::span<const std::uint8_t> plaintext_key, std::string_view nonce) {
  if (nonce.size() != internal::kPieNonceSize) {
    return Fail(ErrorCode::kInvalidArgument, "the pie nonce is 32 bytes");
  }
  if (plaintext_key.empty()) {
    return Fail(ErrorCode::kInvalidKey, "no key to wrap");
  }
  const PieKeys keys(wrapping_key, nonce);
  std::string body(kTagSize, '\0');
  body.append(nonce);
  body.resize(kTagSize + nonce.size() + plaintext_key.size());
  auto* ciphertext = reinterpret_cast<std::uint8_t*>(body.data()) + kTagSize + nonce.size();
  const std::string_view ciphertext_view(body.data() + kTagSize + nonce.size(), plaintext_key.size());
  if (!keys.ok || !internal::Aes256Ctr(ciphertext, internal::AsText(plaintext_key), keys.cipher_key(), keys.counter()) ||
      !internal::HmacSha384(std::span<std::uint8_t, kTagSize>(reinterpret_cast<std::uint8_t*>(body.data()), kTagSize),
                            keys.authentication_key(), {header, nonce, ciphertext_view})) {
    return Fail(ErrorCode::kCrypto, "k3 pie wrapping failed");
  }
  return internal::EncodePaserk(header, body);
}

// Authenticates, then decrypts into `plaintext_key` (whose size is the wrapped key's).
template <std::size_t kKeySize>
Status PieUnwrap(const SecretBytes& wrapping_key, std::string_view header, std::string_view paserk,
                 internal::WipedBuffer<kKeySize>& plaintext_key) {
  auto body = internal::DecodePaserkData(paserk, header, kTagSize + internal::kPieNonceSize + kKeySize);
  if (!body) {
    return tl::unexpected(body.error());
  }
  const std::string_view view = *body;
  const std::string_view tag = view.substr(0, kTagSize);
  const std::string_view nonce = view.substr(kTagSize, internal::kPieNonceSize);
  const std::string_view ciphertext = view.substr(kTagSize + internal::kPieNonceSize);
  const PieKeys keys(wrapping_key, nonce);
  std::uint8_t expected[kTagSize];
  if (!keys.ok || !internal::HmacSha384(expected, keys.authentication_key(), {header, nonce, ciphertext})) {
    return Fail(ErrorCode::kCrypto, "k3 pie key derivation failed");
  }
  // pie.md, decryption step 4: constant-time comparison, and nothing decrypted on mismatch.
  if (!internal::ConstantTimeEqual(tag, internal::AsText(expected))) {
    return Fail(ErrorCode::kBadSignature, "the wrapped key's tag does not verify");
  }
  if (!internal::Aes256Ctr(plaintext_key.bytes, ciphertext, keys.cipher_key(), keys.counter())) {
    return Fail(ErrorCode::kCrypto, "k3 pie decryption failed");
  }
  return {};
}

Result<std::string> RandomNonce() {
  std::string nonce(internal::kPieNonceSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), static_cast<int>(nonce.size())) != 1) {
    return Fail(ErrorCode::kCrypto, "no randomness for the nonce");
  }
  return nonce;
}

}  // namespace

namespace internal {

Result<std::string> WrapWithNonce(const V3LocalKey& wrapping_key, const V3LocalKey& key, std::string_view nonce) {
  return PieWrap(wrapping_key.secret(), kLocalHeader, key.secret().expose_secret(), nonce);
}

Result<std::string> WrapWithNonce(const V3LocalKey& wrapping_key, const V3SecretKey& key, std::string_view nonce) {
  const SecretBytes scalar = key.secret();
  return PieWrap(wrapping_key.secret(), kSecretHeader, scalar.expose_secret(), nonce);
}

}  // namespace internal

namespace paserk {

Result<std::string> Wrap(const V3LocalKey& wrapping_key, const V3LocalKey& key) {
  return RandomNonce().and_then([&](const std::string& nonce) { return internal::WrapWithNonce(wrapping_key, key, nonce); });
}

Result<std::string> Wrap(const V3LocalKey& wrapping_key, const V3SecretKey& key) {
  return RandomNonce().and_then([&](const std::string& nonce) { return internal::WrapWithNonce(wrapping_key, key, nonce); });
}

Result<V3LocalKey> UnwrapLocal(const V3LocalKey& wrapping_key, std::string_view paserk) {
  internal::WipedBuffer<V3LocalKey::kSize> plaintext_key;
  if (auto unwrapped = PieUnwrap(wrapping_key.secret(), kLocalHeader, paserk, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V3LocalKey::FromBytes(plaintext_key.span());
}

Result<V3SecretKey> UnwrapSecret(const V3LocalKey& wrapping_key, std::string_view paserk) {
  internal::WipedBuffer<V3SecretKey::kSize> plaintext_key;
  if (auto unwrapped = PieUnwrap(wrapping_key.secret(), kSecretHeader, paserk, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V3SecretKey::FromBytes(plaintext_key.span());
}

}  // namespace paserk
}  // namespace writ
