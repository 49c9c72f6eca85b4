#include "core/rsa_key.h"

#include <array>
#include <utility>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "core/base64url.h"
#include "core/openssl_util.h"
#include "core/roca.h"

namespace writ::internal {
namespace {

constexpr int kMinModulusBits = 2048;  // RFC 7518 §3.3: "2048 bits or larger MUST be used"
constexpr int kMaxModulusBits = 8192;  // keeps verification cost bounded

bool IsPss(Alg alg) { return alg == Alg::kPs256 || alg == Alg::kPs384 || alg == Alg::kPs512; }

bool IsRsa(Alg alg) {
  return IsPss(alg) || alg == Alg::kRs256 || alg == Alg::kRs384 || alg == Alg::kRs512;
}

// The private members of an RSA JWK (RFC 7518 §6.3.2) and their OpenSSL names.
struct PrivateMember {
  const char* jwk_name;
  const char* param;
};
constexpr std::array<PrivateMember, 6> kPrivateMembers{{
    {"d", OSSL_PKEY_PARAM_RSA_D},
    {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
    {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
    {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
}};

void AppendBn(std::string& out, std::string_view name, const EVP_PKEY* pkey, const char* param) {
  BnPtr bn = GetBnParam(pkey, param);
  out += ",\"";
  out += name;
  out += "\":\"";
  if (bn) {
    Base64UrlEncodeAppend(BnToMinimal(bn.get()), out);
  }
  out += '"';
}

class RsaKey final : public KeyMaterial {
 public:
  RsaKey(Alg alg, EvpPkeyPtr pkey, bool has_private)
      : alg_(alg), pkey_(std::move(pkey)), has_private_(has_private),
        modulus_bytes_(static_cast<std::size_t>(EVP_PKEY_get_size(pkey_.get()))),
        bits_(EVP_PKEY_get_bits(pkey_.get())) {}

  Alg alg() const override { return alg_; }
  bool has_private() const override { return has_private_; }
  int key_bits() const override { return bits_; }

  Result<std::string> Sign(std::string_view signing_input) const override {
    if (!has_private_) {
      return Fail(ErrorCode::kInvalidKey, "a public RSA key cannot sign");
    }
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    std::string signature(modulus_bytes_, '\0');
    std::size_t length = signature.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, DigestFor(alg_), nullptr, pkey_.get()) != 1 ||
        !SetPadding(pctx) ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                       signing_input.size()) != 1) {
      return Fail(ErrorCode::kCrypto, "RSA signing failed: " + OpenSslErrors());
    }
    signature.resize(length);
    return signature;
  }

  bool Verify(std::string_view signing_input,
              std::span<const std::uint8_t> signature) const override {
    // RFC 8017 §8.2.2 step 1 / §8.1.2 step 1: the signature is exactly k octets.
    if (signature.size() != modulus_bytes_) {
      return false;
    }
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, DigestFor(alg_), nullptr, pkey_.get()) != 1 ||
        !SetPadding(pctx)) {
      return false;
    }
    const int ok = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                    reinterpret_cast<const unsigned char*>(signing_input.data()),
                                    signing_input.size());
    return ok == 1;
  }

  void AppendJwkMembers(std::string& out, bool include_private) const override {
    out += "\"kty\":\"RSA\"";
    AppendBn(out, "n", pkey_.get(), OSSL_PKEY_PARAM_RSA_N);
    AppendBn(out, "e", pkey_.get(), OSSL_PKEY_PARAM_RSA_E);
    if (include_private && has_private_) {
      for (const auto& member : kPrivateMembers) {
        AppendBn(out, member.jwk_name, pkey_.get(), member.param);
      }
    }
  }

  std::string ThumbprintInput() const override {
    // AppendBn writes a leading comma: replace the first one with the opening brace.
    std::string input;
    AppendBn(input, "e", pkey_.get(), OSSL_PKEY_PARAM_RSA_E);
    input[0] = '{';
    input += ",\"kty\":\"RSA\"";
    AppendBn(input, "n", pkey_.get(), OSSL_PKEY_PARAM_RSA_N);
    input += '}';
    return input;
  }

  Result<KeyMaterialPtr> PublicOnly() const override;

 private:
  // RFC 7518 §3.5: PSS with MGF1 on the same hash and a salt as long as the hash.
  bool SetPadding(EVP_PKEY_CTX* pctx) const {
    if (!IsPss(alg_)) {
      return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    }
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, DigestFor(alg_)) == 1;
  }

  Alg alg_;
  EvpPkeyPtr pkey_;
  bool has_private_;
  std::size_t modulus_bytes_;
  int bits_;
};

Result<EvpPkeyPtr> BuildPkey(OSSL_PARAM_BLD* builder, bool is_private) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  const bool ok = params != nullptr && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
                  EVP_PKEY_fromdata(ctx.get(), &raw,
                                    is_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) == 1;
  OSSL_PARAM_free(params);
  if (!ok) {
    return Fail(ErrorCode::kInvalidKey, "RSA key rejected: " + OpenSslErrors());
  }
  return EvpPkeyPtr(raw);
}

// Deterministic checks of a public RSA key. OpenSSL's EVP_PKEY_public_check runs a
// Miller-Rabin test with random bases on n, so the same JWKS could load on one server and
// fail on another; these checks give the same answer every time: n odd and without a
// factor below kSmallPrimeBound, 1 < e < n with e odd (RFC 8017 §3.1), no ROCA fingerprint.
constexpr BN_ULONG kSmallPrimeBound = 4096;

bool HasSmallFactor(const BIGNUM* n) {
  for (BN_ULONG candidate = 3; candidate < kSmallPrimeBound; candidate += 2) {
    bool prime = true;
    for (BN_ULONG divisor = 3; divisor * divisor <= candidate; divisor += 2) {
      if (candidate % divisor == 0) {
        prime = false;
        break;
      }
    }
    if (prime && BN_mod_word(n, candidate) == 0) {
      return true;
    }
  }
  return false;
}

Status CheckPublicRsa(const EVP_PKEY* pkey) {
  BnPtr n = GetBnParam(pkey, OSSL_PKEY_PARAM_RSA_N);
  BnPtr e = GetBnParam(pkey, OSSL_PKEY_PARAM_RSA_E);
  if (!n || !e || !BN_is_odd(n.get()) || !BN_is_odd(e.get()) || BN_is_one(e.get()) ||
      BN_cmp(e.get(), n.get()) >= 0) {
    return Fail(ErrorCode::kInvalidKey, "RSA public key is not valid (RFC 8017 §3.1: n odd, 1 < e < n, e odd)");
  }
  if (HasSmallFactor(n.get())) {
    return Fail(ErrorCode::kInvalidKey, "RSA modulus has a small factor");
  }
  if (HasRocaFingerprint(n.get())) {
    return Fail(ErrorCode::kWeakKey, "RSA modulus has the ROCA fingerprint (CVE-2017-15361): its private key can be computed");
  }
  return {};
}

Result<KeyMaterialPtr> CheckedRsaKey(Alg alg, EvpPkeyPtr pkey, bool is_private) {
  const int bits = EVP_PKEY_get_bits(pkey.get());
  if (bits < kMinModulusBits) {
    return Fail(ErrorCode::kWeakKey, "RSA keys need at least 2048 bits, got " + std::to_string(bits));
  }
  if (bits > kMaxModulusBits) {
    return Fail(ErrorCode::kInvalidKey, "RSA modulus over 8192 bits");
  }
  if (auto status = CheckPublicRsa(pkey.get()); !status) {
    return tl::unexpected(status.error());
  }
  if (is_private) {
    // For a key pair, also the consistency of d, p, q and the CRT values with n and e.
    EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
    if (!check || EVP_PKEY_pairwise_check(check.get()) != 1) {
      return Fail(ErrorCode::kInvalidKey, "RSA key pair is inconsistent: " + OpenSslErrors());
    }
  }
  return std::make_shared<RsaKey>(alg, std::move(pkey), is_private);
}

Result<KeyMaterialPtr> RsaKey::PublicOnly() const {
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          OSSL_PARAM_BLD_free);
  BnPtr n = GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_RSA_N);
  BnPtr e = GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_RSA_E);
  if (!builder || !n || !e || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return Fail(ErrorCode::kCrypto, "cannot copy RSA public key");
  }
  auto pkey = BuildPkey(builder.get(), false);
  if (!pkey) {
    return tl::unexpected(pkey.error());
  }
  return std::make_shared<RsaKey>(alg_, std::move(*pkey), false);
}

// A JWK integer member: canonical base64url, non-empty, minimal (RFC 7518 §6.3.1.1).
Result<BnPtr> JwkInteger(const JwkMembers& jwk, std::string_view name) {
  auto bytes = jwk.Decoded(name);
  if (!bytes) {
    return tl::unexpected(bytes.error());
  }
  if (bytes->empty() || (bytes->size() > 1 && (*bytes)[0] == '\0')) {
    OPENSSL_cleanse(bytes->data(), bytes->size());
    return Fail(ErrorCode::kMalformed, "RSA JWK member " + std::string(name) + " is not minimal");
  }
  BnPtr number = BnFromBytes(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());  // private members d, p, q, dp, dq, qi
  return number;
}

}  // namespace

Result<KeyMaterialPtr> RsaKeyFromJwk(Alg alg, const JwkMembers& jwk) {
  if (!IsRsa(alg)) {
    return Fail(ErrorCode::kInvalidKey, "an RSA key cannot be used with " + std::string(AlgName(alg)));
  }
  if (jwk.Has("oth")) {
    return Fail(ErrorCode::kInvalidKey, "multi-prime RSA keys (oth) are not supported");
  }
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          OSSL_PARAM_BLD_free);
  std::vector<BnPtr> numbers;  // kept alive until the params are built
  auto push = [&](std::string_view name, const char* param) -> Status {
    auto bn = JwkInteger(jwk, name);
    if (!bn) {
      return tl::unexpected(bn.error());
    }
    if (OSSL_PARAM_BLD_push_BN(builder.get(), param, bn->get()) != 1) {
      return Fail(ErrorCode::kCrypto, "cannot build RSA parameters");
    }
    numbers.push_back(std::move(*bn));
    return {};
  };
  for (const auto& [name, param] : {std::pair{"n", OSSL_PKEY_PARAM_RSA_N}, std::pair{"e", OSSL_PKEY_PARAM_RSA_E}}) {
    if (auto status = push(name, param); !status) {
      return tl::unexpected(status.error());
    }
  }
  const bool is_private = jwk.Has("d");
  if (is_private) {
    // RFC 7518 §6.3.2: p, q, dp, dq, qi come together. writ requires them all, so that
    // OpenSSL can use the CRT and check the key pair.
    for (const auto& member : kPrivateMembers) {
      if (auto status = push(member.jwk_name, member.param); !status) {
        return tl::unexpected(status.error());
      }
    }
  } else {
    for (const auto& member : kPrivateMembers) {
      if (jwk.Has(member.jwk_name)) {
        return Fail(ErrorCode::kMalformed, "RSA JWK has CRT members without d");
      }
    }
  }
  auto pkey = BuildPkey(builder.get(), is_private);
  if (!pkey) {
    return tl::unexpected(pkey.error());
  }
  return CheckedRsaKey(alg, std::move(*pkey), is_private);
}

Result<KeyMaterialPtr> GenerateRsaKey(Alg alg) {
  if (!IsRsa(alg)) {
    return Fail(ErrorCode::kInvalidArgument, "not an RSA algorithm");
  }
  unsigned int bits = 2048;
  if (alg == Alg::kRs384 || alg == Alg::kPs384) {
    bits = 3072;
  } else if (alg == Alg::kRs512 || alg == Alg::kPs512) {
    bits = 4096;
  }
  EvpPkeyPtr pkey(EVP_RSA_gen(bits));
  if (!pkey) {
    return Fail(ErrorCode::kCrypto, "RSA key generation failed: " + OpenSslErrors());
  }
  return std::make_shared<RsaKey>(alg, std::move(pkey), true);
}

}  // namespace writ::internal
