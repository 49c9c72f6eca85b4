#include "json_pretty.h"

#include <cstddef>
#include <cstdio>

namespace writ::cli {
namespace {

void NewLine(std::string& out, int depth) {
  out.push_back('\n');
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

// Appends the string literal starting at json[i] (the opening quote); returns the index
// after the closing quote.
std::size_t AppendString(std::string_view json, std::size_t i, std::string& out) {
  out.push_back('"');
  ++i;
  while (i < json.size()) {
    auto byte = static_cast<unsigned char>(json[i]);
    if (byte == '\\' && i + 1 < json.size()) {
      out.append(json.substr(i, 2));
      i += 2;
      continue;
    }
    if (byte == '"') {
      out.push_back('"');
      return i + 1;
    }
    char escape[8];
    if (byte == 0x7f) {
      out.append("\\u007f");
    } else if (byte == 0xc2 && i + 1 < json.size() &&
               static_cast<unsigned char>(json[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(json[i + 1]) <= 0x9f) {
      // U+0080..U+009F, encoded C2 80..C2 9F.
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned char>(json[i + 1]));
      out.append(escape);
      ++i;
    } else {
      out.push_back(json[i]);
    }
    ++i;
  }
  return i;
}

}  // namespace

std::string PrettyJson(std::string_view json) {
  std::string out;
  int depth = 0;
  std::size_t i = 0;
  while (i < json.size()) {
    char c = json[i];
    switch (c) {
      case '"':
        i = AppendString(json, i, out);
        continue;
      case '{':
      case '[': {
        // Empty containers stay on one line.
        std::size_t next = json.find_first_not_of(" \t\r\n", i + 1);
        char close = c == '{' ? '}' : ']';
        if (next != std::string_view::npos && json[next] == close) {
          out.push_back(c);
          out.push_back(close);
          i = next + 1;
          continue;
        }
        out.push_back(c);
        ++depth;
        NewLine(out, depth);
        break;
      }
      case '}':
      case ']':
        --depth;
        NewLine(out, depth);
        out.push_back(c);
        break;
      case ',':
        out.push_back(',');
        NewLine(out, depth);
        break;
      case ':':
        out.append(": ");
        break;
      case ' ':
      case '\t':
      case '\r':
      case '\n':
        break;
      default:
        out.push_back(c);
    }
    ++i;
  }
  return out;
}

std::string EscapeForTerminal(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      out.push_back(c);
    } else {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      out.append(escape);
    }
  }
  return out;
}

}  // namespace writ::cli
