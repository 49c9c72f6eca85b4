#include "server/session_service.h"

#include <algorithm>
#include <array>

#include <sodium.h>

#include "core/sodium_init.h"
#include "server/random_id.h"

namespace writ::server {
namespace {

// 256-bit refresh tokens and 128-bit session ids (OWASP session management: >= 64 bits).
constexpr std::size_t kRefreshTokenBytes = 32;
constexpr std::size_t kSessionIdBytes = 16;
// base64url without padding of kRefreshTokenBytes.
constexpr std::size_t kRefreshTokenChars = (kRefreshTokenBytes * 8 + 5) / 6;

}  // namespace

SessionService::SessionService(const ServerConfig& config, std::shared_ptr<store::Store> store,
                               std::shared_ptr<RevocationList> revocations,
                               std::shared_ptr<const AccessTokens> access_tokens,
                               std::shared_ptr<const Clock> clock)
    : policy_(config.sessions),
      refresh_hash_key_(config.refresh_hash_key),
      store_(std::move(store)),
      revocations_(std::move(revocations)),
      access_tokens_(std::move(access_tokens)),
      clock_(std::move(clock)) {}

std::string SessionService::HashRefreshToken(std::string_view token) const {
  internal::EnsureSodium();
  crypto_auth_hmacsha256_state state;
  auto key = refresh_hash_key_.expose_secret();
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(token.data()),
                                token.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  sodium_memzero(&state, sizeof state);
  return std::string(reinterpret_cast<const char*>(mac.data()), mac.size());
}

Result<IssuedSession> SessionService::IssueFor(const store::User& user, const store::Session& session,
                                               std::string refresh_token) {
  AccessTokenSubject subject;
  subject.user_id = user.id;
  subject.username = user.username;
  subject.roles = user.roles;
  subject.session_id = session.id;
  auto access = access_tokens_->Issue(subject);
  if (!access) {
    return tl::unexpected(access.error());
  }
  IssuedSession issued;
  issued.session_id = session.id;
  issued.refresh_token = std::move(refresh_token);
  issued.access = std::move(*access);
  issued.remember = session.remember;
  issued.absolute_expires_at = session.absolute_expires_at;
  return issued;
}

Result<IssuedSession> SessionService::Start(const store::User& user, bool remember,
                                            const RequestOrigin& origin) {
  const Seconds now = clock_->Now();
  std::string refresh_token = RandomId(kRefreshTokenBytes);
  store::NewSession session;
  session.id = RandomId(kSessionIdBytes);
  session.user_id = user.id;
  session.refresh_hash = HashRefreshToken(refresh_token);
  session.remember = remember;
  session.created_at = now;
  session.absolute_expires_at = now + (remember ? policy_.remember_ttl : policy_.session_ttl);
  session.idle_expires_at = std::min(now + policy_.idle_ttl, session.absolute_expires_at);
  session.ip = origin.ip;
  session.user_agent = origin.user_agent;
  if (auto created = store_->CreateSession(session); !created) {
    return tl::unexpected(created.error());
  }
  store::Session stored;
  stored.id = session.id;
  stored.user_id = user.id;
  stored.remember = remember;
  stored.absolute_expires_at = session.absolute_expires_at;
  return IssueFor(user, stored, std::move(refresh_token));
}

bool SessionService::Broadcast(RevocationNotice notice) {
  // Publish logs its own failure and keeps the notice to send again.
  return broadcaster_ == nullptr || broadcaster_->Publish(notice).has_value();
}

bool SessionService::RevokeInMemory(const std::string& session_id) {
  // Every access token of the session expires within one access lifetime from now.
  const Seconds until = clock_->Now() + policy_.access_ttl;
  revocations_->RevokeSession(session_id, until);
  return Broadcast(RevocationNotice{RevocationNotice::Kind::kSession, session_id, until});
}

Result<RefreshAnswer> SessionService::Refresh(std::string_view refresh_token,
                                              const RequestOrigin& origin) {
  RefreshAnswer answer;
  // A token of the wrong size cannot be ours: no store round trip for it.
  if (refresh_token.size() != kRefreshTokenChars) {
    return answer;
  }
  std::string next_token = RandomId(kRefreshTokenBytes);
  store::RefreshRequest request;
  request.presented_hash = HashRefreshToken(refresh_token);
  request.new_hash = HashRefreshToken(next_token);
  request.now = clock_->Now();
  request.grace = policy_.refresh_grace;
  request.idle_ttl = policy_.idle_ttl;
  request.ip = origin.ip;
  request.user_agent = origin.user_agent;
  auto result = store_->RotateRefresh(request);
  if (!result) {
    return tl::unexpected(result.error());
  }
  answer.outcome = result->outcome;
  if (result->session) {
    answer.session_id = result->session->id;
    answer.user_id = result->session->user_id;
  }
  if (answer.outcome == store::RefreshOutcome::kReuseDetected) {
    answer.first_use_ip = result->first_use_ip;
    answer.first_use_user_agent = result->first_use_user_agent;
    (void)RevokeInMemory(answer.session_id);
    return answer;
  }
  if (answer.outcome != store::RefreshOutcome::kRotated &&
      answer.outcome != store::RefreshOutcome::kRotatedInGrace) {
    return answer;
  }
  auto user = store_->FindUserById(result->session->user_id);
  if (!user) {
    return tl::unexpected(user.error());
  }
  if (!*user || (*user)->disabled) {
    // The account went away or was disabled: the session ends here.
    (void)store_->RevokeSession(answer.session_id, request.now, "user_disabled");
    (void)RevokeInMemory(answer.session_id);
    answer.outcome = store::RefreshOutcome::kRevoked;
    return answer;
  }
  auto issued = IssueFor(**user, *result->session, std::move(next_token));
  if (!issued) {
    return tl::unexpected(issued.error());
  }
  answer.issued = std::move(*issued);
  answer.user = std::move(**user);
  return answer;
}

Result<Ended> SessionService::End(const AccessClaims& access, std::string_view reason) {
  const Seconds now = clock_->Now();
  auto revoked = store_->RevokeSession(access.session_id, now, std::string(reason));
  if (!revoked) {
    return tl::unexpected(revoked.error());
  }
  // RFC 7009 spirit: the presented access token stops working at once, on every instance
  // that reads the store at start, and in memory here.
  if (auto denied = store_->DenyToken(access.jti, access.expires_at); !denied) {
    return tl::unexpected(denied.error());
  }
  revocations_->DenyToken(access.jti, access.expires_at);
  Ended ended;
  ended.broadcast = Broadcast(RevocationNotice{RevocationNotice::Kind::kToken, access.jti, access.expires_at});
  ended.broadcast = RevokeInMemory(access.session_id) && ended.broadcast;
  return ended;
}

Result<Ended> SessionService::EndById(const std::string& session_id, std::string_view reason) {
  auto revoked = store_->RevokeSession(session_id, clock_->Now(), std::string(reason));
  if (!revoked) {
    return tl::unexpected(revoked.error());
  }
  Ended ended;
  ended.broadcast = RevokeInMemory(session_id);
  return ended;
}

Result<std::optional<store::Session>> SessionService::FindByRefreshToken(std::string_view refresh_token) {
  if (refresh_token.size() != kRefreshTokenChars) {
    return std::optional<store::Session>{};
  }
  auto session = store_->FindSessionByRefreshHash(HashRefreshToken(refresh_token));
  if (!session) {
    return tl::unexpected(session.error());
  }
  if (*session && (*session)->revoked_at) {
    return std::optional<store::Session>{};
  }
  return session;
}

Result<Ended> SessionService::EndAll(std::int64_t user_id, std::string_view reason) {
  auto revoked = store_->RevokeUserSessions(user_id, clock_->Now(), std::string(reason));
  if (!revoked) {
    return tl::unexpected(revoked.error());
  }
  Ended ended;
  ended.sessions = revoked->size();
  for (const std::string& session_id : *revoked) {
    ended.broadcast = RevokeInMemory(session_id) && ended.broadcast;
  }
  return ended;
}

Status SessionService::LoadRevocations() {
  const Seconds now = clock_->Now();
  auto sessions = store_->RevokedSessionsSince(now - policy_.access_ttl);
  if (!sessions) {
    return tl::unexpected(sessions.error());
  }
  for (const store::RevokedSession& session : *sessions) {
    revocations_->RevokeSession(session.session_id, session.revoked_at + policy_.access_ttl);
  }
  auto denied = store_->ListDeniedTokens(now);
  if (!denied) {
    return tl::unexpected(denied.error());
  }
  for (const store::DeniedToken& token : *denied) {
    revocations_->DenyToken(token.jti, token.expires_at);
  }
  return {};
}

}  // namespace writ::server
