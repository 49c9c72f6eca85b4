// k4.local-pw and k4.secret-pw (operations/PBKW.md, "Versions 2, 4, and 6"; layout in
// types/local-pw.md): a pre-key from Argon2id(password, salt), Ek and Ak from unkeyed
// BLAKE2b of it with domain bytes 0xFF and 0xFE, XChaCha20, and a keyed BLAKE2b tag over
// h || s || mem || time || para || n || edk. Data: s(16) mem(8) time(4) para(4) n(24)
// edk t(32), integers big-endian.
#include <sodium.h>

#include "core/paserk/paserk_crypto.h"
#include "core/paserk/paserk_encoding.h"
#include "core/paserk/paserk_internal.h"
#include "core/sodium_init.h"
#include "writ/paserk.h"

namespace writ {
namespace {

using paserk::Argon2idParams;

constexpr std::string_view kLocalHeader = "k4.local-pw.";
constexpr std::string_view kSecretHeader = "k4.secret-pw.";
constexpr std::size_t kParamsSize = 8 + 4 + 4;
constexpr std::size_t kHeadSize = internal::kV4PwSaltSize + kParamsSize + internal::kV4PwNonceSize;
constexpr std::size_t kTagSize = 32;
constexpr char kEncryptionDomain = '\xff';
constexpr char kAuthenticationDomain = '\xfe';

// kTooLarge past writ's caps (checked first: they bound what a hostile PASERK can cost),
// then `unusable` for what libsodium cannot compute.
Status CheckParams(const Argon2idParams& params, ErrorCode unusable) {
  if (params.memlimit > paserk::kMaxArgon2idMemlimit || params.opslimit > paserk::kMaxArgon2idOpslimit) {
    return Fail(ErrorCode::kTooLarge, "Argon2id cost over writ's cap (1 GiB, 16 passes)");
  }
  if (params.memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || params.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN) {
    return Fail(unusable, "Argon2id cost under libsodium's minimum");
  }
  if (params.parallelism != 1) {
    return Fail(unusable == ErrorCode::kMalformed ? ErrorCode::kUnsupportedAlg : unusable,
                "libsodium computes Argon2id with parallelism 1 only");
  }
  return {};
}

// Ek and Ak from the Argon2id pre-key.
struct PwKeys {
  internal::WipedBuffer<32> encryption;
  internal::WipedBuffer<32> authentication;
  bool ok = false;
  PwKeys(std::string_view password, std::string_view salt, const Argon2idParams& params) {
    internal::EnsureSodium();
    internal::WipedBuffer<32> pre_key;
    ok = crypto_pwhash(pre_key.bytes, pre_key.size(), password.data(), password.size(), internal::BytePointer(salt),
                       params.opslimit, static_cast<std::size_t>(params.memlimit),
                       crypto_pwhash_ALG_ARGON2ID13) == 0;
    if (!ok) {
      return;
    }
    internal::Blake2b(encryption.span(), {}, {std::string_view(&kEncryptionDomain, 1), pre_key.view()});
    internal::Blake2b(authentication.span(), {}, {std::string_view(&kAuthenticationDomain, 1), pre_key.view()});
  }
};

Result<std::string> PwWrap(std::string_view header, std::span<const std::uint8_t> plaintext_key,
                           std::string_view password, const Argon2idParams& params, std::string_view salt,
                           std::string_view nonce) {
  if (salt.size() != internal::kV4PwSaltSize || nonce.size() != internal::kV4PwNonceSize) {
    return Fail(ErrorCode::kInvalidArgument, "the k4 PBKW salt is 16 bytes and the nonce 24");
  }
  if (auto usable = CheckParams(params, ErrorCode::kInvalidArgument); !usable) {
    return tl::unexpected(usable.error());
  }
  const PwKeys keys(password, salt, params);
  if (!keys.ok) {
    return Fail(ErrorCode::kCrypto, "Argon2id failed (out of memory?)");
  }
  std::string body(salt);
  internal::AppendBigEndian(body, params.memlimit, 8);
  internal::AppendBigEndian(body, params.opslimit, 4);
  internal::AppendBigEndian(body, params.parallelism, 4);
  body.append(nonce);
  body.resize(kHeadSize + plaintext_key.size() + kTagSize);
  internal::XChaCha20Xor(reinterpret_cast<std::uint8_t*>(body.data()) + kHeadSize, internal::AsText(plaintext_key),
                         keys.encryption.view(), nonce);
  internal::Blake2b(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(body.data()) + kHeadSize +
                                                plaintext_key.size(),
                                            kTagSize),
                    keys.authentication.view(), {header, std::string_view(body).substr(0, kHeadSize + plaintext_key.size())});
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
  const std::string_view salt = view.substr(0, internal::kV4PwSaltSize);
  const std::string_view cost = view.substr(internal::kV4PwSaltSize, kParamsSize);
  const std::string_view nonce = view.substr(internal::kV4PwSaltSize + kParamsSize, internal::kV4PwNonceSize);
  const std::string_view encrypted_key = view.substr(kHeadSize, kKeySize);
  const std::string_view tag = view.substr(kHeadSize + kKeySize);
  Argon2idParams params;
  params.memlimit = internal::ReadBigEndian(cost.substr(0, 8));
  params.opslimit = static_cast<std::uint32_t>(internal::ReadBigEndian(cost.substr(8, 4)));
  params.parallelism = static_cast<std::uint32_t>(internal::ReadBigEndian(cost.substr(12, 4)));
  // The cost parameters are unauthenticated until Argon2id has run: bound them first.
  if (auto usable = CheckParams(params, ErrorCode::kMalformed); !usable) {
    return usable;
  }
  const PwKeys keys(password, salt, params);
  if (!keys.ok) {
    return Fail(ErrorCode::kCrypto, "Argon2id failed (out of memory?)");
  }
  std::uint8_t expected[kTagSize];
  internal::Blake2b(expected, keys.authentication.view(), {header, view.substr(0, kHeadSize + kKeySize)});
  // PBKW.md, decryption step 5: constant-time comparison before any decryption.
  if (!internal::ConstantTimeEqual(tag, internal::AsText(expected))) {
    return Fail(ErrorCode::kBadSignature, "wrong password, or the wrapped key was altered");
  }
  internal::XChaCha20Xor(plaintext_key.bytes, encrypted_key, keys.encryption.view(), nonce);
  return {};
}

std::string RandomBytes(std::size_t size) {
  internal::EnsureSodium();
  std::string bytes(size, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return bytes;
}

}  // namespace

namespace internal {

Result<std::string> PasswordWrapWithRandomness(const V4LocalKey& key, std::string_view password,
                                               const Argon2idParams& params, std::string_view salt,
                                               std::string_view nonce) {
  return PwWrap(kLocalHeader, key.secret().expose_secret(), password, params, salt, nonce);
}

Result<std::string> PasswordWrapWithRandomness(const V4SecretKey& key, std::string_view password,
                                               const Argon2idParams& params, std::string_view salt,
                                               std::string_view nonce) {
  return PwWrap(kSecretHeader, key.secret().expose_secret(), password, params, salt, nonce);
}

}  // namespace internal

namespace paserk {

Result<std::string> PasswordWrap(const V4LocalKey& key, std::string_view password, const Argon2idParams& params) {
  return internal::PasswordWrapWithRandomness(key, password, params, RandomBytes(internal::kV4PwSaltSize),
                                              RandomBytes(internal::kV4PwNonceSize));
}

Result<std::string> PasswordWrap(const V4SecretKey& key, std::string_view password, const Argon2idParams& params) {
  return internal::PasswordWrapWithRandomness(key, password, params, RandomBytes(internal::kV4PwSaltSize),
                                              RandomBytes(internal::kV4PwNonceSize));
}

Result<V4LocalKey> PasswordUnwrapV4Local(std::string_view paserk, std::string_view password) {
  internal::WipedBuffer<V4LocalKey::kSize> plaintext_key;
  if (auto unwrapped = PwUnwrap(kLocalHeader, paserk, password, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V4LocalKey::FromBytes(plaintext_key.span());
}

Result<V4SecretKey> PasswordUnwrapV4Secret(std::string_view paserk, std::string_view password) {
  internal::WipedBuffer<V4SecretKey::kSize> plaintext_key;
  if (auto unwrapped = PwUnwrap(kSecretHeader, paserk, password, plaintext_key); !unwrapped) {
    return tl::unexpected(unwrapped.error());
  }
  return V4SecretKey::FromBytes(plaintext_key.span());
}

}  // namespace paserk
}  // namespace writ
