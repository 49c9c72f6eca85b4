// The built-in list of the most commonly chosen passwords that are long enough to pass the
// length rule (NIST SP 800-63B §5.1.1.2: compare new passwords against commonly used values).
#ifndef WRIT_SERVER_COMMON_PASSWORDS_H_
#define WRIT_SERVER_COMMON_PASSWORDS_H_

#include <cstddef>
#include <span>
#include <string_view>

namespace writ::server {

// The shortest entry: shorter passwords are refused by the length rule before the list.
inline constexpr std::size_t kCommonPasswordMinLength = 8;

// The list: sorted (byte order), unique, lower-case printable ASCII, each entry at least
// kCommonPasswordMinLength bytes. Searched by binary search (IsCommonPassword, password_rules.h).
std::span<const std::string_view> CommonPasswords();

}  // namespace writ::server

#endif  // WRIT_SERVER_COMMON_PASSWORDS_H_
