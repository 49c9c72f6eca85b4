// HMAC (RFC 2104) over SHA-2 with the inner and outer hash states computed once per key,
// so that each MAC costs exactly the hashing of the message — what a reused, pre-keyed
// OpenSSL context costs — without sharing a mutable context between threads.
//
// The low-level SHA-2 API is deprecated in OpenSSL 3 but remains the only allocation-free
// way to copy a hash state; it dispatches to the same assembly as EVP.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/hmac_key.h"

#include <cstring>

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sodium.h>

#include "core/base64url.h"

namespace writ::internal {
namespace {

constexpr std::size_t kMaxBlock = 128;

std::size_t HashLength(Alg alg) {
  switch (alg) {
    case Alg::kHs256: return 32;
    case Alg::kHs384: return 48;
    default: return 64;
  }
}

// One SHA-2 family member's low-level API.
template <typename Ctx>
struct Sha2 {
  int (*init)(Ctx*);
  int (*update)(Ctx*, const void*, size_t);
  int (*final)(unsigned char*, Ctx*);
  std::size_t block;
  std::size_t out;
};

// The states after absorbing key^ipad and key^opad (RFC 2104 §2).
template <typename Ctx>
struct PrecomputedStates {
  Ctx inner;
  Ctx outer;
};

template <typename Ctx>
class HmacKey final : public KeyMaterial {
 public:
  HmacKey(Alg alg, SecretBytes secret, Sha2<Ctx> sha)
      : alg_(alg), secret_(std::move(secret)), sha_(sha) {
    unsigned char block[kMaxBlock] = {};
    auto key = secret_.expose_secret();
    if (key.size() > sha_.block) {  // RFC 2104 §2: hash keys longer than the block
      Ctx ctx;
      sha_.init(&ctx);
      sha_.update(&ctx, key.data(), key.size());
      sha_.final(block, &ctx);
      sodium_memzero(&ctx, sizeof(ctx));
    } else {
      std::memcpy(block, key.data(), key.size());
    }
    PrecomputedStates<Ctx> states;
    unsigned char pad[kMaxBlock];
    for (std::size_t i = 0; i < sha_.block; ++i) {
      pad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
    }
    sha_.init(&states.inner);
    sha_.update(&states.inner, pad, sha_.block);
    for (std::size_t i = 0; i < sha_.block; ++i) {
      pad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
    }
    sha_.init(&states.outer);
    sha_.update(&states.outer, pad, sha_.block);
    states_ = SecretBytes(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(&states), sizeof(states)));
    sodium_memzero(&states, sizeof(states));
    sodium_memzero(pad, sizeof(pad));
    sodium_memzero(block, sizeof(block));
  }

  Alg alg() const override { return alg_; }
  bool has_private() const override { return true; }
  int key_bits() const override { return static_cast<int>(secret_.size() * 8); }

  Result<std::string> Sign(std::string_view signing_input) const override {
    std::string tag(sha_.out, '\0');
    Mac(signing_input, reinterpret_cast<unsigned char*>(tag.data()));
    return tag;
  }

  bool Verify(std::string_view signing_input,
              std::span<const std::uint8_t> signature) const override {
    if (signature.size() != sha_.out) {  // truncated MACs are never accepted
      return false;
    }
    unsigned char tag[SHA512_DIGEST_LENGTH];
    Mac(signing_input, tag);
    const bool equal = CRYPTO_memcmp(tag, signature.data(), sha_.out) == 0;
    sodium_memzero(tag, sizeof(tag));
    return equal;
  }

  void AppendJwkMembers(std::string& out, bool include_private) const override {
    out += "\"kty\":\"oct\"";
    if (include_private) {
      out += ",\"k\":\"";
      auto key = secret_.expose_secret();
      Base64UrlEncodeAppend(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), out);
      out += '"';
    }
  }

  std::string ThumbprintInput() const override {
    // RFC 7638 §3.2: {"k":...,"kty":"oct"}. The input holds the secret; callers hash it at once.
    std::string input = "{\"k\":\"";
    auto key = secret_.expose_secret();
    Base64UrlEncodeAppend(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()), input);
    input += "\",\"kty\":\"oct\"}";
    return input;
  }

  Result<KeyMaterialPtr> PublicOnly() const override {
    return Fail(ErrorCode::kInvalidKey, "an HMAC key has no public half and is never published");
  }

 private:
  void Mac(std::string_view message, unsigned char* out) const {
    PrecomputedStates<Ctx> states;
    std::memcpy(&states, states_.expose_secret().data(), sizeof(states));
    unsigned char inner_digest[SHA512_DIGEST_LENGTH];
    sha_.update(&states.inner, message.data(), message.size());
    sha_.final(inner_digest, &states.inner);
    sha_.update(&states.outer, inner_digest, sha_.out);
    sha_.final(out, &states.outer);
    sodium_memzero(&states, sizeof(states));
  }

  Alg alg_;
  SecretBytes secret_;
  Sha2<Ctx> sha_;
  SecretBytes states_;  // PrecomputedStates<Ctx>, in locked memory
};

}  // namespace

Result<KeyMaterialPtr> MakeHmacKey(Alg alg, SecretBytes secret) {
  if (!IsSymmetric(alg)) {
    return Fail(ErrorCode::kInvalidArgument, "not an HMAC algorithm");
  }
  const std::size_t needed = HashLength(alg);
  // RFC 7518 §3.2: "A key of the same size as the hash output ... or larger MUST be used".
  if (secret.size() < needed) {
    return Fail(ErrorCode::kWeakKey, std::string(AlgName(alg)) + " needs a key of at least " +
                                         std::to_string(needed) + " bytes, got " +
                                         std::to_string(secret.size()));
  }
  if (alg == Alg::kHs256) {
    return std::make_shared<HmacKey<SHA256_CTX>>(
        alg, std::move(secret), Sha2<SHA256_CTX>{SHA256_Init, SHA256_Update, SHA256_Final, 64, 32});
  }
  if (alg == Alg::kHs384) {
    return std::make_shared<HmacKey<SHA512_CTX>>(
        alg, std::move(secret), Sha2<SHA512_CTX>{SHA384_Init, SHA384_Update, SHA384_Final, 128, 48});
  }
  return std::make_shared<HmacKey<SHA512_CTX>>(
      alg, std::move(secret), Sha2<SHA512_CTX>{SHA512_Init, SHA512_Update, SHA512_Final, 128, 64});
}

Result<KeyMaterialPtr> HmacKeyFromJwk(Alg alg, const JwkMembers& jwk) {
  auto k = jwk.Decoded("k");
  if (!k) {
    return tl::unexpected(k.error());
  }
  SecretBytes secret = SecretBytes::FromString(*k);
  sodium_memzero(k->data(), k->size());
  return MakeHmacKey(alg, std::move(secret));
}

KeyMaterialPtr GenerateHmacKey(Alg alg) {
  return *MakeHmacKey(alg, SecretBytes::Random(HashLength(alg)));
}

}  // namespace writ::internal
