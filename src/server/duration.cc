#include "server/duration.h"

#include <cstdint>
#include <string>

namespace writ::server {

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  auto invalid = [&text] {
    return Fail(ErrorCode::kInvalidArgument,
                "invalid duration '" + std::string(text) + "' (write e.g. 30s, 15m, 12h or 30d)");
  };
  // Nine digits of days is far beyond any sane duration but still fits comfortably.
  constexpr std::size_t kMaxDigits = 9;
  if (text.size() < 2 || text.size() > kMaxDigits + 1) {
    return invalid();
  }
  std::int64_t count = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') {
      return invalid();
    }
    count = count * 10 + (c - '0');
  }
  switch (text.back()) {
    case 's':
      return std::chrono::seconds(count);
    case 'm':
      return std::chrono::seconds(count * 60);
    case 'h':
      return std::chrono::seconds(count * 3600);
    case 'd':
      return std::chrono::seconds(count * 86400);
    default:
      return invalid();
  }
}

}  // namespace writ::server
