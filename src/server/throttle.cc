// Token bucket per client IP and exponential lockout per account name (OWASP Authentication
// Cheat Sheet, "Account Lockout"; NIST SP 800-63B §5.2.2 rate limiting).
#include "server/throttle.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>
#include <vector>

#include "core/sodium_init.h"

namespace writ::server {
namespace {

using std::chrono::seconds;

// Keys are kept short: longer names are replaced by a digest so that hostile, long account
// names cannot make each entry large. The marker byte keeps digests apart from short names.
constexpr std::size_t kMaxKeyBytes = 64;
constexpr char kDigestMarker = '\x01';
// When full, a map is trimmed by a tenth at once so that eviction costs O(1) amortised.
constexpr std::size_t kEvictFraction = 10;
constexpr seconds kMaxRetryAfter{24 * 3600};
// How soon a client may try again when the shared backend is unreachable.
constexpr seconds kUnavailableRetryAfter{5};

std::string BoundedKey(std::string key) {
  if (key.size() <= kMaxKeyBytes) {
    return key;
  }
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     nullptr, 0);
  std::string bounded(1, kDigestMarker);
  bounded.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return bounded;
}

// ASCII lower-case: "Alice" and "alice" share one failure counter.
std::string AccountKey(std::string_view account) {
  std::string key(account);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return BoundedKey(std::move(key));
}

// IPv4 text as given; IPv6 reduced to its /64 ("2001:db8:1:2::/64"); an IPv4-mapped IPv6
// address to its IPv4 form. Anything else is used as an opaque (bounded) key.
std::string IpKey(std::string_view ip) {
  if (ip.size() < INET6_ADDRSTRLEN && ip.find('\0') == std::string_view::npos) {
    const std::string text(ip);
    std::array<unsigned char, 16> address{};
    if (inet_pton(AF_INET6, text.c_str(), address.data()) == 1) {
      std::array<char, INET6_ADDRSTRLEN> out{};
      constexpr std::array<unsigned char, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
      if (std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), address.begin())) {
        if (inet_ntop(AF_INET, address.data() + 12, out.data(), out.size()) != nullptr) {
          return std::string(out.data());
        }
      }
      std::fill(address.begin() + 8, address.end(), 0);
      if (inet_ntop(AF_INET6, address.data(), out.data(), out.size()) != nullptr) {
        return std::string(out.data()) + "/64";
      }
    }
  }
  return BoundedKey(std::string(ip));
}

double Refilled(double tokens, Seconds updated, Seconds now, const ThrottlePolicy& policy) {
  const auto elapsed = std::max<std::int64_t>((now - updated).count(), 0);
  if (policy.ip_rate_per_second <= 0) {
    return tokens;
  }
  return std::min(policy.ip_burst, tokens + static_cast<double>(elapsed) * policy.ip_rate_per_second);
}

// Whole seconds until the bucket holds one token again, at least 1.
seconds UntilOneToken(double tokens, const ThrottlePolicy& policy) {
  if (policy.ip_rate_per_second <= 0) {
    return kMaxRetryAfter;
  }
  const double wait = std::ceil((1.0 - tokens) / policy.ip_rate_per_second);
  if (!(wait < static_cast<double>(kMaxRetryAfter.count()))) {
    return kMaxRetryAfter;
  }
  return std::max(seconds{1}, seconds{static_cast<std::int64_t>(wait)});
}

// min(base * 2^(failures - limit), max), and at least one second so that a lock is a lock.
seconds LockDuration(const ThrottlePolicy& policy, std::uint32_t failures, std::uint32_t limit) {
  const seconds cap = std::max(policy.account_backoff_max, seconds{1});
  seconds duration = std::max(policy.account_backoff_base, seconds{1});
  for (std::uint32_t doubled = limit; doubled < failures && duration < cap; ++doubled) {
    duration = duration > cap / 2 ? cap : duration * 2;
  }
  return std::min(duration, cap);
}

// Makes room for one more entry when `map` is full, down to nine tenths of `max_entries`:
// idle entries first (`is_idle`: forgetting them loses little or nothing), each group
// least recently updated first.
template <typename Map, typename IsIdle>
void MakeRoom(Map& map, std::size_t max_entries, IsIdle is_idle) {
  if (map.size() < max_entries) {
    return;
  }
  struct Candidate {
    bool busy;
    Seconds updated;
    typename Map::iterator entry;
  };
  std::vector<Candidate> candidates;
  candidates.reserve(map.size());
  for (auto it = map.begin(); it != map.end(); ++it) {
    candidates.push_back(Candidate{!is_idle(it->second), it->second.updated, it});
  }
  const std::size_t keep = max_entries - 1 - (max_entries - 1) / kEvictFraction;
  const std::size_t drop = map.size() - keep;
  auto first_kept = candidates.begin() + static_cast<std::ptrdiff_t>(drop);
  std::nth_element(candidates.begin(), first_kept, candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.busy, a.updated) < std::tie(b.busy, b.updated);
  });
  for (auto it = candidates.begin(); it != first_kept; ++it) {
    map.erase(it->entry);
  }
}

}  // namespace

Throttle::Throttle(ThrottlePolicy policy, std::shared_ptr<const Clock> clock, std::size_t max_entries)
    : policy_(policy), clock_(std::move(clock)), max_entries_(std::max<std::size_t>(max_entries, 1)) {
  internal::EnsureSodium();  // BoundedKey hashes with BLAKE2b
}

Throttle::Throttle(ThrottlePolicy policy, std::shared_ptr<const Clock> clock,
                   std::shared_ptr<SharedThrottleBackend> shared)
    : Throttle(policy, std::move(clock)) {
  shared_ = std::move(shared);
}

ThrottleDecision Throttle::Unavailable() {
  ThrottleDecision decision;
  decision.allowed = false;
  decision.unavailable = true;
  decision.retry_after = kUnavailableRetryAfter;
  decision.reason = "throttle_unavailable";
  return decision;
}

ThrottleDecision Throttle::Check(std::string_view ip, std::string_view account) {
  const std::string ip_key = IpKey(ip);
  const std::string account_key = AccountKey(account);
  if (shared_ != nullptr) {
    return shared_->Check(ip_key, account_key, clock_->Now());
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  const Seconds now = clock_->Now();

  auto bucket = buckets_.find(ip_key);
  if (bucket == buckets_.end()) {
    MakeRoom(buckets_, max_entries_, [&](const Bucket& b) {
      return Refilled(b.tokens, b.updated, now, policy_) >= policy_.ip_burst;
    });
    bucket = buckets_.emplace(ip_key, Bucket{policy_.ip_burst, now}).first;
  }
  Bucket& state = bucket->second;
  state.tokens = Refilled(state.tokens, state.updated, now, policy_);
  state.updated = now;
  ThrottleDecision decision;
  if (state.tokens < 1.0) {
    decision.allowed = false;
    decision.retry_after = UntilOneToken(state.tokens, policy_);
    decision.reason = "ip_rate";
    return decision;
  }
  state.tokens -= 1.0;

  // Only failures create account entries: a Check alone never grows the map.
  const auto found = accounts_.find(account_key);
  if (found != accounts_.end() && found->second.locked_until > now) {
    decision.allowed = false;
    decision.retry_after = std::min(found->second.locked_until - now, kMaxRetryAfter);
    decision.reason = "account_locked";
  }
  return decision;
}

ThrottleDecision Throttle::RecordFailure(std::string_view account) {
  const std::string key = AccountKey(account);
  if (shared_ != nullptr) {
    return shared_->RecordFailure(key, clock_->Now());
  }
  const std::uint32_t limit = std::max<std::uint32_t>(policy_.max_account_failures, 1);
  const std::lock_guard<std::mutex> lock(mutex_);
  const Seconds now = clock_->Now();

  auto found = accounts_.find(key);
  if (found == accounts_.end()) {
    MakeRoom(accounts_, max_entries_, [&](const AccountState& a) { return a.locked_until <= now; });
    found = accounts_.emplace(key, AccountState{}).first;
  }
  AccountState& state = found->second;
  if (state.failures < std::numeric_limits<std::uint32_t>::max()) {
    ++state.failures;
  }
  state.updated = now;
  ThrottleDecision decision;
  if (state.failures >= limit) {
    const seconds duration = LockDuration(policy_, state.failures, limit);
    // The clock has whole seconds: one more second makes the lock last at least
    // `duration` whatever fraction of the current second has passed.
    state.locked_until = now + duration + seconds{1};
    decision.allowed = false;
    decision.retry_after = std::min(duration + seconds{1}, kMaxRetryAfter);
    decision.reason = "account_locked";
    decision.newly_locked = state.failures == limit;
  }
  return decision;
}

void Throttle::RecordSuccess(std::string_view account) {
  const std::string key = AccountKey(account);
  if (shared_ != nullptr) {
    shared_->RecordSuccess(key);
    return;
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  accounts_.erase(key);
}

std::size_t Throttle::TrackedIpCount() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

std::size_t Throttle::TrackedAccountCount() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return accounts_.size();
}

}  // namespace writ::server
