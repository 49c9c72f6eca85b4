// Brute-force defence for login and signup: a token bucket per client IP and exponential
// backoff per account name (unknown names count too, so probing reveals nothing).
// In memory, or — with `redis` configured — in Redis, shared by every instance
// (SharedThrottleBackend, redis_throttle.h).
#ifndef WRIT_SERVER_THROTTLE_H_
#define WRIT_SERVER_THROTTLE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/server_config.h"
#include "writ/clock.h"

namespace writ::server {

struct ThrottleDecision {
  bool allowed = true;
  std::chrono::seconds retry_after{0};  // when !allowed: >= 1
  std::string reason;                   // "ip_rate" or "account_locked" when !allowed
  bool newly_locked = false;            // this failure just crossed the limit (audit once)
  // The shared backend could not be asked: !allowed, reason "throttle_unavailable", and
  // the handler answers 503 + Retry-After (fail closed: no unchecked password attempt).
  bool unavailable = false;
};

// Where the counters live when several instances share them. Keys arrive normalised by
// Throttle (IPv6 /64, lower-cased and bounded account names). Every method decides
// atomically on the backend; when the backend cannot be reached it answers
// Throttle::Unavailable() — never an allowing decision.
class SharedThrottleBackend {
 public:
  virtual ~SharedThrottleBackend() = default;
  virtual ThrottleDecision Check(const std::string& ip_key, const std::string& account_key,
                                 Seconds now) = 0;
  virtual ThrottleDecision RecordFailure(const std::string& account_key, Seconds now) = 0;
  // Failure to clear is not reported: the counter expires on its own.
  virtual void RecordSuccess(const std::string& account_key) = 0;
};

// Thread-safe. Memory is bounded: at most `max_entries` IPs and accounts each; the
// oldest/idle entries are evicted first (an evicted account starts over, which only
// helps an attacker who already spread over max_entries names). IPv6 clients share one
// bucket per /64: the low 64 bits are the interface identifier (RFC 4291 §2.5.1), which a
// host may change at will (RFC 8981), so one host cannot get a fresh bucket per address.
class Throttle {
 public:
  Throttle(ThrottlePolicy policy, std::shared_ptr<const Clock> clock, std::size_t max_entries = 100'000);
  // Counters in `shared` instead of in memory (same policy, same decisions).
  Throttle(ThrottlePolicy policy, std::shared_ptr<const Clock> clock,
           std::shared_ptr<SharedThrottleBackend> shared);

  // The refusal a shared backend gives when it cannot be asked.
  static ThrottleDecision Unavailable();

  // Before checking a password: takes one token from the IP's bucket and checks the
  // account's lock. Account names are compared case-insensitively.
  ThrottleDecision Check(std::string_view ip, std::string_view account);
  // After a failed attempt: one more consecutive failure for `account`. From
  // policy.max_account_failures on, the account is locked for
  // min(base * 2^(failures - max), max); the decision says for how long.
  ThrottleDecision RecordFailure(std::string_view account);
  // After a successful login: clears the account's failures.
  void RecordSuccess(std::string_view account);

  // How many IP buckets and account states are held in memory (for metrics and tests);
  // each is at most max_entries; 0 with a shared backend.
  std::size_t TrackedIpCount() const;
  std::size_t TrackedAccountCount() const;

 private:
  struct Bucket {
    double tokens = 0;
    Seconds updated{};
  };
  struct AccountState {
    std::uint32_t failures = 0;
    Seconds locked_until{};
    Seconds updated{};
  };
  ThrottlePolicy policy_;
  std::shared_ptr<const Clock> clock_;
  std::size_t max_entries_;
  std::shared_ptr<SharedThrottleBackend> shared_;  // null: in memory
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::unordered_map<std::string, AccountState> accounts_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_THROTTLE_H_
