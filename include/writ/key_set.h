// writ::KeySet: the keys a verifier may use, selected by kid and checked against alg.
#ifndef WRIT_KEY_SET_H_
#define WRIT_KEY_SET_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "writ/alg.h"
#include "writ/key.h"
#include "writ/result.h"

namespace writ {

// An immutable set of keys with unique kids. Safe to share across threads.
class KeySet {
 public:
  // At most this many keys in one set.
  static constexpr std::size_t kMaxKeys = 100;

  // A set from keys; kInvalidArgument for duplicate kids or more than kMaxKeys.
  static Result<KeySet> Create(std::vector<Key> keys);

  // A set from a JWK Set document (RFC 7517 §5). Every member of "keys" must be a
  // usable key (see Key::FromJwk); one bad key refuses the whole set, so that a
  // typo never silently drops a key.
  static Result<KeySet> FromJwks(std::string_view jwks_json);

  // Key selection (RFC 8725 §3.1): with a kid, the key of that kid (kUnknownKid if none);
  // without one, the only key of `alg` (kAmbiguousKey if several, kAlgMismatch if none). Then the
  // header's alg must equal the key's algorithm (kAlgMismatch).
  Result<const Key*> Select(std::optional<std::string_view> kid, Alg alg) const;

  const Key* FindByKid(std::string_view kid) const;

  // The public JWKS of every asymmetric key ({"keys":[...]}); HMAC keys are left out.
  std::string ToPublicJwks() const;

  const std::vector<Key>& keys() const { return keys_; }
  std::size_t size() const { return keys_.size(); }

 private:
  explicit KeySet(std::vector<Key> keys) : keys_(std::move(keys)) {}
  std::vector<Key> keys_;
};

}  // namespace writ

#endif  // WRIT_KEY_SET_H_
