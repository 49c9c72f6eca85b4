#include "writ/remote_key_set.h"

#include <utility>

#include "core/cache_control.h"
#include "core/http_fetch.h"
#include "writ/verifier.h"

namespace writ {
namespace {

constexpr std::chrono::seconds kShortestCooldown{1};
constexpr std::size_t kLargestDocument = 1 << 20;  // KeySet::FromJwks parses no more
constexpr std::chrono::milliseconds kLongestTimeout{60'000};
constexpr std::chrono::seconds kLongestStaleness{std::chrono::hours(24 * 30)};
// RFC 7517 §8.5.1 registers application/jwk-set+json; many issuers serve application/json.
constexpr const char* kJwksMediaTypes = "application/jwk-set+json, application/json";

// What one fetch brought: a new set, or (keys empty) a 304 confirming the held one.
struct FetchOutcome {
  std::optional<KeySet> keys;
  std::optional<std::string> etag;
  std::chrono::seconds lifetime{};
};

Status CheckLimits(const RemoteKeySetOptions& options) {
  if (options.min_refresh < kShortestCooldown) {
    return Fail(ErrorCode::kInvalidArgument, "min_refresh under 1 s would let tokens drive fetches");
  }
  if (options.max_age_cap < options.min_refresh) {
    return Fail(ErrorCode::kInvalidArgument, "max_age_cap under min_refresh");
  }
  if (options.default_max_age < options.min_refresh || options.default_max_age > options.max_age_cap) {
    return Fail(ErrorCode::kInvalidArgument, "default_max_age outside [min_refresh, max_age_cap]");
  }
  if (options.max_stale < options.min_refresh || options.max_stale > kLongestStaleness) {
    return Fail(ErrorCode::kInvalidArgument, "max_stale outside [min_refresh, 30 days]");
  }
  if (options.max_document_bytes == 0 || options.max_document_bytes > kLargestDocument) {
    return Fail(ErrorCode::kInvalidArgument, "max_document_bytes outside (0, 1 MiB]");
  }
  if (options.timeout <= std::chrono::milliseconds::zero() || options.timeout > kLongestTimeout) {
    return Fail(ErrorCode::kInvalidArgument, "timeout outside (0, 60 s]");
  }
  return {};
}

Result<FetchOutcome> Download(const internal::HttpGetRequest& request,
                              const internal::FreshnessPolicy& policy) {
  auto response = internal::HttpGet(request);
  if (!response) {
    return tl::unexpected(response.error());
  }
  const std::string where = "GET " + request.url.url + ": ";
  FetchOutcome outcome;
  outcome.lifetime = internal::FreshnessLifetime(response->cache_control, policy);
  if (response->status == 304) {
    if (!request.if_none_match) {
      return Fail(ErrorCode::kIo, where + "304 to a request that was not conditional");
    }
    return outcome;
  }
  if (response->status >= 300 && response->status < 400) {
    return Fail(ErrorCode::kIo, where + "HTTP " + std::to_string(response->status) +
                                    ": redirects are refused; configure the final URL");
  }
  if (response->status != 200) {
    return Fail(ErrorCode::kIo, where + "HTTP " + std::to_string(response->status));
  }
  auto keys = KeySet::FromJwks(response->body);
  if (!keys) {
    return Fail(keys.error().code, where + "JWK Set refused: " + keys.error().detail);
  }
  // A document anyone can fetch holds public keys only (RFC 7517 §9.2): an HMAC
  // secret or a private key in it is known to the world, and a token it verifies could
  // have been made by anyone. The whole document is refused.
  for (const Key& key : keys->keys()) {
    if (key.can_sign()) {
      return Fail(ErrorCode::kInvalidKey, where + "JWK Set refused: the key \"" + key.kid() +
                                              "\" is a secret or private key");
    }
  }
  outcome.keys = std::move(*keys);
  outcome.etag = std::move(response->etag);
  return outcome;
}

}  // namespace

struct RemoteKeySet::Settings {
  RemoteKeySetOptions options;
  internal::FetchUrl url;
  internal::FreshnessPolicy policy;
};

// One loaded set, immutable, with its verifier built once (none for an empty set).
struct RemoteKeySet::Snapshot {
  KeySet keys;
  std::optional<Verifier> verifier;
};

struct RemoteKeySet::State {
  std::shared_ptr<const Snapshot> snapshot;  // never reset once loaded
  Seconds fresh_from{};
  Seconds fresh_until{};
  std::optional<Seconds> last_attempt;
  std::optional<std::string> etag;  // of the held snapshot's document
  std::optional<Error> last_error;

  // A clock that went backwards makes the set stale, never fresher.
  bool IsFresh(Seconds now) const {
    return snapshot != nullptr && now >= fresh_from && now < fresh_until;
  }
  bool CoolingDown(Seconds now, std::chrono::seconds cooldown) const {
    return last_attempt && now >= *last_attempt && now < *last_attempt + cooldown;
  }
  // The held set, unless it is more than max_stale past its freshness (or none loaded).
  Result<std::shared_ptr<const Snapshot>> Answer(Seconds now, std::chrono::seconds max_stale) const {
    if (snapshot && now < fresh_until + max_stale) {
      return snapshot;
    }
    if (snapshot) {
      std::string why = "the JWK Set is stale for longer than max_stale";
      if (last_error) {
        why += "; last fetch: " + last_error->detail;
      }
      return Fail(ErrorCode::kIo, std::move(why));
    }
    if (last_error) {
      return tl::unexpected(*last_error);
    }
    return Fail(ErrorCode::kIo, "no JWK Set loaded yet");
  }
};

Result<std::shared_ptr<RemoteKeySet>> RemoteKeySet::Create(RemoteKeySetOptions options) {
  if (auto limits = CheckLimits(options); !limits) {
    return tl::unexpected(limits.error());
  }
  // RFC 8725 §3.10 asks that key URLs be trusted ones; here that is https, checked once.
  auto url = internal::CheckFetchUrl(options.url, options.allow_loopback_http);
  if (!url) {
    return Fail(url.error().code, "JWK Set URL: " + url.error().detail);
  }
  if (!options.clock) {
    options.clock = DefaultClock();
  }
  const internal::FreshnessPolicy policy{options.min_refresh, options.max_age_cap, options.default_max_age};
  auto settings = std::make_unique<const Settings>(Settings{std::move(options), std::move(*url), policy});
  return std::shared_ptr<RemoteKeySet>(new RemoteKeySet(std::move(settings)));
}

RemoteKeySet::RemoteKeySet(std::unique_ptr<const Settings> settings)
    : settings_(std::move(settings)), state_(std::make_unique<State>()) {}

RemoteKeySet::~RemoteKeySet() = default;

const std::string& RemoteKeySet::url() const { return settings_->options.url; }

std::optional<Error> RemoteKeySet::last_error() const {
  std::lock_guard lock(state_mutex_);
  return state_->last_error;
}

Result<std::shared_ptr<const KeySet>> RemoteKeySet::Current() { return KeysFor(std::nullopt); }

Result<std::shared_ptr<const KeySet>> RemoteKeySet::KeysFor(std::optional<std::string_view> kid) {
  auto snapshot = CurrentSnapshot();
  if (!snapshot) {
    return tl::unexpected(snapshot.error());
  }
  std::shared_ptr<const Snapshot> answer = std::move(*snapshot);
  if (kid && answer->keys.FindByKid(*kid) == nullptr) {
    answer = RefetchForUnknownKid(answer);
  }
  const KeySet* keys = &answer->keys;
  return std::shared_ptr<const KeySet>(std::move(answer), keys);
}

Result<VerifiedJwt> RemoteKeySet::Verify(std::string_view token, const Validator& validator) {
  auto snapshot = CurrentSnapshot();
  if (!snapshot) {
    return tl::unexpected(snapshot.error());
  }
  const auto verify_with = [&](const Snapshot& keys) -> Result<VerifiedJwt> {
    if (!keys.verifier) {
      return Fail(ErrorCode::kUnknownKid, "the JWK Set at " + url() + " has no keys");
    }
    return keys.verifier->Verify(token, validator);
  };
  auto verified = verify_with(**snapshot);
  if (verified || verified.error().code != ErrorCode::kUnknownKid) {
    return verified;
  }
  // The verifier said kUnknownKid, so the header parsed and passed its checks (no jku,
  // jwk, x5u, crit, ...): the issuer may have published a new key since the last fetch.
  const std::shared_ptr<const Snapshot> newer = RefetchForUnknownKid(*snapshot);
  if (newer == *snapshot) {
    return verified;
  }
  return verify_with(*newer);
}

Status RemoteKeySet::Refresh() {
  std::lock_guard fetch_lock(fetch_mutex_);
  return FetchLocked(settings_->options.clock->Now());
}

Result<std::shared_ptr<const RemoteKeySet::Snapshot>> RemoteKeySet::CurrentSnapshot() {
  std::shared_ptr<const Snapshot> servable;  // a stale set still within max_stale
  {
    std::lock_guard lock(state_mutex_);
    const Seconds now = settings_->options.clock->Now();
    if (state_->IsFresh(now)) {
      return state_->snapshot;
    }
    if (auto answer = state_->Answer(now, settings_->options.max_stale)) {
      servable = std::move(*answer);
    }
  }
  std::unique_lock fetch_lock(fetch_mutex_, std::defer_lock);
  if (servable) {
    if (!fetch_lock.try_lock()) {
      return servable;  // another caller is fetching: the stale set serves meanwhile
    }
  } else {
    fetch_lock.lock();  // nothing to serve: wait for the fetch in progress, if any
  }
  const Seconds now = settings_->options.clock->Now();
  {
    std::lock_guard lock(state_mutex_);
    if (state_->IsFresh(now) || state_->CoolingDown(now, settings_->options.min_refresh)) {
      return state_->Answer(now, settings_->options.max_stale);
    }
  }
  (void)FetchLocked(now);  // a failure is recorded in last_error and answered below
  std::lock_guard lock(state_mutex_);
  return state_->Answer(now, settings_->options.max_stale);
}

std::shared_ptr<const RemoteKeySet::Snapshot> RemoteKeySet::RefetchForUnknownKid(
    const std::shared_ptr<const Snapshot>& seen) {
  std::lock_guard fetch_lock(fetch_mutex_);  // a fetch in progress may bring the kid: wait
  const Seconds now = settings_->options.clock->Now();
  {
    std::lock_guard lock(state_mutex_);
    if (state_->snapshot != seen || state_->CoolingDown(now, settings_->options.min_refresh)) {
      return state_->snapshot;
    }
  }
  (void)FetchLocked(now);  // on failure the held set stays
  std::lock_guard lock(state_mutex_);
  return state_->snapshot;
}

Status RemoteKeySet::FetchLocked(Seconds now) {
  internal::HttpGetRequest request;
  request.url = settings_->url;
  request.accept = kJwksMediaTypes;
  request.max_body_bytes = settings_->options.max_document_bytes;
  request.timeout = settings_->options.timeout;
  request.ca_file = settings_->options.ca_file;
  {
    std::lock_guard lock(state_mutex_);
    state_->last_attempt = now;
    if (state_->snapshot) {
      request.if_none_match = state_->etag;
    }
  }
  auto outcome = Download(request, settings_->policy);
  std::shared_ptr<const Snapshot> loaded;
  if (outcome && outcome->keys) {
    auto verifier = Verifier::Create(*outcome->keys);  // fails only for an empty set
    loaded = std::make_shared<const Snapshot>(Snapshot{
        std::move(*outcome->keys), verifier ? std::optional<Verifier>(std::move(*verifier)) : std::nullopt});
  }
  std::lock_guard lock(state_mutex_);
  if (!outcome) {
    state_->last_error = outcome.error();
    return tl::unexpected(outcome.error());
  }
  state_->last_error.reset();
  if (loaded) {
    state_->snapshot = std::move(loaded);
    state_->etag = std::move(outcome->etag);
  }
  state_->fresh_from = now;
  state_->fresh_until = now + outcome->lifetime;
  return {};
}

}  // namespace writ
