// Attacks on the algorithm: "none" in every casing, unknown or miscased names, and a
// token whose alg differs from the key's (PS256 <-> RS256 on one RSA key pair, HMAC
// hash swaps, curve swaps). RFC 8725 §3.1-3.2: the algorithm comes from the key.
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

// A token that claims `alg` and carries `signature`; the signature is whatever the
// attacker likes, since the header alone must doom it.
std::string TokenWithAlg(std::string_view alg_json, std::string_view kid,
                         std::string_view signature) {
  std::string header =
      "{\"alg\":" + std::string(alg_json) + ",\"kid\":\"" + std::string(kid) + "\"}";
  return B64(header) + "." + B64(ValidClaimsJson()) + "." + B64(signature);
}

TEST(AttackAlg, HandBuiltTokenWithKeysAlgVerifies) {
  // Control: the forging helpers make tokens the verifier accepts when nothing is wrong.
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  std::string token = SignJson(key, attack_test::HeaderFor(key), ValidClaimsJson());
  EXPECT_TRUE(Succeeds(verifier.Verify(token, DefaultValidator())));
}

TEST(AttackAlg, NoneInEveryCasingWithEmptySignatureIsUnsupportedAlg) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* alg : {"\"none\"", "\"None\"", "\"NONE\"", "\"nOnE\"", "\"noNe\""}) {
    SCOPED_TRACE(alg);
    EXPECT_TRUE(FailsWith(verifier.Verify(TokenWithAlg(alg, "k1", ""), DefaultValidator()),
                          ErrorCode::kUnsupportedAlg));
  }
}

TEST(AttackAlg, NoneWithNonEmptySignatureIsUnsupportedAlg) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  // The signature is a real HS256 MAC of the same signing input: still refused.
  std::string signing_input = B64(R"({"alg":"none","kid":"k1"})") + "." + B64(ValidClaimsJson());
  std::string mac = Unwrap(key.material().Sign(signing_input), "Sign");
  EXPECT_TRUE(FailsWith(verifier.Verify(signing_input + "." + B64(mac), DefaultValidator()),
                        ErrorCode::kUnsupportedAlg));
  for (const char* alg : {"\"none\"", "\"None\"", "\"NONE\"", "\"nOnE\""}) {
    SCOPED_TRACE(alg);
    EXPECT_TRUE(FailsWith(verifier.Verify(TokenWithAlg(alg, "k1", "garbage"), DefaultValidator()),
                          ErrorCode::kUnsupportedAlg));
  }
}

TEST(AttackAlg, NoneWithoutKidIsUnsupportedAlg) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  std::string token = B64(R"({"alg":"none"})") + "." + B64(ValidClaimsJson()) + ".";
  EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kUnsupportedAlg));
}

TEST(AttackAlg, NoneSpelledWithEscapesIsUnsupportedAlg) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  EXPECT_TRUE(
      FailsWith(verifier.Verify(TokenWithAlg(R"("\u006eone")", "k1", ""), DefaultValidator()),
                ErrorCode::kUnsupportedAlg));
}

TEST(AttackAlg, MiscasedOrUnknownAlgIsUnsupportedAlg) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* alg : {"\"hs256\"", "\"Hs256\"", "\"HS256 \"", "\" HS256\"", "\"HS257\"",
                          "\"HS\"", "\"\"", "\"ES256K\"", "\"Ed25519\"", "\"EdDSA\\u0000\"",
                          "\"RSA-OAEP\"", "\"dir\"", "\"ED25519\"", "\"eddsa\""}) {
    SCOPED_TRACE(alg);
    std::string signing_input =
        B64("{\"alg\":" + std::string(alg) + ",\"kid\":\"k1\"}") + "." + B64(ValidClaimsJson());
    std::string mac = Unwrap(key.material().Sign(signing_input), "Sign");
    EXPECT_TRUE(FailsWith(verifier.Verify(signing_input + "." + B64(mac), DefaultValidator()),
                          ErrorCode::kUnsupportedAlg));
  }
}

TEST(AttackAlg, MissingAlgIsMalformed) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  std::string token = SignJson(key, R"({"kid":"k1"})", ValidClaimsJson());
  EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kMalformed));
}

TEST(AttackAlg, NonStringAlgIsMalformed) {
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* alg : {"null", "1", "true", "[\"HS256\"]", "{\"name\":\"HS256\"}"}) {
    SCOPED_TRACE(alg);
    std::string token =
        SignJson(key, "{\"alg\":" + std::string(alg) + ",\"kid\":\"k1\"}", ValidClaimsJson());
    EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kMalformed));
  }
}

// The RS256 key pair re-imported with alg PS256 (same kid): a key of one algorithm each.
struct RsaTwins {
  Key rs256;
  Key ps256;
};

RsaTwins MakeRsaTwins() {
  Key rs256 = GenerateKey(Alg::kRs256, "rsa-1");
  SecretBytes private_jwk = Unwrap(rs256.ToPrivateJwk(), "ToPrivateJwk");
  std::string jwk = attack_test::AsString(private_jwk.expose_secret());
  const std::string from = "\"alg\":\"RS256\"";
  std::size_t at = jwk.find(from);
  if (at == std::string::npos) {
    throw std::runtime_error("private JWK has no alg RS256 member");
  }
  jwk.replace(at, from.size(), "\"alg\":\"PS256\"");
  Key ps256 = Unwrap(Key::FromJwk(jwk), "FromJwk(PS256)");
  return RsaTwins{rs256, ps256};
}

TEST(AttackAlg, Ps256TokenPresentedToRs256KeyIsAlgMismatch) {
  RsaTwins twins = MakeRsaTwins();
  ASSERT_EQ(twins.ps256.alg(), Alg::kPs256);
  ASSERT_EQ(twins.ps256.kid(), "rsa-1");
  std::string token = SignJson(twins.ps256, attack_test::HeaderFor(twins.ps256), ValidClaimsJson());
  // Control: the PS256 token is good for the PS256 key.
  EXPECT_TRUE(Succeeds(VerifierFor({Unwrap(twins.ps256.PublicKey(), "PublicKey")})
                           .Verify(token, DefaultValidator())));
  Verifier rs_verifier = VerifierFor({Unwrap(twins.rs256.PublicKey(), "PublicKey")});
  EXPECT_TRUE(FailsWith(rs_verifier.Verify(token, DefaultValidator()), ErrorCode::kAlgMismatch));
}

TEST(AttackAlg, Rs256TokenPresentedToPs256KeyIsAlgMismatch) {
  RsaTwins twins = MakeRsaTwins();
  std::string token = SignJson(twins.rs256, attack_test::HeaderFor(twins.rs256), ValidClaimsJson());
  EXPECT_TRUE(Succeeds(VerifierFor({Unwrap(twins.rs256.PublicKey(), "PublicKey")})
                           .Verify(token, DefaultValidator())));
  Verifier ps_verifier = VerifierFor({Unwrap(twins.ps256.PublicKey(), "PublicKey")});
  EXPECT_TRUE(FailsWith(ps_verifier.Verify(token, DefaultValidator()), ErrorCode::kAlgMismatch));
}

TEST(AttackAlg, Pkcs1SignatureRelabelledPs256IsRejected) {
  // The header says PS256 (matching the key) but the signature is PKCS#1 v1.5.
  RsaTwins twins = MakeRsaTwins();
  std::string header = attack_test::HeaderFor(twins.ps256);
  std::string signing_input = B64(header) + "." + B64(ValidClaimsJson());
  std::string pkcs1 = Unwrap(twins.rs256.material().Sign(signing_input), "Sign");
  Verifier ps_verifier = VerifierFor({Unwrap(twins.ps256.PublicKey(), "PublicKey")});
  EXPECT_TRUE(FailsWith(ps_verifier.Verify(signing_input + "." + B64(pkcs1), DefaultValidator()),
                        ErrorCode::kBadSignature));
}

TEST(AttackAlg, HmacHashSwapIsAlgMismatch) {
  // An HS256 key asked to check a token labelled HS512 (or HS384) with the same kid.
  Key key = GenerateKey(Alg::kHs256, "k1");
  Verifier verifier = VerifierFor({key});
  for (const char* alg : {"HS384", "HS512"}) {
    SCOPED_TRACE(alg);
    std::string header = "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"k1\"}";
    std::string token = attack_test::ForgeHs256("whatever", header, ValidClaimsJson());
    EXPECT_TRUE(FailsWith(verifier.Verify(token, DefaultValidator()), ErrorCode::kAlgMismatch));
  }
}

TEST(AttackAlg, CurveSwapIsAlgMismatch) {
  Key es256 = GenerateKey(Alg::kEs256, "ec-1");
  Key es384 = GenerateKey(Alg::kEs384, "ec-1");
  Key ed = GenerateKey(Alg::kEdDsa, "ec-1");
  // An ES384 token (genuinely signed by an ES384 key of the same kid) against ES256.
  std::string token = SignJson(es384, attack_test::HeaderFor(es384), ValidClaimsJson());
  EXPECT_TRUE(
      FailsWith(VerifierFor({es256}).Verify(token, DefaultValidator()), ErrorCode::kAlgMismatch));
  std::string ed_token = SignJson(ed, attack_test::HeaderFor(ed), ValidClaimsJson());
  EXPECT_TRUE(FailsWith(VerifierFor({es256}).Verify(ed_token, DefaultValidator()),
                        ErrorCode::kAlgMismatch));
}

TEST(AttackAlg, AlgOfKeyIsUsedEvenWhenAnotherKeyMatchesHeader) {
  // The set has an HS256 key "a" and an ES256 key "b"; a token naming kid "b" with alg
  // HS256 must not fall through to key "a".
  Key hmac = GenerateKey(Alg::kHs256, "a");
  Key ec = GenerateKey(Alg::kEs256, "b");
  Verifier verifier = VerifierFor({hmac, ec});
  std::string signing_input = B64(R"({"alg":"HS256","kid":"b"})") + "." + B64(ValidClaimsJson());
  std::string mac = Unwrap(hmac.material().Sign(signing_input), "Sign");
  EXPECT_TRUE(FailsWith(verifier.Verify(signing_input + "." + B64(mac), DefaultValidator()),
                        ErrorCode::kAlgMismatch));
}

}  // namespace
}  // namespace writ
