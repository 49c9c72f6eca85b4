// How long a fetched document stays fresh, from its Cache-Control header (RFC 9111 §5.2).
#ifndef WRIT_CORE_CACHE_CONTROL_H_
#define WRIT_CORE_CACHE_CONTROL_H_

#include <chrono>
#include <span>
#include <string>

namespace writ::internal {

struct FreshnessPolicy {
  std::chrono::seconds floor;     // never fresher than this: the refetch cooldown
  std::chrono::seconds cap;       // never fresh longer than this
  std::chrono::seconds fallback;  // when the response names no lifetime
};

// The freshness lifetime of a response whose Cache-Control field lines are
// `field_lines` (each a comma-separated list of directives, names case-insensitive,
// arguments a token or a quoted-string; RFC 9111 §5.2, RFC 9110 §5.6), always within
// [policy.floor, policy.cap]:
//  - no-store or no-cache (RFC 9111 §5.2.2.4-5: do not reuse without asking again): floor;
//  - one max-age=N (RFC 9111 §5.2.2.1): N, clamped; a value past 2^31 counts as 2^31
//    (RFC 9111 §1.2.2);
//  - max-age given twice, a max-age that is not delta-seconds, or a field that does not
//    parse: floor (RFC 9111 §4.2.1 lets a cache treat such a response as stale);
//  - otherwise: fallback, clamped.
// s-maxage is for shared caches and ignored, as are directives writ does not use.
std::chrono::seconds FreshnessLifetime(std::span<const std::string> field_lines,
                                       const FreshnessPolicy& policy);

}  // namespace writ::internal

#endif  // WRIT_CORE_CACHE_CONTROL_H_
