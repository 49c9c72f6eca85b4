// GET /auth/verify (forward-auth for nginx auth_request, Traefik ForwardAuth and Envoy
// ext_authz over HTTP) and POST /auth/introspect (RFC 7662) — the two ways services ask
// writ who the user is.
#include <algorithm>
#include <string>

#include "core/json_writer.h"
#include "server/auth_handler.h"
#include "server/cookies.h"
#include "server/json_body.h"

namespace writ::server {
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = LowerAscii(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// RFC 6750 §2.1: "Authorization: Bearer <token>" (the scheme is case-insensitive).
std::optional<std::string_view> BearerToken(const HttpRequest& request) {
  if (request.HeaderCount("authorization") != 1) {
    return std::nullopt;
  }
  std::string_view value = *request.Header("authorization");
  if (value.size() <= kBearerPrefix.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kBearerPrefix.size(); ++i) {
    if (LowerAscii(value[i]) != LowerAscii(kBearerPrefix[i])) {
      return std::nullopt;
    }
  }
  return value.substr(kBearerPrefix.size());
}

// Whether the request the gateway asks about used an unsafe method. The method may come as
// X-Forwarded-Method (Traefik), X-Original-Method (nginx, set in examples/nginx) or — Envoy's
// ext_authz HTTP service forwards the original request — as this request's own method.
// A client can add any of these headers itself when the gateway does not overwrite it, so
// the request counts as unsafe when ANY of them names an unsafe method, or one is repeated:
// a spoofed "GET" can never lift the CSRF rules from a POST.
bool OriginalMethodIsUnsafe(const HttpRequest& request) {
  if (CsrfGuard::IsUnsafeMethod(request.method)) {
    return true;
  }
  for (std::string_view name : {"x-forwarded-method", "x-original-method"}) {
    const std::size_t count = request.HeaderCount(name);
    if (count > 1 || (count == 1 && CsrfGuard::IsUnsafeMethod(*request.Header(name)))) {
      return true;
    }
  }
  return false;
}

bool WantsHtml(const HttpRequest& request) {
  auto accept = request.Header("accept");
  return accept && accept->find("text/html") != std::string_view::npos;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string joined;
  for (const std::string& role : roles) {
    joined += (joined.empty() ? "" : ",") + role;
  }
  return joined;
}

// application/x-www-form-urlencoded value of `name` (RFC 7662 §2.1 sends token=...).
// A token is base64url and dots, so only '%' escapes of those are meaningful; anything that
// does not decode to printable ASCII is refused. nullopt when absent, repeated or malformed.
std::optional<std::string> FormValue(std::string_view body, std::string_view name) {
  std::optional<std::string> found;
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t end = std::min(body.find('&', start), body.size());
    const std::string_view pair = body.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      if (found) {
        return std::nullopt;  // a repeated parameter is ambiguous (RFC 6749 §3.1)
      }
      std::string value;
      const std::string_view raw = pair.substr(eq + 1);
      for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '%') {
          const int high = i + 2 < raw.size() ? HexDigit(raw[i + 1]) : -1;
          const int low = i + 2 < raw.size() ? HexDigit(raw[i + 2]) : -1;
          if (high < 0 || low < 0) {
            return std::nullopt;
          }
          c = static_cast<char>(high * 16 + low);
          i += 2;
        } else if (c == '+') {
          c = ' ';
        }
        if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) {
          return std::nullopt;
        }
        value.push_back(c);
      }
      found = std::move(value);
    }
    start = end + 1;
  }
  return found;
}

}  // namespace

HttpResponse AuthHandler::Verify(const RequestInfo& info) {
  const auto start = std::chrono::steady_clock::now();
  VerifyDecision decision = VerifyDecision::kError;
  HttpResponse response = DecideVerify(info, decision);
  services_.metrics->CountVerify(decision, std::chrono::steady_clock::now() - start);
  return response;
}

HttpResponse AuthHandler::DecideVerify(const RequestInfo& info, VerifyDecision& decision) {
  const ForwardAuthConfig& forward = services_.config->forward_auth;
  const HttpRequest& request = info.request;
  // ?aud=SERVICE asks for an assertion for that service as well (a gateway configuration
  // error when unknown, so it is refused before anything else).
  const std::optional<std::string_view> audience = request.QueryParam("aud");
  if (request.QueryParamCount("aud") > 1 ||
      (audience && (services_.assertions == nullptr || !services_.assertions->Has(*audience)))) {
    return ErrorResponse(400, "unknown_audience");
  }
  // A bearer token (non-browser clients) is not ambient authority: no CSRF rules for it.
  std::optional<std::string> token;
  bool from_cookie = false;
  if (auto bearer = BearerToken(request)) {
    token = std::string(*bearer);
  } else if ((token = FindCookie(request, kAccessCookie))) {
    from_cookie = true;
  }
  auto unauthenticated = [&]() {
    if (!forward.login_url.empty() && !OriginalMethodIsUnsafe(request) && WantsHtml(request)) {
      HttpResponse response;
      response.status = 302;
      response.SetHeader("Location", forward.login_url);
      decision = VerifyDecision::kRedirect;
      return response;
    }
    decision = token ? VerifyDecision::kDenyInvalid : VerifyDecision::kDenyNoToken;
    HttpResponse response = ErrorResponse(401, "invalid_token");
    response.SetHeader("WWW-Authenticate", "Bearer");
    return response;
  };
  if (!token) {
    return unauthenticated();
  }
  auto claims = services_.access_tokens->Check(*token);
  if (!claims) {
    // Expiry is routine (the page refreshes); anything else is worth an audit line.
    if (claims.error().code != ErrorCode::kExpired || claims.error().detail == "revoked") {
      (void)Audit(info, Event(info, audit_event::kTokenRejected, false,
                              claims.error().detail == "revoked"
                                  ? std::string("revoked")
                                  : std::string(ErrorCodeName(claims.error().code))));
    }
    return unauthenticated();
  }
  if (from_cookie && OriginalMethodIsUnsafe(request)) {
    std::string reason = services_.csrf->CrossSiteReason(request);
    if (reason.empty() && !services_.csrf->HasValidToken(request, claims->session_id)) {
      reason = "csrf_token";
    }
    if (!reason.empty()) {
      AuditEvent event = Event(info, audit_event::kCsrfRejected, false, std::move(reason));
      event.user_id = claims->user_id;
      event.session_id = claims->session_id;
      (void)Audit(info, std::move(event));
      decision = VerifyDecision::kDenyCsrf;
      return ErrorResponse(403, "csrf_rejected");
    }
  }
  HttpResponse response;
  response.status = 200;
  response.SetHeader(forward.user_header, claims->username);
  response.SetHeader(forward.user_id_header, std::to_string(claims->user_id));
  response.SetHeader(forward.roles_header, JoinRoles(claims->roles));
  response.SetHeader(forward.session_header, claims->session_id);
  if (audience) {
    auto assertion = services_.assertions->Issue(*audience, *claims);
    if (!assertion) {
      return ErrorResponse(500, "internal");
    }
    response.SetHeader(forward.assertion_header, std::move(*assertion));
  }
  decision = VerifyDecision::kAllow;
  return response;
}

HttpResponse AuthHandler::Introspect(const RequestInfo& info) {
  const HttpRequest& request = info.request;
  // RFC 7662 §2.1: the caller must authenticate. Credentials are compared as keyed hashes,
  // in constant time, whatever their lengths.
  const IntrospectionClient* client = nullptr;
  if (auto bearer = BearerToken(request)) {
    client = services_.config->FindIntrospectionClient(*bearer);
  }
  if (client == nullptr) {
    (void)Audit(info, Event(info, audit_event::kTokenRejected, false, "introspection_client"));
    HttpResponse response = ErrorResponse(401, "invalid_client");
    response.SetHeader("WWW-Authenticate", "Bearer");
    return response;
  }
  if (!HasMediaType(request, "application/x-www-form-urlencoded")) {
    return ErrorResponse(415, "unsupported_media_type");
  }
  auto token = FormValue(request.body, "token");
  if (!token) {
    return ErrorResponse(400, "invalid_request");
  }
  auto claims = services_.access_tokens->Check(*token);
  if (!claims) {
    // §2.2: an inactive token's answer carries nothing else.
    return JsonResponse(200, "{\"active\":false}");
  }
  std::string body = "{\"active\":true,\"token_type\":\"access_token\",\"sub\":\"" +
                     std::to_string(claims->user_id) + "\",\"username\":";
  internal::AppendJsonString(body, claims->username);
  body += ",\"iss\":";
  internal::AppendJsonString(body, services_.config->issuer);
  body += ",\"aud\":";
  internal::AppendJsonString(body, services_.config->audience);
  body += ",\"exp\":" + std::to_string(claims->expires_at.time_since_epoch().count()) +
          ",\"iat\":" + std::to_string(claims->issued_at.time_since_epoch().count()) + ",\"jti\":";
  internal::AppendJsonString(body, claims->jti);
  body += ",\"sid\":";
  internal::AppendJsonString(body, claims->session_id);
  body += ",\"roles\":[";
  for (std::size_t i = 0; i < claims->roles.size(); ++i) {
    if (i > 0) {
      body += ',';
    }
    internal::AppendJsonString(body, claims->roles[i]);
  }
  body += "]}";
  return JsonResponse(200, std::move(body));
}

}  // namespace writ::server
