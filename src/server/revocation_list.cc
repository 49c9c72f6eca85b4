#include "server/revocation_list.h"

#include <algorithm>
#include <mutex>

namespace writ::server {
namespace {

using Entries = std::unordered_map<std::string, Seconds>;

// Adds or extends an entry: a second revocation never shortens the first.
void Extend(Entries& entries, std::string key, Seconds until) {
  auto [it, inserted] = entries.try_emplace(std::move(key), until);
  if (!inserted) {
    it->second = std::max(it->second, until);
  }
}

// True while `now` is at or before the entry's `until`: the last second is still covered,
// since a token whose exp equals `until` may still pass a check made within that second.
bool IsListed(const Entries& entries, std::string_view key, Seconds now) {
  // C++20 has no heterogeneous lookup for this map type without a custom hasher.
  const auto it = entries.find(std::string(key));
  return it != entries.end() && now <= it->second;
}

void DropPassed(Entries& entries, Seconds now) {
  std::erase_if(entries, [now](const auto& entry) { return entry.second < now; });
}

}  // namespace

void RevocationList::DenyToken(std::string jti, Seconds until) {
  std::unique_lock lock(mutex_);
  Extend(denied_tokens_, std::move(jti), until);
}

void RevocationList::RevokeSession(std::string session_id, Seconds until) {
  std::unique_lock lock(mutex_);
  Extend(revoked_sessions_, std::move(session_id), until);
}

bool RevocationList::IsTokenDenied(std::string_view jti) const {
  const Seconds now = clock_->Now();
  std::shared_lock lock(mutex_);
  return IsListed(denied_tokens_, jti, now);
}

bool RevocationList::IsSessionRevoked(std::string_view session_id) const {
  const Seconds now = clock_->Now();
  std::shared_lock lock(mutex_);
  return IsListed(revoked_sessions_, session_id, now);
}

std::size_t RevocationList::Prune() {
  const Seconds now = clock_->Now();
  std::unique_lock lock(mutex_);
  DropPassed(denied_tokens_, now);
  DropPassed(revoked_sessions_, now);
  return denied_tokens_.size() + revoked_sessions_.size();
}

std::size_t RevocationList::size() const {
  std::shared_lock lock(mutex_);
  return denied_tokens_.size() + revoked_sessions_.size();
}

}  // namespace writ::server
