#include "core/paserk/paserk_encoding.h"

#include "core/base64url.h"
#include "core/paserk/paserk_crypto.h"

namespace writ::internal {
namespace {

constexpr std::string_view kBase64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// kMalformed unless `paserk` starts with `prefix`; names the expected prefix, never the data.
Status CheckPrefix(std::string_view paserk, std::string_view prefix) {
  if (!paserk.starts_with(prefix)) {
    return Fail(ErrorCode::kMalformed, "not a " + std::string(prefix) + " PASERK");
  }
  return {};
}

}  // namespace

std::string EncodePaserk(std::string_view prefix, std::string_view bytes) {
  std::string out(prefix);
  Base64UrlEncodeAppend(bytes, out);
  return out;
}

SecretBytes EncodeSecretPaserk(std::string_view prefix, std::span<const std::uint8_t> bytes) {
  std::string text;
  // Reserved up front so appending never reallocates and leaves a stale copy behind.
  text.reserve(prefix.size() + (bytes.size() + 2) / 3 * 4);
  text.append(prefix);
  Base64UrlEncodeAppend(AsText(bytes), text);
  SecretBytes secret = SecretBytes::FromString(text);
  Wipe(text.data(), text.size());
  return secret;
}

Status DecodeKeyPaserk(std::string_view paserk, std::string_view prefix, std::span<std::uint8_t> out) {
  if (auto prefix_ok = CheckPrefix(paserk, prefix); !prefix_ok) {
    return prefix_ok;
  }
  const std::string_view data = paserk.substr(prefix.size());
  // Characters first, so padding or whitespace reads as malformed rather than as a length.
  if (data.size() % 4 == 1 || data.find_first_not_of(kBase64UrlAlphabet) != std::string_view::npos) {
    return Fail(ErrorCode::kMalformed, "PASERK data is not base64url");
  }
  if (Base64UrlDecodedSize(data.size()) != out.size()) {
    return Fail(ErrorCode::kInvalidKey,
                "a " + std::string(prefix) + " key is exactly " + std::to_string(out.size()) + " bytes");
  }
  if (!Base64UrlDecodeInto(data, out.data())) {
    return Fail(ErrorCode::kMalformed, "PASERK data is not canonical unpadded base64url");
  }
  return {};
}

Result<std::string> DecodePaserkData(std::string_view paserk, std::string_view prefix, std::size_t size) {
  if (auto prefix_ok = CheckPrefix(paserk, prefix); !prefix_ok) {
    return tl::unexpected(prefix_ok.error());
  }
  const std::string_view data = paserk.substr(prefix.size());
  if (data.size() % 4 == 1 || Base64UrlDecodedSize(data.size()) != size) {
    return Fail(ErrorCode::kMalformed,
                "a " + std::string(prefix) + " PASERK holds exactly " + std::to_string(size) + " bytes");
  }
  std::string decoded;
  if (!Base64UrlDecode(data, decoded)) {
    return Fail(ErrorCode::kMalformed, "PASERK data is not canonical unpadded base64url");
  }
  return decoded;
}

}  // namespace writ::internal
