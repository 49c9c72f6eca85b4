// The fixture of the HTTP contract tests: AuthHandler over a real in-memory SQLite store,
// a manual clock and keys generated per test, driven without sockets.
#ifndef WRIT_TESTS_UNIT_AUTH_HANDLER_FIXTURE_H_
#define WRIT_TESTS_UNIT_AUTH_HANDLER_FIXTURE_H_

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "manual_clock.h"
#include "server/auth_handler.h"
#include "server/cookies.h"
#include "store/sqlite_store.h"

namespace writ::server::testing {

using writ::testing::ManualClock;


constexpr std::string_view kOrigin = "https://app.test";

class AuthHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(); }

  void Build() {
    auto config = std::make_shared<ServerConfig>();
    config->environment = Environment::kDevelopment;
    config->issuer = "https://auth.test";
    config->audience = "app";
    config->allowed_origins = {std::string(kOrigin)};
    config->signup_enabled = signup_enabled_;
    config->sessions.refresh_grace = std::chrono::seconds{10};
    auto key = Key::Generate(Alg::kEdDsa, "handler-test");
    config->signing_key = *key;
    config->verification_keys = {*key->PublicKey()};
    config->published_keys = {PublishedKey{*key->PublicKey(), std::nullopt}};
    config->refresh_hash_key = SecretBytes::Random(32);
    config->csrf_key = SecretBytes::Random(32);
    if (configure_) {
      configure_(*config);
    }
    services_.config = config;
    services_.clock = clock_;
    auto store = store::OpenSqliteStore(":memory:");
    ASSERT_TRUE(store) << store.error().detail;
    services_.store = std::shared_ptr<store::Store>(std::move(*store));
    services_.hasher = std::make_shared<const PasswordHasher>(*PasswordHasher::Create(config->passwords));
    services_.throttle = std::make_shared<Throttle>(config->throttle, clock_);
    services_.csrf = std::make_shared<const CsrfGuard>(*CsrfGuard::Create(config->csrf_key, config->allowed_origins));
    revocations_ = std::make_shared<RevocationList>(clock_);
    services_.access_tokens = std::make_shared<const AccessTokens>(*AccessTokens::Create(*config, revocations_, clock_));
    services_.sessions = std::make_shared<SessionService>(*config, services_.store, revocations_,
                                                          services_.access_tokens, clock_);
    services_.audit = std::move(*AuditLog::Create("none", services_.store, clock_));
    services_.jwks = *JwksPublisher::Create(config->published_keys, std::chrono::minutes{10},
                                            config->sessions.access_ttl);
    services_.assertions = *ServiceAssertions::Create(*config, clock_);
    services_.scoped_jwks.clear();
    for (const ScopedKeys& scoped : config->scoped_keys) {
      services_.scoped_jwks.emplace(
          scoped.audience,
          *JwksPublisher::Create(scoped.published, std::chrono::minutes{10}, config->assertion_ttl));
    }
    handler_ = std::make_unique<AuthHandler>(services_);
  }

  HttpRequest Post(std::string path, std::string body) const {
    HttpRequest request;
    request.method = "POST";
    request.target = std::move(path);
    request.body = std::move(body);
    request.peer_ip = "192.0.2.1";
    request.headers = {{"content-type", "application/json"}, {"origin", std::string(kOrigin)},
                       {"sec-fetch-site", "same-site"}, {"user-agent", "test-agent"}};
    return request;
  }

  HttpRequest Get(std::string path) const {
    HttpRequest request;
    request.method = "GET";
    request.target = std::move(path);
    request.peer_ip = "192.0.2.1";
    return request;
  }

  void AddUser(const std::string& name, const std::string& password) {
    store::NewUser user;
    user.username = name;
    user.password_hash = *services_.hasher->Hash(password);
    user.roles = {"user"};
    ASSERT_TRUE(services_.store->CreateUser(user));
  }

  // Cookie values from a response's Set-Cookie headers.
  static std::map<std::string, std::string> Cookies(const HttpResponse& response) {
    std::map<std::string, std::string> jar;
    for (const auto& [name, value] : response.headers) {
      if (name == "Set-Cookie") {
        auto eq = value.find('=');
        jar[value.substr(0, eq)] = value.substr(eq + 1, value.find(';') - eq - 1);
      }
    }
    return jar;
  }

  static std::vector<std::string> SetCookies(const HttpResponse& response) {
    std::vector<std::string> out;
    for (const auto& [name, value] : response.headers) {
      if (name == "Set-Cookie") {
        out.push_back(value);
      }
    }
    return out;
  }

  static void WithCookies(HttpRequest& request, const std::map<std::string, std::string>& jar) {
    std::string header;
    for (const auto& [name, value] : jar) {
      header += (header.empty() ? "" : "; ") + name + "=" + value;
    }
    request.headers.emplace_back("cookie", header);
  }

  HttpResponse Login(const std::string& name, const std::string& password, bool remember = false) {
    return handler_->Handle(Post("/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" +
                                                    password + "\",\"remember\":" +
                                                    (remember ? "true" : "false") + "}"));
  }

  static std::string CsrfToken(const HttpResponse& response) {
    auto at = response.body.find("\"csrf_token\":\"");
    return response.body.substr(at + 14, 43);
  }

  HttpResponse Refresh(const std::map<std::string, std::string>& jar) {
    HttpRequest request = Post("/auth/refresh", "");
    WithCookies(request, jar);
    return handler_->Handle(request);
  }

  HttpResponse Session(const std::map<std::string, std::string>& jar) {
    HttpRequest request = Get("/auth/session");
    WithCookies(request, jar);
    return handler_->Handle(request);
  }

  bool signup_enabled_ = true;
  std::function<void(ServerConfig&)> configure_;  // runs in Build(), before the services
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  std::shared_ptr<RevocationList> revocations_;
  AuthServices services_;
  std::unique_ptr<AuthHandler> handler_;
};

}  // namespace writ::server::testing

#endif  // WRIT_TESTS_UNIT_AUTH_HANDLER_FIXTURE_H_
