// A writ::Clock that tests move by hand: time passes only when the test says so.
#ifndef WRIT_TESTS_UNIT_MANUAL_CLOCK_H_
#define WRIT_TESTS_UNIT_MANUAL_CLOCK_H_

#include <atomic>
#include <chrono>

#include "writ/clock.h"

namespace writ::testing {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Seconds start = Seconds{std::chrono::seconds{1'800'000'000}})
      : now_(start.time_since_epoch().count()) {}
  Seconds Now() const override { return Seconds{std::chrono::seconds{now_.load()}}; }
  void Advance(std::chrono::seconds by) { now_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace writ::testing

#endif  // WRIT_TESTS_UNIT_MANUAL_CLOCK_H_
