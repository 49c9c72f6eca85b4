// Brute-force defence for login and signup: a token bucket per client IP and exponential
// backoff per account name (unknown names count too, so probing reveals nothing).
// In memory; issue 7 moves the counters to Redis for several instances.
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
};

// Thread-safe. Memory is bounded: at most `max_entries` IPs and accounts each; the
// oldest/idle entries are evicted first (an evicted account starts over, which only
// helps an attacker who already spread over max_entries names). IPv6 clients share one
// bucket per /64: the low 64 bits are the interface identifier (RFC 4291 §2.5.1), which a
// host may change at will (RFC 8981), so one host cannot get a fresh bucket per address.
class Throttle {
 public:
  Throttle(ThrottlePolicy policy, std::shared_ptr<const Clock> clock, std::size_t max_entries = 100'000);

  // Before checking a password: takes one token from the IP's bucket and checks the
  // account's lock. Account names are compared case-insensitively.
  ThrottleDecision Check(std::string_view ip, std::string_view account);
  // After a failed attempt: one more consecutive failure for `account`. From
  // policy.max_account_failures on, the account is locked for
  // min(base * 2^(failures - max), max); the decision says for how long.
  ThrottleDecision RecordFailure(std::string_view account);
  // After a successful login: clears the account's failures.
  void RecordSuccess(std::string_view account);

  // How many IP buckets and account states are held (for metrics and tests); each is at
  // most max_entries.
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
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::unordered_map<std::string, AccountState> accounts_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_THROTTLE_H_
