// ECDSA with fixed-length r||s signatures, shared by JWS ES256/384/512 (RFC 7518 §3.4)
// and PASETO v3.public.
#ifndef WRIT_CORE_ECDSA_H_
#define WRIT_CORE_ECDSA_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <openssl/ec.h>

#include "core/openssl_util.h"
#include "writ/result.h"

namespace writ::internal {

// An EC key on `group_name` from an encoded point (uncompressed or compressed, SEC 1
// §2.3.3) and optionally the private scalar `d`, checked: the point on the curve and not
// the identity, and with `d`, d·G equal to it (kInvalidKey otherwise).
Result<EvpPkeyPtr> BuildEcPkey(const char* group_name, std::string_view point, const BIGNUM* d);

// The public point of `pkey` in compressed SEC 1 form (0x02/0x03 || x).
Result<std::string> CompressedPoint(const EVP_PKEY* pkey, std::size_t coordinate_bytes);

// r || s, each left-padded to `coordinate_bytes`, over `message` hashed with `digest`.
Result<std::string> EcdsaSignRaw(EVP_PKEY* pkey, const EVP_MD* digest, std::size_t coordinate_bytes,
                                 std::string_view message);

// True only for a signature of exactly 2 × coordinate_bytes with 0 < r, s < order
// (SEC 1 §4.1.4 step 1) that verifies.
bool EcdsaVerifyRaw(EVP_PKEY* pkey, const EVP_MD* digest, const BIGNUM* order,
                    std::size_t coordinate_bytes, std::string_view message,
                    std::span<const std::uint8_t> signature);

}  // namespace writ::internal

#endif  // WRIT_CORE_ECDSA_H_
