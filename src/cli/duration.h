// Durations on the command line: a decimal count and one unit, "30s", "15m", "12h", "30d".
#ifndef WRIT_CLI_DURATION_H_
#define WRIT_CLI_DURATION_H_

#include <chrono>
#include <string_view>

#include "writ/result.h"

namespace writ::cli {

// The duration `text` names: 1 to 9 digits followed by exactly one of s, m, h, d.
// kInvalidArgument for anything else (a bare number, a sign, spaces, other units).
Result<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace writ::cli

#endif  // WRIT_CLI_DURATION_H_
