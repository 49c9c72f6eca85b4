// writ::cli::Finding: one problem `writ audit` or `writ inspect` reports about a token.
#ifndef WRIT_CLI_FINDING_H_
#define WRIT_CLI_FINDING_H_

#include <string>
#include <string_view>
#include <vector>

namespace writ::cli {

enum class Severity {
  kInfo,      // worth knowing; audit still exits 0
  kWarning,   // a weakness; audit exits 1
  kCritical,  // the token can be forged or leaks secrets; audit exits 1
};

struct Finding {
  Severity severity;
  std::string code;     // stable snake_case id, e.g. "weak_hmac_secret"
  std::string message;  // for people; never contains key material
};

// "info", "warning" or "critical".
std::string_view SeverityName(Severity severity);

// "SEVERITY: code: message".
std::string FormatFinding(const Finding& finding);

// True when any finding is at warning level or above.
bool HasWarnings(const std::vector<Finding>& findings);

}  // namespace writ::cli

#endif  // WRIT_CLI_FINDING_H_
