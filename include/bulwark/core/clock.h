#pragma once
// Clock: the source of wall-clock time, injected wherever time decides a
// security outcome (token expiry, TOTP steps, lockouts), so tests can set it.
//
// Thread-safety: implementations are thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bulwark {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() const noexcept = 0;
  std::int64_t NowUnixSeconds() const noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
  }
};

// The real clock. The returned object lives forever.
const Clock& SystemClock() noexcept;

// A clock that moves only when told to; for tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t unix_seconds = 0) noexcept { SetUnixSeconds(unix_seconds); }
  TimePoint Now() const noexcept override {
    return TimePoint(std::chrono::nanoseconds(nanos_.load(std::memory_order_relaxed)));
  }
  void SetUnixSeconds(std::int64_t seconds) noexcept {
    nanos_.store(seconds * 1'000'000'000, std::memory_order_relaxed);
  }
  void Advance(std::chrono::nanoseconds delta) noexcept {
    nanos_.fetch_add(delta.count(), std::memory_order_relaxed);
  }

 private:
  std::atomic<std::int64_t> nanos_{0};
};

}  // namespace bulwark
