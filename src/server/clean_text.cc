// CleanText and IsValidUtf8 (clean_text.h): UTF-8 decoding by RFC 3629 §4, replacement by U+FFFD.
#include "server/clean_text.h"

#include <algorithm>

namespace writ::server {
namespace {

constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD

// Length of the well-formed UTF-8 sequence (RFC 3629 §4) at `text[pos]` with its code
// point in `code_point`; 0 when the bytes there are not one.
std::size_t DecodeUtf8(std::string_view text, std::size_t pos, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;  // range of the second byte
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    low = lead == 0xe0 ? 0xa0 : 0x80;   // no overlong forms
    high = lead == 0xed ? 0x9f : 0xbf;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    low = lead == 0xf0 ? 0x90 : 0x80;
    high = lead == 0xf4 ? 0x8f : 0xbf;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (pos + length > text.size() || byte(1) < low || byte(1) > high) {
    return 0;
  }
  code_point = static_cast<char32_t>(lead & (0x7fu >> length));
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) {
      return 0;
    }
    code_point = (code_point << 6) | static_cast<char32_t>(byte(i) & 0x3fu);
  }
  return length;
}

// Characters that are valid but would mislead a reader of the log: DEL, C1 controls
// (U+009B is CSI to a terminal), line/paragraph separators and bidirectional overrides.
// C0 controls are left to AppendJsonString, which escapes them.
bool IsMisleading(char32_t code_point) {
  return (code_point >= 0x7f && code_point <= 0x9f) || (code_point >= 0x2028 && code_point <= 0x202e) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

}  // namespace

std::string CleanText(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point = 0;
    std::size_t length = DecodeUtf8(text, pos, code_point);
    std::string_view piece = text.substr(pos, length);
    if (length == 0 || IsMisleading(code_point)) {
      piece = kReplacement;
      length = std::max<std::size_t>(length, 1);
    }
    if (out.size() + piece.size() > max_bytes) {
      break;
    }
    out += piece;
    pos += length;
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t code_point = 0;
    const std::size_t length = DecodeUtf8(text, pos, code_point);
    if (length == 0) {
      return false;
    }
    pos += length;
  }
  return true;
}

}  // namespace writ::server
