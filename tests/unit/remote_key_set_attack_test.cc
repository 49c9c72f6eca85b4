// Attacks on RemoteKeySet: keys from the token (jku/x5u), plain or redirected transport,
// untrusted certificates, oversized or poisoned documents, and kid floods against the
// issuer.
#include <string>
#include <vector>

#include "remote_key_set_test_util.h"

namespace writ::testing {
namespace {

using std::chrono::seconds;

class AttackRemoteKeySet : public RemoteKeySetTest {};

::testing::AssertionResult RefusedAtCreate(const std::string& url) {
  RemoteKeySetOptions options;
  options.url = url;
  return FailsWith(RemoteKeySet::Create(options), ErrorCode::kInvalidArgument);
}

TEST(AttackRemoteKeySetUrl, PlainHttpToARemoteHostIsRefusedAtCreate) {
  for (const char* url : {"http://auth.example.com/.well-known/jwks.json", "http://10.0.0.1/jwks",
                          "http://127.0.0.1.evil.example/jwks", "http://localhost.evil.example/jwks",
                          "http://127.0.0.1@evil.example/jwks", "http://evil.example#@127.0.0.1/jwks",
                          "http://[::2]/jwks", "http://0.0.0.0/jwks"}) {
    EXPECT_TRUE(RefusedAtCreate(url)) << url;
  }
}

TEST(AttackRemoteKeySetUrl, OtherSchemesAreRefusedAtCreate) {
  for (const char* url : {"file:///etc/passwd", "ftp://auth.example.com/jwks", "gopher://127.0.0.1/",
                          "dict://127.0.0.1:11211/", "ldap://auth.example.com/", "//auth.example.com/jwks",
                          "auth.example.com/jwks", "https://", ""}) {
    EXPECT_TRUE(RefusedAtCreate(url)) << url;
  }
}

TEST(AttackRemoteKeySetUrl, CredentialsAndControlCharactersAreRefusedAtCreate) {
  EXPECT_TRUE(RefusedAtCreate("https://user:secret@auth.example.com/jwks"));
  EXPECT_TRUE(RefusedAtCreate("https://user@auth.example.com/jwks"));
  EXPECT_TRUE(RefusedAtCreate("https://auth.example.com/jwks\r\nX-Injected: 1"));
  EXPECT_TRUE(RefusedAtCreate("https://auth.example.com/j wks"));
  EXPECT_TRUE(RefusedAtCreate(std::string("https://auth.example.com/jwks\0.evil", 36)));
  EXPECT_TRUE(RefusedAtCreate("https://auth.example.com/" + std::string(5000, 'a')));
}

TEST_F(AttackRemoteKeySet, JkuAndX5uHeadersAreNeverFetched) {
  // The attacker publishes their own key and points the token at it.
  JwksTestServer attacker;
  const Key attacker_key = attack_test::GenerateKey(Alg::kEs256, "evil");
  attacker.Respond(Ok(JwksOf({attacker_key})));
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  clock_->Advance(seconds(30));  // an unknown-kid refetch would be allowed now
  for (const char* member : {"jku", "x5u"}) {
    const std::string header = "{\"alg\":\"ES256\",\"kid\":\"evil\",\"" + std::string(member) +
                               "\":\"" + attacker.Url() + "\"}";
    const std::string token = attack_test::SignJson(attacker_key, header, attack_test::ValidClaimsJson());
    EXPECT_TRUE(FailsWith(remote->Verify(token, validator_), ErrorCode::kForbiddenHeader)) << member;
  }
  EXPECT_EQ(attacker.requests(), 0);
  EXPECT_EQ(server_.requests(), 1);  // a refused header triggers no refetch either
}

TEST_F(AttackRemoteKeySet, RedirectsAreRefused) {
  JwksTestServer elsewhere;
  const Key attacker_key = attack_test::GenerateKey(Alg::kEs256, "k1");
  elsewhere.Respond(Ok(JwksOf({attacker_key})));
  for (int status : {301, 302, 303, 307, 308}) {
    CannedResponse redirect = Answer(status);
    redirect.headers.emplace_back("Location", elsewhere.Url());
    server_.Respond(redirect);
    auto remote = Make();
    auto keys = remote->Current();
    ASSERT_TRUE(FailsWith(keys, ErrorCode::kIo)) << status;
    EXPECT_NE(keys.error().detail.find("redirects are refused"), std::string::npos) << keys.error().detail;
  }
  EXPECT_EQ(elsewhere.requests(), 0);
}

TEST_F(AttackRemoteKeySet, RedirectOnRefreshKeepsTheLastGoodSet) {
  JwksTestServer elsewhere;
  const Key attacker_key = attack_test::GenerateKey(Alg::kEs256, "k1");
  elsewhere.Respond(Ok(JwksOf({attacker_key})));
  server_.Respond(Ok(JwksOf({key1_}), "max-age=60"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  CannedResponse redirect = Answer(302);
  redirect.headers.emplace_back("Location", elsewhere.Url());
  server_.Respond(redirect);
  clock_->Advance(seconds(60));
  EXPECT_TRUE(Succeeds(remote->Verify(TokenOf(key1_), validator_)));
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(attacker_key), validator_), ErrorCode::kBadSignature));
  EXPECT_EQ(elsewhere.requests(), 0);
}

TEST_F(AttackRemoteKeySet, OversizedDocumentIsRefused) {
  const std::string padded = "{\"keys\":[]" + std::string(4096, ' ') + "}";
  auto options = Options();
  options.max_document_bytes = 1024;
  for (bool content_length : {true, false}) {
    CannedResponse response = Ok(padded);
    response.content_length = content_length;  // without it, the write callback stops it
    server_.Respond(response);
    auto remote = Make(options);
    EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kTooLarge)) << content_length;
  }
}

TEST_F(AttackRemoteKeySet, DocumentAtTheSizeLimitIsAcceptedAndOneByteMoreRefused) {
  const std::string jwks = JwksOf({key1_});
  server_.Respond(Ok(jwks));
  auto options = Options();
  options.max_document_bytes = jwks.size();
  EXPECT_TRUE(Succeeds(Make(options)->Current()));
  options.max_document_bytes = jwks.size() - 1;
  EXPECT_TRUE(FailsWith(Make(options)->Current(), ErrorCode::kTooLarge));
}

TEST_F(AttackRemoteKeySet, OneBadKeyRefusesTheWholeDocument) {
  std::string jwks = JwksOf({key1_});
  jwks.insert(jwks.size() - 2, ",{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"kid\":\"typo\",\"x\":\"AAAA\",\"y\":\"AAAA\"}");
  server_.Respond(Ok(jwks));
  auto remote = Make();
  auto keys = remote->Current();
  ASSERT_TRUE(FailsWith(keys, ErrorCode::kMalformed));
  EXPECT_NE(keys.error().detail.find("member 1"), std::string::npos) << keys.error().detail;
  EXPECT_TRUE(FailsWith(remote->Verify(TokenOf(key1_), validator_), ErrorCode::kMalformed));
}

TEST_F(AttackRemoteKeySet, PublishedHmacSecretIsRefused) {
  // Anyone who can fetch the set would know the secret and could mint tokens with it.
  const Key secret = attack_test::GenerateKey(Alg::kHs256, "shared");
  const std::string secret_jwk = attack_test::AsString(Unwrap(secret.ToPrivateJwk(), "ToPrivateJwk").expose_secret());
  std::string jwks = JwksOf({key1_});
  jwks.insert(jwks.size() - 2, "," + secret_jwk);
  server_.Respond(Ok(jwks));
  auto remote = Make();
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kInvalidKey));
  const std::string forged = attack_test::SignJson(secret, attack_test::HeaderFor(secret),
                                                   attack_test::ValidClaimsJson());
  EXPECT_TRUE(FailsWith(remote->Verify(forged, validator_), ErrorCode::kInvalidKey));
}

TEST_F(AttackRemoteKeySet, PublishedPrivateKeyIsRefused) {
  const std::string private_jwk = attack_test::AsString(Unwrap(key2_.ToPrivateJwk(), "ToPrivateJwk").expose_secret());
  server_.Respond(Ok("{\"keys\":[" + private_jwk + "]}"));
  auto remote = Make();
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kInvalidKey));
}

TEST_F(AttackRemoteKeySet, UnknownKidFloodFetchesOncePerCooldown) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=3600"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  const Key attacker_key = attack_test::GenerateKey(Alg::kEs256, "evil");
  for (int round = 0; round < 3; ++round) {
    clock_->Advance(seconds(30));
    for (int i = 0; i < 50; ++i) {
      const std::string header = "{\"alg\":\"ES256\",\"kid\":\"made-up-" + std::to_string(i) + "\"}";
      const std::string token = attack_test::SignJson(attacker_key, header, attack_test::ValidClaimsJson());
      EXPECT_TRUE(FailsWith(remote->Verify(token, validator_), ErrorCode::kUnknownKid));
      EXPECT_TRUE(Succeeds(remote->KeysFor("made-up-" + std::to_string(i))));
    }
    EXPECT_EQ(server_.requests(), 2 + round);
  }
}

TEST_F(AttackRemoteKeySet, HugeMaxAgeIsCapped) {
  server_.Respond(Ok(JwksOf({key1_}), "max-age=99999999999999999999999999"));
  auto remote = Make();
  ASSERT_TRUE(Succeeds(remote->Current()));
  clock_->Advance(seconds(3599));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 1);
  clock_->Advance(seconds(1));
  ASSERT_TRUE(Succeeds(remote->Current()));
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(AttackRemoteKeySet, UntrustedCertificateIsRefused) {
  TestCertificate certificate;
  JwksTestServer impostor(&certificate);
  impostor.Respond(Ok(JwksOf({key1_})));
  auto options = Options();
  options.url = impostor.Url();  // https://127.0.0.1:port, certificate not in the trust store
  auto remote = Make(options);
  auto keys = remote->Current();
  ASSERT_TRUE(FailsWith(keys, ErrorCode::kIo));
  EXPECT_NE(keys.error().detail.find("certificate"), std::string::npos) << keys.error().detail;
  EXPECT_EQ(impostor.requests(), 0);
}

TEST_F(AttackRemoteKeySet, CompressedBodyIsNotInflated) {
  CannedResponse response = Ok(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + std::string(64, 'x'));
  response.headers.emplace_back("Content-Encoding", "gzip");
  server_.Respond(response);
  auto remote = Make();
  EXPECT_TRUE(FailsWith(remote->Current(), ErrorCode::kMalformed));
  EXPECT_EQ(server_.last_request().Header("accept-encoding"), "");
}

}  // namespace
}  // namespace writ::testing
