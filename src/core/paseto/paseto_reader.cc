#include "writ/paseto_reader.h"

#include "core/claims_document.h"
#include "core/paseto/footer.h"
#include "core/paseto/key_traits.h"

namespace writ {

template <typename Key>
Result<PasetoReader<Key>> PasetoReader<Key>::Create(std::vector<Key> keys) {
  if (keys.empty() || keys.size() > kMaxKeys) {
    return Fail(ErrorCode::kInvalidArgument, "a PASETO reader needs 1 to 100 keys");
  }
  std::vector<std::pair<std::string, Key>> ring;
  for (Key& key : keys) {
    std::string kid = internal::KeyId(key);
    for (const auto& [existing, unused] : ring) {
      if (existing == kid) {
        return Fail(ErrorCode::kInvalidArgument, "the same key is in the ring twice");
      }
    }
    ring.emplace_back(std::move(kid), std::move(key));
  }
  return PasetoReader(std::move(ring));
}

template <typename Key>
Result<VerifiedPaseto> PasetoReader<Key>::Read(std::string_view token, const Validator& validator,
                                               std::string_view implicit) const {
  auto footer = paseto::UnverifiedFooter(token);
  if (!footer) {
    return tl::unexpected(footer.error());
  }
  auto kid = internal::FooterKid(*footer, internal::IdPrefix(keys_.front().second));
  if (!kid) {
    return tl::unexpected(kid.error());
  }
  const std::pair<std::string, Key>* selected = nullptr;
  if (*kid) {
    for (const auto& entry : keys_) {
      if (entry.first == **kid) {
        selected = &entry;
      }
    }
    if (selected == nullptr) {
      return Fail(ErrorCode::kUnknownKid, "no key with the footer's kid");
    }
  } else if (keys_.size() == 1) {
    selected = &keys_.front();
  } else {
    return Fail(ErrorCode::kAmbiguousKey, "the footer names no kid and the ring has several keys");
  }
  auto message = internal::Open(selected->second, token, implicit);
  if (!message) {
    return tl::unexpected(message.error());
  }
  auto claims = internal::ClaimsDocument::ParseJson(message->payload, internal::TimeFormat::kRfc3339);
  if (!claims) {
    return tl::unexpected(claims.error());
  }
  VerifiedPaseto verified(std::move(message->footer), selected->first, std::move(*claims));
  if (auto status = validator.ValidateClaims(verified); !status) {
    return tl::unexpected(status.error());
  }
  return verified;
}

template <typename Key>
std::vector<std::string> PasetoReader<Key>::kids() const {
  std::vector<std::string> ids;
  for (const auto& entry : keys_) {
    ids.push_back(entry.first);
  }
  return ids;
}

template class PasetoReader<V4LocalKey>;
template class PasetoReader<V3LocalKey>;
template class PasetoReader<V4PublicKey>;
template class PasetoReader<V3PublicKey>;

}  // namespace writ
