// Durations on the command line and in `writ serve`'s configuration: a decimal count and
// one unit, "30s", "15m", "12h", "30d".
#ifndef WRIT_SERVER_DURATION_H_
#define WRIT_SERVER_DURATION_H_

#include <chrono>
#include <string_view>

#include "writ/result.h"

namespace writ::server {

// The duration `text` names: 1 to 9 digits followed by exactly one of s, m, h, d.
// kInvalidArgument for anything else (a bare number, a sign, spaces, other units).
[[nodiscard]] Result<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace writ::server

#endif  // WRIT_SERVER_DURATION_H_
