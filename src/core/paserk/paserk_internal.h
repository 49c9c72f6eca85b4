// The PASERK wrapping operations with their randomness injectable (the pie nonce, the
// PBKW salt and nonce, the seal's ephemeral secret key), for known-answer tests.
// Production code calls writ::paserk::Wrap / PasswordWrap / Seal, which draw them from
// the CSPRNG. Each function checks the sizes of what is injected (kInvalidArgument).
#ifndef WRIT_CORE_PASERK_PASERK_INTERNAL_H_
#define WRIT_CORE_PASERK_PASERK_INTERNAL_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "writ/paserk.h"

namespace writ::internal {

inline constexpr std::size_t kPieNonceSize = 32;
inline constexpr std::size_t kV4PwSaltSize = 16;
inline constexpr std::size_t kV4PwNonceSize = 24;
inline constexpr std::size_t kV3PwSaltSize = 32;
inline constexpr std::size_t kV3PwNonceSize = 16;
inline constexpr std::size_t kV4SealEphemeralSize = 32;  // an X25519 secret scalar
inline constexpr std::size_t kV3SealEphemeralSize = 48;  // a P-384 scalar in [1, n-1]

// operations/Wrap/pie.md with the nonce `n` given.
Result<std::string> WrapWithNonce(const V4LocalKey& wrapping_key, const V4LocalKey& key, std::string_view nonce);
Result<std::string> WrapWithNonce(const V4LocalKey& wrapping_key, const V4SecretKey& key, std::string_view nonce);
Result<std::string> WrapWithNonce(const V3LocalKey& wrapping_key, const V3LocalKey& key, std::string_view nonce);
Result<std::string> WrapWithNonce(const V3LocalKey& wrapping_key, const V3SecretKey& key, std::string_view nonce);

// operations/PBKW.md with the salt `s` and nonce `n` given.
Result<std::string> PasswordWrapWithRandomness(const V4LocalKey& key, std::string_view password,
                                               const paserk::Argon2idParams& params, std::string_view salt,
                                               std::string_view nonce);
Result<std::string> PasswordWrapWithRandomness(const V4SecretKey& key, std::string_view password,
                                               const paserk::Argon2idParams& params, std::string_view salt,
                                               std::string_view nonce);
Result<std::string> PasswordWrapWithRandomness(const V3LocalKey& key, std::string_view password,
                                               const paserk::Pbkdf2Params& params, std::string_view salt,
                                               std::string_view nonce);
Result<std::string> PasswordWrapWithRandomness(const V3SecretKey& key, std::string_view password,
                                               const paserk::Pbkdf2Params& params, std::string_view salt,
                                               std::string_view nonce);

// operations/PKE.md with the ephemeral secret key `esk` given.
Result<std::string> SealWithEphemeral(const V4PublicKey& recipient, const V4LocalKey& key,
                                      std::string_view ephemeral_secret);
Result<std::string> SealWithEphemeral(const V3PublicKey& recipient, const V3LocalKey& key,
                                      std::string_view ephemeral_secret);

}  // namespace writ::internal

#endif  // WRIT_CORE_PASERK_PASERK_INTERNAL_H_
