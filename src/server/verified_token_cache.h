// writ::server::VerifiedTokenCache: access tokens whose signature and claims have already
// been checked, so that the next check of the same token (every request of a session, every
// forward-auth call) skips the signature verification.
//
// Contract: keyed by the whole token (byte-exact), so an entry can only ever answer for the
// exact bytes that verified. An entry answers only while now < its exp (RFC 7519 §4.1.4), and
// holds no revocation state: callers check the revocation list on every hit. Clear() drops
// everything (after a key set reload, a removed key's tokens must verify again and fail)
// and starts a new generation: an Insert that names an older generation (a token verified
// with keys from before the reload) is ignored, so no race can cache it past the Clear.
// Bounded: at most `capacity` entries; when a shard is full, expired entries go first, then
// an arbitrary one. Thread-safe: sharded, one mutex per shard.
#ifndef WRIT_SERVER_VERIFIED_TOKEN_CACHE_H_
#define WRIT_SERVER_VERIFIED_TOKEN_CACHE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/access_claims.h"
#include "writ/clock.h"

namespace writ::server {

class VerifiedTokenCache {
 public:
  // capacity 0 disables the cache (Find always misses, Insert does nothing).
  explicit VerifiedTokenCache(std::size_t capacity);

  // The claims of `token` when it was inserted and now < its expires_at.
  std::shared_ptr<const AccessClaims> Find(std::string_view token, Seconds now) const;
  // Read generation() before verifying, pass it to Insert.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void Insert(std::string_view token, std::shared_ptr<const AccessClaims> claims, Seconds now,
              std::uint64_t generation);
  void Clear();
  std::size_t size() const;

 private:
  static constexpr std::size_t kShards = 16;

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const {
      return std::hash<std::string_view>{}(text);
    }
  };
  using Map = std::unordered_map<std::string, std::shared_ptr<const AccessClaims>, StringHash,
                                 std::equal_to<>>;
  struct Shard {
    mutable std::mutex mutex;
    Map entries;
  };

  Shard& ShardFor(std::string_view token) const;

  std::size_t shard_capacity_;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_VERIFIED_TOKEN_CACHE_H_
