#pragma once
// RateLimit: GCRA (generic cell rate algorithm; a token bucket with burst
// stored as one timestamp per key) keyed by client address, user and/or
// route. Stores: an in-memory sharded store for one instance, and a Redis
// store (hiredis, one round trip per decision: EVALSHA of a Lua script that
// uses the Redis server's clock) shared by all instances.
//
// Fail closed: if the store cannot answer, the request gets 503 (unless the
// explicit, named `unsafe_fail_open` is set). Every answer carries
// RateLimit-Policy and RateLimit headers; a 429 carries Retry-After.
//
// Thread-safety: stores and the middleware are thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/http/middleware.h"

namespace bulwark::http {

// `limit` requests per `period` on average, at most `burst` at once.
struct RatePolicy {
  std::uint32_t limit = 100;
  std::chrono::seconds period{60};
  std::uint32_t burst = 0;  // 0: burst = limit
};

struct RateDecision {
  bool allowed = false;
  std::uint32_t remaining = 0;          // requests left in the burst
  std::chrono::milliseconds reset{0};   // until the bucket is full again
  std::chrono::milliseconds retry_after{0};  // when denied: until the next one is allowed
};

class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;
  // Takes one request for `key` under `policy`.
  // Errors: kUnavailable when the store cannot be reached.
  virtual Result<RateDecision> Acquire(std::string_view key, const RatePolicy& policy) = 0;
};

struct MemoryRateLimitOptions {
  std::size_t shards = 64;
  // Keys kept at most (all shards); when full, the entries that are already
  // back to a full bucket are dropped first, then new keys are refused
  // (fail closed) rather than growing without bound.
  std::size_t max_keys = 1'000'000;
  const Clock* clock = nullptr;  // default: SystemClock()
};
std::shared_ptr<RateLimitStore> MakeMemoryRateLimitStore(MemoryRateLimitOptions options = {});

struct RedisRateLimitOptions {
  // redis://host:port[/db]
  std::string url = "redis://127.0.0.1:6379/0";
  std::string key_prefix = "bulwark:rl:";
  std::chrono::milliseconds timeout{200};  // connect and per command
  std::size_t max_connections = 16;
};
// Connects once to check the server is there. Errors: kInvalidArgument (bad
// URL), kUnavailable (cannot connect).
Result<std::shared_ptr<RateLimitStore>> MakeRedisRateLimitStore(RedisRateLimitOptions options);

struct RateLimitOptions {
  RatePolicy policy;
  std::shared_ptr<RateLimitStore> store;  // default: a memory store
  bool by_client_address = true;
  bool by_user = false;   // needs user_key
  bool by_route = false;  // one bucket per route template
  // IPv6 clients are grouped by prefix (one customer usually has a /56 or /64).
  int ipv6_prefix = 64;
  int ipv4_prefix = 32;
  // The user id for by_user (e.g. from the principal); nullopt: anonymous.
  std::function<std::optional<std::string>(const Request&)> user_key;
  // Let requests through when the store is down. Named so it is greppable.
  bool unsafe_fail_open = false;
  // A 429 is held this long (at most its Retry-After) before it is sent
  // (Response::set_delay): a client hammering one connection past its limit
  // gets about one answer per delay instead of thousands of cheap 429s a
  // second. 0 answers at once.
  std::chrono::milliseconds reject_delay{1'000};
};

class RateLimit final : public Middleware {
 public:
  // Errors: kInvalidArgument (zero limit/period, prefixes out of range,
  // by_user without user_key).
  static Result<std::shared_ptr<const RateLimit>> Create(RateLimitOptions options = {});
  Response Handle(Request& request, const Next& next) const override;
  // The bucket key for a request (exposed for tests).
  std::string KeyFor(const Request& request) const;

 private:
  explicit RateLimit(RateLimitOptions o) : options_(std::move(o)) {}
  // Appends the bucket key to `key` (KeyFor without an allocation).
  void AppendKey(const Request& request, std::string& key) const;
  RateLimitOptions options_;
  std::string policy_header_;
  // RateLimit-Policy and RateLimit (the state as its slot), checked once.
  HeaderBlock fields_;
};

}  // namespace bulwark::http
