// writ::server::LintServerConfig: findings about a valid configuration that are worth a
// warning but not a refusal — printed by `writ serve` at start and by `writ check-config`.
#ifndef WRIT_SERVER_CONFIG_LINT_H_
#define WRIT_SERVER_CONFIG_LINT_H_

#include <string>
#include <vector>

#include "server/server_config.h"

namespace writ::server {

// Each finding names the key and says what to do.
std::vector<std::string> LintServerConfig(const ServerConfig& config);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_LINT_H_
