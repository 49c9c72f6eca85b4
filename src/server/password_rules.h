// Password acceptance at signup and set-password: length and a built-in list of the most
// common passwords (NIST SP 800-63B §5.1.1.2: check against commonly used values).
#ifndef WRIT_SERVER_PASSWORD_RULES_H_
#define WRIT_SERVER_PASSWORD_RULES_H_

#include <string_view>

#include "server/server_config.h"
#include "writ/result.h"

namespace writ::server {

// kInvalidArgument with detail "password_too_short", "password_too_long",
// "password_too_common" or "password_not_utf8"; length counted in bytes.
[[nodiscard]] Status CheckNewPassword(std::string_view password, const PasswordPolicy& policy);

// True when `password`, compared case-insensitively, is on the built-in common list.
bool IsCommonPassword(std::string_view password);

}  // namespace writ::server

#endif  // WRIT_SERVER_PASSWORD_RULES_H_
