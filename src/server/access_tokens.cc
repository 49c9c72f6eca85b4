#include "server/access_tokens.h"

#include <charconv>

#include "server/random_id.h"
#include "writ/claims_builder.h"
#include "writ/key_set.h"

namespace writ::server {
namespace {

std::optional<std::int64_t> ParseUserId(std::string_view subject) {
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(subject.data(), subject.data() + subject.size(), id);
  if (error != std::errc() || end != subject.data() + subject.size() || id <= 0) {
    return std::nullopt;
  }
  return id;
}

}  // namespace

Result<std::shared_ptr<const AccessTokens::Keys>> AccessTokens::MakeKeys(
    const Key& signing_key, std::vector<Key> verification_keys) {
  auto signer = Signer::Create(signing_key);
  if (!signer) {
    return tl::unexpected(signer.error());
  }
  if (verification_keys.empty()) {
    auto public_key = signing_key.PublicKey();
    verification_keys.push_back(public_key ? *public_key : signing_key);
  }
  auto key_set = KeySet::Create(std::move(verification_keys));
  if (!key_set) {
    return tl::unexpected(key_set.error());
  }
  auto verifier = Verifier::Create(std::move(*key_set));
  if (!verifier) {
    return tl::unexpected(verifier.error());
  }
  return std::make_shared<const Keys>(Keys{std::move(*signer), std::move(*verifier)});
}

Result<AccessTokens> AccessTokens::Create(const ServerConfig& config,
                                          std::shared_ptr<const RevocationList> revocations,
                                          std::shared_ptr<const Clock> clock) {
  if (!config.signing_key) {
    return Fail(ErrorCode::kInvalidKey, "no signing key configured");
  }
  auto keys = MakeKeys(*config.signing_key, config.verification_keys);
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  // Our own tokens on our own clock: no skew. RFC 9068 §4: typ, iss, aud, exp checked.
  auto validator = ValidatorBuilder()
                       .ExpectIssuer(config.issuer)
                       .ExpectAudience(config.audience)
                       .ExpectType(std::string(kAccessTokenType))
                       .RequireClaim("sub")
                       .RequireClaim("jti")
                       .RequireClaim("sid")
                       .RequireClaim("iat")
                       .ClockSkew(std::chrono::seconds{0})
                       .SetClock(clock)
                       .Build();
  if (!validator) {
    return tl::unexpected(validator.error());
  }
  auto shared = std::make_shared<Shared>(config.verified_token_cache_entries);
  shared->keys = std::move(*keys);
  return AccessTokens(std::move(shared), std::move(*validator), std::move(revocations),
                      std::move(clock), config.issuer, config.audience, config.sessions.access_ttl);
}

Status AccessTokens::ReplaceKeys(const Key& signing_key, std::vector<Key> verification_keys) {
  auto keys = MakeKeys(signing_key, std::move(verification_keys));
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  {
    std::lock_guard lock(shared_->mutex);
    shared_->keys = std::move(*keys);
  }
  // After the swap, so that a Check verifying with the old keys cannot cache its token
  // (see VerifiedTokenCache::Clear).
  shared_->cache.Clear();
  return {};
}

std::shared_ptr<const AccessTokens::Keys> AccessTokens::CurrentKeys() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->keys;
}

Result<IssuedAccessToken> AccessTokens::Issue(const AccessTokenSubject& subject) const {
  const Seconds now = clock_->Now();
  IssuedAccessToken issued;
  issued.jti = RandomId(16);
  issued.expires_at = now + ttl_;
  ClaimsBuilder claims;
  claims.SetIssuer(issuer_)
      .SetSubject(std::to_string(subject.user_id))
      .SetAudience(audience_)
      .SetExpiresAt(issued.expires_at)
      .SetIssuedAt(now)
      .SetJwtId(issued.jti)
      .SetString("sid", subject.session_id)
      .SetString("name", subject.username)
      .SetStringList("roles", subject.roles);
  SignOptions options;
  options.type = std::string(kAccessTokenType);
  auto jwt = CurrentKeys()->signer.Sign(claims, options);
  if (!jwt) {
    return tl::unexpected(jwt.error());
  }
  issued.jwt = std::move(*jwt);
  return issued;
}

Result<AccessClaims> AccessTokens::Check(std::string_view jwt) const {
  const Seconds now = clock_->Now();
  std::shared_ptr<const AccessClaims> claims = shared_->cache.Find(jwt, now);
  if (claims == nullptr) {
    const std::uint64_t generation = shared_->cache.generation();  // before the keys are read
    auto verified = VerifyUncached(jwt);
    if (!verified) {
      return tl::unexpected(verified.error());
    }
    claims = std::make_shared<const AccessClaims>(std::move(*verified));
    shared_->cache.Insert(jwt, claims, now, generation);
  }
  if (IsRevoked(*claims)) {
    return Fail(ErrorCode::kExpired, "revoked");
  }
  return *claims;
}

bool AccessTokens::IsRevoked(const AccessClaims& claims) const {
  return revocations_->IsTokenDenied(claims.jti) || revocations_->IsSessionRevoked(claims.session_id);
}

Result<AccessClaims> AccessTokens::VerifyUncached(std::string_view jwt) const {
  auto verified = CurrentKeys()->verifier.Verify(jwt, validator_);
  if (!verified) {
    return tl::unexpected(verified.error());
  }
  AccessClaims claims;
  auto user_id = ParseUserId(verified->subject().value_or(""));
  auto session_id = verified->StringClaim("sid");
  auto username = verified->StringClaim("name");
  auto roles = verified->StringListClaim("roles");
  if (!user_id || !session_id || !username || !roles || !verified->issued_at() ||
      !verified->expires_at()) {
    return Fail(ErrorCode::kInvalidClaim, "access token claims of the wrong shape");
  }
  claims.user_id = *user_id;
  claims.session_id = std::string(*session_id);
  claims.username = std::string(*username);
  for (std::string_view role : *roles) {
    claims.roles.emplace_back(role);
  }
  claims.jti = std::string(verified->jwt_id().value_or(""));
  claims.issued_at = *verified->issued_at();
  claims.expires_at = *verified->expires_at();
  return claims;
}

}  // namespace writ::server
