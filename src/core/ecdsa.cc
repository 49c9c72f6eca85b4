#include "core/ecdsa.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>

namespace writ::internal {
namespace {

using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;
using ParamBuilderPtr = std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)>;

constexpr std::size_t kMaxDerSignature = 160;  // P-521: 2 × (66 + 3) + 3

}  // namespace

Result<EvpPkeyPtr> BuildEcPkey(const char* group_name, std::string_view point, const BIGNUM* d) {
  ParamBuilderPtr builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group_name, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1 ||
      (d != nullptr && OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d) != 1)) {
    return Fail(ErrorCode::kCrypto, "cannot build EC parameters");
  }
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder.get());
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  const bool built = params != nullptr && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
                     EVP_PKEY_fromdata(ctx.get(), &raw, d != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                                       params) == 1;
  OSSL_PARAM_free(params);
  if (!built) {
    return Fail(ErrorCode::kInvalidKey, std::string("EC point is not on ") + group_name);
  }
  EvpPkeyPtr pkey(raw);
  EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  const bool sound = check && (d != nullptr ? EVP_PKEY_pairwise_check(check.get()) == 1
                                            : EVP_PKEY_public_check(check.get()) == 1);
  if (!sound) {
    return Fail(ErrorCode::kInvalidKey, "EC key fails its validity check: " + OpenSslErrors());
  }
  return pkey;
}

Result<std::string> CompressedPoint(const EVP_PKEY* pkey, std::size_t coordinate_bytes) {
  BnPtr x = GetBnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X);
  BnPtr y = GetBnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y);
  auto x_bytes = x ? BnToFixed(x.get(), coordinate_bytes) : std::nullopt;
  if (!x_bytes || !y) {
    return Fail(ErrorCode::kCrypto, "cannot read EC public point");
  }
  return std::string(1, BN_is_odd(y.get()) ? '\x03' : '\x02') + *x_bytes;
}

Result<std::string> EcdsaSignRaw(EVP_PKEY* pkey, const EVP_MD* digest, std::size_t coordinate_bytes,
                                 std::string_view message) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  unsigned char der[kMaxDerSignature];
  std::size_t der_length = sizeof(der);
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest, nullptr, pkey) != 1 ||
      EVP_DigestSign(ctx.get(), der, &der_length, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return Fail(ErrorCode::kCrypto, "ECDSA signing failed: " + OpenSslErrors());
  }
  const unsigned char* cursor = der;
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_length)), ECDSA_SIG_free);
  if (!sig) {
    return Fail(ErrorCode::kCrypto, "ECDSA signature not decodable");
  }
  auto r = BnToFixed(ECDSA_SIG_get0_r(sig.get()), coordinate_bytes);
  auto s = BnToFixed(ECDSA_SIG_get0_s(sig.get()), coordinate_bytes);
  if (!r || !s) {
    return Fail(ErrorCode::kCrypto, "ECDSA signature out of range");
  }
  return *r + *s;
}

bool EcdsaVerifyRaw(EVP_PKEY* pkey, const EVP_MD* digest, const BIGNUM* order,
                    std::size_t coordinate_bytes, std::string_view message,
                    std::span<const std::uint8_t> signature) {
  const std::size_t n = coordinate_bytes;
  if (signature.size() != 2 * n || order == nullptr) {  // raw r || s only, never DER
    return false;
  }
  BnPtr r(BN_bin2bn(signature.data(), static_cast<int>(n), nullptr));
  BnPtr s(BN_bin2bn(signature.data() + n, static_cast<int>(n), nullptr));
  // SEC 1 §4.1.4 step 1: 0 < r, s < n. Refuses the "psychic signature" r = s = 0.
  if (!r || !s || BN_is_zero(r.get()) || BN_is_zero(s.get()) || BN_cmp(r.get(), order) >= 0 ||
      BN_cmp(s.get(), order) >= 0) {
    return false;
  }
  EcdsaSigPtr sig(ECDSA_SIG_new(), ECDSA_SIG_free);
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return false;
  }
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char der[kMaxDerSignature];
  unsigned char* cursor = der;
  const int der_length = i2d_ECDSA_SIG(sig.get(), &cursor);
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (der_length <= 0 || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, pkey) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_length),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

}  // namespace writ::internal
