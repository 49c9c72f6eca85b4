// writ::server::RedisThrottle: the Throttle's counters in Redis, shared by every `writ
// serve` instance on it (issue 7), so that failures on one instance lock the account on
// all and the per-IP bucket is one bucket. Each decision is one Lua script (EVAL), atomic
// on the server; every key carries a TTL and disappears once it no longer matters.
#ifndef WRIT_SERVER_REDIS_THROTTLE_H_
#define WRIT_SERVER_REDIS_THROTTLE_H_

#include <memory>
#include <string>

#include "server/server_config.h"
#include "server/throttle.h"
#include "store/redis_client.h"

namespace writ::server {

// Keys: PREFIX "throttle:ip:" IP_KEY (hash: tokens, updated; TTL: until the bucket is full
// again) and PREFIX "throttle:account:" ACCOUNT_KEY (hash: failures, locked_until; TTL: the
// lock plus kFailureMemory after the last failure). Times are the callers' clock seconds,
// so instances need synchronised clocks (NTP), as they already do for token exp.
// Fail closed: any Redis error gives Throttle::Unavailable().
class RedisThrottle final : public SharedThrottleBackend {
 public:
  RedisThrottle(ThrottlePolicy policy, std::shared_ptr<store::RedisClient> redis,
                std::string prefix = "writ:")
      : policy_(policy), redis_(std::move(redis)), prefix_(std::move(prefix)) {}

  ThrottleDecision Check(const std::string& ip_key, const std::string& account_key,
                         Seconds now) override;
  ThrottleDecision RecordFailure(const std::string& account_key, Seconds now) override;
  void RecordSuccess(const std::string& account_key) override;

 private:
  ThrottlePolicy policy_;
  std::shared_ptr<store::RedisClient> redis_;
  std::string prefix_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_REDIS_THROTTLE_H_
