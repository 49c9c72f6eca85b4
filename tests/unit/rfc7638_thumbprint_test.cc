// Known-answer test: RFC 7638 §3.1 JWK thumbprint, from tests/vectors/jose/rfc7638/
// (see tests/vectors/README.md).
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "vector_files.h"
#include "writ/key.h"

namespace writ {
namespace {

using vectors::LoadJsonVector;
using vectors::ReadVectorFile;
using vectors::TrimTrailing;

constexpr const char* kJwkFile = "jose/rfc7638/rfc7638_3.1.jwk";

std::string ExpectedThumbprint() {
  return std::string(TrimTrailing(ReadVectorFile("jose/rfc7638/rfc7638_3.1.thp")));
}

// The RFC's n, for building variants of the key.
std::string ModulusB64() {
  auto file = LoadJsonVector(kJwkFile);
  return std::string(std::string_view(file.root["n"]));
}

TEST(Rfc7638, Section31ThumbprintMatches) {
  // The RFC's JWK already carries "alg":"RS256" (writ requires alg on RSA keys).
  auto key = Key::FromJwk(ReadVectorFile(kJwkFile));
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  EXPECT_EQ(key->Thumbprint(), ExpectedThumbprint());
  EXPECT_EQ(ExpectedThumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  // An explicit kid is kept as given, not replaced by the thumbprint.
  EXPECT_EQ(key->kid(), "2011-04-29");
}

TEST(Rfc7638, ThumbprintIgnoresAlgOrderAndWhitespace) {
  // RFC 7638 §3.2-3.3: only e, kty and n, in lexicographic order, without whitespace,
  // enter the hash. Reordered members, whitespace and another alg change nothing; with
  // no kid the key's default kid is the thumbprint (Key::FromJwk).
  const std::string jwk = "{ \"e\" : \"AQAB\",\n \"n\" : \"" + ModulusB64() +
                          "\",\n \"alg\" : \"PS256\", \"kty\" : \"RSA\" }";
  auto key = Key::FromJwk(jwk);
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  EXPECT_EQ(key->alg(), Alg::kPs256);
  EXPECT_EQ(key->Thumbprint(), ExpectedThumbprint());
  EXPECT_EQ(key->kid(), ExpectedThumbprint());
}

TEST(Rfc7638, PublicJwkRoundTripKeepsThumbprintAndKid) {
  auto key = Key::FromJwk(ReadVectorFile(kJwkFile));
  ASSERT_TRUE(key.has_value());
  auto public_jwk = key->ToPublicJwk();
  ASSERT_TRUE(public_jwk.has_value());
  auto reloaded = Key::FromJwk(*public_jwk);
  ASSERT_TRUE(reloaded.has_value()) << reloaded.error().detail;
  EXPECT_EQ(reloaded->Thumbprint(), ExpectedThumbprint());
  EXPECT_EQ(reloaded->kid(), "2011-04-29");
  EXPECT_EQ(reloaded->alg(), Alg::kRs256);
}

TEST(Rfc7638, DifferentModulusChangesThumbprint) {
  // A guard against a thumbprint that ignores the key: RFC 7515 A.2's modulus, declared
  // the same way, must give another thumbprint.
  auto a2 = LoadJsonVector("jose/rfc7515/rfc7515_A.2.jwk");
  auto key = Key::FromJwk("{\"kty\":\"RSA\",\"alg\":\"RS256\",\"e\":\"AQAB\",\"n\":\"" +
                          std::string(std::string_view(a2.root["n"])) + "\"}");
  ASSERT_TRUE(key.has_value()) << key.error().detail;
  EXPECT_NE(key->Thumbprint(), ExpectedThumbprint());
  EXPECT_EQ(key->Thumbprint().size(), ExpectedThumbprint().size());
}

}  // namespace
}  // namespace writ
