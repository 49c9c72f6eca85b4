// writ::keys::SigningKeySet: the private signing keys of one purpose with their rotation
// states — one active key that signs, at most one next key published ahead of use, and
// retired keys kept for verification until every token they signed has expired.
//
// The document is a private JWK Set (RFC 7517 §5) with one extra top-level member that
// verifiers ignore (RFC 7517 §5: unknown members are ignored):
//
//   {"keys":[<private JWK>, ...],
//    "writ_rotation":{"version":1,"prepublish":3600,
//                     "keys":[{"kid":"production-20261129-9f1c2a4b","state":"active",
//                              "created":1795000000,"activated":1795003600}, ...]}}
//
// prepublish (seconds) is how long a next key must have been in the set before it may
// become active; the JWKS endpoint's Cache-Control max-age never exceeds it, so every
// verifier has fetched a next key before any token is signed with it.
//
// The active key is always the first member of "keys", so that a reader that takes the
// document for a plain JWK Set and signs with its first key signs with the active key.
//
// A plain private JWK or JWK Set without "writ_rotation" is accepted too (keys written by
// `writ keygen`): its first key is active and the others are retired with no retirement
// time (kept until removed by hand); their created time is unknown and reads as the epoch.
#ifndef WRIT_KEYS_SIGNING_KEY_SET_H_
#define WRIT_KEYS_SIGNING_KEY_SET_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "writ/alg.h"
#include "writ/clock.h"
#include "writ/key.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::keys {

enum class KeyState { kNext, kActive, kRetired };
std::string_view KeyStateName(KeyState state);  // "next", "active", "retired"

struct ManagedKey {
  Key key;  // private (asymmetric) or secret (HMAC)
  KeyState state = KeyState::kActive;
  Seconds created{};
  std::optional<Seconds> activated;  // when it became active (active and retired keys)
  std::optional<Seconds> retired;    // when it stopped signing (retired keys)
};

// The default time a next key is published before it may sign, and the range allowed.
inline constexpr std::chrono::seconds kDefaultPrepublish{3600};
inline constexpr std::chrono::seconds kMinPrepublish{60};
inline constexpr std::chrono::seconds kMaxPrepublish{30 * 24 * 3600};

class SigningKeySet {
 public:
  // A new set for `environment` ("development", "staging", "production"): an active key
  // and a next key, both of `alg`, with kids "<environment>-<YYYYMMDD>-<8 hex>" (the date
  // of `now`, UTC). kInvalidArgument for an unknown environment or a prepublish outside
  // [kMinPrepublish, kMaxPrepublish].
  [[nodiscard]] static Result<SigningKeySet> Create(Alg alg, std::string_view environment,
                                                    Seconds now,
                                                    std::chrono::seconds prepublish = kDefaultPrepublish);

  // Parses the document described above (at most keys::kMaxSecretBytes, strict JSON).
  // Refused, the detail naming the kid: kInvalidKey for a key without its private part (or
  // the JWK's own error, see Key::FromJwk); kTooLarge for more than KeySet::kMaxKeys keys
  // or bytes over the limit; kMalformed for anything else: keys of more than one
  // algorithm, duplicate kids, and when "writ_rotation" is present: a metadata entry naming
  // no key or a key without an entry, not exactly one active key or an active key that is
  // not the first JWK, more than one next key, a retired key without a retired time (or a
  // retired time on a key that is not retired, an activated time on a next key), times
  // that are not integers in [0, year 9999], a prepublish outside [kMinPrepublish,
  // kMaxPrepublish], unknown members or states, a version other than 1.
  [[nodiscard]] static Result<SigningKeySet> Parse(const SecretBytes& document);

  // The document, private members included; written by `writ keys` with mode 0600. A set
  // read from a plain JWK Set that still holds a retired key without a retired time is
  // written back as a plain JWK Set (the rotation metadata could not describe that key).
  // kTooLarge when the document would exceed keys::kMaxSecretBytes (Parse would refuse it).
  [[nodiscard]] Result<SecretBytes> Serialize() const;

  // Promotes the next key to active, retires the active key (retired = now) and creates a
  // new next key of the same algorithm and environment. Refused (kInvalidArgument) when
  // there is no next key, or when it was created less than prepublish ago unless `force`
  // (an emergency rotation after a leak: verifiers may then see an unknown kid until they
  // refetch), or when the active kid names no environment. At now == created + prepublish
  // the rotation is allowed. On failure the set is unchanged.
  [[nodiscard]] Status Rotate(Seconds now, bool force = false);

  // Adds a new next key (created = now, of the active key's algorithm and environment) to
  // a set that has none, as after Remove of a leaked next key; it may sign once it has been
  // published for prepublish. kInvalidArgument when there is a next key already or the
  // active kid names no environment.
  [[nodiscard]] Status AddNext(Seconds now);

  // Removes retired keys whose retired time + max_token_lifetime has passed (every token
  // they signed has expired). Returns the kids removed. At now == retired +
  // max_token_lifetime the key is removed: a token signed no later than `retired` has
  // exp <= retired + lifetime, and RFC 7519 §4.1.4 makes it expired once now >= exp. The
  // caller includes verifier clock skew and the time servers take to reload (they sign
  // with the old key until then) in max_token_lifetime; a negative one counts as zero.
  // Retired keys without a retired time are never removed here.
  std::vector<std::string> RemoveExpired(Seconds now, std::chrono::seconds max_token_lifetime);

  // Removes the retired or next key `kid` at once (a leaked key: tokens it signed stop
  // verifying when the servers reload). kInvalidArgument for the active key or an unknown
  // kid.
  [[nodiscard]] Status Remove(std::string_view kid);

  const ManagedKey& active() const;
  const ManagedKey* next() const;  // nullptr when there is none
  const std::vector<ManagedKey>& keys() const { return keys_; }
  std::chrono::seconds prepublish() const { return prepublish_; }
  // The environment named by the active kid's prefix ("production-…"), or "" for keys that
  // do not carry one.
  std::string_view environment() const;

 private:
  SigningKeySet(std::vector<ManagedKey> keys, std::chrono::seconds prepublish)
      : keys_(std::move(keys)), prepublish_(prepublish) {}
  // The active key first, then the next key, then retired keys most recently retired
  // first (those without a retired time last, in document order).
  std::vector<ManagedKey> keys_;
  std::chrono::seconds prepublish_;
};

}  // namespace writ::keys

#endif  // WRIT_KEYS_SIGNING_KEY_SET_H_
