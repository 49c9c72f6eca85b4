// Rules for a new password (NIST SP 800-63B §5.1.1.2): a minimum and maximum length, any
// Unicode text, and no value from a list of commonly used passwords. No composition rules.
#include "server/password_rules.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "server/common_passwords.h"

namespace writ::server {
namespace {

// RFC 3629 §4 (the well-formed byte sequences of Unicode Table 3-7): no overlong forms,
// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint8_t second_min = 0x80;
    std::uint8_t second_max = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      second_min = lead == 0xE0 ? 0xA0 : 0x80;  // 0xE0: overlong below U+0800
      second_max = lead == 0xED ? 0x9F : 0xBF;  // 0xED: surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      second_min = lead == 0xF0 ? 0x90 : 0x80;  // 0xF0: overlong below U+10000
      second_max = lead == 0xF4 ? 0x8F : 0xBF;  // 0xF4: above U+10FFFF
    } else {
      return false;  // a continuation byte, 0xC0/0xC1 (overlong) or 0xF5..0xFF
    }
    if (text.size() - i < length) {
      return false;
    }
    const auto second = static_cast<std::uint8_t>(text[i + 1]);
    if (second < second_min || second > second_max) {
      return false;
    }
    for (std::size_t k = 2; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if (next < 0x80 || next > 0xBF) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  const std::span<const std::string_view> list = CommonPasswords();
  // Bounds the copy below: nothing longer than the longest entry can be on the list.
  static const std::size_t longest = std::ranges::max_element(list, {}, &std::string_view::size)->size();
  if (password.size() > longest) {
    return false;
  }
  const std::string lower = AsciiLower(password);
  return std::ranges::binary_search(list, std::string_view(lower));
}

Status CheckNewPassword(std::string_view password, const PasswordPolicy& policy) {
  if (password.size() < policy.min_length) {
    return Fail(ErrorCode::kInvalidArgument, "password_too_short");
  }
  if (password.size() > policy.max_length) {
    return Fail(ErrorCode::kInvalidArgument, "password_too_long");
  }
  if (!IsValidUtf8(password)) {
    return Fail(ErrorCode::kInvalidArgument, "password_not_utf8");
  }
  if (IsCommonPassword(password)) {
    return Fail(ErrorCode::kInvalidArgument, "password_too_common");
  }
  return {};
}

}  // namespace writ::server
