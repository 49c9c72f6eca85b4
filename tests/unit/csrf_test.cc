#include "server/csrf.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "core/base64url.h"

namespace writ::server {
namespace {

constexpr std::string_view kSession = "sess-Abc123";
constexpr std::string_view kFrontend = "https://app.example.com";

CsrfGuard MakeGuard(const SecretBytes& key) {
  auto guard = CsrfGuard::Create(key, {"https://auth.example.com", std::string(kFrontend), "null"});
  EXPECT_TRUE(guard.has_value());
  return std::move(*guard);
}

struct Fixture {
  SecretBytes key = SecretBytes::Random(32);
  CsrfGuard guard = MakeGuard(key);
};

HttpRequest Post(std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/auth/logout";
  request.headers = std::move(headers);
  return request;
}

TEST(CsrfGuard, KeyUnder32BytesIsRefused) {
  const auto guard = CsrfGuard::Create(SecretBytes::Random(31), {});
  ASSERT_FALSE(guard.has_value());
  EXPECT_EQ(guard.error().code, ErrorCode::kWeakKey);
  EXPECT_FALSE(CsrfGuard::Create(SecretBytes(), {}).has_value());
  EXPECT_TRUE(CsrfGuard::Create(SecretBytes::Random(32), {}).has_value());
}

TEST(CsrfGuard, TokenIsBase64UrlHmacSha256OfContextAndSession) {
  const Fixture f;
  std::string message("writ-csrf-v1\0", 13);
  message += kSession;
  unsigned char tag[32];
  unsigned int tag_size = 0;
  const auto key = f.key.expose_secret();
  ASSERT_NE(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                 reinterpret_cast<const unsigned char*>(message.data()), message.size(), tag, &tag_size),
            nullptr);
  ASSERT_EQ(tag_size, 32u);
  const std::string token = f.guard.TokenFor(kSession);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(token, internal::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(tag), 32)));
  EXPECT_EQ(f.guard.TokenFor(kSession), token);
}

TEST(CsrfGuard, TokenDependsOnKeyAndSession) {
  const Fixture a;
  const Fixture b;
  EXPECT_NE(a.guard.TokenFor(kSession), b.guard.TokenFor(kSession));
  EXPECT_NE(a.guard.TokenFor("s1"), a.guard.TokenFor("s2"));
}

TEST(CsrfGuard, MatchingTokenIsValid) {
  const Fixture f;
  EXPECT_TRUE(f.guard.HasValidToken(Post({{"x-csrf-token", f.guard.TokenFor(kSession)}}), kSession));
}

TEST(CsrfGuard, MissingTokenHeaderIsRefused) {
  const Fixture f;
  EXPECT_FALSE(f.guard.HasValidToken(Post({}), kSession));
}

TEST(CsrfGuard, WrongTokenIsRefused) {
  const Fixture f;
  std::string token = f.guard.TokenFor(kSession);
  token[10] = token[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", token}}), kSession));
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", ""}}), kSession));
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", token.substr(0, 42)}}), kSession));
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", f.guard.TokenFor(kSession) + "A"}}), kSession));
}

// Attack: the attacker's own session gives them a valid token, which they replay
// against a victim's session.
TEST(CsrfGuard, TokenOfAnotherSessionIsRefused) {
  const Fixture f;
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", f.guard.TokenFor("attacker-session")}}), kSession));
}

TEST(CsrfGuard, TokenFromAnotherKeyIsRefused) {
  const Fixture f;
  const Fixture other;
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", other.guard.TokenFor(kSession)}}), kSession));
}

// Attack: a second header (one right, one attacker-chosen) must not let either through.
TEST(CsrfGuard, TwoTokenHeadersAreRefused) {
  const Fixture f;
  const std::string token = f.guard.TokenFor(kSession);
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", token}, {"x-csrf-token", token}}), kSession));
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", "junk"}, {"x-csrf-token", token}}), kSession));
}

TEST(CsrfGuard, EmptySessionIdHasNoValidToken) {
  const Fixture f;
  EXPECT_FALSE(f.guard.HasValidToken(Post({{"x-csrf-token", f.guard.TokenFor("")}}), ""));
}

TEST(CsrfGuard, SameOriginFetchPasses) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "same-origin"}})), "");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "same-origin"},
                                          {"origin", "https://auth.example.com"}})),
            "");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "none"}})), "");
}

// Attack: a form on evil.example posts to us with the victim's cookies.
TEST(CsrfGuard, CrossSiteFetchWithoutAllowedOriginIsRefused) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "cross-site"}})), "cross_site");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "cross-site"}, {"origin", "https://evil.example"}})),
            "cross_site");
}

// Attack: a compromised sibling subdomain is same-site, so SameSite cookies reach us.
TEST(CsrfGuard, SameSiteSubdomainWithoutAllowedOriginIsRefused) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "same-site"},
                                          {"origin", "https://blog.example.com"}})),
            "cross_site");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "same-site"}})), "cross_site");
}

TEST(CsrfGuard, AllowedCrossOriginFrontendPasses) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "same-site"}, {"origin", std::string(kFrontend)}})),
            "");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "cross-site"}, {"origin", std::string(kFrontend)}})),
            "");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", std::string(kFrontend)}})), "");
}

// Attack: a sandboxed iframe or data: URL sends Origin: null; it is never allowed, even
// when "null" was (wrongly) configured.
TEST(CsrfGuard, NullOriginIsRefused) {
  const Fixture f;
  EXPECT_FALSE(f.guard.IsAllowedOrigin("null"));
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", "null"}})), "origin_not_allowed");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "cross-site"}, {"origin", "null"}})), "cross_site");
}

TEST(CsrfGuard, ForeignOriginWithoutFetchMetadataIsRefused) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", "https://evil.example"}})), "origin_not_allowed");
  // Origins compare exactly: no prefix, suffix, port or scheme games.
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", "https://app.example.com.evil.example"}})),
            "origin_not_allowed");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", "http://app.example.com"}})), "origin_not_allowed");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", "https://app.example.com:444"}})), "origin_not_allowed");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", ""}})), "origin_not_allowed");
}

TEST(CsrfGuard, NoBrowserMetadataPasses) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"user-agent", "curl/8.0"}})), "");
}

TEST(CsrfGuard, UnknownFetchSiteValueIsRefused) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "Same-Origin"}})), "cross_site");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", ""}})), "cross_site");
}

// Attack: a repeated field hoping one of the two copies is believed.
TEST(CsrfGuard, RepeatedMetadataIsRefused) {
  const Fixture f;
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"sec-fetch-site", "cross-site"}, {"sec-fetch-site", "same-origin"}})),
            "cross_site");
  EXPECT_EQ(f.guard.CrossSiteReason(Post({{"origin", std::string(kFrontend)}, {"origin", "https://evil.example"}})),
            "origin_not_allowed");
}

TEST(CsrfGuard, IsUnsafeMethodTable) {
  EXPECT_FALSE(CsrfGuard::IsUnsafeMethod("GET"));
  EXPECT_FALSE(CsrfGuard::IsUnsafeMethod("HEAD"));
  EXPECT_FALSE(CsrfGuard::IsUnsafeMethod("OPTIONS"));
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod("POST"));
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod("PUT"));
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod("PATCH"));
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod("DELETE"));
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod("TRACE"));
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod("PROPFIND"));
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod("get"));  // methods are case-sensitive
  EXPECT_TRUE(CsrfGuard::IsUnsafeMethod(""));
}

}  // namespace
}  // namespace writ::server
