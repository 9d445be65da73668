#include "bulwark/core/clock.h"

namespace bulwark {
namespace {

class RealClock final : public Clock {
 public:
  TimePoint Now() const noexcept override { return std::chrono::system_clock::now(); }
};

}  // namespace

const Clock& SystemClock() noexcept {
  static const RealClock clock;
  return clock;
}

}  // namespace bulwark
