#include "server/auth_handler.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <iterator>

#include "core/json_writer.h"
#include "server/client_ip.h"
#include "server/cookies.h"
#include "server/random_id.h"

namespace writ::server {
namespace {

bool IsRoute(const RequestInfo& info, std::string_view path) { return info.request.Path() == path; }

constexpr std::string_view kAdminPrefix = "/auth/admin/";

MetricsRoute RouteOf(std::string_view path) {
  struct Entry {
    std::string_view path;
    MetricsRoute route;
  };
  static constexpr Entry kRoutes[] = {
      {"/auth/signup", MetricsRoute::kSignup},       {"/auth/login", MetricsRoute::kLogin},
      {"/auth/refresh", MetricsRoute::kRefresh},     {"/auth/logout", MetricsRoute::kLogout},
      {"/auth/logout-all", MetricsRoute::kLogout},   {"/auth/session", MetricsRoute::kSession},
      {"/auth/sessions", MetricsRoute::kSessions},   {"/auth/sessions/revoke", MetricsRoute::kSessions},
      {"/auth/introspect", MetricsRoute::kIntrospect}, {"/.well-known/jwks.json", MetricsRoute::kJwks},
      {"/healthz", MetricsRoute::kHealth},           {"/readyz", MetricsRoute::kHealth},
      {"/metrics", MetricsRoute::kMetrics},
  };
  if (path == "/auth/verify" || path.starts_with("/auth/verify/")) {
    return MetricsRoute::kVerify;
  }
  if (path.starts_with(kAdminPrefix)) {
    return MetricsRoute::kAdmin;
  }
  for (const Entry& entry : kRoutes) {
    if (entry.path == path) {
      return entry.route;
    }
  }
  return MetricsRoute::kOther;
}

}  // namespace

std::string UserJson(std::int64_t id, std::string_view username, const std::vector<std::string>& roles) {
  std::string json = "{\"id\":" + std::to_string(id) + ",\"username\":";
  internal::AppendJsonString(json, username);
  json += ",\"roles\":[";
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (i > 0) {
      json += ',';
    }
    internal::AppendJsonString(json, roles[i]);
  }
  json += "]}";
  return json;
}

AuthHandler::AuthHandler(AuthServices services) : services_(std::move(services)) {
  if (services_.metrics == nullptr) {
    services_.metrics = std::make_shared<Metrics>();
  }
}

HttpHandler::Placement AuthHandler::PlacementOf(const HttpRequest& request) const {
  static constexpr std::string_view kStorePaths[] = {
      "/auth/refresh",         "/auth/logout", "/auth/logout-all", "/auth/sessions",
      "/auth/sessions/revoke", "/readyz",      "/metrics",
  };
  const std::string_view path = request.Path();
  if (request.method == "POST" && (path == "/auth/login" || path == "/auth/signup")) {
    return Placement::kHashing;
  }
  if (request.method != "OPTIONS" &&  // a preflight reads the configuration only
      (std::find(std::begin(kStorePaths), std::end(kStorePaths), path) != std::end(kStorePaths) ||
       path.starts_with(kAdminPrefix))) {
    return Placement::kStore;
  }
  return Placement::kInline;
}

HttpResponse AuthHandler::Handle(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  std::string user_agent(request.Header("user-agent").value_or(""));
  if (user_agent.size() > kMaxUserAgentBytes) {
    user_agent.resize(kMaxUserAgentBytes);
  }
  RequestInfo info{request, ClientIp(request, services_.config->trusted_proxies),
                   std::move(user_agent), RequestId()};
  HttpResponse response = Route(info);
  AddCommonHeaders(info, response);
  services_.metrics->ObserveRequest(RouteOf(request.Path()), response.status,
                                    std::chrono::steady_clock::now() - start);
  return response;
}

HttpResponse AuthHandler::Route(const RequestInfo& info) {
  const std::string& method = info.request.method;
  if (method == "OPTIONS" && !info.request.Path().starts_with("/auth/verify")) {
    return Preflight(info);
  }
  struct Endpoint {
    std::string_view path;
    std::string_view method;
    HttpResponse (AuthHandler::*handle)(const RequestInfo&);
  };
  static constexpr Endpoint kEndpoints[] = {
      {"/auth/signup", "POST", &AuthHandler::Signup},
      {"/auth/login", "POST", &AuthHandler::Login},
      {"/auth/refresh", "POST", &AuthHandler::Refresh},
      {"/auth/logout", "POST", &AuthHandler::Logout},
      {"/auth/logout-all", "POST", &AuthHandler::LogoutAll},
      {"/auth/session", "GET", &AuthHandler::Session},
      {"/auth/sessions", "GET", &AuthHandler::ListSessions},
      {"/auth/sessions/revoke", "POST", &AuthHandler::RevokeSession},
      {"/auth/introspect", "POST", &AuthHandler::Introspect},
      {"/auth/admin/overview", "GET", &AuthHandler::AdminOverview},
      {"/auth/admin/audit", "GET", &AuthHandler::AdminAudit},
  };
  // Forward-auth takes every method: Envoy's ext_authz HTTP service sends the original
  // method and path (under /auth/verify/ as its path prefix).
  if (IsRoute(info, "/auth/verify") || info.request.Path().starts_with("/auth/verify/")) {
    return Verify(info);
  }
  for (const Endpoint& endpoint : kEndpoints) {
    if (IsRoute(info, endpoint.path)) {
      if (method != endpoint.method) {
        HttpResponse response = ErrorResponse(405, "method_not_allowed");
        response.SetHeader("Allow", std::string(endpoint.method));
        return response;
      }
      return (this->*endpoint.handle)(info);
    }
  }
  const bool is_jwks = IsRoute(info, "/.well-known/jwks.json");
  if ((IsRoute(info, "/healthz") || IsRoute(info, "/readyz") || IsRoute(info, "/metrics") || is_jwks) &&
      method != "GET" && method != "HEAD") {
    HttpResponse response = ErrorResponse(405, "method_not_allowed");
    response.SetHeader("Allow", "GET, HEAD");
    return response;
  }
  if (is_jwks) {
    return Jwks(info);
  }
  if (IsRoute(info, "/metrics")) {
    return MetricsPage(info);
  }
  if (IsRoute(info, "/healthz")) {
    return JsonResponse(200, "{\"status\":\"ok\"}");
  }
  if (IsRoute(info, "/readyz")) {
    // Ready only when the store (and Redis, when configured) answers: a server that cannot
    // check must not take traffic.
    if (!services_.store->Ping()) {
      return ErrorResponse(503, "store_unavailable");
    }
    if (services_.redis != nullptr && !services_.redis->Ping()) {
      return ErrorResponse(503, "redis_unavailable");
    }
    return JsonResponse(200, "{\"status\":\"ready\"}");
  }
  if (services_.pages != nullptr && IsRoute(info, "/") && (method == "GET" || method == "HEAD")) {
    // The site's root: the account page, which sends a logged-out visitor on to /login.
    HttpResponse response;
    response.status = 302;
    response.SetHeader("Location", "/account");
    return response;
  }
  if (services_.pages != nullptr && services_.pages->Serves(info.request.Path())) {
    if (method != "GET" && method != "HEAD") {
      HttpResponse response = ErrorResponse(405, "method_not_allowed");
      response.SetHeader("Allow", "GET, HEAD");
      return response;
    }
    return services_.pages->Answer(info.request);
  }
  return ErrorResponse(404, "not_found");
}

HttpResponse AuthHandler::Jwks(const RequestInfo& info) const {
  const JwksPublisher* publisher = services_.jwks.get();
  if (info.request.QueryParamCount("aud") > 1) {
    // Ambiguous, as at /auth/verify: never guess which service's keys were meant.
    return ErrorResponse(400, "unknown_audience");
  }
  if (auto audience = info.request.QueryParam("aud")) {
    // ?aud=SERVICE: that service's keys only (ServerConfig::scoped_keys).
    auto found = services_.scoped_jwks.find(*audience);
    if (found == services_.scoped_jwks.end()) {
      return ErrorResponse(404, "unknown_audience");
    }
    publisher = found->second.get();
  }
  const JwksDocument document = publisher->Current(services_.clock->Now());
  HttpResponse response;
  // RFC 9111 §5.2.2.1: verifiers cache it for max-age, which ends before the next key can
  // sign (JwksPublisher); the ETag lets them revalidate cheaply (RFC 9110 §13.1.2).
  response.SetHeader("Cache-Control", "public, max-age=" + std::to_string(document.max_age.count()));
  response.SetHeader("ETag", document.etag);
  if (auto match = info.request.Header("if-none-match"); match && *match == document.etag) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.SetHeader("Content-Type", "application/jwk-set+json");  // RFC 7517 §8.5.1
  response.body = document.json;
  return response;
}

HttpResponse AuthHandler::Preflight(const RequestInfo& info) const {
  // CORS preflight (Fetch standard §3.2.2) for an allowed frontend origin only.
  auto origin = info.request.Header("origin");
  if (!origin || !services_.csrf->IsAllowedOrigin(*origin)) {
    return ErrorResponse(403, "origin_not_allowed");
  }
  HttpResponse response;
  response.status = 204;
  response.SetHeader("Access-Control-Allow-Methods", "GET, POST");
  response.SetHeader("Access-Control-Allow-Headers", "Content-Type, X-CSRF-Token");
  response.SetHeader("Access-Control-Max-Age", "600");
  return response;
}

void AuthHandler::AddCommonHeaders(const RequestInfo& info, HttpResponse& response) const {
  // Auth answers are per user: never stored by any cache (RFC 9111 §5.2.2.5). Only a route
  // that sets its own Cache-Control (the public JWKS) is cacheable.
  if (!response.Header("cache-control")) {
    response.SetHeader("Cache-Control", "no-store");
  }
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  // Pages bring their own policy (web_pages.h); everything else loads nothing at all.
  if (!response.Header("content-security-policy")) {
    response.SetHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  }
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Request-Id", info.request_id);
  if (info.request.tls) {
    response.SetHeader("Strict-Transport-Security", "max-age=31536000");
  }
  // CORS with credentials: the exact allowed origin echoed, never '*' (Fetch §3.2.5).
  if (auto origin = info.request.Header("origin"); origin && services_.csrf->IsAllowedOrigin(*origin)) {
    response.SetHeader("Access-Control-Allow-Origin", std::string(*origin));
    response.SetHeader("Access-Control-Allow-Credentials", "true");
    response.AddHeader("Vary", "Origin");
  }
}

AuditEvent AuthHandler::Event(const RequestInfo& info, std::string_view name, bool success,
                              std::string reason) const {
  AuditEvent event;
  event.event = name;
  event.success = success;
  event.reason = std::move(reason);
  event.ip = info.client_ip;
  event.user_agent = info.user_agent;
  event.request_id = info.request_id;
  return event;
}

bool AuthHandler::Audit(const RequestInfo& /*info*/, AuditEvent event) {
  services_.metrics->CountEvent(event.event, event.success, event.reason);
  auto recorded = services_.audit->Record(event);
  if (recorded) {
    return true;
  }
  // Said on stderr at the 1st, 2nd, 4th, 8th, … failure: an operator learns of a broken
  // sink at once, and a full disk cannot turn into a flood of lines.
  const std::uint64_t failures = services_.metrics->CountAuditFailure();
  if ((failures & (failures - 1)) == 0) {
    std::cerr << "writ: audit: " << recorded.error().detail << " (" << failures
              << (failures == 1 ? " failure" : " failures")
              << " so far; logins, signups and refreshes are refused until it works)" << std::endl;
  }
  return false;
}

std::optional<HttpResponse> AuthHandler::RefuseCrossSite(const RequestInfo& info) {
  std::string reason = services_.csrf->CrossSiteReason(info.request);
  if (reason.empty()) {
    return std::nullopt;
  }
  AuditEvent event = Event(info, audit_event::kCsrfRejected, false, reason);
  event.detail_json = "{\"path\":";
  internal::AppendJsonString(event.detail_json, info.request.Path().substr(0, 64));
  event.detail_json += "}";
  (void)Audit(info, std::move(event));
  return ErrorResponse(403, "csrf_rejected");
}

HttpResponse AuthHandler::SessionCookiesResponse(const store::User& user,
                                                 const IssuedSession& issued) const {
  std::string body = "{\"user\":" + UserJson(user.id, user.username, user.roles) + ",\"csrf_token\":";
  internal::AppendJsonString(body, services_.csrf->TokenFor(issued.session_id));
  body += "}";
  HttpResponse response = JsonResponse(200, std::move(body));
  const Seconds now = services_.clock->Now();
  response.AddHeader("Set-Cookie", AccessCookie(issued.access.jwt, issued.access.expires_at - now));
  std::optional<std::chrono::seconds> persistent;
  if (issued.remember) {
    persistent = issued.absolute_expires_at - now;
  }
  response.AddHeader("Set-Cookie", RefreshCookie(issued.refresh_token, persistent));
  return response;
}

}  // namespace writ::server
