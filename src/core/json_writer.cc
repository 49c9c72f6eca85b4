#include "core/json_writer.h"

namespace writ::internal {

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out.push_back(kHex[byte >> 4]);
          out.push_back(kHex[byte & 0x0f]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void AppendStringMember(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty() && out.back() != '{') {
    out.push_back(',');
  }
  AppendJsonString(out, name);
  out.push_back(':');
  AppendJsonString(out, value);
}

std::string ToJson(simdjson::dom::element element) { return simdjson::minify(element); }

}  // namespace writ::internal
