// writ::PasetoReader: opens PASETO tokens with a ring of keys of one version and purpose,
// and checks their claims with the same Validator as JWS.
#ifndef WRIT_PASETO_READER_H_
#define WRIT_PASETO_READER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "writ/paseto_keys.h"
#include "writ/result.h"
#include "writ/validator.h"
#include "writ/verified_paseto.h"

namespace writ {

// Key is V4LocalKey, V3LocalKey, V4PublicKey or V3PublicKey. Immutable; safe to share
// across threads.
//
// Read() does, in order: the footer rules on the still unauthenticated footer (no PASERK
// key material anywhere in it, kForbiddenHeader; when it is a JSON object, strict JSON
// and a kid that is a PASERK lid for local keys or pid for public keys of this version,
// kMalformed otherwise); key selection by that kid (kUnknownKid), or the only key when
// the footer names none (kAmbiguousKey with several); decryption or signature check over
// the exact bytes with the implicit assertion (kBadSignature); the strict parse of the
// payload with RFC 3339 time claims; the validator's claim checks (exp required by
// default, iss, aud, nbf, iat, ...).
template <typename Key>
class PasetoReader {
 public:
  static constexpr std::size_t kMaxKeys = 100;

  // A ring of keys, each identified by its PASERK id (paserk::Lid / paserk::Pid).
  // kInvalidArgument when empty, with duplicates, or over kMaxKeys.
  static Result<PasetoReader> Create(std::vector<Key> keys);

  [[nodiscard]] Result<VerifiedPaseto> Read(std::string_view token, const Validator& validator,
                                            std::string_view implicit = {}) const;

  // The PASERK ids of the ring, in order.
  std::vector<std::string> kids() const;

 private:
  explicit PasetoReader(std::vector<std::pair<std::string, Key>> keys) : keys_(std::move(keys)) {}
  std::vector<std::pair<std::string, Key>> keys_;
};

extern template class PasetoReader<V4LocalKey>;
extern template class PasetoReader<V3LocalKey>;
extern template class PasetoReader<V4PublicKey>;
extern template class PasetoReader<V3PublicKey>;

}  // namespace writ

#endif  // WRIT_PASETO_READER_H_
