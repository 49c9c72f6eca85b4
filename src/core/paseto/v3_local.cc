// v3.local: AES-256-CTR with keys from HKDF-SHA384, then HMAC-SHA384 over PAE (PASETO
// spec, Version 3, "v3.local").
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "core/openssl_util.h"
#include "core/paseto/pae.h"
#include "core/paseto/protocol.h"
#include "core/paseto/token_format.h"
#include "writ/paseto.h"

namespace writ {
namespace {

constexpr std::string_view kHeader = "v3.local.";
constexpr std::size_t kTagSize = 48;
constexpr std::string_view kEncryptionKeyInfo = "paseto-encryption-key";
constexpr std::string_view kAuthKeyInfo = "paseto-auth-key-for-aead";

using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// HKDF-SHA384 (RFC 5869) with an empty salt, info = label || nonce.
bool Hkdf(unsigned char* out, std::size_t out_size, const SecretBytes& key, std::string_view label,
          std::string_view nonce) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  KdfCtxPtr ctx(kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr, EVP_KDF_CTX_free);
  EVP_KDF_free(kdf);
  std::string info(label);
  info.append(nonce);
  char digest[] = "SHA384";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                        const_cast<std::uint8_t*>(key.expose_secret().data()), key.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
      OSSL_PARAM_construct_end()};
  return ctx && EVP_KDF_derive(ctx.get(), out, out_size, params) == 1;
}

// Ek (32) || n2 (16) and Ak (48), wiped on destruction.
struct SplitKeys {
  unsigned char encryption[48];
  unsigned char authentication[48];
  bool ok;
  SplitKeys(const SecretBytes& key, std::string_view nonce)
      : ok(Hkdf(encryption, sizeof(encryption), key, kEncryptionKeyInfo, nonce) &&
           Hkdf(authentication, sizeof(authentication), key, kAuthKeyInfo, nonce)) {}
  ~SplitKeys() {
    OPENSSL_cleanse(encryption, sizeof(encryption));
    OPENSSL_cleanse(authentication, sizeof(authentication));
  }
  SplitKeys(const SplitKeys&) = delete;
  SplitKeys& operator=(const SplitKeys&) = delete;
};

bool AesCtr(unsigned char* out, std::string_view in, const SplitKeys& keys) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int written = 0;
  int final_written = 0;
  return ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, keys.encryption, keys.encryption + 32) == 1 &&
         EVP_EncryptUpdate(ctx.get(), out, &written, reinterpret_cast<const unsigned char*>(in.data()),
                           static_cast<int>(in.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx.get(), out + written, &final_written) == 1;
}

bool Tag(unsigned char* out, const SplitKeys& keys, std::string_view nonce, std::string_view ciphertext,
         std::string_view footer, std::string_view implicit) {
  const std::string pre_auth = internal::Pae({kHeader, nonce, ciphertext, footer, implicit});
  unsigned int size = 0;
  return HMAC(EVP_sha384(), keys.authentication, sizeof(keys.authentication),
              reinterpret_cast<const unsigned char*>(pre_auth.data()), pre_auth.size(), out, &size) != nullptr &&
         size == kTagSize;
}

}  // namespace

namespace internal {

Result<std::string> EncryptV3LocalWithNonce(const V3LocalKey& key, std::string_view payload,
                                            std::string_view footer, std::string_view implicit,
                                            std::string_view nonce) {
  if (nonce.size() != kPasetoNonceSize) {
    return Fail(ErrorCode::kInvalidArgument, "the nonce is 32 bytes");
  }
  if (footer.size() > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kTooLarge, "footer longer than " + std::to_string(kMaxPasetoFooterBytes) + " bytes");
  }
  const SplitKeys keys(key.secret(), nonce);
  std::string body(nonce);
  body.resize(nonce.size() + payload.size() + kTagSize);
  auto* ciphertext = reinterpret_cast<unsigned char*>(body.data()) + nonce.size();
  const std::string_view ciphertext_view(body.data() + nonce.size(), payload.size());
  if (!keys.ok || !AesCtr(ciphertext, payload, keys) ||
      !Tag(ciphertext + payload.size(), keys, nonce, ciphertext_view, footer, implicit)) {
    return Fail(ErrorCode::kCrypto, "v3.local encryption failed: " + OpenSslErrors());
  }
  return JoinPaseto(kHeader, body, footer);
}

}  // namespace internal

namespace paseto {

Result<std::string> Encrypt(const V3LocalKey& key, std::string_view payload, std::string_view footer,
                            std::string_view implicit) {
  unsigned char nonce[internal::kPasetoNonceSize];
  if (RAND_bytes(nonce, sizeof(nonce)) != 1) {
    return Fail(ErrorCode::kCrypto, "no randomness for the nonce");
  }
  return internal::EncryptV3LocalWithNonce(key, payload, footer, implicit,
                                           std::string_view(reinterpret_cast<char*>(nonce), sizeof(nonce)));
}

Result<PasetoMessage> Decrypt(const V3LocalKey& key, std::string_view token, std::string_view implicit) {
  auto parts = internal::SplitPaseto(token, kHeader, internal::kPasetoNonceSize + kTagSize);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  const std::string_view body = parts->body;
  const std::string_view nonce = body.substr(0, internal::kPasetoNonceSize);
  const std::string_view ciphertext =
      body.substr(internal::kPasetoNonceSize, body.size() - internal::kPasetoNonceSize - kTagSize);
  const std::string_view tag = body.substr(body.size() - kTagSize);
  const SplitKeys keys(key.secret(), nonce);
  unsigned char expected[kTagSize];
  if (!keys.ok || !Tag(expected, keys, nonce, ciphertext, parts->footer, implicit)) {
    return Fail(ErrorCode::kCrypto, "v3.local key derivation failed");
  }
  // Authenticity first, in constant time; nothing is decrypted for a bad tag.
  if (CRYPTO_memcmp(expected, tag.data(), kTagSize) != 0) {
    return Fail(ErrorCode::kBadSignature, "authentication tag does not verify");
  }
  PasetoMessage message;
  message.payload.resize(ciphertext.size());
  if (!AesCtr(reinterpret_cast<unsigned char*>(message.payload.data()), ciphertext, keys)) {
    return Fail(ErrorCode::kCrypto, "v3.local decryption failed");
  }
  message.footer = std::move(parts->footer);
  return message;
}

}  // namespace paseto
}  // namespace writ
