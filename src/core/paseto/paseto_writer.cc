#include "writ/paseto_writer.h"

#include "core/claims_document.h"
#include "core/paseto/footer.h"
#include "core/paseto/key_traits.h"
#include "core/rfc3339.h"

namespace writ {

std::string FormatRfc3339(Seconds time) { return internal::FormatRfc3339(time.time_since_epoch().count()); }

template <typename Key>
Result<PasetoWriter<Key>> PasetoWriter<Key>::Create(Key key, std::shared_ptr<const Clock> clock) {
  if (!clock) {
    return Fail(ErrorCode::kInvalidArgument, "a PASETO writer needs a clock");
  }
  std::string kid = internal::KeyId(key);
  return PasetoWriter(std::move(key), std::move(kid), std::move(clock));
}

template <typename Key>
Result<std::string> PasetoWriter<Key>::Write(const ClaimsBuilder& claims, const PasetoWriteOptions& options) const {
  if (options.default_lifetime <= std::chrono::seconds(0) || options.default_lifetime > std::chrono::hours(24 * 366 * 100)) {
    return Fail(ErrorCode::kInvalidArgument, "the default lifetime must be positive and at most 100 years");
  }
  auto footer = internal::BuildFooter(kid_, options.footer_members);
  if (!footer) {
    return tl::unexpected(footer.error());
  }
  ClaimsBuilder complete = claims;
  const Seconds now = clock_->Now();
  if (!complete.Has("iat")) {
    complete.SetString("iat", FormatRfc3339(now));
  }
  if (!complete.Has("exp")) {
    complete.SetString("exp", FormatRfc3339(now + options.default_lifetime));
  }
  const std::string payload = complete.Build();
  // The same parse a reader does: registered claims of the right types and time format.
  if (auto parsed = internal::ClaimsDocument::ParseJson(payload, internal::TimeFormat::kRfc3339); !parsed) {
    return tl::unexpected(parsed.error());
  }
  return internal::Seal(key_, payload, *footer, options.implicit);
}

template class PasetoWriter<V4LocalKey>;
template class PasetoWriter<V3LocalKey>;
template class PasetoWriter<V4SecretKey>;
template class PasetoWriter<V3SecretKey>;

}  // namespace writ
