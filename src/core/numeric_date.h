// NumericDate (RFC 7519 §2): seconds since the epoch, as a JSON number.
#ifndef WRIT_CORE_NUMERIC_DATE_H_
#define WRIT_CORE_NUMERIC_DATE_H_

#include <cstdint>
#include <optional>

#include <simdjson.h>

namespace writ::internal {

// The latest NumericDate writ accepts: 9999-12-31T23:59:59Z. Later or negative values
// are refused rather than risk overflow in time arithmetic.
inline constexpr std::int64_t kMaxNumericDate = 253402300799;

// `value` as whole seconds (fractions truncated toward the past); nullopt when it is not
// a JSON number in [0, kMaxNumericDate].
std::optional<std::int64_t> ToNumericDate(simdjson::dom::element value);

}  // namespace writ::internal

#endif  // WRIT_CORE_NUMERIC_DATE_H_
