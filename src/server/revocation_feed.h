// writ::server::RevocationFeed: how a revocation made on one `writ serve` instance reaches
// the RevocationList of every other instance within milliseconds (issue 7). Through Redis:
// the revoking instance stores the notice with an expiry and PUBLISHes it (one atomic
// script); every instance runs one subscriber thread on its own connection that applies
// the notices it receives, and — after each (re)subscription — reloads the stored ones,
// so nothing published while it was disconnected is lost. Notices only ever deny: nothing
// read from Redis can make a revoked token work again.
// Without Redis, instances sharing one store learn revocations by polling it
// (ServerApp's housekeeping, SessionService::LoadRevocations).
#ifndef WRIT_SERVER_REVOCATION_FEED_H_
#define WRIT_SERVER_REVOCATION_FEED_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "server/revocation_list.h"
#include "store/redis_client.h"
#include "writ/clock.h"
#include "writ/result.h"

namespace writ::server {

struct RevocationNotice {
  enum class Kind { kToken, kSession };
  Kind kind = Kind::kToken;
  std::string id;  // a jti or session id: base64url, 1..128 characters
  Seconds until{};  // the RevocationList entry's until

  bool operator==(const RevocationNotice&) const = default;
};

// What SessionService tells the other instances through.
class RevocationBroadcaster {
 public:
  virtual ~RevocationBroadcaster() = default;
  // Stores and publishes `notice`; kStorage when Redis could not take it, in which case the
  // notice is kept and sent again once Redis answers (and the failure is logged).
  [[nodiscard]] virtual Status Publish(const RevocationNotice& notice) = 0;
};

// The wire form of a notice: "t:ID UNTIL" (token) or "s:ID UNTIL" (session), UNTIL in Unix
// seconds. Parse refuses anything else (wrong kind, id characters or length, number).
std::string FormatRevocationNotice(const RevocationNotice& notice);
std::optional<RevocationNotice> ParseRevocationNotice(std::string_view text);

struct RevocationFeedOptions {
  std::string prefix = "writ:";  // keys PREFIX "revocations" (sorted set) and channel of that name
  std::chrono::milliseconds min_backoff{50};  // reconnect delays double up to max_backoff
  std::chrono::milliseconds max_backoff{2'000};
  std::chrono::milliseconds keepalive{5'000};  // PING when the subscription is idle this long
  std::size_t max_pending = 10'000;            // unsent notices kept; the oldest dropped first
};

// Thread-safe. Start() launches the subscriber thread; the destructor stops it.
class RevocationFeed final : public RevocationBroadcaster {
 public:
  RevocationFeed(std::shared_ptr<store::RedisClient> redis, std::shared_ptr<RevocationList> list,
                 std::shared_ptr<const Clock> clock, RevocationFeedOptions options = {});
  ~RevocationFeed() override;
  RevocationFeed(const RevocationFeed&) = delete;
  RevocationFeed& operator=(const RevocationFeed&) = delete;

  void Start();
  void Stop();
  [[nodiscard]] Status Publish(const RevocationNotice& notice) override;

  // True while the subscription is live (after its reload); for tests and /readyz.
  bool subscribed() const { return subscribed_.load(); }
  // How many times the subscription was (re)established.
  std::uint64_t subscriptions() const { return subscriptions_.load(); }

 private:
  void Run();
  // One subscription until it breaks or Stop(); false when it could not be set up.
  bool Subscribe();
  [[nodiscard]] Status Store(const RevocationNotice& notice);
  [[nodiscard]] Status Reload();
  void Apply(const RevocationNotice& notice);
  void FlushPending();
  // Waits `delay` or until Stop(); true when stopping.
  bool WaitOrStop(std::chrono::milliseconds delay);

  std::shared_ptr<store::RedisClient> redis_;
  std::shared_ptr<RevocationList> list_;
  std::shared_ptr<const Clock> clock_;
  RevocationFeedOptions options_;
  std::string key_;  // the sorted set and the channel

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                 // guarded by mutex_
  std::deque<RevocationNotice> pending_;  // guarded by mutex_
  std::atomic<bool> subscribed_{false};
  std::atomic<std::uint64_t> subscriptions_{0};
  std::thread thread_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_REVOCATION_FEED_H_
