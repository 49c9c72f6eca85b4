#include "core/rsa_key.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>

#include "core/base64url.h"
#include "core/openssl_util.h"
#include "writ/key.h"

namespace writ {
namespace {

std::string Jwk(const BIGNUM* n, std::string_view e_b64) {
  return R"({"kty":"RSA","alg":"RS256","n":")" + internal::Base64UrlEncode(internal::BnToMinimal(n)) +
         R"(","e":")" + std::string(e_b64) + R"("})";
}

internal::BnPtr RandomOdd(int bits) {
  internal::BnPtr n(BN_new());
  BN_rand(n.get(), bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD);
  return n;
}

TEST(RsaKey, ModulusWithASmallFactorIsRefusedEveryTime) {
  // Public-key validation must be deterministic: the same JWKS loads everywhere or nowhere.
  internal::BnPtr n = RandomOdd(2038);
  BN_mul_word(n.get(), 1297);
  const std::string jwk = Jwk(n.get(), "AQAB");
  for (int i = 0; i < 50; ++i) {
    auto key = Key::FromJwk(jwk);
    ASSERT_FALSE(key.has_value());
    EXPECT_EQ(key.error().code, ErrorCode::kInvalidKey);
  }
}

TEST(RsaKey, EvenModulusIsRefused) {
  internal::BnPtr n = RandomOdd(2048);
  BN_add_word(n.get(), 1);
  EXPECT_EQ(Key::FromJwk(Jwk(n.get(), "AQAB")).error().code, ErrorCode::kInvalidKey);
}

TEST(RsaKey, PublicExponentOneOrEvenIsRefused) {
  auto key = *Key::Generate(Alg::kRs256, "r");
  std::string jwk = *key.ToPublicJwk();
  const auto e = jwk.find("\"e\":\"AQAB\"");
  ASSERT_NE(e, std::string::npos);
  EXPECT_EQ(Key::FromJwk(std::string(jwk).replace(e, 10, "\"e\":\"AQ\"")).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(Key::FromJwk(std::string(jwk).replace(e, 10, "\"e\":\"AQAC\"")).error().code, ErrorCode::kInvalidKey);
}

TEST(RsaKey, ModulusWithLeadingZeroIsMalformed) {
  auto key = *Key::Generate(Alg::kRs256, "r");
  std::string jwk = *key.ToPublicJwk();
  const auto start = jwk.find("\"n\":\"") + 5;
  const auto end = jwk.find('"', start);
  auto n = internal::Base64UrlDecode(jwk.substr(start, end - start));
  ASSERT_TRUE(n.has_value());
  jwk.replace(start, end - start, internal::Base64UrlEncode(std::string(1, '\0') + *n));
  EXPECT_EQ(Key::FromJwk(jwk).error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace writ
