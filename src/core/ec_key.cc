#include "core/ec_key.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "core/base64url.h"
#include "core/ecdsa.h"
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
    // RFC 7518 §3.4: the JWS signature is R || S, each left-padded to the coordinate size.
    return EcdsaSignRaw(pkey_.get(), DigestFor(curve_.alg), curve_.coordinate_bytes, signing_input);
  }

  bool Verify(std::string_view signing_input,
              std::span<const std::uint8_t> signature) const override {
    return EcdsaVerifyRaw(pkey_.get(), DigestFor(curve_.alg), group_ ? EC_GROUP_get0_order(group_.get()) : nullptr,
                          curve_.coordinate_bytes, signing_input, signature);
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
  auto pkey = BuildEcPkey(curve.group, point, d);
  if (!pkey) {
    return Fail(pkey.error().code, pkey.error().detail + " (" + std::string(curve.jwk_name) + ")");
  }
  return std::make_shared<EcKey>(curve, std::move(*pkey), d != nullptr);
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
