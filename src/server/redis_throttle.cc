// The same decisions as the in-memory Throttle (throttle.cc), made inside Redis: OWASP
// Authentication Cheat Sheet "Account Lockout"; NIST SP 800-63B §5.2.2 rate limiting.
#include "server/redis_throttle.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string_view>

namespace writ::server {
namespace {

using std::chrono::seconds;

constexpr std::int64_t kMaxRetryAfterSeconds = 24 * 3600;
// A failure counter is forgotten this long after the last failure (or the end of its
// lock): long enough that spreading guesses over time gains an attacker little.
constexpr std::int64_t kFailureMemorySeconds = 24 * 3600;

// KEYS[1] ip bucket, KEYS[2] account; ARGV now, rate, burst, max_retry.
// Returns {ip_allowed (0/1), retry_after, account_locked (0/1)}: first one token from the
// bucket (refilled by rate * elapsed, at most burst), then the account's lock.
constexpr std::string_view kCheckScript = R"lua(
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local max_retry = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = burst
  updated = now
end
local elapsed = math.max(now - updated, 0)
if rate > 0 then
  tokens = math.min(burst, tokens + elapsed * rate)
end
local refill = max_retry
if rate > 0 then
  refill = math.min(max_retry, math.ceil(burst / rate) + 1)
end
if tokens < 1 then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updated', now)
  redis.call('EXPIRE', KEYS[1], refill)
  local wait = max_retry
  if rate > 0 then
    wait = math.min(max_retry, math.max(1, math.ceil((1 - tokens) / rate)))
  end
  return {0, wait, 0}
end
tokens = tokens - 1
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updated', now)
redis.call('EXPIRE', KEYS[1], refill)
local locked_until = tonumber(redis.call('HGET', KEYS[2], 'locked_until'))
if locked_until ~= nil and locked_until > now then
  return {1, math.min(locked_until - now, max_retry), 1}
end
return {1, 0, 0}
)lua";

// KEYS[1] account; ARGV now, limit, base, cap, memory. Returns {failures, lock_seconds}:
// from `limit` failures on, a lock of min(base * 2^(failures - limit), cap) plus one second
// (the clock has whole seconds), as Throttle::RecordFailure.
constexpr std::string_view kFailureScript = R"lua(
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local base = math.max(tonumber(ARGV[3]), 1)
local cap = math.max(tonumber(ARGV[4]), 1)
local memory = tonumber(ARGV[5])
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local lock = 0
if failures >= limit then
  local duration = base
  local doubled = limit
  while doubled < failures and duration < cap do
    if duration > cap / 2 then duration = cap else duration = duration * 2 end
    doubled = doubled + 1
  end
  lock = math.min(duration, cap) + 1
  redis.call('HSET', KEYS[1], 'locked_until', now + lock)
end
redis.call('EXPIRE', KEYS[1], lock + memory)
return {failures, lock}
)lua";

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// The integer elements of a script's array reply; false when it has another shape.
bool Integers(const store::RedisReply& reply, std::size_t count, std::int64_t* out) {
  if (reply.kind != store::RedisReply::Kind::kArray || reply.elements.size() != count) {
    return false;
  }
  for (std::size_t i = 0; i < count; ++i) {
    if (reply.elements[i].kind != store::RedisReply::Kind::kInteger) {
      return false;
    }
    out[i] = reply.elements[i].integer;
  }
  return true;
}

ThrottleDecision Refuse(std::string_view what, std::string_view detail) {
  std::cerr << "writ: throttle: " << what << ": " << detail << " (refusing: fail closed)" << std::endl;
  return Throttle::Unavailable();
}

}  // namespace

ThrottleDecision RedisThrottle::Check(const std::string& ip_key, const std::string& account_key,
                                      Seconds now) {
  const std::string ip = prefix_ + "throttle:ip:" + ip_key;
  const std::string account = prefix_ + "throttle:account:" + account_key;
  const std::string now_text = std::to_string(now.time_since_epoch().count());
  const std::string rate = Number(policy_.ip_rate_per_second);
  const std::string burst = Number(policy_.ip_burst);
  const std::string max_retry = std::to_string(kMaxRetryAfterSeconds);
  auto reply = redis_->Command({"EVAL", kCheckScript, "2", ip, account, now_text, rate, burst, max_retry});
  std::int64_t values[3] = {};
  if (!reply) {
    return Refuse("check", reply.error().detail);
  }
  if (!Integers(*reply, 3, values)) {
    return Refuse("check", "unexpected reply");
  }
  ThrottleDecision decision;
  if (values[0] == 0) {
    decision.allowed = false;
    decision.retry_after = seconds{std::max<std::int64_t>(values[1], 1)};
    decision.reason = "ip_rate";
  } else if (values[2] == 1) {
    decision.allowed = false;
    decision.retry_after = seconds{std::max<std::int64_t>(values[1], 1)};
    decision.reason = "account_locked";
  }
  return decision;
}

ThrottleDecision RedisThrottle::RecordFailure(const std::string& account_key, Seconds now) {
  const std::string account = prefix_ + "throttle:account:" + account_key;
  const std::uint32_t limit = std::max<std::uint32_t>(policy_.max_account_failures, 1);
  auto reply = redis_->Command({"EVAL", kFailureScript, "1", account,
                                std::to_string(now.time_since_epoch().count()), std::to_string(limit),
                                std::to_string(policy_.account_backoff_base.count()),
                                std::to_string(policy_.account_backoff_max.count()),
                                std::to_string(kFailureMemorySeconds)});
  std::int64_t values[2] = {};
  if (!reply) {
    return Refuse("failure", reply.error().detail);
  }
  if (!Integers(*reply, 2, values)) {
    return Refuse("failure", "unexpected reply");
  }
  ThrottleDecision decision;
  if (values[0] >= static_cast<std::int64_t>(limit)) {
    decision.allowed = false;
    decision.retry_after = seconds{std::clamp<std::int64_t>(values[1], 1, kMaxRetryAfterSeconds)};
    decision.reason = "account_locked";
    decision.newly_locked = values[0] == static_cast<std::int64_t>(limit);
  }
  return decision;
}

void RedisThrottle::RecordSuccess(const std::string& account_key) {
  const std::string account = prefix_ + "throttle:account:" + account_key;
  if (auto deleted = redis_->Command({"DEL", account}); !deleted) {
    std::cerr << "writ: throttle: clearing failures: " << deleted.error().detail
              << " (the counter expires on its own)" << std::endl;
  }
}

}  // namespace writ::server
