#include "server/config_toml_guard.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace writ::server {
namespace {

bool IsAscii(char c) { return static_cast<unsigned char>(c) < 0x80; }

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool IsBareKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// One pass over the text, following TOML's grammar only as far as needed to know what
// toml++ reads as a string: a quote opens one only where a key segment or a value starts.
// Anywhere else (1"…, +"…, a value such as 3Z*x="…) toml++ reads the quote as part of a
// value, which it scans up to the next terminator with the faulty whitespace lookup.
class TomlScanner {
 public:
  explicit TomlScanner(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) {
      at_ = 3;  // the UTF-8 BOM, which toml++ skips
    }
  }

  std::optional<TomlTextProblem> Run() {
    for (; at_ < text_.size() && !problem_; ++at_) {
      const char c = text_[at_];
      if (c == '\n') {
        NewLine();
      } else if (string_ != String::kNone) {
        InString(c);
      } else if (!comment_) {
        Code(c);
      }
    }
    return problem_;
  }

 private:
  enum class String { kNone, kBasic, kLiteral, kMultiBasic, kMultiLiteral };
  // What the code expects next.
  enum class Expect { kKeyStart, kKeyRest, kValueStart, kWord, kAfter };
  enum class Frame { kHeader, kArray, kInlineTable };

  std::size_t RunOf(char quote) const {
    std::size_t end = at_;
    while (end < text_.size() && text_[end] == quote) {
      ++end;
    }
    return end - at_;
  }

  void Refuse(std::string what) { problem_ = TomlTextProblem{line_, std::move(what)}; }

  void NewLine() {
    ++line_;
    dots_ = 0;
    comment_ = false;
    if (string_ == String::kBasic || string_ == String::kLiteral) {
      string_ = String::kNone;  // "…" and '…' hold no line break (toml++ stops there)
      expect_ = Expect::kAfter;
    }
    if (string_ != String::kNone) {
      return;
    }
    if (!frames_.empty() && frames_.back() == Frame::kArray) {
      expect_ = expect_ == Expect::kWord ? Expect::kAfter : expect_;  // arrays span lines
    } else {
      frames_.clear();  // headers and inline tables end with their line
      expect_ = Expect::kKeyStart;
    }
  }

  // After a ',': the next array item or inline-table key; nothing at the top level.
  void AfterComma() {
    if (frames_.empty()) {
      expect_ = Expect::kAfter;
    } else {
      expect_ = frames_.back() == Frame::kArray ? Expect::kValueStart : Expect::kKeyStart;
    }
  }

  void Close(Frame frame) {
    if (!frames_.empty() && frames_.back() == frame) {
      frames_.pop_back();
    }
    expect_ = Expect::kAfter;
  }

  void OpenString(char quote) {
    const bool multi = RunOf(quote) >= 3;
    string_ = quote == '"' ? (multi ? String::kMultiBasic : String::kBasic)
                           : (multi ? String::kMultiLiteral : String::kLiteral);
    at_ += multi ? 2 : 0;
    string_is_key_ = expect_ == Expect::kKeyStart;
  }

  void CloseString() {
    string_ = String::kNone;
    expect_ = string_is_key_ ? Expect::kKeyRest : Expect::kAfter;
  }

  void Code(char c) {
    if (c == '.' && ++dots_ > kMaxConfigLineDots) {
      Refuse("more than " + std::to_string(kMaxConfigLineDots) +
             " '.' outside strings on one line; writ's keys are at most table.key, so "
             "tables never nest this deep");
    } else if (!IsAscii(c)) {
      Refuse("a non-ASCII character outside a string or comment; TOML keys are ASCII");
    } else if (c == '#') {
      comment_ = true;  // also ends a value: toml++ stops scanning one at '#'
      expect_ = expect_ == Expect::kWord ? Expect::kAfter : expect_;
    } else {
      switch (expect_) {
        case Expect::kKeyStart: KeyStart(c); break;
        case Expect::kKeyRest: KeyRest(c); break;
        case Expect::kValueStart: ValueStart(c); break;
        case Expect::kWord: Word(c); break;
        case Expect::kAfter: After(c); break;
      }
    }
  }

  void KeyStart(char c) {
    if (IsBlank(c)) {
      return;
    }
    if (c == '"' || c == '\'') {
      OpenString(c);
    } else if (IsBareKeyChar(c)) {
      expect_ = Expect::kKeyRest;
    } else if (c == '[' && (frames_.empty() || frames_.back() == Frame::kHeader)) {
      frames_.assign(1, Frame::kHeader);  // [table] or [[array-of-tables]]
    } else if (c == '}') {
      Close(Frame::kInlineTable);
    } else {
      expect_ = Expect::kAfter;
    }
  }

  void KeyRest(char c) {
    if (IsBlank(c) || IsBareKeyChar(c)) {
      return;
    }
    if (c == '.') {
      expect_ = Expect::kKeyStart;
    } else if (c == '=' && (frames_.empty() || frames_.back() != Frame::kHeader)) {
      expect_ = Expect::kValueStart;
    } else if (c == ']') {
      Close(Frame::kHeader);
    } else {
      expect_ = Expect::kAfter;
    }
  }

  void ValueStart(char c) {
    if (IsBlank(c)) {
      return;
    }
    if (c == '"' || c == '\'') {
      OpenString(c);
    } else if (c == '[') {
      frames_.push_back(Frame::kArray);
    } else if (c == '{') {
      frames_.push_back(Frame::kInlineTable);
      expect_ = Expect::kKeyStart;
    } else if (c == ']') {
      Close(Frame::kArray);
    } else {
      expect_ = Expect::kWord;  // a number, boolean or date: scanned to a terminator
    }
  }

  // toml++'s value terminators: whitespace, ] } , and # (in Code).
  void Word(char c) {
    if (IsBlank(c)) {
      expect_ = Expect::kAfter;
    } else {
      After(c);
    }
  }

  void After(char c) {
    if (c == ',') {
      AfterComma();
    } else if (c == ']') {
      Close(Frame::kArray);
    } else if (c == '}') {
      Close(Frame::kInlineTable);
    }
  }

  void InString(char c) {
    switch (string_) {
      case String::kBasic:
        if (c == '"') {
          CloseString();
        } else if (c == '\\' && at_ + 1 < text_.size() && text_[at_ + 1] != '\n') {
          ++at_;  // the escaped character; a line break is left to NewLine
        }
        break;
      case String::kMultiBasic:
        MultiBasic(c);
        break;
      case String::kLiteral:
        if (c == '\'') {
          CloseString();
        }
        break;
      case String::kMultiLiteral:
        if (c == '\'' && RunOf('\'') >= 3) {
          at_ += std::min<std::size_t>(RunOf('\''), 5) - 1;  // up to two quotes end the text
          CloseString();
        }
        break;
      case String::kNone:
        break;
    }
  }

  // After a backslash, toml++ tests the next character — and, for a line-ending backslash,
  // the first one after the blanks and line breaks — with the faulty whitespace lookup.
  void MultiBasic(char c) {
    if (c == '\\') {
      std::size_t next = at_ + 1;
      while (next < text_.size() && (IsBlank(text_[next]) || text_[next] == '\n')) {
        if (text_[next] == '\n') {
          NewLine();
        }
        ++next;
      }
      if (next < text_.size() && !IsAscii(text_[next])) {
        Refuse("a non-ASCII character right after a backslash in a \"\"\" string; write it "
               "as \\uXXXX, or move it before the line-ending backslash");
      }
      at_ = next > at_ + 1 ? next - 1 : at_ + 1;
    } else if (c == '"' && RunOf('"') >= 3) {
      at_ += std::min<std::size_t>(RunOf('"'), 5) - 1;  // up to two quotes end the text
      CloseString();
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
  std::size_t dots_ = 0;
  bool comment_ = false;
  String string_ = String::kNone;
  bool string_is_key_ = false;
  Expect expect_ = Expect::kKeyStart;
  std::vector<Frame> frames_;
  std::optional<TomlTextProblem> problem_;
};

}  // namespace

std::optional<TomlTextProblem> CheckTomlText(std::string_view text) {
  return TomlScanner(text).Run();
}

}  // namespace writ::server
