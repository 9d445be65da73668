#include "bulwark/core/clock.h"

#include <gtest/gtest.h>

namespace bulwark {
namespace {

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock clock(1'000);
  EXPECT_EQ(clock.NowUnixSeconds(), 1'000);
  clock.Advance(std::chrono::seconds(30));
  EXPECT_EQ(clock.NowUnixSeconds(), 1'030);
  clock.SetUnixSeconds(59);
  EXPECT_EQ(clock.NowUnixSeconds(), 59);
}

TEST(ClockTest, SystemClockIsRecent) {
  // 2024-01-01: any machine running these tests is past it.
  EXPECT_GT(SystemClock().NowUnixSeconds(), 1'704'067'200);
}

}  // namespace
}  // namespace bulwark
