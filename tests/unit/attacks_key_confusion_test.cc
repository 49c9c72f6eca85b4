// RS/ES/Ed → HS key confusion: the attacker takes the victim's PUBLIC key in every form
// a careless library might feed to HMAC (PEM text, DER bytes, JWK JSON text, raw key
// bytes), MACs a token with it under alg HS256 and the victim's kid. The key decides the
// algorithm (RFC 8725 §3.1), so every such token is kAlgMismatch.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "attack_test_util.h"
#include "writ/writ.h"

namespace writ {
namespace {

using attack_test::B64Decode;
using attack_test::DefaultValidator;
using attack_test::FailsWith;
using attack_test::ForgeHs256;
using attack_test::GenerateKey;
using attack_test::JsonStringMember;
using attack_test::Succeeds;
using attack_test::Unwrap;
using attack_test::ValidClaimsJson;
using attack_test::VerifierFor;

// Every spelling of `key`'s public key an attacker could try as an HMAC secret.
std::vector<std::pair<std::string, std::string>> PublicKeyForms(const Key& key) {
  attack_test::PkeyPtr pkey = attack_test::PublicPkeyOf(key);
  std::string pem = attack_test::PublicPem(pkey.get());
  std::string jwk = Unwrap(key.ToPublicJwk(), "ToPublicJwk");
  std::vector<std::pair<std::string, std::string>> forms = {
      {"PEM", pem},
      {"PEM without final newline", pem.substr(0, pem.size() - 1)},
      {"DER", attack_test::PublicDer(pkey.get())},
      {"JWK JSON", jwk},
      {"JWKS JSON", "{\"keys\":[" + jwk + "]}"},
  };
  std::string kty = JsonStringMember(jwk, "kty");
  if (kty == "RSA") {
    forms.emplace_back("raw modulus", B64Decode(JsonStringMember(jwk, "n")));
  } else if (kty == "EC") {
    forms.emplace_back("raw point", "\x04" + B64Decode(JsonStringMember(jwk, "x")) +
                                        B64Decode(JsonStringMember(jwk, "y")));
  } else {
    forms.emplace_back("raw x", B64Decode(JsonStringMember(jwk, "x")));
  }
  return forms;
}

// Forges HS256 tokens with each public key form and checks each is kAlgMismatch.
void ExpectEveryFormRefused(const Key& victim) {
  Key public_key = Unwrap(victim.PublicKey(), "PublicKey");
  Verifier verifier = VerifierFor({public_key});
  // Control: the victim's own token verifies, so the verifier is sound.
  std::string genuine =
      attack_test::SignJson(victim, attack_test::HeaderFor(victim), ValidClaimsJson());
  ASSERT_TRUE(Succeeds(verifier.Verify(genuine, DefaultValidator())));

  const std::string header = "{\"alg\":\"HS256\",\"kid\":\"" + victim.kid() + "\"}";
  for (const auto& [form, secret] : PublicKeyForms(victim)) {
    SCOPED_TRACE(form);
    ASSERT_FALSE(secret.empty());
    std::string forged = ForgeHs256(secret, header, ValidClaimsJson());
    EXPECT_TRUE(FailsWith(verifier.Verify(forged, DefaultValidator()), ErrorCode::kAlgMismatch));
  }
  // The same with HS384 and HS512 labels.
  for (const char* alg : {"HS384", "HS512"}) {
    SCOPED_TRACE(alg);
    std::string other = "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"" + victim.kid() + "\"}";
    std::string pem = PublicKeyForms(victim).front().second;
    std::string signing_input = attack_test::B64(other) + "." + attack_test::B64(ValidClaimsJson());
    const EVP_MD* md = std::string(alg) == "HS384" ? EVP_sha384() : EVP_sha512();
    std::string forged =
        signing_input + "." + attack_test::B64(attack_test::RawHmac(md, pem, signing_input));
    EXPECT_TRUE(FailsWith(verifier.Verify(forged, DefaultValidator()), ErrorCode::kAlgMismatch));
  }
}

TEST(AttackKeyConfusion, PublicKeyPemIsAValidSubjectPublicKeyInfo) {
  // Sanity of the attack material: the PEM text is what a server would publish.
  Key victim = GenerateKey(Alg::kRs256, "rsa-victim");
  attack_test::PkeyPtr pkey = attack_test::PublicPkeyOf(victim);
  std::string pem = attack_test::PublicPem(pkey.get());
  EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  EXPECT_EQ(EVP_PKEY_get_bits(pkey.get()), 2048);
}

TEST(AttackKeyConfusion, Rs256PublicKeyAsHmacSecretIsAlgMismatch) {
  ExpectEveryFormRefused(GenerateKey(Alg::kRs256, "rsa-victim"));
}

TEST(AttackKeyConfusion, Ps256PublicKeyAsHmacSecretIsAlgMismatch) {
  ExpectEveryFormRefused(GenerateKey(Alg::kPs256, "ps-victim"));
}

TEST(AttackKeyConfusion, Es256PublicKeyAsHmacSecretIsAlgMismatch) {
  ExpectEveryFormRefused(GenerateKey(Alg::kEs256, "ec-victim"));
}

TEST(AttackKeyConfusion, Es384PublicKeyAsHmacSecretIsAlgMismatch) {
  ExpectEveryFormRefused(GenerateKey(Alg::kEs384, "ec384-victim"));
}

TEST(AttackKeyConfusion, EdDsaPublicKeyAsHmacSecretIsAlgMismatch) {
  ExpectEveryFormRefused(GenerateKey(Alg::kEdDsa, "ed-victim"));
}

TEST(AttackKeyConfusion, ConfusionWithoutKidIsAlgMismatch) {
  // Without a kid the attacker hopes the only key gets used for HS256: there is no key
  // of that algorithm to select (KeySet::Select: kAlgMismatch).
  Key victim = GenerateKey(Alg::kRs256, "rsa-victim");
  Verifier verifier = VerifierFor({Unwrap(victim.PublicKey(), "PublicKey")});
  attack_test::PkeyPtr pkey = attack_test::PublicPkeyOf(victim);
  std::string forged =
      ForgeHs256(attack_test::PublicPem(pkey.get()), R"({"alg":"HS256"})", ValidClaimsJson());
  EXPECT_TRUE(FailsWith(verifier.Verify(forged, DefaultValidator()), ErrorCode::kAlgMismatch));
}

TEST(AttackKeyConfusion, ConfusionAgainstJwksLoadedSetIsAlgMismatch) {
  // The verifier's keys come from the published JWKS, as a real deployment's would.
  Key victim = GenerateKey(Alg::kEs256, "ec-victim");
  KeySet published = Unwrap(KeySet::Create({victim}), "KeySet");
  std::string jwks = published.ToPublicJwks();
  Verifier verifier =
      Unwrap(Verifier::Create(Unwrap(KeySet::FromJwks(jwks), "FromJwks")), "Verifier");
  std::string forged =
      ForgeHs256(jwks, "{\"alg\":\"HS256\",\"kid\":\"ec-victim\"}", ValidClaimsJson());
  EXPECT_TRUE(FailsWith(verifier.Verify(forged, DefaultValidator()), ErrorCode::kAlgMismatch));
}

TEST(AttackKeyConfusion, RsaJwkRelabelledHs256IsRefusedAtLoad) {
  // A JWKS edited to say alg HS256 on an RSA key must not yield an HMAC key.
  Key victim = GenerateKey(Alg::kRs256, "rsa-victim");
  std::string jwk = Unwrap(victim.ToPublicJwk(), "ToPublicJwk");
  std::size_t at = jwk.find("\"alg\":\"RS256\"");
  ASSERT_NE(at, std::string::npos);
  jwk.replace(at, 13, "\"alg\":\"HS256\"");
  EXPECT_TRUE(FailsWith(Key::FromJwk(jwk), ErrorCode::kInvalidKey));
}

TEST(AttackKeyConfusion, EcJwkRelabelledHs256IsRefusedAtLoad) {
  Key victim = GenerateKey(Alg::kEs256, "ec-victim");
  std::string jwk = Unwrap(victim.ToPublicJwk(), "ToPublicJwk");
  std::size_t at = jwk.find("\"alg\":\"ES256\"");
  ASSERT_NE(at, std::string::npos);
  jwk.replace(at, 13, "\"alg\":\"HS256\"");
  EXPECT_TRUE(FailsWith(Key::FromJwk(jwk), ErrorCode::kInvalidKey));
}

}  // namespace
}  // namespace writ
