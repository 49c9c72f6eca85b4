// RFC 3339 date-times, the form of PASETO's time claims (exp, nbf, iat).
#ifndef WRIT_CORE_RFC3339_H_
#define WRIT_CORE_RFC3339_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace writ::internal {

// Seconds since the epoch for a strict RFC 3339 §5.6 date-time
// ("2039-01-01T00:00:00+00:00", "2039-01-01T00:00:00.123Z"): four-digit year, valid
// calendar date, time with seconds, optional fraction (truncated), and a "Z" or
// "+HH:MM"/"-HH:MM" offset; a leap second 60 counts as 59. nullopt for anything else or
// for times before 1970 or after 9999.
std::optional<std::int64_t> ParseRfc3339(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ" for `seconds` since the epoch (0 ≤ seconds ≤ year 9999).
std::string FormatRfc3339(std::int64_t seconds);

}  // namespace writ::internal

#endif  // WRIT_CORE_RFC3339_H_
