// Attacks through the protected header: keys carried by the token (jwk, jku, x5u, x5c,
// x5t), extensions (crit, b64, zip), and key selection by kid (injection strings, unknown
// and missing kids). RFC 8725 §3.1, RFC 7515 §4.1.2-4.1.11, RFC 7797 §3.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attack_test_util.h"
#include "writ/writ.h"

namespace writ {
namespace {

using attack_test::B64;
using attack_test::DefaultValidator;
using attack_test::FailsWith;
using attack_test::GenerateKey;
using attack_test::SignJson;
using attack_test::Succeeds;
using attack_test::Unwrap;
using attack_test::ValidClaimsJson;
using attack_test::VerifierFor;

// A correctly signed HS256 token for `key` whose header also carries `extra_members`
// (a JSON fragment such as "\"zip\":\"DEF\""); a verifier that ignored the extra member
// would accept it.
std::string SignedWithExtraHeader(const Key& key, std::string_view extra_members) {
  std::string header = "{\"alg\":\"" + std::string(AlgName(key.alg())) + "\",\"kid\":\"" +
                       key.kid() + "\"," + std::string(extra_members) + "}";
  return SignJson(key, header, ValidClaimsJson());
}

TEST(AttackHeader, UnknownHeaderMemberIsIgnored) {
  // Control: extra members that carry no meaning do not refuse a token, so the refusals
  // below are about the named members.
  Key key = GenerateKey(Alg::kHs256, "k1");
  EXPECT_TRUE(Succeeds(VerifierFor({key}).Verify(SignedWithExtraHeader(key, "\"x-note\":\"hi\""),
                                                 DefaultValidator())));
}

TEST(AttackHeader, EmbeddedJwkWithAttackerKeyIsForbiddenHeader) {
  // The attacker signs with their own key and ships its public half in the header,
  // reusing the victim's kid.
  Key victim = GenerateKey(Alg::kEs256, "victim");
  Key attacker = GenerateKey(Alg::kEs256, "victim");
  std::string attacker_jwk = Unwrap(attacker.ToPublicJwk(), "ToPublicJwk");
  Verifier verifier = VerifierFor({Unwrap(victim.PublicKey(), "PublicKey")});
  std::string token = SignedWithExtraHeader(attacker, "\"jwk\":" + attacker_jwk);
  EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kForbiddenHeader));
  // Even when the embedded key is the victim's own public key and the signature is good.
  std::string victim_jwk = Unwrap(victim.ToPublicJwk(), "ToPublicJwk");
  std::string honest = SignedWithExtraHeader(victim, "\"jwk\":" + victim_jwk);
  EXPECT_TRUE(FailsWith(verifier.Verify(honest, DefaultValidator()), ErrorCode::kForbiddenHeader));
}

TEST(AttackHeader, EmbeddedJwkWithoutKidIsForbiddenHeader) {
  Key victim = GenerateKey(Alg::kEs256, "victim");
  Key attacker = GenerateKey(Alg::kEs256, "attacker");
  std::string attacker_jwk = Unwrap(attacker.ToPublicJwk(), "ToPublicJwk");
  std::string token =
      SignJson(attacker, R"({"alg":"ES256","jwk":)" + attacker_jwk + "}", ValidClaimsJson());
  EXPECT_TRUE(FailsWith(VerifierFor({victim}).Verify(token, DefaultValidator()),
                        ErrorCode::kForbiddenHeader));
}

TEST(AttackHeader, KeyUrlAndCertificateHeadersAreForbiddenHeader) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* member : {
           R"("jku":"https://attacker.example/jwks.json")",
           R"("x5u":"https://attacker.example/cert.pem")",
           R"("x5c":["MIIBszCCAVmgAwIBAgIUAA=="])",
           R"("x5t":"dGh1bWJwcmludA")",
           R"("x5t#S256":"dGh1bWJwcmludA")",
           R"("jku":"")",
           R"("x5c":[])",
       }) {
    SCOPED_TRACE(member);
    EXPECT_TRUE(FailsWith(verifier.Verify(SignedWithExtraHeader(key, member), DefaultValidator()),
                          ErrorCode::kForbiddenHeader));
  }
}

TEST(AttackHeader, CritOfAnyValueIsForbiddenHeader) {
  // writ understands no extension, so any crit refuses the token (RFC 7515 §4.1.11).
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* member : {R"("crit":["exp"])", R"("crit":["b64"],"b64":true)", R"("crit":[])",
                             R"("crit":["kid"])", R"("crit":"exp")", R"("crit":null)"}) {
    SCOPED_TRACE(member);
    EXPECT_TRUE(FailsWith(verifier.Verify(SignedWithExtraHeader(key, member), DefaultValidator()),
                          ErrorCode::kForbiddenHeader));
  }
}

TEST(AttackHeader, UnencodedPayloadB64IsForbiddenHeader) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* member : {R"("b64":false)", R"("b64":true)", R"("b64":false,"crit":["b64"])"}) {
    SCOPED_TRACE(member);
    EXPECT_TRUE(FailsWith(verifier.Verify(SignedWithExtraHeader(key, member), DefaultValidator()),
                          ErrorCode::kForbiddenHeader));
  }
}

TEST(AttackHeader, ZipIsForbiddenHeader) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* member : {R"("zip":"DEF")", R"("zip":"def")", R"("zip":"")"}) {
    SCOPED_TRACE(member);
    EXPECT_TRUE(FailsWith(verifier.Verify(SignedWithExtraHeader(key, member), DefaultValidator()),
                          ErrorCode::kForbiddenHeader));
  }
}

TEST(AttackHeader, JweMembersAreForbiddenHeader) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  EXPECT_TRUE(FailsWith(
      verifier.Verify(SignedWithExtraHeader(key, R"("enc":"A256GCM")"), DefaultValidator()),
      ErrorCode::kForbiddenHeader));
}

TEST(AttackHeader, ForbiddenMemberSpelledWithEscapesIsForbiddenHeader) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  EXPECT_TRUE(
      FailsWith(verifier.Verify(SignedWithExtraHeader(key, R"("\u006aku":"https://a.example")"),
                                DefaultValidator()),
                ErrorCode::kForbiddenHeader));
}

TEST(AttackHeader, PathTraversalKidIsUnknownKid) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* kid : {"../../dev/null", "/dev/null", "..\\\\..\\\\windows\\\\win.ini",
                          "file:///etc/passwd", "https://attacker.example/key"}) {
    SCOPED_TRACE(kid);
    std::string header = "{\"alg\":\"HS256\",\"kid\":\"" + std::string(kid) + "\"}";
    // The attacker's best guess at the MAC: one under an empty or null-device secret.
    std::string token = attack_test::ForgeHs256("", header, ValidClaimsJson());
    EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kUnknownKid));
  }
}

TEST(AttackHeader, SqlInjectionKidIsUnknownKid) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* kid : {"' OR 1=1 --", "k1' OR '1'='1", "k1\\\"; DROP TABLE keys; --", "k1%00",
                          "K1", "k1 ", " k1"}) {
    SCOPED_TRACE(kid);
    std::string header = "{\"alg\":\"HS256\",\"kid\":\"" + std::string(kid) + "\"}";
    std::string token = attack_test::ForgeHs256("secret", header, ValidClaimsJson());
    EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kUnknownKid));
  }
}

TEST(AttackHeader, KidWithNulIsUnknownKid) {
  // "k1\u0000" must not be truncated to the real kid "k1" by C-string handling.
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* kid : {R"(\u0000)", R"(k1\u0000)", R"(k1\u0000evil)"}) {
    SCOPED_TRACE(kid);
    std::string header = "{\"alg\":\"HS256\",\"kid\":\"" + std::string(kid) + "\"}";
    std::string signing_input = B64(header) + "." + B64(ValidClaimsJson());
    std::string mac = Unwrap(key.material().Sign(signing_input), "Sign");
    EXPECT_TRUE(FailsWith(verifier.Verify(signing_input + "." + B64(mac), DefaultValidator()),
                          ErrorCode::kUnknownKid));
  }
}

TEST(AttackHeader, VeryLongKidIsTooLarge) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  std::string header = "{\"alg\":\"HS256\",\"kid\":\"" + std::string(10000, 'k') + "\"}";
  EXPECT_TRUE(
      FailsWith(verifier.Verify(SignJson(key, header, ValidClaimsJson()), DefaultValidator()),
                ErrorCode::kTooLarge));
}

TEST(AttackHeader, NonStringKidIsMalformed) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* kid : {"1", "null", "[\"k1\"]", "{\"id\":\"k1\"}", "true"}) {
    SCOPED_TRACE(kid);
    std::string header = "{\"alg\":\"HS256\",\"kid\":" + std::string(kid) + "}";
    EXPECT_TRUE(
        FailsWith(verifier.Verify(SignJson(key, header, ValidClaimsJson()), DefaultValidator()),
                  ErrorCode::kMalformed));
  }
}

TEST(AttackHeader, NonStringTypIsMalformed) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  std::string header = R"({"alg":"HS256","kid":"k1","typ":["JWT"]})";
  EXPECT_TRUE(
      FailsWith(verifier.Verify(SignJson(key, header, ValidClaimsJson()), DefaultValidator()),
                ErrorCode::kMalformed));
}

TEST(AttackHeader, UnknownKidIsUnknownKid) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Key other = GenerateKey(Alg::kHs256, "k2");
  // Genuinely signed by a key the verifier does not hold.
  std::string token = SignJson(other, attack_test::HeaderFor(other), ValidClaimsJson());
  EXPECT_TRUE(
      FailsWith(VerifierFor({key}).Verify(token, DefaultValidator()), ErrorCode::kUnknownKid));
  std::string empty_kid = SignJson(key, R"({"alg":"HS256","kid":""})", ValidClaimsJson());
  EXPECT_TRUE(
      FailsWith(VerifierFor({key}).Verify(empty_kid, DefaultValidator()), ErrorCode::kUnknownKid));
}

TEST(AttackHeader, NoKidWithOneKeyOfAlgVerifies) {
  Key hmac = GenerateKey(Alg::kHs256, "k1");
  Key ec = GenerateKey(Alg::kEs256, "k2");
  std::string token = SignJson(hmac, R"({"alg":"HS256"})", ValidClaimsJson());
  EXPECT_TRUE(Succeeds(VerifierFor({hmac, ec}).Verify(token, DefaultValidator())));
}

TEST(AttackHeader, NoKidWithTwoKeysOfSameAlgIsAmbiguousKey) {
  Key first = GenerateKey(Alg::kHs256, "k1");
  Key second = GenerateKey(Alg::kHs256, "k2");
  std::string token = SignJson(first, R"({"alg":"HS256"})", ValidClaimsJson());
  EXPECT_TRUE(FailsWith(VerifierFor({first, second}).Verify(token, DefaultValidator()),
                        ErrorCode::kAmbiguousKey));
}

TEST(AttackHeader, NoKidWithNoKeyOfAlgIsAlgMismatch) {
  // KeySet::Select: without a kid and with no key of the token's alg, the header's alg
  // disagrees with every key: kAlgMismatch.
  Key ec = GenerateKey(Alg::kEs256, "k2");
  std::string token =
      attack_test::ForgeHs256("secret-guess", R"({"alg":"HS256"})", ValidClaimsJson());
  EXPECT_TRUE(
      FailsWith(VerifierFor({ec}).Verify(token, DefaultValidator()), ErrorCode::kAlgMismatch));
}

TEST(AttackHeader, ErrorDetailCarriesNoControlCharactersFromToken) {
  // Details go to logs and to the CLI's one-line "invalid: CODE: detail": a header value
  // echoed verbatim could forge log lines or terminal escapes.
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* alg : {R"("none\ninvalid: ok")", R"("x\r\nlevel=info msg=accepted")",
                          R"("HS256\u0000")", R"("\u001b[2J")", R"("\u0007\u0008")"}) {
    SCOPED_TRACE(alg);
    std::string header = "{\"alg\":" + std::string(alg) + ",\"kid\":\"k1\"}";
    Result<VerifiedJwt> result =
        verifier.Verify(SignJson(key, header, ValidClaimsJson()), DefaultValidator());
    ASSERT_TRUE(FailsWith(result, ErrorCode::kUnsupportedAlg));
    for (char c : result.error().detail) {
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == '\x7f')
          << "control character " << static_cast<int>(c) << " in detail";
    }
  }
}

}  // namespace
}  // namespace writ
