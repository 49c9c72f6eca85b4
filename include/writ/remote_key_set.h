// writ::RemoteKeySet: an issuer's verification keys, fetched from its JWK Set URL over
// HTTPS, cached, and refreshed when they expire or when a token names an unknown kid.
#ifndef WRIT_REMOTE_KEY_SET_H_
#define WRIT_REMOTE_KEY_SET_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "writ/clock.h"
#include "writ/key_set.h"
#include "writ/result.h"
#include "writ/validator.h"
#include "writ/verified_jwt.h"

namespace writ {

struct RemoteKeySetOptions {
  // The JWK Set URL, from configuration. https:// only, except http:// to localhost,
  // 127.0.0.0/8 or [::1] while allow_loopback_http is set.
  std::string url;
  // Never fetch sooner than this after the previous attempt, whatever asks (expiry, an
  // unknown kid, a failed fetch): the cooldown. Refresh() alone ignores it. At least 1 s.
  std::chrono::seconds min_refresh{30};
  // The longest a fetched set is used before it is fetched again, whatever max-age says.
  std::chrono::seconds max_age_cap{3600};
  // How long a set stays fresh when the response has no Cache-Control max-age.
  // min_refresh <= default_max_age <= max_age_cap.
  std::chrono::seconds default_max_age{300};
  // How long a set is still served after its freshness ended while every refresh fails.
  // Past that the remote set fails closed: an issuer kept unreachable (an outage, or an
  // attacker on the network path) must not keep a key it has removed valid for ever.
  // At least min_refresh, at most 30 days.
  std::chrono::seconds max_stale{std::chrono::hours(24)};
  // Larger documents are refused (kTooLarge). At most 1 MiB.
  std::size_t max_document_bytes = 256 * 1024;
  // For connecting and for the whole transfer. In (0, 60 s].
  std::chrono::milliseconds timeout{5000};
  // The source of "now" for freshness and the cooldown; the system clock when null.
  std::shared_ptr<const Clock> clock;
  // Lets http:// reach a loopback host (a sidecar or a test); never any other host.
  bool allow_loopback_http = true;
  // A PEM file of trust anchors to use instead of the system's (a private CA, or a test's
  // self-signed certificate). TLS peer and host name verification are always on.
  std::string ca_file;
};

// The verification keys an issuer publishes at a JWK Set URL (RFC 7517 §5). Thread-safe;
// share one per issuer (Create returns a shared_ptr).
//
// Contract:
//  - The URL is configuration. Keys never come from a token: jku, x5u, jwk and x5c
//    headers are refused by the verifier and never fetched (RFC 8725 §3.10: following a
//    URL from a token lets its sender choose the keys that verify it, and is a
//    server-side request forgery).
//  - The document is parsed by KeySet::FromJwks: one unusable key refuses the whole
//    document, so a typo or an unsupported key never silently drops a key. So does a
//    secret (oct) or private key (kInvalidKey): a published set is public (RFC 7517
//    §9.2), and a token verified with a published secret could come from anyone. An
//    empty "keys" array is a valid set that verifies nothing.
//  - Freshness follows Cache-Control (RFC 9111 §5.2.2.1 max-age), clamped to
//    [min_refresh, max_age_cap]; no-store and no-cache (RFC 9111 §5.2.2.4-5) count as
//    min_refresh; without max-age, default_max_age. Expires and Age are not read.
//  - Revalidation: once a response carried an ETag, the next fetch sends If-None-Match
//    (RFC 9110 §13.1.2); a 304 keeps the set and renews its freshness from the 304's own
//    Cache-Control (RFC 9111 §4.3.4). A 304 to an unconditional request is an error.
//  - Transport: TLS 1.2+ with peer and host verification; only the URL's protocol; no
//    redirects (a 3xx is an error: the document comes from the configured URL or not
//    at all); the body is cut off at max_document_bytes; `timeout` bounds each fetch;
//    no cookies, no content decoding. The environment's https_proxy/no_proxy apply,
//    except to a loopback URL. Anything but 200 (or 304 as above) is an error.
//  - Cooldown: at most one fetch per min_refresh, so neither expiry, nor a failing
//    server, nor tokens with made-up kids can make writ hammer the issuer.
//  - Failure: a set that was never loaded fails closed (the fetch's error, or the last
//    one's within the cooldown). Once loaded, a failed refresh keeps serving the last good
//    set, records the error in last_error() (for operators; nothing is logged) and is
//    retried after min_refresh, for at most max_stale past the set's freshness; then it
//    fails closed again (kIo) until a fetch succeeds.
//  - Concurrency: one fetch at a time. While one runs, callers that hold a loaded set
//    carry on with it; callers with nothing loaded, or with an unknown kid, wait for it.
//
// Create does not fetch: the first Current(), KeysFor() or Verify() does.
class RemoteKeySet {
 public:
  // A remote set for `options`; kInvalidArgument for a refused URL (see
  // RemoteKeySetOptions::url) or contradictory limits.
  static Result<std::shared_ptr<RemoteKeySet>> Create(RemoteKeySetOptions options);

  ~RemoteKeySet();
  RemoteKeySet(const RemoteKeySet&) = delete;
  RemoteKeySet& operator=(const RemoteKeySet&) = delete;

  // The current set: fetched first when none was loaded or the loaded one has expired
  // (within the cooldown, the stale set is served as it is). The error while no set has
  // ever loaded, or while the loaded one is more than max_stale past its freshness.
  [[nodiscard]] Result<std::shared_ptr<const KeySet>> Current();

  // Current(), and when `kid` is given but not in the set, one fetch more if the cooldown
  // allows, so that a key the issuer has just published is found. The caller still gets
  // kUnknownKid from its verifier when the kid is not in the answer.
  [[nodiscard]] Result<std::shared_ptr<const KeySet>> KeysFor(std::optional<std::string_view> kid);

  // Verifies `token` with the current set (Verifier::Verify). On kUnknownKid, and only
  // then, the set is fetched once more if the cooldown allows and the token verified
  // again. Only the verifier reads the token's header: nothing in it but kid picks a key.
  [[nodiscard]] Result<VerifiedJwt> Verify(std::string_view token, const Validator& validator);

  // Fetches now, ignoring freshness and the cooldown (one fetch at a time still). On
  // failure the last good set stays and the error is returned and recorded.
  [[nodiscard]] Status Refresh();

  // The error of the last fetch if it failed; nullopt after a success or before any fetch.
  std::optional<Error> last_error() const;

  const std::string& url() const;

 private:
  struct Settings;
  struct Snapshot;
  struct State;

  explicit RemoteKeySet(std::unique_ptr<const Settings> settings);

  Result<std::shared_ptr<const Snapshot>> CurrentSnapshot();
  std::shared_ptr<const Snapshot> RefetchForUnknownKid(const std::shared_ptr<const Snapshot>& seen);
  Status FetchLocked(Seconds now);

  std::unique_ptr<const Settings> settings_;
  std::mutex fetch_mutex_;          // held for the whole of one fetch
  mutable std::mutex state_mutex_;  // guards state_; never held across I/O
  std::unique_ptr<State> state_;
};

}  // namespace writ

#endif  // WRIT_REMOTE_KEY_SET_H_
