// GET /auth/verify (forward-auth) and POST /auth/introspect (RFC 7662) through
// AuthHandler::Handle, with the attacks a gateway or an internal caller may see.
#include <gtest/gtest.h>

#include "auth_handler_fixture.h"
#include "server/service_assertions.h"
#include "writ/key_set.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ::server {
namespace {

using testing::AuthHandlerTest;
using testing::kOrigin;

class VerifyRoutes : public AuthHandlerTest {
 protected:
  void SetUp() override {
    configure_ = [](ServerConfig& config) {
      config.introspection_clients = {IntrospectionClient{"billing", HashCredential(kBilling)}};
      for (const char* service : {"billing", "shipping"}) {
        Key key = Key::Generate(Alg::kEdDsa, std::string(service) + "-key").value();
        config.scoped_keys.push_back(ScopedKeys{service, "", key,
                                                {PublishedKey{key.PublicKey().value(), std::nullopt}},
                                                std::chrono::minutes{10}});
      }
    };
    AuthHandlerTest::SetUp();
    AddUser("alice", "correct horse battery");
    HttpResponse login = Login("alice", "correct horse battery");
    ASSERT_EQ(login.status, 200) << login.body;
    jar_ = Cookies(login);
    csrf_ = CsrfToken(login);
  }

  // What nginx sends in its auth_request subrequest: the client's headers and the original
  // method in X-Original-Method.
  HttpRequest Subrequest(std::string original_method, bool with_cookie = true) const {
    HttpRequest request = Get("/auth/verify");
    request.headers.emplace_back("x-original-method", std::move(original_method));
    if (with_cookie) {
      WithCookies(request, jar_);
    }
    return request;
  }

  HttpRequest IntrospectRequest(std::string token, std::string credential = kBilling) const {
    HttpRequest request = Post("/auth/introspect", "token=" + token);
    request.headers = {{"content-type", "application/x-www-form-urlencoded"},
                       {"authorization", "Bearer " + credential}};
    return request;
  }

  static constexpr const char* kBilling = "billing-credential-0123456789abcdef0123456789";
  std::map<std::string, std::string> jar_;
  std::string csrf_;
};

TEST_F(VerifyRoutes, ValidCookieGivesTheUserHeaders) {
  HttpResponse response = handler_->Handle(Subrequest("GET"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("X-Writ-User"), "alice");
  EXPECT_EQ(response.Header("X-Writ-Roles"), "user");
  ASSERT_TRUE(response.Header("X-Writ-Session"));
  EXPECT_FALSE(response.Header("X-Writ-Session")->empty());
  ASSERT_TRUE(response.Header("X-Writ-User-Id"));
}

TEST_F(VerifyRoutes, NoCookieIs401WithoutUserHeaders) {
  HttpResponse response = handler_->Handle(Subrequest("GET", false));
  EXPECT_EQ(response.status, 401);
  EXPECT_FALSE(response.Header("X-Writ-User"));
  EXPECT_EQ(response.Header("WWW-Authenticate"), "Bearer");
}

TEST_F(VerifyRoutes, HtmlRequestsAreRedirectedToTheLoginPageWhenConfigured) {
  configure_ = [](ServerConfig& config) { config.forward_auth.login_url = "https://app.test/login"; };
  Build();
  HttpRequest request = Subrequest("GET", false);
  request.headers.emplace_back("accept", "text/html,application/xhtml+xml");
  HttpResponse response = handler_->Handle(request);
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.Header("Location"), "https://app.test/login");
  // An API call (no text/html) still gets 401.
  EXPECT_EQ(handler_->Handle(Subrequest("GET", false)).status, 401);
}

TEST_F(VerifyRoutes, BearerTokenWorksForNonBrowserClientsWithoutCsrf) {
  HttpRequest request = Get("/auth/verify");
  request.headers = {{"authorization", "bearer " + jar_["__Host-writ-access"]},
                     {"x-forwarded-method", "POST"}};
  HttpResponse response = handler_->Handle(request);
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(VerifyRoutes, AttackUnsafeMethodWithoutCsrfTokenIsRefused) {
  HttpResponse response = handler_->Handle(Subrequest("POST"));
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.body, "{\"error\":\"csrf_rejected\"}");
  EXPECT_FALSE(response.Header("X-Writ-User"));
}

TEST_F(VerifyRoutes, AttackSpoofedSafeMethodHeaderCannotLiftTheCsrfRules) {
  // The gateway says POST in X-Original-Method; the client adds X-Forwarded-Method: GET.
  HttpRequest request = Subrequest("POST");
  request.headers.emplace_back("x-forwarded-method", "GET");
  EXPECT_EQ(handler_->Handle(request).status, 403);
  // A repeated method header is ambiguous: unsafe.
  HttpRequest repeated = Subrequest("GET");
  repeated.headers.emplace_back("x-original-method", "GET");
  EXPECT_EQ(handler_->Handle(repeated).status, 403);
}

TEST_F(VerifyRoutes, UnsafeMethodWithCsrfTokenAndSameOriginPasses) {
  HttpRequest request = Subrequest("DELETE");
  request.headers.emplace_back("x-csrf-token", csrf_);
  request.headers.emplace_back("origin", std::string(kOrigin));
  EXPECT_EQ(handler_->Handle(request).status, 200);
}

TEST_F(VerifyRoutes, AttackCrossSiteUnsafeMethodIsRefusedEvenWithTheToken) {
  HttpRequest request = Subrequest("POST");
  request.headers.emplace_back("x-csrf-token", csrf_);
  request.headers.emplace_back("sec-fetch-site", "cross-site");
  request.headers.emplace_back("origin", "https://evil.test");
  EXPECT_EQ(handler_->Handle(request).status, 403);
}

TEST_F(VerifyRoutes, EnvoyStyleOriginalMethodAndPathAreUnderstood) {
  // Envoy's ext_authz HTTP service sends the original method on /auth/verify/<path>.
  HttpRequest request = Post("/auth/verify/api/orders", "");
  request.headers = {};
  WithCookies(request, jar_);
  EXPECT_EQ(handler_->Handle(request).status, 403);  // POST, no CSRF token
  HttpRequest read = Get("/auth/verify/api/orders");
  WithCookies(read, jar_);
  EXPECT_EQ(handler_->Handle(read).status, 200);
}

TEST_F(VerifyRoutes, AttackLoggedOutCookieIsRefusedAtOnce) {
  ASSERT_EQ(handler_->Handle(Subrequest("GET")).status, 200);  // cached now
  HttpRequest logout = Post("/auth/logout", "");
  WithCookies(logout, jar_);
  logout.headers.emplace_back("x-csrf-token", csrf_);
  ASSERT_EQ(handler_->Handle(logout).status, 204);
  EXPECT_EQ(handler_->Handle(Subrequest("GET")).status, 401);
}

TEST_F(VerifyRoutes, AttackTamperedTokenIsRefused) {
  std::string& access = jar_["__Host-writ-access"];
  access[access.size() / 2] = access[access.size() / 2] == 'a' ? 'b' : 'a';
  EXPECT_EQ(handler_->Handle(Subrequest("GET")).status, 401);
}

TEST_F(VerifyRoutes, IntrospectActiveTokenHasTheRfc7662Shape) {
  HttpResponse response = handler_->Handle(IntrospectRequest(jar_["__Host-writ-access"]));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.body.find("\"active\":true"), std::string::npos);
  EXPECT_NE(response.body.find("\"username\":\"alice\""), std::string::npos);
  EXPECT_NE(response.body.find("\"exp\":"), std::string::npos);
  EXPECT_NE(response.body.find("\"aud\":\"app\""), std::string::npos);
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
}

TEST_F(VerifyRoutes, IntrospectExpiredAndRevokedAreInactiveWithNoDetail) {
  const std::string token = jar_["__Host-writ-access"];
  clock_->Advance(std::chrono::minutes{15});
  HttpResponse expired = handler_->Handle(IntrospectRequest(token));
  EXPECT_EQ(expired.status, 200);
  EXPECT_EQ(expired.body, "{\"active\":false}");
  EXPECT_EQ(handler_->Handle(IntrospectRequest("not-a-token")).body, "{\"active\":false}");
}

TEST_F(VerifyRoutes, IntrospectRevokedTokenIsInactive) {
  const std::string token = jar_["__Host-writ-access"];
  HttpRequest logout = Post("/auth/logout", "");
  WithCookies(logout, jar_);
  logout.headers.emplace_back("x-csrf-token", csrf_);
  ASSERT_EQ(handler_->Handle(logout).status, 204);
  EXPECT_EQ(handler_->Handle(IntrospectRequest(token)).body, "{\"active\":false}");
}

TEST_F(VerifyRoutes, AttackIntrospectWithAWrongOrMissingCredentialIs401) {
  const std::string token = jar_["__Host-writ-access"];
  HttpResponse wrong = handler_->Handle(IntrospectRequest(token, "billing-credential-guess"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body.find("active"), std::string::npos);
  HttpRequest missing = IntrospectRequest(token);
  missing.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(handler_->Handle(missing).status, 401);
  // The user's own access token is not a service credential.
  EXPECT_EQ(handler_->Handle(IntrospectRequest(token, token)).status, 401);
}

TEST_F(VerifyRoutes, IntrospectRefusesWrongContentTypeAndRepeatedToken) {
  HttpRequest json = IntrospectRequest(jar_["__Host-writ-access"]);
  json.headers[0].second = "application/json";
  EXPECT_EQ(handler_->Handle(json).status, 415);
  HttpRequest twice = IntrospectRequest(jar_["__Host-writ-access"]);
  twice.body += "&token=other";
  EXPECT_EQ(handler_->Handle(twice).status, 400);
  HttpRequest bad_escape = IntrospectRequest("%zz");
  EXPECT_EQ(handler_->Handle(bad_escape).status, 400);
}

// Scoped keys (issue 5): an assertion per service, signed with that service's own key set.
class ScopedAssertions : public VerifyRoutes {
 protected:
  std::optional<KeySet> ServiceKeys(std::string_view audience) {
    HttpResponse response = handler_->Handle(Get("/.well-known/jwks.json?aud=" + std::string(audience)));
    if (response.status != 200) {
      return std::nullopt;
    }
    auto set = KeySet::FromJwks(response.body);
    return set ? std::optional<KeySet>(*set) : std::nullopt;
  }

  Result<VerifiedJwt> VerifyAssertion(const std::string& assertion, const KeySet& keys,
                                      std::string_view audience) {
    auto validator = ValidatorBuilder()
                         .ExpectIssuer("https://auth.test")
                         .ExpectAudience(std::string(audience))
                         .ExpectType(std::string(kAssertionType))
                         .SetClock(clock_)
                         .Build();
    return Verifier::Create(keys)->Verify(assertion, *validator);
  }

  std::string AssertionFor(std::string_view audience) {
    HttpRequest request = Subrequest("GET");
    request.target += "?aud=" + std::string(audience);
    HttpResponse response = handler_->Handle(request);
    EXPECT_EQ(response.status, 200) << response.body;
    auto assertion = response.Header("X-Writ-Assertion");
    return assertion ? std::string(*assertion) : "";
  }
};

TEST_F(ScopedAssertions, AssertionVerifiesWithItsServiceKeysOnly) {
  const std::string assertion = AssertionFor("billing");
  ASSERT_FALSE(assertion.empty());
  auto billing = ServiceKeys("billing");
  ASSERT_TRUE(billing);
  auto verified = VerifyAssertion(assertion, *billing, "billing");
  ASSERT_TRUE(verified) << verified.error().detail;
  EXPECT_EQ(verified->StringClaim("name"), "alice");
  EXPECT_LE(*verified->expires_at(), clock_->Now() + std::chrono::seconds{60});
}

TEST_F(ScopedAssertions, AttackAssertionForOneServiceFailsAtAnother) {
  const std::string assertion = AssertionFor("billing");
  auto shipping = ServiceKeys("shipping");
  ASSERT_TRUE(shipping);
  auto verified = VerifyAssertion(assertion, *shipping, "shipping");
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kUnknownKid);
}

TEST_F(ScopedAssertions, AttackAssertionIsNotAnAccessToken) {
  // Replayed to writ (or to a service that verifies access tokens), it is refused.
  const std::string assertion = AssertionFor("billing");
  HttpRequest request = Get("/auth/session");
  request.headers.emplace_back("cookie", "__Host-writ-access=" + assertion);
  EXPECT_EQ(handler_->Handle(request).status, 401);
}

TEST_F(ScopedAssertions, MainJwksHoldsNoServiceKeyAndServiceJwksNoMainKey) {
  HttpResponse main = handler_->Handle(Get("/.well-known/jwks.json"));
  EXPECT_EQ(main.body.find("billing-key"), std::string::npos);
  auto billing = ServiceKeys("billing");
  ASSERT_TRUE(billing);
  EXPECT_EQ(billing->size(), 1u);
  EXPECT_EQ(billing->FindByKid("handler-test"), nullptr);
}

TEST_F(ScopedAssertions, UnknownAudienceIsRefused) {
  HttpRequest request = Subrequest("GET");
  request.target += "?aud=payroll";
  EXPECT_EQ(handler_->Handle(request).status, 400);
  EXPECT_EQ(handler_->Handle(Get("/.well-known/jwks.json?aud=payroll")).status, 404);
  HttpRequest twice = Subrequest("GET");
  twice.target += "?aud=billing&aud=shipping";
  EXPECT_EQ(handler_->Handle(twice).status, 400);  // ambiguous
}

}  // namespace
}  // namespace writ::server
