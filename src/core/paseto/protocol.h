// The PASETO v3/v4 constructions with the nonce injectable, for known-answer tests.
// Production code calls writ::paseto::Encrypt, which draws the nonce from the CSPRNG.
#ifndef WRIT_CORE_PASETO_PROTOCOL_H_
#define WRIT_CORE_PASETO_PROTOCOL_H_

#include <string>
#include <string_view>

#include "writ/paseto_keys.h"
#include "writ/result.h"

namespace writ::internal {

inline constexpr std::size_t kPasetoNonceSize = 32;

// `nonce` must be 32 bytes (kInvalidArgument otherwise).
Result<std::string> EncryptV4LocalWithNonce(const V4LocalKey& key, std::string_view payload,
                                            std::string_view footer, std::string_view implicit,
                                            std::string_view nonce);
Result<std::string> EncryptV3LocalWithNonce(const V3LocalKey& key, std::string_view payload,
                                            std::string_view footer, std::string_view implicit,
                                            std::string_view nonce);

}  // namespace writ::internal

#endif  // WRIT_CORE_PASETO_PROTOCOL_H_
