// The built-in list of HMAC secrets seen in tutorials, defaults and leaked configs, for
// `writ audit`. A token whose MAC verifies with one of them is forgeable by anyone.
#ifndef WRIT_CLI_COMMON_SECRETS_H_
#define WRIT_CLI_COMMON_SECRETS_H_

#include <span>
#include <string_view>

namespace writ::cli {

std::span<const std::string_view> CommonSecrets();

}  // namespace writ::cli

#endif  // WRIT_CLI_COMMON_SECRETS_H_
