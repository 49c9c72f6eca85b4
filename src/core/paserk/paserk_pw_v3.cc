// k3.local-pw and k3.secret-pw (operations/PBKW.md, "Versions 1, 3, and 5"; layout in
// types/local-pw.md): a 32-byte pre-key from PBKDF2-SHA384(password, salt, i), Ek = the
// first 32 bytes of SHA-384(0xFF || k), Ak = SHA-384(0xFE || k), AES-256-CTR, and an
// HMAC-SHA384 tag over h || s || i || n || edk. Data: s(32) i(4) n(16) edk t(48).
#include <limits>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "core/paserk/paserk_internal.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using paserk::Pbkdf2Params;

constexpr std::string_view kLocalHeader = "k3.local-pw.";
constexpr std::string_view kSecretHeader = "k3.secret-pw.";
constexpr std::size_t kIterationsSize = 4;
constexpr std::size_t kHeadSize = internal::kV3PwSaltSize + kIterationsSize + internal::kV3PwNonceSize;
constexpr std::size_t kTagSize = 48;
constexpr char kEncryptionDomain = '\xff';
constexpr char kAuthenticationDomain = '\xfe';

// kTooLarge past writ's cap (checked first: it bounds what a hostile PASERK can cost) or
// for a password longer than OpenSSL's int length.
Status CheckCost(std::uint32_t iterations, std::size_t password_size, ErrorCode unusable) {
  if (password_size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return Fail(ErrorCode::kTooLarge, "password too long for PBKDF2");
  }
  if (iterations > paserk::kMaxPbkdf2Iterations) {
    return Fail(ErrorCode::kTooLarge, "PBKDF2 iteration count over writ's cap (10,000,000)");
  }
  if (iterations == 0) {
    return Fail(unusable, "PBKDF2 needs at least one iteration");
  }
  return {};
}

// Ek (32) and Ak (48) from the PBKDF2 pre-key.
struct PwKeys {
  internal::WipedBuffer<48> encryption;  // only the first 32 bytes are the key
  internal::WipedBuffer<48> authentication;
  bool ok = false;
  PwKeys(std::string_view password, std::string_view salt, std::uint32_t iterations) {
    internal::WipedBuffer<32> pre_key;
    ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), internal::BytePointer(salt),
                           static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha384(),
                           static_cast<int>(pre_key.size()), pre_key.bytes) == 1 &&
         internal::Sha384(encryption.bytes, {std::string_view(&kEncryptionDomain, 1), pre_key.view()}) &&
         internal::Sha384(authentication.bytes, {std::string_view(&kAuthenticationDomain, 1), pre_key.view()});
  }
  std::string_view cipher_key() const { return encryption.view().substr(0, 32); }
};

Result<std::string> PwWrap(std::string_view header, std::span<const std::uint8_t> plaintext_key,
                           std::string_view password, const Pbkdf2Params& params, std::string_view salt,
                           std::string_view nonce) {
  if (salt.size() != internal::kV3PwSaltSize || nonce.size() != internal::kV3PwNonceSize) {
    return Fail(ErrorCode::kInvalidArgument, "the k3 PBKW salt is 32 bytes and the nonce 16");
  }
  if (auto usable = CheckCost(params.iterations, password.size(), ErrorCode::kInvalidArgument); !usable) {
    return tl::unexpected(usable.error());
  }
  if (plaintext_key.empty()) {
    return Fail(ErrorCode::kInvalidKey, "no key to wrap");
  }
  const PwKeys keys(password, salt, params.iterations);
  std::string body(salt);
  internal::AppendBigEndian(body, params.iterations, kIterationsSize);
  body.append(nonce);
  body.resize(kHeadSize + plaintext_key.size() + kTagSize);
  auto* encrypted_key = reinterpret_cast<std::uint8_t*>(body.data()) + kHeadSize;
  if (!keys.ok ||
      !internal::Aes256Ctr(encrypted_key, internal::AsText(plaintext_key), keys.cipher_key(), nonce) ||
      !internal::HmacSha384(std::span<std::uint8_t, kTagSize>(encrypted_key + plaintext_key.size(), kTagSize),
                            keys.authentication.view(),
                            {header, std::string_view(body).substr(0, kHeadSize + plaintext_key.size())})) {
    return Fail(ErrorCode::kCrypto, "k3 password wrapping failed");
  }
  return internal::EncodePaserk(header, body);
}

template <std::size_t kKeySize>
Status PwUnwrap(std::string_view header, std::string_view paserk, std::string_view password,
                internal::WipedBuffer<kKeySize>& plaintext_key) {
  auto body = internal::DecodePaserkData(paserk, header, kHeadSize + kKeySize + kTagSize);
  if (!body) {
    return tl::unexpected(body.error());
  }
  const std::string_view view = *body;
  const std::string_view salt = view.substr(0, internal::kV3PwSaltSize);
  const auto iterations =
      static_cast<std::uint32_t>(internal::ReadBigEndian(view.substr(internal::kV3PwSaltSize, kIterationsSize)));
  const std::string_view nonce = view.substr(internal::kV3PwSaltSize + kIterationsSize, internal::kV3PwNonceSize);
  const std::string_view encrypted_key = view.substr(kHeadSize, kKeySize);
  const std::string_view tag = view.substr(kHeadSize + kKeySize);
  // The iteration count is unauthenticated until PBKDF2 has run: bound it first.
  if (auto usable = CheckCost(iterations, password.size(), ErrorCode::kMalformed); !usable) {
    return usable;
  }
  const PwKeys keys(password, salt, iterations);
  std::uint8_t expected[kTagSize];
  if (!keys.ok || !internal::HmacSha384(expected, keys.authentication.view(), {header, view.substr(0, kHeadSize + kKeySize)})) {
    return Fail(ErrorCode::kCrypto, "k3 password key derivation failed");
  }
  // PBKW.md, decryption step 5: constant-time comparison before any decryption.
  if (!internal::ConstantTimeEqual(tag, internal::AsText(expected))) {
    return Fail(ErrorCode::kBadSignature, "wrong password, or the wrapped key was altered");
  }
  if (!internal::Aes256Ctr(plaintext_key.bytes, encrypted_key, keys.cipher_key(), nonce)) {
    return Fail(ErrorCode::kCrypto, "k3 password unwrapping failed");
  }
  return {};
}

Result<std::string> RandomBytes(std::size_t size) {
  std::string bytes(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) != 1) {
    return Fail(ErrorCode::kCrypto, "no randomness for the salt or nonce");
  }
  return bytes;
}

template <typename Key>
Result<std::string> PasswordWrapRandomly(const Key& key, std::string_view password, const Pbkdf2Params& params) {
  auto salt = RandomBytes(internal::kV3PwSaltSize);
  auto nonce = RandomBytes(internal::kV3PwNonceSize);
  if (!salt || !nonce) {
    return Fail(ErrorCode::kCrypto, "no randomness for the salt or nonce");
  }
  return internal::PasswordWrapWithRandomness(key, password, params, *salt, *nonce);
}

}  // namespace

namespace internal {

Result<std::string> PasswordWrapWithRandomness(const V3LocalKey& key, std::string_view password,
                                               const Pbkdf2Params& params, std::string_view salt,
                                               std::string_view nonce) {
  return PwWrap(kLocalHeader, key.secret().expose_secret(), password, params, salt, nonce);
}

Result<std::string> PasswordWrapWithRandomness(const V3SecretKey& key, std::string_view password,
                                               const Pbkdf2Params& params, std::string_view salt,
                                               std::string_view nonce) {
  const SecretBytes scalar = key.secret();
  return PwWrap(kSecretHeader, scalar.expose_secret(), password, params, salt, nonce);
}

}  // namespace internal

namespace paserk {

Result<std::string> PasswordWrap(const V3LocalKey& key, std::string_view password, const Pbkdf2Params& params) {
  return PasswordWrapRandomly(key, password, params);
}

Result<std::string> PasswordWrap(const V3SecretKey& key, std::string_view password, const Pbkdf2Params& params) {
  return PasswordWrapRandomly(key, password, params);
}

Result<V3LocalKey> PasswordUnwrapV3Local(std::string_view paserk, std::string_view password) {
  internal::WipedBuffer<V3LocalKey::kSize> plaintext_key;
  if (auto unwrapped = PwUnwrap(kLocalHeader, paserk, password, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V3LocalKey::FromBytes(plaintext_key.span());
}

Result<V3SecretKey> PasswordUnwrapV3Secret(std::string_view paserk, std::string_view password) {
  internal::WipedBuffer<V3SecretKey::kSize> plaintext_key;
  if (auto unwrapped = PwUnwrap(kSecretHeader, paserk, password, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V3SecretKey::FromBytes(plaintext_key.span());
}

}  // namespace paserk
}  // namespace writ
