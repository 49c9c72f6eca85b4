// `writ audit TOKEN|- [--wordlist FILE] [--now UNIX_SECONDS]`: lints a token the way an
// attacker or a reviewer would look at it.
#ifndef WRIT_CLI_AUDIT_COMMAND_H_
#define WRIT_CLI_AUDIT_COMMAND_H_

#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace writ::cli {

struct AuditCommandOptions {
  std::string token;  // the token, or "-" for stdin
  std::string wordlist;
  std::int64_t now = 0;  // with now_given: the time to judge expiry by (for tests)
  bool now_given = false;
};

CLI::App* AddAuditCommand(CLI::App& app, AuditCommandOptions& options);

// Prints findings one per line, "SEVERITY: code: message". Exit 0 when none is at
// warning level or above, 1 when some are (or the token cannot be decoded), 2 on a
// usage error.
int RunAudit(const AuditCommandOptions& options);

}  // namespace writ::cli

#endif  // WRIT_CLI_AUDIT_COMMAND_H_
