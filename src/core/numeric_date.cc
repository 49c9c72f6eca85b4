#include "core/numeric_date.h"

#include <cmath>

namespace writ::internal {

std::optional<std::int64_t> ToNumericDate(simdjson::dom::element value) {
  std::int64_t seconds = 0;
  switch (value.type()) {
    case simdjson::dom::element_type::INT64:
      seconds = value.get_int64().value_unsafe();
      break;
    case simdjson::dom::element_type::DOUBLE: {
      const double number = value.get_double().value_unsafe();
      if (!std::isfinite(number) || number < 0 || number > static_cast<double>(kMaxNumericDate)) {
        return std::nullopt;
      }
      seconds = static_cast<std::int64_t>(std::floor(number));
      break;
    }
    default:  // strings, booleans, null, arrays, objects and integers beyond int64
      return std::nullopt;
  }
  if (seconds < 0 || seconds > kMaxNumericDate) {
    return std::nullopt;
  }
  return seconds;
}

}  // namespace writ::internal
