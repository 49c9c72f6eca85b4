// k4.local-wrap.pie and k4.secret-wrap.pie (operations/Wrap/pie.md, "Version 2 and 4"):
// XChaCha20 with a key and nonce derived by keyed BLAKE2b from a random 32-byte nonce,
// and a BLAKE2b tag over header || n || c. Output: header || base64url(t || n || c).
#include <sodium.h>

#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "core/paserk/paserk_internal.h"
#include "core/sodium_init.h"
#include "writ/paserk.h"

namespace writ {
namespace {

constexpr std::string_view kLocalHeader = "k4.local-wrap.pie.";
constexpr std::string_view kSecretHeader = "k4.secret-wrap.pie.";
constexpr std::size_t kTagSize = 32;
constexpr char kEncryptionDomain = '\x80';
constexpr char kAuthenticationDomain = '\x81';

// Ek || n2 = BLAKE2b-448(0x80 || n, key = wk); Ak = BLAKE2b-256(0x81 || n, key = wk).
struct PieKeys {
  internal::WipedBuffer<56> encryption;
  internal::WipedBuffer<32> authentication;
  PieKeys(const SecretBytes& wrapping_key, std::string_view nonce) {
    const std::string_view key = internal::AsText(wrapping_key.expose_secret());
    internal::Blake2b(encryption.span(), key, {std::string_view(&kEncryptionDomain, 1), nonce});
    internal::Blake2b(authentication.span(), key, {std::string_view(&kAuthenticationDomain, 1), nonce});
  }
  std::string_view cipher_key() const { return encryption.view().substr(0, 32); }
  std::string_view cipher_nonce() const { return encryption.view().substr(32); }
};

Result<std::string> PieWrap(const SecretBytes& wrapping_key, std::string_view header,
                            std::span<const std::uint8_t> plaintext_key, std::string_view nonce) {
  if (nonce.size() != internal::kPieNonceSize) {
    return Fail(ErrorCode::kInvalidArgument, "the pie nonce is 32 bytes");
  }
  const PieKeys keys(wrapping_key, nonce);
  std::string body(kTagSize, '\0');
  body.append(nonce);
  body.resize(kTagSize + nonce.size() + plaintext_key.size());
  auto* ciphertext = reinterpret_cast<std::uint8_t*>(body.data()) + kTagSize + nonce.size();
  internal::XChaCha20Xor(ciphertext, internal::AsText(plaintext_key), keys.cipher_key(), keys.cipher_nonce());
  const std::string_view ciphertext_view(body.data() + kTagSize + nonce.size(), plaintext_key.size());
  internal::Blake2b(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(body.data()), kTagSize),
                    keys.authentication.view(), {header, nonce, ciphertext_view});
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
  internal::Blake2b(expected, keys.authentication.view(), {header, nonce, ciphertext});
  // pie.md, decryption step 4: constant-time comparison, and nothing decrypted on mismatch.
  if (!internal::ConstantTimeEqual(tag, internal::AsText(expected))) {
    return Fail(ErrorCode::kBadSignature, "the wrapped key's tag does not verify");
  }
  internal::XChaCha20Xor(plaintext_key.bytes, ciphertext, keys.cipher_key(), keys.cipher_nonce());
  return {};
}

std::string RandomNonce() {
  internal::EnsureSodium();
  std::string nonce(internal::kPieNonceSize, '\0');
  randombytes_buf(nonce.data(), nonce.size());
  return nonce;
}

}  // namespace

namespace internal {

Result<std::string> WrapWithNonce(const V4LocalKey& wrapping_key, const V4LocalKey& key, std::string_view nonce) {
  return PieWrap(wrapping_key.secret(), kLocalHeader, key.secret().expose_secret(), nonce);
}

Result<std::string> WrapWithNonce(const V4LocalKey& wrapping_key, const V4SecretKey& key, std::string_view nonce) {
  return PieWrap(wrapping_key.secret(), kSecretHeader, key.secret().expose_secret(), nonce);
}

}  // namespace internal

namespace paserk {

Result<std::string> Wrap(const V4LocalKey& wrapping_key, const V4LocalKey& key) {
  return internal::WrapWithNonce(wrapping_key, key, RandomNonce());
}

Result<std::string> Wrap(const V4LocalKey& wrapping_key, const V4SecretKey& key) {
  return internal::WrapWithNonce(wrapping_key, key, RandomNonce());
}

Result<V4LocalKey> UnwrapLocal(const V4LocalKey& wrapping_key, std::string_view paserk) {
  internal::WipedBuffer<V4LocalKey::kSize> plaintext_key;
  if (auto unwrapped = PieUnwrap(wrapping_key.secret(), kLocalHeader, paserk, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V4LocalKey::FromBytes(plaintext_key.span());
}

Result<V4SecretKey> UnwrapSecret(const V4LocalKey& wrapping_key, std::string_view paserk) {
  internal::WipedBuffer<V4SecretKey::kSize> plaintext_key;
  if (auto unwrapped = PieUnwrap(wrapping_key.secret(), kSecretHeader, paserk, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V4SecretKey::FromBytes(plaintext_key.span());
}

}  // namespace paserk
}  // namespace writ
