// Reading the key set document of writ::keys::SigningKeySet (signing_key_set.h describes it):
// a private JWK Set with "writ_rotation" metadata, a plain private JWK Set, or one private JWK.
#ifndef WRIT_KEYS_ROTATION_DOCUMENT_H_
#define WRIT_KEYS_ROTATION_DOCUMENT_H_

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "keys/signing_key_set.h"
#include "writ/result.h"

namespace writ::keys {

// The "writ_rotation" version this code reads and writes.
inline constexpr std::int64_t kRotationVersion = 1;
// The latest time a document may hold: 9999-12-31T23:59:59Z (RFC 3339 has four-digit years).
inline constexpr std::int64_t kMaxRotationTime = 253'402'300'799;

struct RotationDocument {
  std::vector<ManagedKey> keys;  // in document order
  std::chrono::seconds prepublish;
};

// The keys and metadata of `document`, checked as SigningKeySet::Parse documents. The text
// is copied only into memory that is wiped after parsing.
[[nodiscard]] Result<RotationDocument> ParseRotationDocument(std::string_view document);

}  // namespace writ::keys

#endif  // WRIT_KEYS_ROTATION_DOCUMENT_H_
