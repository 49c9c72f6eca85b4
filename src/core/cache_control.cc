#include "core/cache_control.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace writ::internal {
namespace {

// RFC 9111 §1.2.2: a delta-seconds too large to represent counts as 2^31.
constexpr std::int64_t kDeltaSecondsLimit = std::int64_t{1} << 31;

struct Directive {
  std::string name;  // lower-cased
  std::optional<std::string> argument;
};

// RFC 9110 §5.6.2: tchar.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

class DirectiveScanner {
 public:
  explicit DirectiveScanner(std::string_view line) : line_(line) {}

  // Appends the directives of the line to `out`; false when the line does not parse.
  bool ScanInto(std::vector<Directive>& out) {
    for (;;) {
      SkipWhitespace();
      if (AtEnd()) {
        return true;
      }
      if (line_[pos_] == ',') {  // RFC 9110 §5.6.1: empty list elements are allowed
        ++pos_;
        continue;
      }
      Directive directive;
      if (!ScanToken(directive.name)) {
        return false;
      }
      std::transform(directive.name.begin(), directive.name.end(), directive.name.begin(),
                     [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
      if (!AtEnd() && line_[pos_] == '=') {
        ++pos_;
        std::string argument;
        const bool scanned = (!AtEnd() && line_[pos_] == '"') ? ScanQuoted(argument) : ScanToken(argument);
        if (!scanned) {
          return false;
        }
        directive.argument = std::move(argument);
      }
      out.push_back(std::move(directive));
      SkipWhitespace();
      if (!AtEnd() && line_[pos_] != ',') {
        return false;
      }
    }
  }

 private:
  bool AtEnd() const { return pos_ == line_.size(); }

  void SkipWhitespace() {
    while (!AtEnd() && (line_[pos_] == ' ' || line_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool ScanToken(std::string& token) {
    const std::size_t start = pos_;
    while (!AtEnd() && IsTokenChar(line_[pos_])) {
      ++pos_;
    }
    token.assign(line_.substr(start, pos_ - start));
    return pos_ > start;
  }

  // RFC 9110 §5.6.4: quoted-string, with quoted-pair.
  bool ScanQuoted(std::string& text) {
    ++pos_;  // opening quote
    while (!AtEnd() && line_[pos_] != '"') {
      if (line_[pos_] == '\\') {
        ++pos_;
        if (AtEnd()) {
          return false;
        }
      }
      text += line_[pos_++];
    }
    if (AtEnd()) {
      return false;
    }
    ++pos_;  // closing quote
    return true;
  }

  std::string_view line_;
  std::size_t pos_ = 0;
};

// RFC 9111 §1.2.2: delta-seconds = 1*DIGIT, saturating at 2^31.
std::optional<std::int64_t> ParseDeltaSeconds(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = std::min(value * 10 + (c - '0'), kDeltaSecondsLimit);
  }
  return value;
}

}  // namespace

std::chrono::seconds FreshnessLifetime(std::span<const std::string> field_lines,
                                       const FreshnessPolicy& policy) {
  std::vector<Directive> directives;
  for (const std::string& line : field_lines) {
    if (!DirectiveScanner(line).ScanInto(directives)) {
      return policy.floor;
    }
  }
  bool must_revalidate = false;
  int max_age_count = 0;
  std::optional<std::int64_t> max_age;
  for (const Directive& directive : directives) {
    if (directive.name == "no-store" || directive.name == "no-cache") {
      must_revalidate = true;
    } else if (directive.name == "max-age") {
      ++max_age_count;
      max_age = directive.argument ? ParseDeltaSeconds(*directive.argument) : std::nullopt;
      must_revalidate = must_revalidate || !max_age;
    }
  }
  if (must_revalidate || max_age_count > 1) {
    return policy.floor;
  }
  const std::chrono::seconds lifetime = max_age ? std::chrono::seconds{*max_age} : policy.fallback;
  return std::max(policy.floor, std::min(lifetime, policy.cap));
}

}  // namespace writ::internal
