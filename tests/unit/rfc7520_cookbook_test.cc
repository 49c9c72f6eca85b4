// Known-answer tests: RFC 7520 §4 signature examples (the JOSE cookbook) and RFC 7797
// unencoded-payload examples, from tests/vectors/jose/cookbook/ (see
// tests/vectors/README.md).
//
// writ verifies compact JWS only, so of RFC 7520 §4 it runs:
//   4.1 RS256, 4.2 PS384, 4.3 ES512, 4.4 HS256 (compact serialisations).
// and skips, on purpose:
//   4.5 detached content: the compact form has an empty payload part and the content
//       travels separately; writ has no detached-payload API (and an empty payload is
//       not a JWT).
//   4.6 protecting specific header fields, 4.7 protecting content only: both need a
//       JWS Unprotected Header, which exists only in the JSON serialisations.
//   4.8 multiple signatures: general JSON serialisation only.
#include <string>
#include <string_view>

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
using vectors::JwkWithAlg;
using vectors::LoadJsonVector;

// The text RFC 7520 §4 signs (the payload is this text, not a JSON object).
constexpr std::string_view kFrodoPrefix = "It\xe2\x80\x99s a dangerous business, Frodo";

struct CookbookExample {
  Key key;
  std::string compact;
  std::string signing_input;
  std::string signature_b64;
  bool reproducible = false;
};

// Loads a cookbook example; the key gets the example's alg when its JWK has none (writ
// requires alg on RSA and oct JWKs; RFC 8725 §3.1).
CookbookExample LoadExample(std::string_view relative) {
  JsonVectorFile file = LoadJsonVector(relative);
  simdjson::dom::object jwk = file.root["input"]["key"];
  const std::string_view alg = file.root["input"]["alg"];
  auto key = Key::FromJwk(JwkWithAlg(jwk, alg));
  if (!key) {
    throw std::runtime_error(std::string(relative) + ": key refused: " + key.error().detail);
  }
  bool reproducible = false;  // absent means randomised (PSS, ECDSA)
  if (file.root["reproducible"].get(reproducible) != simdjson::SUCCESS) {
    reproducible = false;
  }
  return CookbookExample{*key, std::string(std::string_view(file.root["output"]["compact"])),
                         std::string(std::string_view(file.root["signing"]["sig-input"])),
                         std::string(std::string_view(file.root["signing"]["sig"])),
                         reproducible};
}

Verifier VerifierFor(const Key& key) {
  auto keys = KeySet::Create({key});
  EXPECT_TRUE(keys.has_value());
  auto verifier = Verifier::Create(*keys);
  EXPECT_TRUE(verifier.has_value());
  return *verifier;
}

Validator LenientClaimsValidator() {
  auto validator = ValidatorBuilder().AllowMissingExpiration().IgnoreAudience().Build();
  EXPECT_TRUE(validator.has_value());
  return *validator;
}

// The signature over the compact serialisation verifies with the example's key, and
// altering one signature byte makes it fail.
void ExpectSignatureVerifies(const CookbookExample& example, Alg expected_alg) {
  EXPECT_EQ(example.key.alg(), expected_alg);
  auto decoded = DecodeUnverified(example.compact);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
  EXPECT_EQ(decoded->signing_input, example.signing_input);
  EXPECT_FALSE(decoded->payload_is_json);
  EXPECT_EQ(decoded->payload_json.substr(0, kFrodoPrefix.size()), kFrodoPrefix);
  EXPECT_TRUE(example.key.material().Verify(decoded->signing_input, AsBytes(decoded->signature)));
  std::string altered = decoded->signature;
  altered[altered.size() / 2] = static_cast<char>(altered[altered.size() / 2] ^ 0x20);
  EXPECT_FALSE(example.key.material().Verify(decoded->signing_input, AsBytes(altered)));
}

// The full JWT verifier accepts the signature (the kid selects the key, alg matches)
// but refuses the payload: RFC 7519 §7.2 step 10, the claims must be a JSON object.
// An altered signature fails at the signature instead, which shows the good one
// passed it.
void ExpectJwtVerifierRefusesTextPayload(const CookbookExample& example) {
  const Verifier verifier = VerifierFor(example.key);
  const Validator validator = LenientClaimsValidator();
  auto verified = verifier.Verify(example.compact, validator);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kMalformed) << verified.error().detail;
  std::string altered = example.compact;
  const std::size_t at = altered.rfind('.') + 2;
  altered[at] = altered[at] == 'A' ? 'B' : 'A';
  auto altered_result = verifier.Verify(altered, validator);
  ASSERT_FALSE(altered_result.has_value());
  EXPECT_EQ(altered_result.error().code, ErrorCode::kBadSignature);
}

TEST(Rfc7520Cookbook, Rs256Section41Verifies) {
  const CookbookExample example = LoadExample("jose/cookbook/jws/4_1.rsa_v15_signature.json");
  EXPECT_EQ(example.key.kid(), "bilbo.baggins@hobbiton.example");
  ExpectSignatureVerifies(example, Alg::kRs256);
  ExpectJwtVerifierRefusesTextPayload(example);
}

TEST(Rfc7520Cookbook, Rs256Section41ResignIsByteIdentical) {
  const CookbookExample example = LoadExample("jose/cookbook/jws/4_1.rsa_v15_signature.json");
  ASSERT_TRUE(example.reproducible);
  auto signature = example.key.material().Sign(example.signing_input);
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(internal::Base64UrlEncode(*signature), example.signature_b64);
}

TEST(Rfc7520Cookbook, Ps384Section42Verifies) {
  // The same RSA key as 4.1, declared PS384 for this example.
  const CookbookExample example = LoadExample("jose/cookbook/jws/4_2.rsa-pss_signature.json");
  ExpectSignatureVerifies(example, Alg::kPs384);
  ExpectJwtVerifierRefusesTextPayload(example);
}

TEST(Rfc7520Cookbook, Ps384Section42RefusedByRs256Key) {
  // Key bound to RS256 (4.1) meets a PS384 token (4.2) with the same kid: alg_mismatch.
  const CookbookExample rs256 = LoadExample("jose/cookbook/jws/4_1.rsa_v15_signature.json");
  const CookbookExample ps384 = LoadExample("jose/cookbook/jws/4_2.rsa-pss_signature.json");
  auto verified = VerifierFor(rs256.key).Verify(ps384.compact, LenientClaimsValidator());
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kAlgMismatch);
}

TEST(Rfc7520Cookbook, Es512Section43Verifies) {
  // P-521 JWK without alg: the curve implies ES512.
  const CookbookExample example = LoadExample("jose/cookbook/jws/4_3.ecdsa_signature.json");
  ExpectSignatureVerifies(example, Alg::kEs512);
  ExpectJwtVerifierRefusesTextPayload(example);
}

TEST(Rfc7520Cookbook, Hs256Section44Verifies) {
  const CookbookExample example =
      LoadExample("jose/cookbook/jws/4_4.hmac-sha2_integrity_protection.json");
  EXPECT_EQ(example.key.key_bits(), 256);
  ExpectSignatureVerifies(example, Alg::kHs256);
  ExpectJwtVerifierRefusesTextPayload(example);
}

TEST(Rfc7520Cookbook, Hs256Section44ResignIsByteIdentical) {
  const CookbookExample example =
      LoadExample("jose/cookbook/jws/4_4.hmac-sha2_integrity_protection.json");
  ASSERT_TRUE(example.reproducible);
  auto signature = example.key.material().Sign(example.signing_input);
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(internal::Base64UrlEncode(*signature), example.signature_b64);
}

// --- RFC 7797: unencoded payload (b64:false) ------------------------------------------------
// writ never accepts b64:false (RFC 8725 §3.1 spirit: one interpretation of the bytes
// signed); a JWT payload is always base64url.

struct B64FalseExample {
  Key key;
  std::string protected_b64;  // the protected header as in the example
  std::string payload;        // the raw payload text
  std::string compact;        // output.compact, empty when the example has none
};

B64FalseExample LoadB64False(std::string_view relative) {
  JsonVectorFile file = LoadJsonVector(relative);
  auto key = Key::FromJwk(simdjson::minify(file.root["input"]["key"]));
  if (!key) {
    throw std::runtime_error(std::string(relative) + ": key refused: " + key.error().detail);
  }
  simdjson::dom::element output = file.root["output"];
  std::string compact;
  std::string_view compact_view;
  if (output["compact"].get(compact_view) == simdjson::SUCCESS) {
    compact = std::string(compact_view);
  }
  simdjson::dom::array signatures = output["json"]["signatures"];
  return B64FalseExample{*key,
                         std::string(std::string_view((*signatures.begin())["protected"])),
                         std::string(std::string_view(file.root["input"]["payload"])), compact};
}

// A token with the example's b64:false header but a base64url payload and a MAC that is
// correct for that encoded form: only the b64 member is wrong with it.
std::string EncodedPayloadToken(const B64FalseExample& example) {
  std::string signing_input =
      example.protected_b64 + "." + internal::Base64UrlEncode(example.payload);
  auto mac = example.key.material().Sign(signing_input);
  if (!mac) {
    throw std::runtime_error("HMAC sign failed");
  }
  return signing_input + "." + internal::Base64UrlEncode(*mac);
}

TEST(Rfc7797, B64FalseCompactWithCritIsRefused) {
  const B64FalseExample example = LoadB64False("jose/cookbook/rfc7797/hmac-sha2_b64_false.json");
  ASSERT_FALSE(example.compact.empty());
  // As published: the header says b64:false and the payload part is raw text with
  // spaces, not base64url. Which of the two faults is reported first is the verifier's
  // business; both refuse the token.
  auto raw = VerifierFor(example.key).Verify(example.compact, LenientClaimsValidator());
  ASSERT_FALSE(raw.has_value());
  EXPECT_TRUE(raw.error().code == ErrorCode::kForbiddenHeader ||
              raw.error().code == ErrorCode::kMalformed)
      << ErrorCodeName(raw.error().code);
  // Re-encoded so that only the header is at fault: b64 is a forbidden header member.
  auto encoded =
      VerifierFor(example.key).Verify(EncodedPayloadToken(example), LenientClaimsValidator());
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().code, ErrorCode::kForbiddenHeader);
}

TEST(Rfc7797, B64FalseWithoutCritIsRefused) {
  // RFC 7797 §4.2 output: {"alg":"HS256","b64":false} without crit (see README caveat).
  const B64FalseExample example =
      LoadB64False("jose/cookbook/rfc7797/4.2.hmac-sha2_b64_false.json");
  auto encoded =
      VerifierFor(example.key).Verify(EncodedPayloadToken(example), LenientClaimsValidator());
  ASSERT_FALSE(encoded.has_value());
  EXPECT_EQ(encoded.error().code, ErrorCode::kForbiddenHeader);
}

}  // namespace
}  // namespace writ
