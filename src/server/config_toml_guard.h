// What toml++ must not be given: checks on the text of a configuration file before it is
// parsed, for inputs that toml++ 3.3 (Debian 12's) does not bound or mishandles. Internal to
// the configuration loader (config_toml.cc).
#ifndef WRIT_SERVER_CONFIG_TOML_GUARD_H_
#define WRIT_SERVER_CONFIG_TOML_GUARD_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace writ::server {

// The most '.' one line may hold outside strings and comments. A dotted key, a table header
// and an inline table each sit on one line (TOML v1.0.0, "Keys", "Table", "Inline Table"),
// so this bounds how deeply tables nest; toml++ recurses once per level (when it parses and
// when it frees the tree) with no limit of its own. writ's keys need one.
inline constexpr std::size_t kMaxConfigLineDots = 64;

struct TomlTextProblem {
  std::size_t line = 0;  // 1-based
  std::string what;      // what to change, for "config: FILE:LINE: <what>"
};

// nullopt when toml++ may parse `text`; otherwise the first line it must not see, and why:
//  - more than kMaxConfigLineDots '.' outside strings and comments (a 1 MiB `a.a.a…` key
//    overflowed the stack);
//  - a non-ASCII character outside strings and comments (never valid TOML v1.0.0: bare keys
//    are ASCII), a leading UTF-8 BOM excepted;
//  - in a """ string, a non-ASCII character after a backslash and the blanks and line breaks
//    that follow it.
// The last two reach __builtin_unreachable in toml++ 3.3's whitespace lookup
// (marzer/tomlplusplus#190, fixed upstream after 3.4), undefined behaviour in the library.
// Strings and comments are told apart as toml++ reads them: "…" and """…""" with backslash
// escapes, '…' and '''…''' without, # to the end of the line — and a quote opens a string
// only where a key segment or a value starts: any other quote (1"…, +"…, 3Z*x="…) toml++
// reads as part of a value, which it scans on to the next terminator.
std::optional<TomlTextProblem> CheckTomlText(std::string_view text);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_TOML_GUARD_H_
