// The reference JSON parser of json_fuzzer.cc: RFC 8259 (grammar, §7 strings, §6 numbers)
// with RFC 3629 UTF-8 and the RFC 7493 rule that an escaped surrogate is half of a pair,
// written from the RFCs and independent of simdjson. It parses into a tree, records
// duplicate member names (compared after unescaping), numbers no 64-bit integer or finite
// double holds, and the depth; a container deeper than its limit ends the parse (which
// also bounds its recursion).
#ifndef WRIT_FUZZ_JSON_REFERENCE_H_
#define WRIT_FUZZ_JSON_REFERENCE_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace writ_fuzz {

struct Node {
  enum class Type { kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };
  Type type = Type::kNull;
  std::string text;  // a string's bytes after unescaping, or a number as written
  bool out_of_range = false;  // a number no 64-bit integer or finite double holds
  std::string name;  // a member's name, unescaped (in an object's children)
  std::vector<Node> children;  // an object's members or an array's items, in order
};

enum class Verdict { kValid, kInvalid, kTooDeep };

class ReferenceParser {
 public:
  // `max_depth`: containers nested deeper (the top level at depth 1) end the parse.
  ReferenceParser(std::string_view text, std::size_t max_depth)
      : text_(text), max_depth_(max_depth) {}

  Verdict Parse(Node& root) {
    if (!IsUtf8(text_)) {
      return Verdict::kInvalid;
    }
    SkipWhitespace();
    Verdict verdict = Value(root, 1);
    if (verdict != Verdict::kValid) {
      return verdict;
    }
    SkipWhitespace();
    return at_ == text_.size() ? Verdict::kValid : Verdict::kInvalid;
  }

  bool has_duplicates() const { return has_duplicates_; }
  bool has_out_of_range() const { return has_out_of_range_; }
  std::size_t depth() const { return deepest_; }

 private:
  // RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF.
  static bool IsUtf8(std::string_view text) {
    std::size_t i = 0;
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    while (i < text.size()) {
      const unsigned char lead = byte(i);
      std::size_t length = 0;
      unsigned char low = 0x80;
      unsigned char high = 0xbf;
      if (lead < 0x80) {
        ++i;
        continue;
      }
      if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        low = lead == 0xe0 ? 0xa0 : 0x80;
        high = lead == 0xed ? 0x9f : 0xbf;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        low = lead == 0xf0 ? 0x90 : 0x80;
        high = lead == 0xf4 ? 0x8f : 0xbf;
      } else {
        return false;
      }
      if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) {
        return false;
      }
      for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }

  bool AtEnd() const { return at_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[at_]; }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++at_;
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) {
      return false;
    }
    at_ += word.size();
    return true;
  }

  Verdict Value(Node& node, std::size_t depth) {
    switch (Peek()) {
      case '{':
        return Object(node, depth);
      case '[':
        return Array(node, depth);
      case '"':
        node.type = Node::Type::kString;
        return String(node.text) ? Verdict::kValid : Verdict::kInvalid;
      case 't':
        node.type = Node::Type::kTrue;
        return Literal("true") ? Verdict::kValid : Verdict::kInvalid;
      case 'f':
        node.type = Node::Type::kFalse;
        return Literal("false") ? Verdict::kValid : Verdict::kInvalid;
      case 'n':
        node.type = Node::Type::kNull;
        return Literal("null") ? Verdict::kValid : Verdict::kInvalid;
      default:
        node.type = Node::Type::kNumber;
        return Number(node) ? Verdict::kValid : Verdict::kInvalid;
    }
  }

  Verdict Enter(std::size_t depth) {
    if (depth > max_depth_) {
      return Verdict::kTooDeep;
    }
    deepest_ = std::max(deepest_, depth);
    ++at_;
    SkipWhitespace();
    return Verdict::kValid;
  }

  Verdict Object(Node& node, std::size_t depth) {
    node.type = Node::Type::kObject;
    if (Verdict entered = Enter(depth); entered != Verdict::kValid) {
      return entered;
    }
    if (Peek() == '}') {
      ++at_;
      return Verdict::kValid;
    }
    while (true) {
      std::string name;
      if (Peek() != '"' || !String(name)) {
        return Verdict::kInvalid;
      }
      for (const Node& member : node.children) {
        has_duplicates_ = has_duplicates_ || member.name == name;
      }
      SkipWhitespace();
      if (Peek() != ':') {
        return Verdict::kInvalid;
      }
      ++at_;
      SkipWhitespace();
      node.children.emplace_back();
      node.children.back().name = std::move(name);
      if (Verdict value = Value(node.children.back(), depth + 1); value != Verdict::kValid) {
        return value;
      }
      SkipWhitespace();
      if (Peek() == '}') {
        ++at_;
        return Verdict::kValid;
      }
      if (Peek() != ',') {
        return Verdict::kInvalid;
      }
      ++at_;
      SkipWhitespace();
    }
  }

  Verdict Array(Node& node, std::size_t depth) {
    node.type = Node::Type::kArray;
    if (Verdict entered = Enter(depth); entered != Verdict::kValid) {
      return entered;
    }
    if (Peek() == ']') {
      ++at_;
      return Verdict::kValid;
    }
    while (true) {
      node.children.emplace_back();
      if (Verdict value = Value(node.children.back(), depth + 1); value != Verdict::kValid) {
        return value;
      }
      SkipWhitespace();
      if (Peek() == ']') {
        ++at_;
        return Verdict::kValid;
      }
      if (Peek() != ',') {
        return Verdict::kInvalid;
      }
      ++at_;
      SkipWhitespace();
    }
  }

  std::optional<unsigned> Hex4() {
    if (at_ + 4 > text_.size()) {
      return std::nullopt;
    }
    unsigned value = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text_[at_ + k];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
      value = value * 16 + digit;
    }
    at_ += 4;
    return value;
  }

  static void AppendUtf8(std::string& out, unsigned code_point) {
    const auto put = [&out](unsigned bits) { out.push_back(static_cast<char>(bits)); };
    if (code_point < 0x80) {
      put(code_point);
    } else if (code_point < 0x800) {
      put(0xc0 | (code_point >> 6));
      put(0x80 | (code_point & 0x3f));
    } else if (code_point < 0x10000) {
      put(0xe0 | (code_point >> 12));
      put(0x80 | ((code_point >> 6) & 0x3f));
      put(0x80 | (code_point & 0x3f));
    } else {
      put(0xf0 | (code_point >> 18));
      put(0x80 | ((code_point >> 12) & 0x3f));
      put(0x80 | ((code_point >> 6) & 0x3f));
      put(0x80 | (code_point & 0x3f));
    }
  }

  // RFC 8259 §7, with RFC 7493 §2.1: an escaped surrogate must be half of a pair.
  bool String(std::string& out) {
    ++at_;
    while (true) {
      if (AtEnd()) {
        return false;
      }
      const char c = text_[at_++];
      if (c == '"') {
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return false;
      }
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (AtEnd()) {
        return false;
      }
      const char escape = text_[at_++];
      switch (escape) {
        case '"': case '\\': case '/': out.push_back(escape); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          auto unit = Hex4();
          if (!unit || (*unit >= 0xdc00 && *unit <= 0xdfff)) {
            return false;
          }
          unsigned code_point = *unit;
          if (*unit >= 0xd800 && *unit <= 0xdbff) {
            if (!Literal("\\u")) {
              return false;
            }
            auto low = Hex4();
            if (!low || *low < 0xdc00 || *low > 0xdfff) {
              return false;
            }
            code_point = 0x10000 + ((*unit - 0xd800) << 10) + (*low - 0xdc00);
          }
          AppendUtf8(out, code_point);
          break;
        }
        default:
          return false;
      }
    }
  }

  bool Digits() {
    const std::size_t start = at_;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      ++at_;
    }
    return at_ > start;
  }

  // RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  bool Number(Node& node) {
    const std::size_t start = at_;
    if (Peek() == '-') {
      ++at_;
    }
    if (Peek() == '0') {
      ++at_;
    } else if (!Digits()) {
      return false;
    }
    bool integer = true;
    if (Peek() == '.') {
      ++at_;
      integer = false;
      if (!Digits()) {
        return false;
      }
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++at_;
      integer = false;
      if (Peek() == '+' || Peek() == '-') {
        ++at_;
      }
      if (!Digits()) {
        return false;
      }
    }
    node.text = std::string(text_.substr(start, at_ - start));
    if (integer) {
      const bool negative = node.text.front() == '-';
      const std::string_view digits = std::string_view(node.text).substr(negative ? 1 : 0);
      const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
      node.out_of_range =
          digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit);
    } else {
      node.out_of_range = std::isinf(std::strtod(node.text.c_str(), nullptr));
    }
    has_out_of_range_ = has_out_of_range_ || node.out_of_range;
    return true;
  }

  std::string_view text_;
  std::size_t max_depth_;
  std::size_t at_ = 0;
  std::size_t deepest_ = 0;
  bool has_duplicates_ = false;
  bool has_out_of_range_ = false;
};

}  // namespace writ_fuzz

#endif  // WRIT_FUZZ_JSON_REFERENCE_H_
