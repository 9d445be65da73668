// The Redis rate-limit store against a real Redis (scripts/testenv/redis.sh).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bulwark/crypto/random.h"
#include "bulwark/http/app.h"
#include "bulwark/http/backoff.h"
#include "bulwark/http/rate_limit.h"
#include "bulwark/http/secure_defaults.h"

namespace bulwark::http {
namespace {

std::string RedisUrl() {
  const char* url = std::getenv("BULWARK_TEST_REDIS_URL");
  return url ? url : "";
}

#define REQUIRE_REDIS()                                                             \
  do {                                                                              \
    if (RedisUrl().empty()) {                                                       \
      const char* ci = std::getenv("CI");                                           \
      if (ci != nullptr && std::string(ci) == "true") {                             \
        FAIL() << "BULWARK_TEST_REDIS_URL is unset under CI=true";                  \
      }                                                                             \
      GTEST_SKIP() << "BULWARK_TEST_REDIS_URL is unset (run via scripts/test.sh)";  \
    }                                                                               \
  } while (false)

TEST(RedisRateLimit, GcraAcrossTwoStoreInstances) {
  REQUIRE_REDIS();
  RedisRateLimitOptions o;
  o.url = RedisUrl();
  o.key_prefix = "bulwark:test:" + crypto::RandomToken(16) + ":";
  auto a = MakeRedisRateLimitStore(o);
  auto b = MakeRedisRateLimitStore(o);  // a second "instance"
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_TRUE(b.ok());
  RatePolicy p{.limit = 5, .period = std::chrono::seconds(60), .burst = 5};
  int allowed = 0;
  for (int i = 0; i < 10; ++i) {
    auto& store = (i % 2 == 0) ? *a : *b;
    auto d = store->Acquire("client", p);
    ASSERT_TRUE(d.ok()) << d.error().ToString();
    if (d->allowed) ++allowed;
    if (!d->allowed) {
      EXPECT_GT(d->retry_after.count(), 0);
    }
  }
  EXPECT_EQ(allowed, 5);
  auto other = (*a)->Acquire("other-client", p);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->allowed);
  EXPECT_EQ(other->remaining, 4u);
}

TEST(RedisRateLimit, ConcurrentDecisionsAreAtomic) {
  REQUIRE_REDIS();
  RedisRateLimitOptions o;
  o.url = RedisUrl();
  o.key_prefix = "bulwark:test:" + crypto::RandomToken(16) + ":";
  auto store = MakeRedisRateLimitStore(o);
  ASSERT_TRUE(store.ok());
  RatePolicy p{.limit = 20, .period = std::chrono::seconds(3600), .burst = 20};
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto d = (*store)->Acquire("shared", p);
        if (d.ok() && d->allowed) allowed.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 20);
}

TEST(RedisRateLimit, UnreachableIsAnError) {
  RedisRateLimitOptions o;
  o.url = "redis://127.0.0.1:1/0";
  o.timeout = std::chrono::milliseconds(100);
  auto store = MakeRedisRateLimitStore(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), ErrorCode::kUnavailable);
  o.url = "http://127.0.0.1:6379";
  EXPECT_EQ(MakeRedisRateLimitStore(o).error().code(), ErrorCode::kInvalidArgument);
}

TEST(RedisRateLimit, ThroughSecureDefaults) {
  REQUIRE_REDIS();
  RedisRateLimitOptions ro;
  ro.url = RedisUrl();
  ro.key_prefix = "bulwark:test:" + crypto::RandomToken(16) + ":";
  auto store = MakeRedisRateLimitStore(ro);
  ASSERT_TRUE(store.ok());
  SecureDefaultsOptions o;
  o.access_log.sink = [](std::string_view) {};
  o.rate_limit.store = *store;
  o.rate_limit.policy = RatePolicy{.limit = 2, .period = std::chrono::seconds(60), .burst = 2};
  auto chain = SecureDefaults(std::move(o));
  ASSERT_TRUE(chain.ok());
  Router r;
  r.Get("/x", [](Request&) { return Response::Json(200, "{}"); });
  App app(std::move(r), std::move(chain).value());
  std::vector<int> statuses;
  for (int i = 0; i < 3; ++i) {
    Request req = *Request::Create(Method::kGet, "/x");
    req.context().peer_ip = "192.0.2.50";
    statuses.push_back(app.Handle(req).status());
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 429}));
}

// ---- The Redis failure backoff store (the memory one: backoff_test.cc).

RedisBackoffOptions BackoffOptions() {
  RedisBackoffOptions o;
  o.url = RedisUrl();
  o.key_prefix = "bulwark:test:" + crypto::RandomToken(16) + ":";
  return o;
}

TEST(RedisBackoff, SharedByInstancesDoublesAndForgets) {
  REQUIRE_REDIS();
  RedisBackoffOptions o = BackoffOptions();
  auto a = MakeRedisBackoffStore(o);
  auto b = MakeRedisBackoffStore(o);  // a second instance of the service
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_TRUE(b.ok());
  // Key bytes are passed verbatim (no command or Lua injection through them).
  const std::string key = "acct|a@example.com\r\n*1\r\n$8\r\nFLUSHALL\r\n') redis.call('FLUSHALL";
  const BackoffRule rule{.free_failures = 2, .max_wait = std::chrono::seconds(600),
                         .forget_after = std::chrono::seconds(3600)};
  BackoffFailure f[] = {{key, rule}};
  std::string_view keys[] = {key, "never-failed"};
  for (std::uint32_t i = 1; i <= 4; ++i) {
    auto& store = (i % 2 == 1) ? *a : *b;
    auto counts = store->RecordFailure(f);
    ASSERT_TRUE(counts.ok()) << counts.error().ToString();
    EXPECT_EQ((*counts)[0], i);  // one count across both instances
  }
  // 4 failures, 2 free: the second doubling step, 2 s (1 s if Redis's clock
  // ticked between the calls).
  auto wait = (*b)->Wait(keys);
  ASSERT_TRUE(wait.ok());
  EXPECT_GE(wait->count(), 1);
  EXPECT_LE(wait->count(), 2);
  ASSERT_TRUE((*a)->Forget(key).ok());
  wait = (*b)->Wait(keys);
  ASSERT_TRUE(wait.ok());
  EXPECT_EQ(wait->count(), 0);
  EXPECT_EQ((*(*b)->RecordFailure(f))[0], 1u);
}

TEST(RedisBackoff, CountExpiresAfterTheQuietPeriodAndBadRulesAreRefused) {
  REQUIRE_REDIS();
  auto store = MakeRedisBackoffStore(BackoffOptions());
  ASSERT_TRUE(store.ok());
  const BackoffRule rule{.free_failures = 0, .max_wait = std::chrono::seconds(1),
                         .forget_after = std::chrono::seconds(1)};
  BackoffFailure f[] = {{"short", rule}};
  ASSERT_TRUE((*store)->RecordFailure(f).ok());
  EXPECT_EQ((*(*store)->RecordFailure(f))[0], 2u);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  EXPECT_EQ((*(*store)->RecordFailure(f))[0], 1u);  // Redis expired the key
  BackoffFailure bad[] = {{"short", {.free_failures = 0, .max_wait = std::chrono::seconds(10),
                                     .forget_after = std::chrono::seconds(5)}}};
  auto refused = (*store)->RecordFailure(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
}

TEST(RedisBackoff, UnreachableIsAnError) {
  RedisBackoffOptions o;
  o.url = "redis://127.0.0.1:1/0";
  o.timeout = std::chrono::milliseconds(100);
  auto store = MakeRedisBackoffStore(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), ErrorCode::kUnavailable);
  o.url = "redis://user:pw@127.0.0.1:6379";
  EXPECT_EQ(MakeRedisBackoffStore(o).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::http
