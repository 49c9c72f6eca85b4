#include "core/ec_key.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "core/base64url.h"
#include "core/openssl_util.h"

namespace writ::internal {
namespace {

struct Curve {
  Alg alg;
  std::string_view jwk_name;  // RFC 7518 §6.2.1.1
  const char* group;          // OpenSSL group name
  int nid;
  std::size_t coordinate_bytes;
};

constexpr Curve kCurves[] = {
    {Alg::kEs256, "P-256", "prime256v1", NID_X9_62_prime256v1, 32},
    {Alg::kEs384, "P-384", "secp384r1", NID_secp384r1, 48},
    {Alg::kEs512, "P-521", "secp521r1", NID_secp521r1, 66},
};

const Curve* CurveFor(Alg alg) {
  for (const Curve& curve : kCurves) {
    if (curve.alg == alg) {
      return &curve;
    }
  }
  return nullptr;
}

using EcGroupPtr = std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)>;

class EcKey final : public KeyMaterial {
 public:
  EcKey(const Curve& curve, EvpPkeyPtr pkey, bool has_private)
      : curve_(curve), pkey_(std::move(pkey)), has_private_(has_private),
        group_(EC_GROUP_new_by_curve_name(curve.nid), EC_GROUP_free) {}

  Alg alg() const override { return curve_.alg; }
  bool has_private() const override { return has_private_; }
  int key_bits() const override { return EVP_PKEY_get_bits(pkey_.get()); }

  Result<std::string> Sign(std::string_view signing_input) const override {
    if (!has_private_) {
      return Fail(ErrorCode::kInvalidKey, "a public EC key cannot sign");
    }
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    unsigned char der[160];
    std::size_t der_length = sizeof(der);
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, DigestFor(curve_.alg), nullptr, pkey_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), der, &der_length,
                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                       signing_input.size()) != 1) {
      return Fail(ErrorCode::kCrypto, "ECDSA signing failed: " + OpenSslErrors());
    }
    const unsigned char* cursor = der;
    EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_length)), ECDSA_SIG_free);
    if (!sig) {
      return Fail(ErrorCode::kCrypto, "ECDSA signature not decodable");
    }
    // RFC 7518 §3.4: the JWS signature is R || S, each left-padded to the coordinate size.
    auto r = BnToFixed(ECDSA_SIG_get0_r(sig.get()), curve_.coordinate_bytes);
    auto s = BnToFixed(ECDSA_SIG_get0_s(sig.get()), curve_.coordinate_bytes);
    if (!r || !s) {
      return Fail(ErrorCode::kCrypto, "ECDSA signature out of range");
    }
    return *r + *s;
  }

  bool Verify(std::string_view signing_input,
              std::span<const std::uint8_t> signature) const override {
    const std::size_t n = curve_.coordinate_bytes;
    if (signature.size() != 2 * n || !group_) {  // raw R || S only, never DER
      return false;
    }
    const auto* bytes = signature.data();
    BnPtr r(BN_bin2bn(bytes, static_cast<int>(n), nullptr));
    BnPtr s(BN_bin2bn(bytes + n, static_cast<int>(n), nullptr));
    const BIGNUM* order = EC_GROUP_get0_order(group_.get());
    // SEC 1 §4.1.4 step 1: 0 < r, s < n. Rejects the "psychic signature" r = s = 0.
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
    unsigned char der[160];
    unsigned char* cursor = der;
    const int der_length = i2d_ECDSA_SIG(sig.get(), &cursor);
    if (der_length <= 0) {
      return false;
    }
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, DigestFor(curve_.alg), nullptr, pkey_.get()) != 1) {
      return false;
    }
    return EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_length),
                            reinterpret_cast<const unsigned char*>(signing_input.data()),
                            signing_input.size()) == 1;
  }

  void AppendJwkMembers(std::string& out, bool include_private) const override {
    out += "\"kty\":\"EC\",\"crv\":\"";
    out += curve_.jwk_name;
    out += '"';
    AppendCoordinate(out, "x", OSSL_PKEY_PARAM_EC_PUB_X);
    AppendCoordinate(out, "y", OSSL_PKEY_PARAM_EC_PUB_Y);
    if (include_private && has_private_) {
      AppendCoordinate(out, "d", OSSL_PKEY_PARAM_PRIV_KEY);
    }
  }

  std::string ThumbprintInput() const override {
    std::string members = "\"crv\":\"" + std::string(curve_.jwk_name) + "\",\"kty\":\"EC\"";
    AppendCoordinate(members, "x", OSSL_PKEY_PARAM_EC_PUB_X);
    AppendCoordinate(members, "y", OSSL_PKEY_PARAM_EC_PUB_Y);
    return "{" + members + "}";
  }

  Result<KeyMaterialPtr> PublicOnly() const override;

 private:
  void AppendCoordinate(std::string& out, std::string_view name, const char* param) const {
    BnPtr bn = GetBnParam(pkey_.get(), param);
    out += ",\"";
    out += name;
    out += "\":\"";
    if (bn) {
      // RFC 7518 §6.2.1.2/§6.2.2.1: full coordinate size, not minimal.
      if (auto fixed = BnToFixed(bn.get(), curve_.coordinate_bytes)) {
        Base64UrlEncodeAppend(*fixed, out);
      }
    }
    out += '"';
  }

  const Curve& curve_;
  EvpPkeyPtr pkey_;
  bool has_private_;
  EcGroupPtr group_;
};

// Builds and checks an EC key from an uncompressed point and an optional private scalar.
Result<KeyMaterialPtr> BuildEcKey(const Curve& curve, std::string_view point, const BIGNUM* d) {
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(),
                                                                          OSSL_PARAM_BLD_free);
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve.group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1 ||
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
    return Fail(ErrorCode::kInvalidKey, "EC point is not on " + std::string(curve.jwk_name));
  }
  EvpPkeyPtr pkey(raw);
  // The point must be on the curve and not the identity; with d, d·G must equal it.
  EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  const bool sound = check && (d != nullptr ? EVP_PKEY_pairwise_check(check.get()) == 1
                                            : EVP_PKEY_public_check(check.get()) == 1);
  if (!sound) {
    return Fail(ErrorCode::kInvalidKey, "EC key fails its validity check: " + OpenSslErrors());
  }
  return std::make_shared<EcKey>(curve, std::move(pkey), d != nullptr);
}

Result<KeyMaterialPtr> EcKey::PublicOnly() const {
  auto x = BnToFixed(GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X).get(), curve_.coordinate_bytes);
  auto y = BnToFixed(GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y).get(), curve_.coordinate_bytes);
  if (!x || !y) {
    return Fail(ErrorCode::kCrypto, "cannot read EC public point");
  }
  return BuildEcKey(curve_, std::string(1, '\x04') + *x + *y, nullptr);
}

}  // namespace

std::optional<Alg> EcAlgForCurve(std::string_view crv) {
  for (const Curve& curve : kCurves) {
    if (curve.jwk_name == crv) {
      return curve.alg;
    }
  }
  return std::nullopt;
}

Result<KeyMaterialPtr> EcKeyFromJwk(Alg alg, const JwkMembers& jwk) {
  const Curve* curve = CurveFor(alg);
  const auto crv = jwk.Get("crv");
  if (curve == nullptr || !crv || *crv != curve->jwk_name) {
    return Fail(ErrorCode::kInvalidKey, "EC key curve does not match " + std::string(AlgName(alg)));
  }
  auto x = jwk.Decoded("x");
  auto y = jwk.Decoded("y");
  if (!x || !y) {
    return Fail(ErrorCode::kMalformed, "EC JWK needs base64url x and y");
  }
  if (x->size() != curve->coordinate_bytes || y->size() != curve->coordinate_bytes) {
    return Fail(ErrorCode::kMalformed, "EC JWK coordinates must be exactly " +
                                           std::to_string(curve->coordinate_bytes) + " bytes");
  }
  BnPtr d;
  if (jwk.Has("d")) {
    auto d_bytes = jwk.Decoded("d");
    if (!d_bytes || d_bytes->size() != curve->coordinate_bytes) {
      return Fail(ErrorCode::kMalformed, "EC JWK d must be exactly " +
                                             std::to_string(curve->coordinate_bytes) + " bytes");
    }
    d = BnFromBytes(*d_bytes);
    OPENSSL_cleanse(d_bytes->data(), d_bytes->size());
  }
  return BuildEcKey(*curve, std::string(1, '\x04') + *x + *y, d.get());
}

Result<KeyMaterialPtr> GenerateEcKey(Alg alg) {
  const Curve* curve = CurveFor(alg);
  if (curve == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "not an ECDSA algorithm");
  }
  EvpPkeyPtr pkey(EVP_EC_gen(curve->group));
  if (!pkey) {
    return Fail(ErrorCode::kCrypto, "EC key generation failed: " + OpenSslErrors());
  }
  return std::make_shared<EcKey>(*curve, std::move(pkey), true);
}

}  // namespace writ::internal
