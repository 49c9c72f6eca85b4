// PASETO v4 and v3 tokens (https://github.com/paseto-standard/paseto-spec). Each
// operation takes the one key type of its version and purpose: there is no algorithm
// to choose and none is read from the token.
#ifndef WRIT_PASETO_H_
#define WRIT_PASETO_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "writ/paseto_keys.h"
#include "writ/result.h"

namespace writ {

// Size limits, checked before any decoding.
inline constexpr std::size_t kMaxPasetoBytes = 65536;       // whole token
inline constexpr std::size_t kMaxPasetoFooterBytes = 2048;  // decoded footer

// An authenticated payload and footer. The footer is authenticated but not encrypted.
struct PasetoMessage {
  std::string payload;
  std::string footer;
};

namespace paseto {

// vN.local: authenticated encryption. Decrypt checks the tag over the exact bytes before
// decrypting (kBadSignature), and refuses tokens of another version or purpose
// (kMalformed), footers over kMaxPasetoFooterBytes (kTooLarge) and implicit assertions
// that differ from the ones used to encrypt (kBadSignature).
Result<std::string> Encrypt(const V4LocalKey& key, std::string_view payload,
                            std::string_view footer = {}, std::string_view implicit = {});
[[nodiscard]] Result<PasetoMessage> Decrypt(const V4LocalKey& key, std::string_view token,
                                            std::string_view implicit = {});
Result<std::string> Encrypt(const V3LocalKey& key, std::string_view payload,
                            std::string_view footer = {}, std::string_view implicit = {});
[[nodiscard]] Result<PasetoMessage> Decrypt(const V3LocalKey& key, std::string_view token,
                                            std::string_view implicit = {});

// vN.public: signatures. The payload is readable by anyone; only its integrity is protected.
Result<std::string> Sign(const V4SecretKey& key, std::string_view payload,
                         std::string_view footer = {}, std::string_view implicit = {});
[[nodiscard]] Result<PasetoMessage> Verify(const V4PublicKey& key, std::string_view token,
                                           std::string_view implicit = {});
Result<std::string> Sign(const V3SecretKey& key, std::string_view payload,
                         std::string_view footer = {}, std::string_view implicit = {});
[[nodiscard]] Result<PasetoMessage> Verify(const V3PublicKey& key, std::string_view token,
                                           std::string_view implicit = {});

// The footer of `token`, decoded but NOT authenticated: for choosing a key by its kid
// before verification. Never trust it otherwise.
Result<std::string> UnverifiedFooter(std::string_view token);

}  // namespace paseto
}  // namespace writ

#endif  // WRIT_PASETO_H_
