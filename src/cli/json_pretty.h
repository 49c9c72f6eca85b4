// Indented JSON for people, safe to print on a terminal.
#ifndef WRIT_CLI_JSON_PRETTY_H_
#define WRIT_CLI_JSON_PRETTY_H_

#include <string>
#include <string_view>

namespace writ::cli {

// `json` (already known to be valid JSON) re-indented with two spaces per level.
// DEL and C1 control characters inside strings, which JSON allows raw but terminals may
// act on, are written as \u escapes; everything else is kept byte for byte.
std::string PrettyJson(std::string_view json);

// `bytes` for display: printable ASCII as is, everything else as \xNN.
std::string EscapeForTerminal(std::string_view bytes);

}  // namespace writ::cli

#endif  // WRIT_CLI_JSON_PRETTY_H_
