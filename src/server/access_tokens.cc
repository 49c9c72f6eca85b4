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

Result<AccessTokens> AccessTokens::Create(const ServerConfig& config,
                                          std::shared_ptr<const RevocationList> revocations,
                                          std::shared_ptr<const Clock> clock) {
  if (!config.signing_key) {
    return Fail(ErrorCode::kInvalidKey, "no signing key configured");
  }
  auto signer = Signer::Create(*config.signing_key);
  if (!signer) {
    return tl::unexpected(signer.error());
  }
  std::vector<Key> keys = config.verification_keys;
  if (keys.empty()) {
    auto public_key = config.signing_key->PublicKey();
    keys.push_back(public_key ? *public_key : *config.signing_key);
  }
  auto key_set = KeySet::Create(std::move(keys));
  if (!key_set) {
    return tl::unexpected(key_set.error());
  }
  auto verifier = Verifier::Create(std::move(*key_set));
  if (!verifier) {
    return tl::unexpected(verifier.error());
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
  return AccessTokens(std::move(*signer), std::move(*verifier), std::move(*validator),
                      std::move(revocations), std::move(clock), config.issuer, config.audience,
                      config.sessions.access_ttl);
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
  auto jwt = signer_.Sign(claims, options);
  if (!jwt) {
    return tl::unexpected(jwt.error());
  }
  issued.jwt = std::move(*jwt);
  return issued;
}

Result<AccessClaims> AccessTokens::Check(std::string_view jwt) const {
  auto verified = verifier_.Verify(jwt, validator_);
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
  if (revocations_->IsTokenDenied(claims.jti) || revocations_->IsSessionRevoked(claims.session_id)) {
    return Fail(ErrorCode::kExpired, "revoked");
  }
  return claims;
}

}  // namespace writ::server
