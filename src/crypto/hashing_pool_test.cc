#include "bulwark/crypto/hashing_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <thread>
#include <vector>

namespace bulwark::crypto {
namespace {

TEST(HashingPoolTest, RunsJobsAndReportsStats) {
  auto pool = *HashingPool::Create({.workers = 2, .max_queue = 8});
  std::atomic<int> ran = 0;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool->Run([&] { ++ran; }).ok());
  EXPECT_EQ(ran.load(), 5);
  EXPECT_EQ(pool->stats().completed, 5u);
}

TEST(HashingPoolTest, FullQueueIsRejectedAtOnce) {
  auto pool = *HashingPool::Create(
      {.workers = 1, .max_queue = 1, .queue_timeout = std::chrono::seconds(30)});
  std::latch started(1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  // Occupies the only worker.
  std::thread blocker([&] {
    (void)pool->Run([&] {
      started.count_down();
      gate.wait();
    });
  });
  started.wait();
  // Fills the queue.
  std::thread queued([&] { EXPECT_TRUE(pool->Run([] {}).ok()); });
  while (pool->stats().queued == 0) std::this_thread::yield();
  // No room: refused immediately, not after the 30 s timeout.
  Result<void> refused = pool->Run([] { FAIL() << "must not run"; });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(pool->stats().rejected_full, 1u);
  release.set_value();
  blocker.join();
  queued.join();
}

TEST(HashingPoolTest, QueueTimeoutWithdrawsTheJob) {
  auto pool = *HashingPool::Create(
      {.workers = 1, .max_queue = 4, .queue_timeout = std::chrono::milliseconds(50)});
  std::latch started(1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::thread blocker([&] {
    (void)pool->Run([&] {
      started.count_down();
      gate.wait();
    });
  });
  started.wait();
  std::atomic<bool> ran = false;
  Result<void> r = pool->Run([&] { ran = true; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
  release.set_value();
  blocker.join();
  // Drain: a job run after the timeout would have set `ran`.
  ASSERT_TRUE(pool->Run([] {}).ok());
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(pool->stats().rejected_timeout, 1u);
  EXPECT_EQ(pool->stats().queued, 0u);
}

TEST(HashingPoolTest, LoginFloodIsBounded) {
  // 40 concurrent verifications against 2 workers and a queue of 4: the
  // excess is refused quickly instead of all 40 hashing at once.
  auto pool = *HashingPool::Create(
      {.workers = 2, .max_queue = 4, .queue_timeout = std::chrono::milliseconds(100)});
  PasswordHasher hasher = *PasswordHasher::Create({});
  const std::string stored = *hasher.Hash(SecretString::Adopt(std::string("right password")));
  std::atomic<int> busy = 0;
  std::atomic<int> checked = 0;
  std::vector<std::thread> clients;
  for (int i = 0; i < 40; ++i) {
    clients.emplace_back([&] {
      Result<PasswordVerification> v =
          pool->Verify(hasher, SecretString::Adopt(std::string("wrong password")), stored);
      if (v.ok()) {
        EXPECT_FALSE(v->matched);
        ++checked;
      } else {
        EXPECT_EQ(v.error().code(), ErrorCode::kResourceExhausted);
        ++busy;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(busy + checked, 40);
  EXPECT_GT(busy.load(), 0);
  EXPECT_GE(checked.load(), 2);
  HashingPoolStats stats = pool->stats();
  EXPECT_EQ(stats.rejected_full + stats.rejected_timeout, static_cast<std::uint64_t>(busy.load()));
  EXPECT_EQ(stats.running, 0u);
}

TEST(HashingPoolTest, HashThroughPool) {
  auto pool = *HashingPool::Create({});
  PasswordHasher hasher = *PasswordHasher::Create({});
  std::string phc = *pool->Hash(hasher, SecretString::Adopt(std::string("pool pw")));
  EXPECT_TRUE(pool->Verify(hasher, SecretString::Adopt(std::string("pool pw")), phc)->matched);
}

TEST(HashingPoolTest, BadOptions) {
  EXPECT_FALSE(HashingPool::Create({.workers = 0}).ok());
  EXPECT_FALSE(HashingPool::Create({.queue_timeout = std::chrono::milliseconds(0)}).ok());
}

}  // namespace
}  // namespace bulwark::crypto
