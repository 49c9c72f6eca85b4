// v4.local: XChaCha20 with keys split by keyed BLAKE2b, then a BLAKE2b-MAC over PAE
// (PASETO spec, Version 4, "v4.local").
#include <sodium.h>

#include "core/paseto/pae.h"
#include "core/paseto/protocol.h"
#include "core/paseto/token_format.h"
#include "core/sodium_init.h"
#include "writ/paseto.h"

namespace writ {
namespace {

constexpr std::string_view kHeader = "v4.local.";
constexpr std::size_t kTagSize = 32;
constexpr std::string_view kEncryptionKeyInfo = "paseto-encryption-key";
constexpr std::string_view kAuthKeyInfo = "paseto-auth-key-for-aead";

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

// BLAKE2b(out_size, message = info || nonce, key) as the spec's key splitting.
void KeyedBlake2b(unsigned char* out, std::size_t out_size, std::string_view info, std::string_view nonce,
                  const SecretBytes& key) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, key.expose_secret().data(), key.size(), out_size);
  crypto_generichash_update(&state, Bytes(info), info.size());
  crypto_generichash_update(&state, Bytes(nonce), nonce.size());
  crypto_generichash_final(&state, out, out_size);
  sodium_memzero(&state, sizeof(state));
}

// Ek (32) || n2 (24) and Ak (32), wiped on destruction.
struct SplitKeys {
  unsigned char encryption[56];
  unsigned char authentication[32];
  SplitKeys(const SecretBytes& key, std::string_view nonce) {
    KeyedBlake2b(encryption, sizeof(encryption), kEncryptionKeyInfo, nonce, key);
    KeyedBlake2b(authentication, sizeof(authentication), kAuthKeyInfo, nonce, key);
  }
  ~SplitKeys() {
    sodium_memzero(encryption, sizeof(encryption));
    sodium_memzero(authentication, sizeof(authentication));
  }
  SplitKeys(const SplitKeys&) = delete;
  SplitKeys& operator=(const SplitKeys&) = delete;
};

void Tag(unsigned char* out, const SplitKeys& keys, std::string_view nonce, std::string_view ciphertext,
         std::string_view footer, std::string_view implicit) {
  const std::string pre_auth = internal::Pae({kHeader, nonce, ciphertext, footer, implicit});
  crypto_generichash(out, kTagSize, Bytes(pre_auth), pre_auth.size(), keys.authentication,
                     sizeof(keys.authentication));
}

}  // namespace

namespace internal {

Result<std::string> EncryptV4LocalWithNonce(const V4LocalKey& key, std::string_view payload,
                                            std::string_view footer, std::string_view implicit,
                                            std::string_view nonce) {
  if (nonce.size() != kPasetoNonceSize) {
    return Fail(ErrorCode::kInvalidArgument, "the nonce is 32 bytes");
  }
  if (footer.size() > kMaxPasetoFooterBytes) {
    return Fail(ErrorCode::kTooLarge, "footer longer than " + std::to_string(kMaxPasetoFooterBytes) + " bytes");
  }
  EnsureSodium();
  const SplitKeys keys(key.secret(), nonce);
  std::string body(nonce);
  body.resize(nonce.size() + payload.size() + kTagSize);
  auto* ciphertext = reinterpret_cast<unsigned char*>(body.data()) + nonce.size();
  crypto_stream_xchacha20_xor(ciphertext, Bytes(payload), payload.size(), keys.encryption + 32,
                              keys.encryption);
  const std::string_view ciphertext_view(body.data() + nonce.size(), payload.size());
  Tag(ciphertext + payload.size(), keys, nonce, ciphertext_view, footer, implicit);
  return JoinPaseto(kHeader, body, footer);
}

}  // namespace internal

namespace paseto {

Result<std::string> Encrypt(const V4LocalKey& key, std::string_view payload, std::string_view footer,
                            std::string_view implicit) {
  internal::EnsureSodium();
  unsigned char nonce[internal::kPasetoNonceSize];
  randombytes_buf(nonce, sizeof(nonce));
  return internal::EncryptV4LocalWithNonce(key, payload, footer, implicit,
                                           std::string_view(reinterpret_cast<char*>(nonce), sizeof(nonce)));
}

Result<PasetoMessage> Decrypt(const V4LocalKey& key, std::string_view token, std::string_view implicit) {
  auto parts = internal::SplitPaseto(token, kHeader, internal::kPasetoNonceSize + kTagSize);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  internal::EnsureSodium();
  const std::string_view body = parts->body;
  const std::string_view nonce = body.substr(0, internal::kPasetoNonceSize);
  const std::string_view ciphertext =
      body.substr(internal::kPasetoNonceSize, body.size() - internal::kPasetoNonceSize - kTagSize);
  const std::string_view tag = body.substr(body.size() - kTagSize);
  const SplitKeys keys(key.secret(), nonce);
  unsigned char expected[kTagSize];
  Tag(expected, keys, nonce, ciphertext, parts->footer, implicit);
  // Authenticity first, in constant time; nothing is decrypted for a bad tag.
  if (sodium_memcmp(expected, tag.data(), kTagSize) != 0) {
    return Fail(ErrorCode::kBadSignature, "authentication tag does not verify");
  }
  PasetoMessage message;
  message.payload.resize(ciphertext.size());
  crypto_stream_xchacha20_xor(reinterpret_cast<unsigned char*>(message.payload.data()), Bytes(ciphertext),
                              ciphertext.size(), keys.encryption + 32, keys.encryption);
  message.footer = std::move(parts->footer);
  return message;
}

}  // namespace paseto
}  // namespace writ
