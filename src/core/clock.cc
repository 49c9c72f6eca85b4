#include "writ/clock.h"

namespace writ {

Seconds SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::shared_ptr<const Clock> DefaultClock() {
  static const auto* const kClock = new std::shared_ptr<const Clock>(std::make_shared<SystemClock>());
  return *kClock;
}

}  // namespace writ
