// The PASERK string format (paserk README, "PASERK"): "k<version>.<type>." followed by
// the base64url of the data. Strict: the prefix must match exactly and the base64url must
// be canonical and unpadded.
#ifndef WRIT_CORE_PASERK_PASERK_ENCODING_H_
#define WRIT_CORE_PASERK_PASERK_ENCODING_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::internal {

// prefix || base64url(bytes).
std::string EncodePaserk(std::string_view prefix, std::string_view bytes);
// The same for secret bytes: the result lives in secure memory and the temporary text
// is wiped.
SecretBytes EncodeSecretPaserk(std::string_view prefix, std::span<const std::uint8_t> bytes);

// Decodes the data of a plain key PASERK into `out`, which has exactly the key's size.
// kMalformed unless `paserk` starts with `prefix` and the rest is canonical base64url;
// kInvalidKey if it decodes to another length. `out` is unspecified on failure (wipe it).
Status DecodeKeyPaserk(std::string_view paserk, std::string_view prefix, std::span<std::uint8_t> out);

// The decoded data of a wrapped-key PASERK, which must be exactly `size` bytes.
// kMalformed for another prefix, length or non-canonical base64url.
Result<std::string> DecodePaserkData(std::string_view paserk, std::string_view prefix, std::size_t size);

}  // namespace writ::internal

#endif  // WRIT_CORE_PASERK_PASERK_ENCODING_H_
