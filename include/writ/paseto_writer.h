// writ::PasetoWriter: makes PASETO tokens from claims with one key.
#ifndef WRIT_PASETO_WRITER_H_
#define WRIT_PASETO_WRITER_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "writ/claims_builder.h"
#include "writ/clock.h"
#include "writ/paseto_keys.h"
#include "writ/result.h"

namespace writ {

// "YYYY-MM-DDTHH:MM:SSZ": how PASETO writes exp, nbf and iat (RFC 3339).
std::string FormatRfc3339(Seconds time);

struct PasetoWriteOptions {
  // exp when the claims have none (PASETO spec: tokens expire; writ's default is 1 hour).
  std::chrono::seconds default_lifetime{3600};
  // Authenticated but not transmitted (PASETO v3/v4 implicit assertions).
  std::string implicit;
  // More footer members after the kid, as a JSON object (empty for none). It may not set
  // kid or carry key material (kInvalidArgument).
  std::string footer_members;
};

// Key is V4LocalKey, V3LocalKey, V4SecretKey or V3SecretKey. Immutable; safe to share
// across threads. The footer is {"kid":ID,...footer_members} with the key's PASERK lid
// (local) or the pid of its public key (public).
template <typename Key>
class PasetoWriter {
 public:
  static Result<PasetoWriter> Create(Key key, std::shared_ptr<const Clock> clock = DefaultClock());

  // Adds iat (now) and exp (now + default_lifetime) when absent. kInvalidClaim when exp,
  // nbf or iat are present but not RFC 3339 strings, or other registered claims have the
  // wrong type.
  Result<std::string> Write(const ClaimsBuilder& claims, const PasetoWriteOptions& options = {}) const;

  const std::string& kid() const { return kid_; }

 private:
  PasetoWriter(Key key, std::string kid, std::shared_ptr<const Clock> clock)
      : key_(std::move(key)), kid_(std::move(kid)), clock_(std::move(clock)) {}
  Key key_;
  std::string kid_;
  std::shared_ptr<const Clock> clock_;
};

extern template class PasetoWriter<V4LocalKey>;
extern template class PasetoWriter<V3LocalKey>;
extern template class PasetoWriter<V4SecretKey>;
extern template class PasetoWriter<V3SecretKey>;

}  // namespace writ

#endif  // WRIT_PASETO_WRITER_H_
