#include "core/printable.h"

namespace writ::internal {

std::string Printable(std::string_view text, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::string_view shown = text.substr(0, max_bytes);
  out.reserve(shown.size() + 8);
  for (const char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    } else {
      out.push_back(c);
    }
  }
  if (text.size() > max_bytes) {
    out += "...";
  }
  return out;
}

}  // namespace writ::internal
