#include "server/verified_token_cache.h"

namespace writ::server {

VerifiedTokenCache::VerifiedTokenCache(std::size_t capacity)
    : shard_capacity_(capacity == 0 ? 0 : (capacity + kShards - 1) / kShards) {}

VerifiedTokenCache::Shard& VerifiedTokenCache::ShardFor(std::string_view token) const {
  // The low bits choose the bucket inside the shard's map; use high bits for the shard.
  const std::size_t hash = StringHash{}(token);
  return shards_[(hash >> 56) % kShards];
}

std::shared_ptr<const AccessClaims> VerifiedTokenCache::Find(std::string_view token,
                                                             Seconds now) const {
  if (shard_capacity_ == 0) {
    return nullptr;
  }
  Shard& shard = ShardFor(token);
  std::lock_guard lock(shard.mutex);
  auto found = shard.entries.find(token);
  if (found == shard.entries.end()) {
    return nullptr;
  }
  if (now >= found->second->expires_at) {
    shard.entries.erase(found);
    return nullptr;
  }
  return found->second;
}

void VerifiedTokenCache::Insert(std::string_view token, std::shared_ptr<const AccessClaims> claims,
                                Seconds now, std::uint64_t generation) {
  if (shard_capacity_ == 0 || now >= claims->expires_at) {
    return;
  }
  Shard& shard = ShardFor(token);
  std::lock_guard lock(shard.mutex);
  if (generation != generation_.load(std::memory_order_acquire)) {
    return;  // verified with keys replaced since; Clear() ran or is running
  }
  if (shard.entries.size() >= shard_capacity_ && !shard.entries.contains(token)) {
    std::erase_if(shard.entries, [now](const auto& entry) { return now >= entry.second->expires_at; });
    if (shard.entries.size() >= shard_capacity_) {
      shard.entries.erase(shard.entries.begin());
    }
  }
  shard.entries.insert_or_assign(std::string(token), std::move(claims));
}

void VerifiedTokenCache::Clear() {
  // New generation first: an Insert from before it that lands after its shard is cleared
  // is refused by the generation check.
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    shard.entries.clear();
  }
}

std::size_t VerifiedTokenCache::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace writ::server
