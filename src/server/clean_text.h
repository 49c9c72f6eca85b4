// Text from clients (user agents, user names) made safe to show: valid UTF-8, no
// characters that mislead a reader, bounded. For the audit log and for JSON answers, which
// must be valid UTF-8 (RFC 8259 §8.1).
#ifndef WRIT_SERVER_CLEAN_TEXT_H_
#define WRIT_SERVER_CLEAN_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace writ::server {

// `text` as valid UTF-8 of at most `max_bytes` bytes: ill-formed bytes and misleading
// characters (DEL, C1 controls, U+2028/2029, bidirectional overrides) become U+FFFD, and
// the result is cut before the first character that would not fit whole. C0 controls are
// kept: JSON writers escape them.
std::string CleanText(std::string_view text, std::size_t max_bytes);

// True when `text` is well-formed UTF-8 (RFC 3629 §4: no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace writ::server

#endif  // WRIT_SERVER_CLEAN_TEXT_H_
