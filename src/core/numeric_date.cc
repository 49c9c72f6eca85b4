#include "core/numeric_date.h"

#include <cmath>
#include <string>

namespace writ::internal {

Result<std::optional<std::int64_t>> ReadNumericDate(simdjson::dom::object claims, std::string_view name) {
  simdjson::dom::element value;
  if (claims.at_key(name).get(value) != simdjson::SUCCESS) {
    return std::optional<std::int64_t>();
  }
  const auto invalid = [&] {
    return Fail(ErrorCode::kInvalidClaim,
                std::string(name) + " must be a NumericDate between 0 and year 9999");
  };
  std::int64_t seconds = 0;
  switch (value.type()) {
    case simdjson::dom::element_type::INT64:
      seconds = value.get_int64().value_unsafe();
      break;
    case simdjson::dom::element_type::DOUBLE: {
      const double number = value.get_double().value_unsafe();
      if (!std::isfinite(number) || number < 0 || number > static_cast<double>(kMaxNumericDate)) {
        return invalid();
      }
      seconds = static_cast<std::int64_t>(std::floor(number));
      break;
    }
    default:  // strings, booleans, null, arrays, objects and integers beyond int64
      return invalid();
  }
  if (seconds < 0 || seconds > kMaxNumericDate) {
    return invalid();
  }
  return std::optional<std::int64_t>(seconds);
}

}  // namespace writ::internal
