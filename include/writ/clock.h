// writ::Clock: the source of "now" for claim checks, injected so tests never read the wall clock.
#ifndef WRIT_CLOCK_H_
#define WRIT_CLOCK_H_

#include <chrono>
#include <memory>

namespace writ {

using Seconds = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Seconds Now() const = 0;
};

// The system clock, truncated to whole seconds.
class SystemClock final : public Clock {
 public:
  Seconds Now() const override;
};

// A clock that always answers `now`, for tests and for checking tokens as of a given time.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Seconds now) : now_(now) {}
  Seconds Now() const override { return now_; }

 private:
  Seconds now_;
};

// A shared SystemClock.
std::shared_ptr<const Clock> DefaultClock();

}  // namespace writ

#endif  // WRIT_CLOCK_H_
