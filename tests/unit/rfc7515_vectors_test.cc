// Known-answer tests: RFC 7515 Appendix A (A.1 HS256, A.2 RS256, A.3 ES256, A.4 ES512,
// A.5 unsecured JWS). Vectors: tests/vectors/jose/rfc7515/ (see tests/vectors/README.md).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "core/base64url.h"
#include "core/key_material.h"
#include "vector_files.h"
#include "writ/clock.h"
#include "writ/key.h"
#include "writ/key_set.h"
#include "writ/unverified.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ {
namespace {

using vectors::AsBytes;
using vectors::ReadVectorFile;
using vectors::SignaturePartOf;
using vectors::SigningInputOf;
using vectors::WithStringMember;

// The exp claim of the A.1-A.3 payload: 2011-03-22T18:43:00Z.
constexpr std::int64_t kExampleExp = 1300819380;

Validator ValidatorAt(std::int64_t now) {
  auto validator = ValidatorBuilder()
                       .SetClock(std::make_shared<FixedClock>(Seconds(std::chrono::seconds(now))))
                       .Build();
  EXPECT_TRUE(validator.has_value());
  return *validator;
}

// A validator whose clock stands one second before the example's exp.
Validator ValidatorBeforeExp() { return ValidatorAt(kExampleExp - 1); }

Key LoadKey(const std::string& jwk_json) {
  auto key = Key::FromJwk(jwk_json);
  EXPECT_TRUE(key.has_value()) << (key ? "" : key.error().detail);
  return *key;
}

Verifier VerifierFor(const Key& key) {
  auto keys = KeySet::Create({key});
  EXPECT_TRUE(keys.has_value());
  auto verifier = Verifier::Create(*keys);
  EXPECT_TRUE(verifier.has_value());
  return *verifier;
}

// The compact token with the first character of its signature part replaced.
std::string WithAlteredSignature(const std::string& compact) {
  std::string altered = compact;
  const std::size_t at = compact.rfind('.') + 1;
  altered[at] = altered[at] == 'A' ? 'B' : 'A';
  return altered;
}

// writ's own signature over the example's signing input, base64url-encoded.
std::string ResignedSignature(const Key& key, const std::string& compact) {
  auto signature = key.material().Sign(SigningInputOf(compact));
  EXPECT_TRUE(signature.has_value());
  return internal::Base64UrlEncode(*signature);
}

// Checks the claims every A.1-A.3 example carries.
void ExpectExampleClaims(const VerifiedJwt& jwt) {
  EXPECT_EQ(jwt.issuer(), "joe");
  ASSERT_TRUE(jwt.expires_at().has_value());
  EXPECT_EQ(jwt.expires_at()->time_since_epoch().count(), kExampleExp);
  EXPECT_EQ(jwt.BoolClaim("http://example.com/is_root"), true);
}

// --- A.1: HMAC SHA-256 -----------------------------------------------------------------

// writ's rule: an oct JWK must name its algorithm (a bare secret could key any HS*).
std::string A1Jwk() {
  return WithStringMember(ReadVectorFile("jose/rfc7515/rfc7515_A.1.jwk"), "alg", "HS256");
}

TEST(Rfc7515A1, Hs256TokenVerifiesBeforeExp) {
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.1.jwsc");
  auto verified = VerifierFor(LoadKey(A1Jwk())).Verify(token, ValidatorBeforeExp());
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  EXPECT_EQ(verified->alg(), Alg::kHs256);
  EXPECT_EQ(verified->type(), "JWT");
  ExpectExampleClaims(*verified);
}

TEST(Rfc7515A1, Hs256TokenAtExpIsExpired) {
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.1.jwsc");
  auto verified = VerifierFor(LoadKey(A1Jwk())).Verify(token, ValidatorAt(kExampleExp));
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kExpired);
}

TEST(Rfc7515A1, Hs256AlteredSignatureIsBadSignature) {
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.1.jwsc");
  auto verified =
      VerifierFor(LoadKey(A1Jwk())).Verify(WithAlteredSignature(token), ValidatorBeforeExp());
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kBadSignature);
}

TEST(Rfc7515A1, Hs256ResignIsByteIdentical) {
  // HMAC is deterministic: writ's MAC over the same signing input is the RFC's.
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.1.jwsc");
  EXPECT_EQ(ResignedSignature(LoadKey(A1Jwk()), token), SignaturePartOf(token));
}

TEST(Rfc7515A1, OctJwkWithoutAlgIsRefused) {
  // RFC 8725 §3.1: the key, not the token, fixes the algorithm; an oct JWK without alg
  // does not say which of HS256/384/512 it is for.
  auto key = Key::FromJwk(ReadVectorFile("jose/rfc7515/rfc7515_A.1.jwk"));
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidKey);
}

// --- A.2: RSASSA-PKCS1-v1_5 SHA-256 --------------------------------------------------------

std::string A2Jwk() {
  return WithStringMember(ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwk"), "alg", "RS256");
}

TEST(Rfc7515A2, Rs256TokenVerifiesWithPublicKey) {
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwsc");
  const Key private_key = LoadKey(A2Jwk());
  auto public_key = private_key.PublicKey();
  ASSERT_TRUE(public_key.has_value());
  EXPECT_FALSE(public_key->can_sign());
  EXPECT_EQ(public_key->key_bits(), 2048);
  auto verified = VerifierFor(*public_key).Verify(token, ValidatorBeforeExp());
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  EXPECT_EQ(verified->alg(), Alg::kRs256);
  ExpectExampleClaims(*verified);
}

TEST(Rfc7515A2, Rs256AlteredSignatureIsBadSignature) {
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwsc");
  auto verified =
      VerifierFor(LoadKey(A2Jwk())).Verify(WithAlteredSignature(token), ValidatorBeforeExp());
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kBadSignature);
}

TEST(Rfc7515A2, Rs256ResignIsByteIdentical) {
  // RSASSA-PKCS1-v1_5 is deterministic.
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwsc");
  EXPECT_EQ(ResignedSignature(LoadKey(A2Jwk()), token), SignaturePartOf(token));
}

TEST(Rfc7515A2, RsaJwkWithoutAlgIsRefused) {
  // An RSA key could be RS* or PS*: alg is required (RFC 8725 §3.1).
  auto key = Key::FromJwk(ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwk"));
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidKey);
}

TEST(Rfc7515A2, Rs256KeyDeclaredPs256RejectsToken) {
  // The same modulus bound to PS256 must not accept an RS256 token.
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwsc");
  const Key ps256 = LoadKey(
      WithStringMember(ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwk"), "alg", "PS256"));
  auto verified = VerifierFor(ps256).Verify(token, ValidatorBeforeExp());
  ASSERT_FALSE(verified.has_value());
  EXPECT_TRUE(verified.error().code == ErrorCode::kAlgMismatch ||
              verified.error().code == ErrorCode::kAmbiguousKey)
      << ErrorCodeName(verified.error().code);
}

// --- A.3: ECDSA P-256 SHA-256 -------------------------------------------------------------

TEST(Rfc7515A3, Es256TokenVerifiesWithJwkWithoutAlg) {
  // An EC JWK may omit alg: the curve fixes it (P-256 → ES256).
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.3.jwsc");
  const Key key = LoadKey(ReadVectorFile("jose/rfc7515/rfc7515_A.3.jwk"));
  EXPECT_EQ(key.alg(), Alg::kEs256);
  auto verified = VerifierFor(key).Verify(token, ValidatorBeforeExp());
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  EXPECT_EQ(verified->alg(), Alg::kEs256);
  ExpectExampleClaims(*verified);
}

TEST(Rfc7515A3, Es256AlteredSignatureIsBadSignature) {
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.3.jwsc");
  const Key key = LoadKey(ReadVectorFile("jose/rfc7515/rfc7515_A.3.jwk"));
  auto verified = VerifierFor(key).Verify(WithAlteredSignature(token), ValidatorBeforeExp());
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kBadSignature);
}

TEST(Rfc7515A3, Es256ResignVerifies) {
  // ECDSA is randomised, so a re-sign differs; it must still verify and be raw r||s.
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.3.jwsc");
  const Key key = LoadKey(ReadVectorFile("jose/rfc7515/rfc7515_A.3.jwk"));
  auto signature = key.material().Sign(SigningInputOf(token));
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(signature->size(), 64u);
  EXPECT_TRUE(key.material().Verify(SigningInputOf(token), AsBytes(*signature)));
}

// --- A.4: ECDSA P-521 SHA-512 -------------------------------------------------------------

TEST(Rfc7515A4, Es512SignatureVerifies) {
  // The A.4 payload is the 7 bytes "Payload", not JWT claims: check the JWS signature.
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.4.jwsc");
  const Key key = LoadKey(ReadVectorFile("jose/rfc7515/rfc7515_A.4.jwk"));
  EXPECT_EQ(key.alg(), Alg::kEs512);
  auto decoded = DecodeUnverified(token);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
  EXPECT_EQ(decoded->payload_json, "Payload");
  EXPECT_EQ(decoded->signature.size(), 132u);
  EXPECT_TRUE(key.material().Verify(decoded->signing_input, AsBytes(decoded->signature)));
  std::string tampered = decoded->signature;
  tampered[10] = static_cast<char>(tampered[10] ^ 0x01);
  EXPECT_FALSE(key.material().Verify(decoded->signing_input, AsBytes(tampered)));
}

TEST(Rfc7515A4, Es512NonJsonPayloadIsMalformedForJwtVerifier) {
  // The signature is good (checked first), but "Payload" is not a JWT claims object.
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.4.jwsc");
  const Verifier verifier = VerifierFor(LoadKey(ReadVectorFile("jose/rfc7515/rfc7515_A.4.jwk")));
  const Validator validator = ValidatorBeforeExp();
  auto verified = verifier.Verify(token, validator);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kMalformed);
  // An altered signature fails earlier, at the signature: proof the good one passed it.
  auto altered = verifier.Verify(WithAlteredSignature(token), validator);
  ASSERT_FALSE(altered.has_value());
  EXPECT_EQ(altered.error().code, ErrorCode::kBadSignature);
}

// --- A.5: unsecured JWS ------------------------------------------------------------------

TEST(Rfc7515A5, AlgNoneIsUnsupported) {
  // RFC 8725 §3.2: "none" is not an algorithm writ implements, whatever the key set.
  const std::string token = ReadVectorFile("jose/rfc7515/rfc7515_A.5.jwsc");
  for (const std::string& jwk : {A1Jwk(), A2Jwk()}) {
    auto verified = VerifierFor(LoadKey(jwk)).Verify(token, ValidatorBeforeExp());
    ASSERT_FALSE(verified.has_value());
    EXPECT_EQ(verified.error().code, ErrorCode::kUnsupportedAlg);
  }
}

}  // namespace
}  // namespace writ
