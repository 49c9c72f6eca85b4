// Known-answer tests: RFC 8037 Appendix A (Ed25519 JWK, thumbprint and EdDSA JWS), from
// tests/vectors/jose/cookbook/curve25519/jws.json (see tests/vectors/README.md).
#include <string>

#include <gtest/gtest.h>

#include "core/base64url.h"
#include "core/key_material.h"
#include "vector_files.h"
#include "writ/key.h"
#include "writ/key_set.h"
#include "writ/unverified.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ {
namespace {

using vectors::AsBytes;
using vectors::JsonVectorFile;
using vectors::LoadJsonVector;

constexpr const char* kFile = "jose/cookbook/curve25519/jws.json";

// RFC 8037 A.3: the JWK thumbprint of the A.2 public key.
constexpr const char* kRfc8037Thumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";

struct Ed25519Example {
  Key key;
  std::string compact;
  std::string signing_input;
  std::string signature_b64;
};

Ed25519Example LoadExample() {
  JsonVectorFile file = LoadJsonVector(kFile);
  // The JWK has no alg: for OKP Ed25519 the algorithm is unambiguous (EdDSA).
  const std::string jwk = simdjson::minify(file.root["input"]["key"]);
  auto key = Key::FromJwk(jwk);
  if (!key) {
    throw std::runtime_error("RFC 8037 key refused: " + key.error().detail);
  }
  return Ed25519Example{*key, std::string(std::string_view(file.root["output"]["compact"])),
                        std::string(std::string_view(file.root["signing"]["sig-input"])),
                        std::string(std::string_view(file.root["signing"]["sig"]))};
}

TEST(Rfc8037, Ed25519KeyLoadsAsEdDsaWithThumbprintKid) {
  const Ed25519Example example = LoadExample();
  EXPECT_EQ(example.key.alg(), Alg::kEdDsa);
  EXPECT_TRUE(example.key.can_sign());
  EXPECT_EQ(example.key.Thumbprint(), kRfc8037Thumbprint);
  // Key::FromJwk: a JWK without kid gets its RFC 7638 thumbprint as kid.
  EXPECT_EQ(example.key.kid(), kRfc8037Thumbprint);
}

TEST(Rfc8037, Ed25519SignatureVerifies) {
  const Ed25519Example example = LoadExample();
  auto decoded = DecodeUnverified(example.compact);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
  EXPECT_EQ(decoded->signing_input, example.signing_input);
  EXPECT_EQ(decoded->payload_json, "Example of Ed25519 signing");
  EXPECT_TRUE(example.key.material().Verify(decoded->signing_input, AsBytes(decoded->signature)));
  auto public_key = example.key.PublicKey();
  ASSERT_TRUE(public_key.has_value());
  EXPECT_TRUE(public_key->material().Verify(decoded->signing_input, AsBytes(decoded->signature)));
}

TEST(Rfc8037, Ed25519AlteredInputOrSignatureFails) {
  const Ed25519Example example = LoadExample();
  auto decoded = DecodeUnverified(example.compact);
  ASSERT_TRUE(decoded.has_value());
  std::string other_input = decoded->signing_input;
  other_input.back() = other_input.back() == 'c' ? 'd' : 'c';
  EXPECT_FALSE(example.key.material().Verify(other_input, AsBytes(decoded->signature)));
  std::string other_signature = decoded->signature;
  other_signature[0] = static_cast<char>(other_signature[0] ^ 0x01);
  EXPECT_FALSE(example.key.material().Verify(decoded->signing_input, AsBytes(other_signature)));
}

TEST(Rfc8037, Ed25519ResignIsByteIdentical) {
  // Ed25519 is deterministic (RFC 8032 §5.1.6): writ's signature equals RFC 8037 A.4's.
  const Ed25519Example example = LoadExample();
  auto signature = example.key.material().Sign(example.signing_input);
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(internal::Base64UrlEncode(*signature), example.signature_b64);
}

TEST(Rfc8037, Ed25519TextPayloadIsMalformedForJwtVerifier) {
  // The payload is text, not a JWT claims object. The signature passes (an altered one
  // fails with bad_signature), then the claims parse refuses the payload.
  const Ed25519Example example = LoadExample();
  auto keys = KeySet::Create({example.key});
  ASSERT_TRUE(keys.has_value());
  auto verifier = Verifier::Create(*keys);
  ASSERT_TRUE(verifier.has_value());
  auto validator = ValidatorBuilder().AllowMissingExpiration().Build();
  ASSERT_TRUE(validator.has_value());
  auto verified = verifier->Verify(example.compact, *validator);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kMalformed);
  std::string altered = example.compact;
  altered.back() = altered.back() == 'g' ? 'Q' : 'g';
  auto altered_result = verifier->Verify(altered, *validator);
  ASSERT_FALSE(altered_result.has_value());
  EXPECT_EQ(altered_result.error().code, ErrorCode::kBadSignature);
}

}  // namespace
}  // namespace writ
