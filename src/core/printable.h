// Quoting untrusted text (token or key members) in error details, which go to logs and to
// the CLI's one-line output: no control characters, bounded length.
#ifndef WRIT_CORE_PRINTABLE_H_
#define WRIT_CORE_PRINTABLE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace writ::internal {

// `text` with bytes outside printable ASCII written as \xNN and '"' and '\' escaped,
// cut to `max_bytes` input bytes with "..." appended when longer.
std::string Printable(std::string_view text, std::size_t max_bytes = 64);

}  // namespace writ::internal

#endif  // WRIT_CORE_PRINTABLE_H_
