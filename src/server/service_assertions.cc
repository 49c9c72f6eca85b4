#include "server/service_assertions.h"

#include <algorithm>

#include "server/random_id.h"
#include "writ/claims_builder.h"

namespace writ::server {

Result<std::shared_ptr<ServiceAssertions>> ServiceAssertions::Create(
    const ServerConfig& config, std::shared_ptr<const Clock> clock) {
  std::shared_ptr<ServiceAssertions> assertions(
      new ServiceAssertions(config.issuer, config.assertion_ttl, std::move(clock)));
  for (const ScopedKeys& scoped : config.scoped_keys) {
    if (!scoped.signing_key) {
      return Fail(ErrorCode::kInvalidKey, "scoped keys of \"" + scoped.audience + "\" have no signing key");
    }
    auto signer = Signer::Create(*scoped.signing_key);
    if (!signer) {
      return tl::unexpected(signer.error());
    }
    assertions->entries_.push_back(
        Entry{scoped.audience, std::make_shared<const Signer>(std::move(*signer))});
  }
  return assertions;
}

bool ServiceAssertions::Has(std::string_view audience) const { return SignerFor(audience) != nullptr; }

std::shared_ptr<const Signer> ServiceAssertions::SignerFor(std::string_view audience) const {
  std::lock_guard lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.audience == audience) {
      return entry.signer;
    }
  }
  return nullptr;
}

Result<std::string> ServiceAssertions::Issue(std::string_view audience,
                                             const AccessClaims& claims) const {
  std::shared_ptr<const Signer> signer = SignerFor(audience);
  if (signer == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "no scoped keys for this audience");
  }
  const Seconds now = clock_->Now();
  ClaimsBuilder builder;
  builder.SetIssuer(issuer_)
      .SetSubject(std::to_string(claims.user_id))
      .SetAudience(std::string(audience))
      .SetIssuedAt(now)
      .SetExpiresAt(std::min(now + ttl_, claims.expires_at))
      .SetJwtId(RandomId(16))
      .SetString("sid", claims.session_id)
      .SetString("name", claims.username)
      .SetStringList("roles", claims.roles);
  SignOptions options;
  options.type = std::string(kAssertionType);
  return signer->Sign(builder, options);
}

Status ServiceAssertions::ReplaceKey(std::string_view audience, const Key& signing_key) {
  auto signer = Signer::Create(signing_key);
  if (!signer) {
    return tl::unexpected(signer.error());
  }
  std::lock_guard lock(mutex_);
  for (Entry& entry : entries_) {
    if (entry.audience == audience) {
      entry.signer = std::make_shared<const Signer>(std::move(*signer));
      return {};
    }
  }
  return Fail(ErrorCode::kInvalidArgument, "no scoped keys for this audience");
}

}  // namespace writ::server
