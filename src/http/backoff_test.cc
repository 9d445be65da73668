// The in-memory failure backoff store (the Redis one: redis_store_test.cc).
#include "bulwark/http/backoff.h"

#include <gtest/gtest.h>

#include <string_view>

namespace bulwark::http {
namespace {

using std::chrono::seconds;

BackoffRule Rule(std::uint32_t free, std::int64_t max_wait, std::int64_t forget) {
  return {.free_failures = free, .max_wait = seconds(max_wait), .forget_after = seconds(forget)};
}

std::uint32_t Fail(BackoffStore& s, std::string_view key, BackoffRule rule) {
  BackoffFailure f[] = {{key, rule}};
  auto r = s.RecordFailure(f);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? (*r)[0] : 0;
}

seconds WaitFor(BackoffStore& s, std::string_view key) {
  std::string_view keys[] = {key};
  auto r = s.Wait(keys);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : seconds(-1);
}

TEST(Backoff, FreeAllowanceThenDoublingUpToTheCap) {
  ManualClock clock(1'700'000'000);
  auto store = MakeMemoryBackoffStore({.clock = &clock});
  const BackoffRule rule = Rule(3, 8, 3600);
  for (std::uint32_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(Fail(*store, "acct", rule), i);
    EXPECT_EQ(WaitFor(*store, "acct"), seconds(0)) << i;
  }
  const std::int64_t expected[] = {1, 2, 4, 8, 8, 8};
  for (std::int64_t want : expected) {
    Fail(*store, "acct", rule);
    EXPECT_EQ(WaitFor(*store, "acct"), seconds(want));
  }
  clock.Advance(seconds(3));
  EXPECT_EQ(WaitFor(*store, "acct"), seconds(5));
  clock.Advance(seconds(5));
  EXPECT_EQ(WaitFor(*store, "acct"), seconds(0));  // the wait ends; no permanent lockout
  EXPECT_EQ(WaitFor(*store, "someone-else"), seconds(0));
}

TEST(Backoff, QuietPeriodForgetsAndForgetClears) {
  ManualClock clock(1'700'000'000);
  auto store = MakeMemoryBackoffStore({.clock = &clock});
  const BackoffRule rule = Rule(1, 60, 120);
  Fail(*store, "k", rule);
  Fail(*store, "k", rule);
  EXPECT_EQ(WaitFor(*store, "k"), seconds(1));
  clock.Advance(seconds(121));
  EXPECT_EQ(Fail(*store, "k", rule), 1u);  // counting starts over
  EXPECT_EQ(Fail(*store, "k", rule), 2u);
  EXPECT_GT(WaitFor(*store, "k"), seconds(0));
  ASSERT_TRUE(store->Forget("k").ok());
  EXPECT_EQ(WaitFor(*store, "k"), seconds(0));
  EXPECT_EQ(Fail(*store, "k", rule), 1u);
}

TEST(Backoff, WaitIsTheLongestAmongKeysAndFailuresCountPerKey) {
  ManualClock clock(1'700'000'000);
  auto store = MakeMemoryBackoffStore({.clock = &clock});
  BackoffFailure both[] = {{"pair", Rule(0, 900, 3600)}, {"address", Rule(2, 900, 3600)}};
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store->RecordFailure(both).ok());
  auto counts = store->RecordFailure(both);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, (std::vector<std::uint32_t>{4, 4}));
  std::string_view keys[] = {"address", "pair", "unknown"};
  auto wait = store->Wait(keys);
  ASSERT_TRUE(wait.ok());
  EXPECT_EQ(*wait, seconds(8));  // pair: 4 over -> 8 s; address: 2 over -> 2 s
}

TEST(Backoff, RefusesRulesThatCouldLockOutOrNeverWait) {
  auto store = MakeMemoryBackoffStore();
  for (BackoffRule bad : {Rule(1, 0, 60), Rule(1, 60, 0), Rule(1, 120, 60)}) {
    BackoffFailure f[] = {{"k", bad}};
    auto r = store->RecordFailure(f);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(WaitFor(*store, "k"), seconds(0));  // nothing was recorded
}

TEST(Backoff, BoundedMemoryDropsQuietKeysFirst) {
  ManualClock clock(1'700'000'000);
  auto store = MakeMemoryBackoffStore({.max_keys = 2, .clock = &clock});
  const BackoffRule rule = Rule(0, 900, 3600);
  Fail(*store, "old", rule);
  clock.Advance(seconds(120));
  Fail(*store, "recent", rule);
  Fail(*store, "new", rule);  // full: "old" (quiet for 2 min) goes first
  EXPECT_EQ(WaitFor(*store, "old"), seconds(0));
  EXPECT_EQ(WaitFor(*store, "recent"), seconds(1));
  EXPECT_EQ(WaitFor(*store, "new"), seconds(1));
}

}  // namespace
}  // namespace bulwark::http
