// Known-answer tests: RFC 7517 Appendix A (JWK Sets) and Appendix B (x5c), from
// tests/vectors/jose/rfc7517/ (see tests/vectors/README.md).
//
// What the RFC examples meet in writ:
//  - A.1/A.2: the EC key says "use":"enc", so writ (a signature library) refuses it, and
//    KeySet::FromJwks refuses the whole set rather than silently dropping a key. The RSA
//    members carry "alg":"RS256" and load on their own.
//  - A.3: "A128KW" is not a JWS algorithm, and the second oct key has no alg.
//  - B: the JWK has x5c next to n/e and no alg. writ never takes a key from x5c: with an
//    alg added it loads, the key is n/e, x5c is ignored (not checked against n/e) and
//    not written back out.
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "vector_files.h"
#include "writ/clock.h"
#include "writ/key.h"
#include "writ/key_set.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ {
namespace {

using vectors::JsonVectorFile;
using vectors::LoadJsonVector;
using vectors::ReadVectorFile;
using vectors::WithStringMember;

// `text` with every occurrence of `from` replaced by `to`.
std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Member `index` of the set's "keys" array, minified.
std::string SetMember(std::string_view relative, std::size_t index) {
  JsonVectorFile file = LoadJsonVector(relative);
  simdjson::dom::element member = file.root["keys"].at(index);
  return simdjson::minify(member);
}

constexpr const char* kPublicSet = "jose/rfc7517/rfc7517_A.1.jwkset";
constexpr const char* kPrivateSet = "jose/rfc7517/rfc7517_A.2.jwkset";
constexpr const char* kSymmetricSet = "jose/rfc7517/rfc7517_A.3.jwkset";
constexpr const char* kX5cJwk = "jose/rfc7517/rfc7517_B.jwk";

// --- A.1: public keys ----------------------------------------------------------------------

TEST(Rfc7517A1, PublicSetWithEncryptionKeyIsRefused) {
  auto keys = KeySet::FromJwks(ReadVectorFile(kPublicSet));
  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().code, ErrorCode::kInvalidKey);
}

TEST(Rfc7517A1, EcMemberWithUseEncIsRefused) {
  auto key = Key::FromJwk(SetMember(kPublicSet, 0));
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidKey);
}

TEST(Rfc7517A1, RsaMemberLoadsAsRs256PublicKey) {
  auto key = Key::FromJwk(SetMember(kPublicSet, 1));
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  EXPECT_EQ(key->alg(), Alg::kRs256);
  EXPECT_EQ(key->kid(), "2011-04-29");
  EXPECT_EQ(key->key_bits(), 2048);
  EXPECT_FALSE(key->can_sign());
}

TEST(Rfc7517A1, PublicSetMarkedForSignaturesLoadsBothKeys) {
  auto keys = KeySet::FromJwks(ReplaceAll(ReadVectorFile(kPublicSet), "\"enc\"", "\"sig\""));
  ASSERT_TRUE(keys.has_value()) << keys.error().detail;
  ASSERT_EQ(keys->size(), 2u);
  ASSERT_NE(keys->FindByKid("1"), nullptr);
  EXPECT_EQ(keys->FindByKid("1")->alg(), Alg::kEs256);  // implied by crv P-256
  ASSERT_NE(keys->FindByKid("2011-04-29"), nullptr);
  EXPECT_EQ(keys->FindByKid("2011-04-29")->alg(), Alg::kRs256);
  // Selection by kid, then alg must match the selected key (RFC 8725 §3.1).
  auto selected = keys->Select("1", Alg::kEs256);
  ASSERT_TRUE(selected.has_value());
  EXPECT_EQ((*selected)->kid(), "1");
  auto mismatched = keys->Select("1", Alg::kRs256);
  ASSERT_FALSE(mismatched.has_value());
  EXPECT_EQ(mismatched.error().code, ErrorCode::kAlgMismatch);
  auto unknown = keys->Select("2", Alg::kEs256);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnknownKid);
}

TEST(Rfc7517A1, RsaMemberWithoutAlgIsRefused) {
  // The RFC's RSA member names its alg; without it writ refuses the key, and the set.
  const std::string rsa = ReplaceAll(SetMember(kPublicSet, 1), "\"alg\":\"RS256\",", "");
  ASSERT_EQ(rsa.find("\"alg\""), std::string::npos);
  auto key = Key::FromJwk(rsa);
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidKey);
  auto keys = KeySet::FromJwks("{\"keys\":[" + rsa + "]}");
  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().code, ErrorCode::kInvalidKey);
  auto with_alg = KeySet::FromJwks("{\"keys\":[" + WithStringMember(rsa, "alg", "RS256") + "]}");
  ASSERT_TRUE(with_alg.has_value()) << with_alg.error().detail;
}

// --- A.2: private keys ---------------------------------------------------------------------

TEST(Rfc7517A2, PrivateSetWithEncryptionKeyIsRefused) {
  auto keys = KeySet::FromJwks(ReadVectorFile(kPrivateSet));
  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().code, ErrorCode::kInvalidKey);
}

TEST(Rfc7517A2, PrivateSetMarkedForSignaturesLoadsSigningKeys) {
  auto keys = KeySet::FromJwks(ReplaceAll(ReadVectorFile(kPrivateSet), "\"enc\"", "\"sig\""));
  ASSERT_TRUE(keys.has_value()) << keys.error().detail;
  ASSERT_EQ(keys->size(), 2u);
  for (const Key& key : keys->keys()) {
    EXPECT_TRUE(key.can_sign()) << key.kid();
  }
  // The public JWKS of a private set carries no private member.
  const std::string public_jwks = keys->ToPublicJwks();
  for (const char* member : {"\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\""}) {
    EXPECT_EQ(public_jwks.find(member), std::string::npos) << member;
  }
  auto reloaded = KeySet::FromJwks(public_jwks);
  ASSERT_TRUE(reloaded.has_value()) << reloaded.error().detail;
  for (const Key& key : reloaded->keys()) {
    EXPECT_FALSE(key.can_sign()) << key.kid();
    EXPECT_EQ(key.Thumbprint(), keys->FindByKid(key.kid())->Thumbprint());
  }
}

TEST(Rfc7517A2, RsaPrivateMemberMatchesPublicMember) {
  auto private_key = Key::FromJwk(SetMember(kPrivateSet, 1));
  auto public_key = Key::FromJwk(SetMember(kPublicSet, 1));
  ASSERT_TRUE(private_key.has_value()) << private_key.error().detail;
  ASSERT_TRUE(public_key.has_value());
  EXPECT_TRUE(private_key->can_sign());
  EXPECT_EQ(private_key->Thumbprint(), public_key->Thumbprint());
}

// --- A.3: symmetric keys -------------------------------------------------------------------

TEST(Rfc7517A3, SymmetricSetIsRefused) {
  // Member 0 is an AES key-wrap key ("A128KW"), not a JWS algorithm.
  auto keys = KeySet::FromJwks(ReadVectorFile(kSymmetricSet));
  ASSERT_FALSE(keys.has_value());
  EXPECT_EQ(keys.error().code, ErrorCode::kUnsupportedAlg);
}

TEST(Rfc7517A3, OctMemberWithoutAlgIsRefusedWithAlgLoads) {
  const std::string oct = SetMember(kSymmetricSet, 1);
  auto bare = Key::FromJwk(oct);
  ASSERT_FALSE(bare.has_value());
  EXPECT_EQ(bare.error().code, ErrorCode::kInvalidKey);
  auto key = Key::FromJwk(WithStringMember(oct, "alg", "HS256"));
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  EXPECT_EQ(key->kid(), "HMACkeyusedinJWSspecAppendixA.1example");
  EXPECT_EQ(key->key_bits(), 512);
  // HMAC keys have no public form (RFC 7517 §5: a JWKS may hold them, writ never publishes).
  EXPECT_FALSE(key->ToPublicJwk().has_value());
}

// --- B: x5c -----------------------------------------------------------------------------------

TEST(Rfc7517B, X5cJwkWithoutAlgIsRefused) {
  auto key = Key::FromJwk(ReadVectorFile(kX5cJwk));
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidKey);
}

TEST(Rfc7517B, X5cIsIgnoredKeyIsNAndE) {
  auto key = Key::FromJwk(WithStringMember(ReadVectorFile(kX5cJwk), "alg", "RS256"));
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  EXPECT_EQ(key->kid(), "1b94c");
  // The same n/e without x5c give the same key.
  JsonVectorFile file = LoadJsonVector(kX5cJwk);
  const std::string bare = "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"e\":\"" +
                           std::string(std::string_view(file.root["e"])) + "\",\"n\":\"" +
                           std::string(std::string_view(file.root["n"])) + "\"}";
  auto bare_key = Key::FromJwk(bare);
  ASSERT_TRUE(bare_key.has_value());
  EXPECT_EQ(key->Thumbprint(), bare_key->Thumbprint());
  // writ does not republish the certificate chain.
  auto public_jwk = key->ToPublicJwk();
  ASSERT_TRUE(public_jwk.has_value());
  EXPECT_EQ(public_jwk->find("x5c"), std::string::npos);
}

TEST(Rfc7517B, ForeignX5cDoesNotReplaceTheKey) {
  // RFC 7515 A.2's n/e with RFC 7517 B's certificate (a different key): the token made
  // with A.2's key verifies, so the key in use is n/e, never the certificate's.
  JsonVectorFile cert_source = LoadJsonVector(kX5cJwk);
  const std::string x5c = simdjson::minify(cert_source.root["x5c"]);
  JsonVectorFile a2 = LoadJsonVector("jose/rfc7515/rfc7515_A.2.jwk");
  const std::string jwk = "{\"kty\":\"RSA\",\"alg\":\"RS256\",\"x5c\":" + x5c + ",\"n\":\"" +
                          std::string(std::string_view(a2.root["n"])) + "\",\"e\":\"" +
                          std::string(std::string_view(a2.root["e"])) + "\"}";
  auto key = Key::FromJwk(jwk);
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  auto keys = KeySet::Create({*key});
  ASSERT_TRUE(keys.has_value());
  auto verifier = Verifier::Create(*keys);
  ASSERT_TRUE(verifier.has_value());
  auto validator = ValidatorBuilder()
                       .SetClock(std::make_shared<FixedClock>(
                           Seconds(std::chrono::seconds(1300819380 - 1))))
                       .Build();
  ASSERT_TRUE(validator.has_value());
  auto verified =
      verifier->Verify(ReadVectorFile("jose/rfc7515/rfc7515_A.2.jwsc"), *validator);
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  EXPECT_EQ(verified->issuer(), "joe");
}

}  // namespace
}  // namespace writ
