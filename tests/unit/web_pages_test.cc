// WebPages: the allow-listed pages, their headers (CSP, no-store, nosniff), what is never
// served (other paths, other methods, traversal), and web_root.
#include "server/web_pages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include <fstream>

#include "auth_handler_fixture.h"

namespace writ::server {
namespace {

using testing::AuthHandlerTest;

class WebPagesTest : public AuthHandlerTest {
 protected:
  void WithPages(WebPages pages) {
    services_.pages = std::make_shared<const WebPages>(std::move(pages));
    handler_ = std::make_unique<AuthHandler>(services_);
  }
  HttpResponse Fetch(std::string method, std::string target) {
    HttpRequest request = Get(std::move(target));
    request.method = std::move(method);
    return handler_->Handle(request);
  }
};

TEST(WebPages, EveryAllowListedFileIsEmbedded) {
  const WebPages pages = WebPages::Embedded();
  for (const WebAssetSpec& spec : WebPages::Specs()) {
    EXPECT_TRUE(pages.Serves(spec.path)) << spec.path << " (" << spec.file << ") is not in web/";
  }
}

TEST_F(WebPagesTest, LoginPageIsHtmlWithStrictPolicyAndNoStore) {
  WithPages(WebPages::Embedded());
  HttpResponse response = Fetch("GET", "/login");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(response.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(response.Header("Content-Security-Policy"), kPageContentSecurityPolicy);
  const std::string policy(kPageContentSecurityPolicy);
  for (const char* directive : {"default-src 'none'", "script-src 'self'", "style-src 'self'",
                                "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
                                "base-uri 'none'"}) {
    EXPECT_NE(policy.find(directive), std::string::npos) << directive;
  }
  EXPECT_EQ(policy.find("unsafe"), std::string::npos);
  EXPECT_NE(response.body.find("id=\"login-form\""), std::string::npos);
}

TEST_F(WebPagesTest, RootRedirectsToTheAccountPageOnlyWhenPagesAreOn) {
  WithPages(WebPages::Embedded());
  HttpResponse root = Fetch("GET", "/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(root.Header("location"), "/account");
  EXPECT_EQ(Fetch("POST", "/").status, 404);
  services_.pages = nullptr;
  handler_ = std::make_unique<AuthHandler>(services_);
  EXPECT_EQ(Fetch("GET", "/").status, 404);
}

TEST_F(WebPagesTest, PagesHaveNoInlineScriptOrStyle) {
  const WebPages pages = WebPages::Embedded();
  for (const WebAssetSpec& spec : WebPages::Specs()) {
    if (!std::string_view(spec.file).ends_with(".html")) {
      continue;
    }
    HttpRequest request = Get(std::string(spec.path));
    const std::string body = pages.Answer(request).body;
    // Every <script> has a src and no body; no style attributes or <style> elements; no
    // on* handler attributes.
    for (std::size_t at = body.find("<script"); at != std::string::npos; at = body.find("<script", at + 1)) {
      const std::size_t close = body.find('>', at);
      EXPECT_NE(body.substr(at, close - at).find(" src="), std::string::npos) << spec.file;
      EXPECT_EQ(body.compare(close + 1, 9, "</script>"), 0) << spec.file;
    }
    EXPECT_EQ(body.find("<style"), std::string::npos) << spec.file;
    EXPECT_EQ(body.find(" style="), std::string::npos) << spec.file;
    EXPECT_EQ(body.find(" onclick="), std::string::npos) << spec.file;
    EXPECT_EQ(body.find(" onsubmit="), std::string::npos) << spec.file;
    EXPECT_EQ(body.find(" onload="), std::string::npos) << spec.file;
  }
}

TEST_F(WebPagesTest, ScriptsAndStylesHaveTheirTypesAndRevalidate) {
  WithPages(WebPages::Embedded());
  HttpResponse script = Fetch("GET", "/assets/writ-client.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.Header("Cache-Control"), "no-cache");
  EXPECT_NE(script.body.find("export async function writFetch"), std::string::npos);
  HttpResponse style = Fetch("GET", "/assets/writ.css");
  EXPECT_EQ(style.Header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(WebPagesTest, MatchingEtagIs304WithoutBody) {
  WithPages(WebPages::Embedded());
  HttpResponse first = Fetch("GET", "/assets/login.js");
  ASSERT_TRUE(first.Header("ETag"));
  HttpRequest again = Get("/assets/login.js");
  again.headers.emplace_back("if-none-match", std::string(*first.Header("ETag")));
  HttpResponse revalidated = handler_->Handle(again);
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_TRUE(revalidated.body.empty());
}

TEST_F(WebPagesTest, HeadHasNoBody) {
  WithPages(WebPages::Embedded());
  HttpResponse head = Fetch("HEAD", "/account");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(WebPagesTest, AttackPathsOutsideTheAllowListAre404) {
  WithPages(WebPages::Embedded());
  for (const char* target :
       {"/login.html", "/assets/../login", "/assets/..%2f..%2fetc%2fpasswd", "/../etc/passwd",
        "/assets/", "/assets", "/web/login.html", "/login/", "/LOGIN", "/assets/writ-client.js.map",
        "/assets/login.js%00", "//login"}) {
    HttpResponse response = Fetch("GET", target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.Header("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'")
        << target;
  }
}

TEST_F(WebPagesTest, QueryStringsStillServeThePage) {
  WithPages(WebPages::Embedded());
  EXPECT_EQ(Fetch("GET", "/login?next=%2Faccount").status, 200);
}

TEST_F(WebPagesTest, UnsafeMethodsOnPagesAre405) {
  WithPages(WebPages::Embedded());
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    HttpResponse response = Fetch(method, "/login");
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(response.Header("Allow"), "GET, HEAD");
  }
}

TEST_F(WebPagesTest, SwitchedOffPagesAre404) {
  EXPECT_EQ(Fetch("GET", "/login").status, 404);  // the fixture has no pages
}

TEST(WebPages, WebRootReplacesEveryFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("writ-web-root-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const WebAssetSpec& spec : WebPages::Specs()) {
    std::ofstream(dir / spec.file) << "custom " << spec.file;
  }
  auto pages = WebPages::FromDirectory(dir.string());
  ASSERT_TRUE(pages) << pages.error().detail;
  HttpRequest request;
  request.method = "GET";
  request.target = "/login";
  EXPECT_EQ(pages->Answer(request).body, "custom login.html");
  std::filesystem::remove(dir / "account.js");
  auto missing = WebPages::FromDirectory(dir.string());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("account.js"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace writ::server
