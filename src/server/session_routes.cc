// POST /auth/refresh, /auth/logout, /auth/logout-all and GET /auth/session.
#include <string>

#include "core/json_writer.h"
#include "server/auth_handler.h"
#include "server/cookies.h"

namespace writ::server {
namespace {

HttpResponse InvalidToken() { return ErrorResponse(401, "invalid_token"); }

HttpResponse ClearingCookies(HttpResponse response) {
  response.AddHeader("Set-Cookie", ClearAccessCookie());
  response.AddHeader("Set-Cookie", ClearRefreshCookie());
  return response;
}

// The sessions ended in the store and here, but the other instances could not be told at
// once (Redis): 503 so that the client retries; the cookies are kept for that retry (they
// no longer work here, and the other instances learn it from the store within seconds).
HttpResponse NotBroadcast() {
  HttpResponse response = ErrorResponse(503, "revocation_not_broadcast");
  response.SetHeader("Retry-After", "1");
  return response;
}

std::string_view RefreshReason(store::RefreshOutcome outcome) {
  switch (outcome) {
    case store::RefreshOutcome::kUnknownToken:
      return "unknown_refresh_token";
    case store::RefreshOutcome::kExpired:
      return "session_expired";
    case store::RefreshOutcome::kRevoked:
      return "session_revoked";
    default:
      return "refresh_rejected";
  }
}

}  // namespace

HttpResponse AuthHandler::Refresh(const RequestInfo& info) {
  // No X-CSRF-Token here: the page may have lost it (reload) and learns it from this answer.
  // The refresh cookie is SameSite=Strict and the cross-site check below still applies;
  // a forged refresh only rotates the victim's own cookies, which the attacker never sees.
  if (auto refused = RefuseCrossSite(info)) {
    return *refused;
  }
  auto token = FindCookie(info.request, kRefreshCookie);
  if (!token) {
    return InvalidToken();
  }
  auto answer = services_.sessions->Refresh(*token, RequestOrigin{info.client_ip, info.user_agent});
  if (!answer) {
    return ErrorResponse(503, "store_unavailable");
  }
  AuditEvent event = Event(info, audit_event::kRefresh, answer->issued.has_value(), "");
  event.session_id = answer->session_id;
  event.user_id = answer->user_id;
  if (answer->outcome == store::RefreshOutcome::kReuseDetected) {
    // Token theft signal (RFC 9700 §4.14.2): a spent refresh token came back.
    event.event = audit_event::kRefreshReuse;
    event.reason = "spent_token_presented";
    event.detail_json = "{\"first_use_ip\":";
    internal::AppendJsonString(event.detail_json, answer->first_use_ip);
    event.detail_json += ",\"first_use_user_agent\":";
    internal::AppendJsonString(event.detail_json, answer->first_use_user_agent);
    event.detail_json += ",\"reuse_ip\":";
    internal::AppendJsonString(event.detail_json, info.client_ip);
    event.detail_json += ",\"reuse_user_agent\":";
    internal::AppendJsonString(event.detail_json, info.user_agent);
    event.detail_json += "}";
    (void)Audit(info, std::move(event));
    return ClearingCookies(InvalidToken());
  }
  if (!answer->issued) {
    event.event = audit_event::kTokenRejected;
    event.reason = std::string(RefreshReason(answer->outcome));
    (void)Audit(info, std::move(event));
    return ClearingCookies(InvalidToken());
  }
  if (answer->outcome == store::RefreshOutcome::kRotatedInGrace) {
    event.reason = "grace";
  }
  event.username = answer->user->username;
  if (!Audit(info, std::move(event))) {
    // Fail closed, as at login: the new tokens are not handed out. The rotation is already
    // committed, so the token the client holds is spent; ending the session (and its access
    // tokens) makes the client's retry a plain revoked session, never a theft alarm.
    (void)services_.sessions->EndById(answer->session_id, "audit_failed");
    return ClearingCookies(ErrorResponse(503, "audit_unavailable"));
  }
  return SessionCookiesResponse(*answer->user, *answer->issued);
}

HttpResponse AuthHandler::Session(const RequestInfo& info) {
  auto token = FindCookie(info.request, kAccessCookie);
  if (!token) {
    return InvalidToken();
  }
  auto claims = services_.access_tokens->Check(*token);
  if (!claims) {
    AuditEvent event = Event(info, audit_event::kTokenRejected, false,
                             claims.error().detail == "revoked"
                                 ? std::string("revoked")
                                 : std::string(ErrorCodeName(claims.error().code)));
    (void)Audit(info, std::move(event));
    return InvalidToken();
  }
  std::string body = "{\"user\":" + UserJson(claims->user_id, claims->username, claims->roles) +
                     ",\"expires_at\":" + std::to_string(claims->expires_at.time_since_epoch().count()) +
                     ",\"csrf_token\":";
  internal::AppendJsonString(body, services_.csrf->TokenFor(claims->session_id));
  body += "}";
  return JsonResponse(200, std::move(body));
}

// For logout-all: a valid access token, the cross-site check and the
// session's CSRF token (OWASP: logout is a state change and needs CSRF protection).
std::optional<HttpResponse> AuthHandler::CheckSessionWrite(const RequestInfo& info,
                                                           AccessClaims& claims) {
  if (auto refused = RefuseCrossSite(info)) {
    return refused;
  }
  auto token = FindCookie(info.request, kAccessCookie);
  if (!token) {
    return ClearingCookies(InvalidToken());
  }
  auto checked = services_.access_tokens->Check(*token);
  if (!checked) {
    (void)Audit(info, Event(info, audit_event::kTokenRejected, false,
                            std::string(ErrorCodeName(checked.error().code))));
    return ClearingCookies(InvalidToken());
  }
  if (!services_.csrf->HasValidToken(info.request, checked->session_id)) {
    AuditEvent event = Event(info, audit_event::kCsrfRejected, false, "csrf_token");
    event.user_id = checked->user_id;
    event.session_id = checked->session_id;
    (void)Audit(info, std::move(event));
    return ErrorResponse(403, "csrf_rejected");
  }
  claims = std::move(*checked);
  return std::nullopt;
}

HttpResponse AuthHandler::Logout(const RequestInfo& info) {
  if (auto refused = RefuseCrossSite(info)) {
    return *refused;
  }
  // The session comes from the access cookie, or — when that has expired — from the
  // refresh cookie, so a user can always log out. Either way the session's CSRF token is
  // required (OWASP: logout is a state change).
  std::optional<AccessClaims> access;
  if (auto token = FindCookie(info.request, kAccessCookie)) {
    if (auto checked = services_.access_tokens->Check(*token)) {
      access = std::move(*checked);
    }
  }
  std::string session_id;
  std::optional<std::int64_t> user_id;
  if (access) {
    session_id = access->session_id;
    user_id = access->user_id;
  } else if (auto refresh = FindCookie(info.request, kRefreshCookie)) {
    auto session = services_.sessions->FindByRefreshToken(*refresh);
    if (!session) {
      return ErrorResponse(503, "store_unavailable");
    }
    if (*session) {
      session_id = (*session)->id;
      user_id = (*session)->user_id;
    }
  }
  if (session_id.empty()) {
    return ClearingCookies(InvalidToken());
  }
  if (!services_.csrf->HasValidToken(info.request, session_id)) {
    AuditEvent event = Event(info, audit_event::kCsrfRejected, false, "csrf_token");
    event.user_id = user_id;
    event.session_id = session_id;
    (void)Audit(info, std::move(event));
    return ErrorResponse(403, "csrf_rejected");
  }
  Result<Ended> ended = access ? services_.sessions->End(*access, "logout")
                               : services_.sessions->EndById(session_id, "logout");
  if (!ended) {
    return ErrorResponse(503, "store_unavailable");
  }
  AuditEvent event = Event(info, audit_event::kLogout, true, ended->broadcast ? "" : "not_broadcast");
  event.user_id = user_id;
  event.username = access ? access->username : "";
  event.session_id = session_id;
  (void)Audit(info, std::move(event));
  if (!ended->broadcast) {
    return NotBroadcast();
  }
  HttpResponse response;
  response.status = 204;
  return ClearingCookies(std::move(response));
}

HttpResponse AuthHandler::LogoutAll(const RequestInfo& info) {
  AccessClaims claims;
  if (auto refused = CheckSessionWrite(info, claims)) {
    return *refused;
  }
  auto ended = services_.sessions->EndAll(claims.user_id, "logout_all");
  if (!ended) {
    return ErrorResponse(503, "store_unavailable");
  }
  // The presented token is denied by jti as well, in case its session row was already gone.
  auto denied = services_.sessions->End(claims, "logout_all");
  const bool broadcast = ended->broadcast && (!denied || denied->broadcast);
  AuditEvent event = Event(info, audit_event::kLogoutAll, true, broadcast ? "" : "not_broadcast");
  event.user_id = claims.user_id;
  event.username = claims.username;
  event.session_id = claims.session_id;
  event.detail_json = "{\"sessions\":" + std::to_string(ended->sessions) + "}";
  (void)Audit(info, std::move(event));
  if (!broadcast) {
    return NotBroadcast();
  }
  HttpResponse response;
  response.status = 204;
  return ClearingCookies(std::move(response));
}

}  // namespace writ::server
