// writ::server::AuthHandler: the HTTP contract of `writ serve` (DESIGN.md): routing, the
// account and session endpoints, CSRF and CORS, security headers and audit.
#ifndef WRIT_SERVER_AUTH_HANDLER_H_
#define WRIT_SERVER_AUTH_HANDLER_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "server/access_tokens.h"
#include "server/audit_log.h"
#include "server/csrf.h"
#include "server/http_server.h"
#include "server/jwks_publisher.h"
#include "server/metrics.h"
#include "server/service_assertions.h"
#include "server/password_hasher.h"
#include "server/server_config.h"
#include "server/session_service.h"
#include "server/throttle.h"
#include "server/web_pages.h"
#include "store/redis_client.h"
#include "store/store.h"
#include "writ/clock.h"

namespace writ::server {

// Everything the handler works with, built once by the server (server_app.h).
struct AuthServices {
  std::shared_ptr<const ServerConfig> config;
  std::shared_ptr<store::Store> store;
  std::shared_ptr<const Clock> clock;
  std::shared_ptr<const PasswordHasher> hasher;
  std::shared_ptr<Throttle> throttle;
  std::shared_ptr<const CsrfGuard> csrf;
  std::shared_ptr<const AccessTokens> access_tokens;
  std::shared_ptr<SessionService> sessions;
  std::shared_ptr<AuditLog> audit;
  std::shared_ptr<const JwksPublisher> jwks;
  // Per-service assertions and their key documents (tokens.scoped_signing_keys); the set of
  // audiences is fixed at start, their keys are replaced at reload.
  std::shared_ptr<const ServiceAssertions> assertions;
  std::map<std::string, std::shared_ptr<const JwksPublisher>, std::less<>> scoped_jwks;
  // The shared Redis (`redis` configured), or null; /readyz needs it reachable.
  std::shared_ptr<store::RedisClient> redis;
  // The browser pages (`pages`), or null when they are switched off.
  std::shared_ptr<const WebPages> pages;
  // GET /metrics; the handler makes its own when null.
  std::shared_ptr<Metrics> metrics;
};

// Per-request facts every route needs.
struct RequestInfo {
  const HttpRequest& request;
  std::string client_ip;
  std::string user_agent;
  std::string request_id;
};

// Thread-safe. Bodies never carry a token; every answer but the JWKS is Cache-Control: no-store.
class AuthHandler final : public HttpHandler {
 public:
  explicit AuthHandler(AuthServices services);

  // POST signup and login hash passwords: kHashing. Refresh, logout, logout-all, the
  // session list and revoke, /readyz, /metrics and the admin views read or write the store
  // or Redis: kStore. The rest — verify, introspect, session, JWKS, pages, /healthz,
  // preflights — reads memory only: kInline (but a rejected token or request there is
  // still audited, and AuditLog::Record writes the store).
  Placement PlacementOf(const HttpRequest& request) const override;
  HttpResponse Handle(const HttpRequest& request) override;

 private:
  HttpResponse Route(const RequestInfo& info);
  HttpResponse Preflight(const RequestInfo& info) const;
  void AddCommonHeaders(const RequestInfo& info, HttpResponse& response) const;

  // account_routes.cc
  HttpResponse Signup(const RequestInfo& info);
  HttpResponse Login(const RequestInfo& info);
  // session_routes.cc
  HttpResponse Refresh(const RequestInfo& info);
  HttpResponse Logout(const RequestInfo& info);
  HttpResponse LogoutAll(const RequestInfo& info);
  HttpResponse Session(const RequestInfo& info);
  // account_sessions_routes.cc: the user's own sessions, for the account page.
  HttpResponse ListSessions(const RequestInfo& info);
  HttpResponse RevokeSession(const RequestInfo& info);
  // verify_routes.cc: forward-auth and RFC 7662 introspection.
  HttpResponse Verify(const RequestInfo& info);
  HttpResponse DecideVerify(const RequestInfo& info, VerifyDecision& decision);
  HttpResponse Introspect(const RequestInfo& info);
  // GET /.well-known/jwks.json: public, cacheable (the one answer that is).
  HttpResponse Jwks(const RequestInfo& info) const;
  // admin_routes.cc: the dashboard's data (role admin) and GET /metrics.
  HttpResponse AdminOverview(const RequestInfo& info);
  HttpResponse AdminAudit(const RequestInfo& info);
  HttpResponse MetricsPage(const RequestInfo& info);
  // A valid access token (cookie) of an enabled user whose stored roles include admin;
  // fills `claims` or returns the refusal (401, or 403 forbidden — audited).
  std::optional<HttpResponse> RequireAdmin(const RequestInfo& info, AccessClaims& claims);

  // Valid access cookie + cross-site check + X-CSRF-Token for logout and logout-all;
  // fills `claims` or returns the refusal.
  std::optional<HttpResponse> CheckSessionWrite(const RequestInfo& info, AccessClaims& claims);
  // The cross-site check (CsrfGuard::CrossSiteReason); audits and answers 403 on refusal.
  std::optional<HttpResponse> RefuseCrossSite(const RequestInfo& info);
  // Writes an audit event; false when the audit trail failed (the caller fails closed).
  bool Audit(const RequestInfo& info, AuditEvent event);
  AuditEvent Event(const RequestInfo& info, std::string_view name, bool success,
                   std::string reason) const;
  // 200 {"user":…,"csrf_token":…} with both cookies, after login or refresh.
  HttpResponse SessionCookiesResponse(const store::User& user, const IssuedSession& issued) const;

  AuthServices services_;
  // The store's active-session count for /metrics, queried at most every few seconds
  // whatever the scrape rate (the page is public).
  std::mutex active_sessions_mutex_;
  std::chrono::steady_clock::time_point active_sessions_read_{};
  std::optional<std::int64_t> active_sessions_;
};

// {"id":…,"username":…,"roles":[…]}
std::string UserJson(std::int64_t id, std::string_view username, const std::vector<std::string>& roles);

}  // namespace writ::server

#endif  // WRIT_SERVER_AUTH_HANDLER_H_
