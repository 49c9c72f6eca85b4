#include "core/paseto/p384_key.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include "core/ecdsa.h"

namespace writ::internal {
namespace {

constexpr const char* kGroupName = "secp384r1";

using EcGroupPtr = std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)>;
using EcPointPtr = std::unique_ptr<EC_POINT, decltype(&EC_POINT_free)>;

const EC_GROUP* Group() {
  static const EC_GROUP* const kGroup = EC_GROUP_new_by_curve_name(NID_secp384r1);
  return kGroup;
}

}  // namespace

P384Key::P384Key(EvpPkeyPtr pkey, std::string compressed, bool has_private)
    : pkey_(std::move(pkey)), compressed_(std::move(compressed)), has_private_(has_private) {}

const BIGNUM* P384Key::order() const { return EC_GROUP_get0_order(Group()); }

Result<std::shared_ptr<const P384Key>> P384Key::FromPkey(EvpPkeyPtr pkey, bool has_private) {
  auto compressed = CompressedPoint(pkey.get(), kCoordinateBytes);
  if (!compressed) {
    return tl::unexpected(compressed.error());
  }
  return std::shared_ptr<const P384Key>(new P384Key(std::move(pkey), std::move(*compressed), has_private));
}

Result<std::shared_ptr<const P384Key>> P384Key::Generate() {
  EvpPkeyPtr pkey(EVP_EC_gen(kGroupName));
  if (!pkey) {
    return Fail(ErrorCode::kCrypto, "P-384 key generation failed: " + OpenSslErrors());
  }
  return FromPkey(std::move(pkey), true);
}

Result<std::shared_ptr<const P384Key>> P384Key::FromCompressed(std::span<const std::uint8_t> point) {
  if (point.size() != kCoordinateBytes + 1 || (point[0] != 0x02 && point[0] != 0x03)) {
    return Fail(ErrorCode::kInvalidKey, "a v3 public key is a 49-byte compressed P-384 point");
  }
  auto pkey = BuildEcPkey(kGroupName, std::string_view(reinterpret_cast<const char*>(point.data()), point.size()),
                          nullptr);
  if (!pkey) {
    return tl::unexpected(pkey.error());
  }
  return FromPkey(std::move(*pkey), false);
}

Result<std::shared_ptr<const P384Key>> P384Key::FromScalar(std::span<const std::uint8_t> scalar) {
  if (scalar.size() != kCoordinateBytes) {
    return Fail(ErrorCode::kInvalidKey, "a v3 secret key is a 48-byte P-384 scalar");
  }
  BnPtr d(BN_bin2bn(scalar.data(), static_cast<int>(scalar.size()), nullptr));
  if (!d || BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(Group())) >= 0) {
    return Fail(ErrorCode::kInvalidKey, "a v3 secret key must be in [1, n-1]");
  }
  EcPointPtr point(EC_POINT_new(Group()), EC_POINT_free);
  unsigned char encoded[2 * kCoordinateBytes + 1];
  if (!point || EC_POINT_mul(Group(), point.get(), d.get(), nullptr, nullptr, nullptr) != 1 ||
      EC_POINT_point2oct(Group(), point.get(), POINT_CONVERSION_UNCOMPRESSED, encoded, sizeof(encoded),
                         nullptr) != sizeof(encoded)) {
    return Fail(ErrorCode::kCrypto, "cannot compute the P-384 public key");
  }
  auto pkey = BuildEcPkey(kGroupName, std::string_view(reinterpret_cast<char*>(encoded), sizeof(encoded)), d.get());
  if (!pkey) {
    return tl::unexpected(pkey.error());
  }
  return FromPkey(std::move(*pkey), true);
}

SecretBytes P384Key::scalar() const {
  BnPtr d = GetBnParam(pkey_.get(), OSSL_PKEY_PARAM_PRIV_KEY);
  if (!d) {
    return SecretBytes();
  }
  auto bytes = BnToFixed(d.get(), kCoordinateBytes);
  if (!bytes) {
    return SecretBytes();
  }
  SecretBytes secret = SecretBytes::FromString(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return secret;
}

}  // namespace writ::internal
