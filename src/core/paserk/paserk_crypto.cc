#include "core/paserk/paserk_crypto.h"

#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "core/openssl_util.h"
#include "core/sodium_init.h"

namespace writ::internal {
namespace {

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
using MacPtr = std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)>;

}  // namespace

void Wipe(void* data, std::size_t size) { OPENSSL_cleanse(data, size); }

void Blake2b(std::span<std::uint8_t> out, std::string_view key, std::initializer_list<std::string_view> parts) {
  EnsureSodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, key.empty() ? nullptr : BytePointer(key), key.size(), out.size());
  for (std::string_view part : parts) {
    crypto_generichash_update(&state, BytePointer(part), part.size());
  }
  crypto_generichash_final(&state, out.data(), out.size());
  sodium_memzero(&state, sizeof(state));
}

void XChaCha20Xor(std::uint8_t* out, std::string_view in, std::string_view key32, std::string_view nonce24) {
  EnsureSodium();
  crypto_stream_xchacha20_xor(out, BytePointer(in), in.size(), BytePointer(nonce24), BytePointer(key32));
}

bool Sha384(std::span<std::uint8_t, 48> out, std::initializer_list<std::string_view> parts) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha384(), nullptr) != 1) {
    return false;
  }
  for (std::string_view part : parts) {
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) {
      return false;
    }
  }
  unsigned int size = 0;
  return EVP_DigestFinal_ex(ctx.get(), out.data(), &size) == 1 && size == out.size();
}

bool HmacSha384(std::span<std::uint8_t, 48> out, std::string_view key, std::initializer_list<std::string_view> parts) {
  MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr), EVP_MAC_free);
  MacCtxPtr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr, EVP_MAC_CTX_free);
  char digest[] = "SHA384";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), BytePointer(key), key.size(), params) != 1) {
    return false;
  }
  for (std::string_view part : parts) {
    if (EVP_MAC_update(ctx.get(), BytePointer(part), part.size()) != 1) {
      return false;
    }
  }
  std::size_t size = 0;
  return EVP_MAC_final(ctx.get(), out.data(), &size, out.size()) == 1 && size == out.size();
}

bool Aes256Ctr(std::uint8_t* out, std::string_view in, std::string_view key32, std::string_view counter16) {
  if (key32.size() != 32 || counter16.size() != 16) {
    return false;
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int written = 0;
  int final_written = 0;
  return ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, BytePointer(key32), BytePointer(counter16)) == 1 &&
         EVP_EncryptUpdate(ctx.get(), out, &written, BytePointer(in), static_cast<int>(in.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx.get(), out + written, &final_written) == 1;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void AppendBigEndian(std::string& out, std::uint64_t value, std::size_t width) {
  for (std::size_t i = width; i > 0; --i) {
    out.push_back(static_cast<char>((value >> (8 * (i - 1))) & 0xff));
  }
}

std::uint64_t ReadBigEndian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (char byte : bytes) {
    value = (value << 8) | static_cast<unsigned char>(byte);
  }
  return value;
}

}  // namespace writ::internal
