// Strict base64url (RFC 4648 §5) as JWS requires it (RFC 7515 §2, Appendix C).
#ifndef WRIT_CORE_BASE64URL_H_
#define WRIT_CORE_BASE64URL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace writ::internal {

// Unpadded base64url of `bytes`.
std::string Base64UrlEncode(std::span<const std::uint8_t> bytes);
std::string Base64UrlEncode(std::string_view bytes);
// Appends the encoding to `out`.
void Base64UrlEncodeAppend(std::string_view bytes, std::string& out);

// The number of bytes `encoded_size` characters decode to (assuming a valid length).
constexpr std::size_t Base64UrlDecodedSize(std::size_t encoded_size) {
  return encoded_size / 4 * 3 + (encoded_size % 4 == 0 ? 0 : encoded_size % 4 - 1);
}

// Decodes `text` into `out` (replacing its contents). Returns false, leaving `out`
// unspecified, unless `text` is canonical unpadded base64url: only A-Z a-z 0-9 - _,
// no '=' padding, no whitespace, length % 4 != 1, and the unused low bits of the last
// character zero (so every byte string has exactly one accepted encoding).
// `extra_capacity` reserves that many spare bytes after the data (for simdjson padding).
[[nodiscard]] bool Base64UrlDecode(std::string_view text, std::string& out,
                                   std::size_t extra_capacity = 0);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Decodes into a caller buffer of at least Base64UrlDecodedSize(text.size()) bytes.
// Returns the number of bytes written, or nullopt as above.
std::optional<std::size_t> Base64UrlDecodeInto(std::string_view text, std::uint8_t* out);

}  // namespace writ::internal

#endif  // WRIT_CORE_BASE64URL_H_
