#pragma once
// Failure backoff: after a free allowance of failures under a key (an
// account, an address, an account+address pair), each further failure
// doubles a wait during which attempts under that key are refused. The
// wait is capped and the count is forgotten after a quiet period, so an
// attacker can slow a victim down but never lock them out for good.
//
// Used for login throttling; anything that guesses (OTP codes, API key
// probes) fits. Two stores: in memory (one process) and Redis (shared by
// every instance, so N instances do not give an attacker N times the
// guesses; Redis's own clock decides, so instances with skewed clocks
// agree; each call is one round trip running a Lua script).
//
// Keys are opaque bytes chosen by the caller; hash personal data (emails)
// before using it as a key if the store should not hold it.
//
// Thread-safety: stores are safe to share between threads.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"

namespace bulwark::http {

struct BackoffRule {
  std::uint32_t free_failures = 5;          // failures before the first wait
  std::chrono::seconds max_wait{900};       // the doubling stops here
  std::chrono::seconds forget_after{3600};  // quiet time after which the count starts over
};

struct BackoffFailure {
  std::string_view key;
  BackoffRule rule;
};

class BackoffStore {
 public:
  virtual ~BackoffStore() = default;
  // How long until an attempt under every one of `keys` is allowed again
  // (the longest wait among them); 0 when allowed now.
  // Errors: kUnavailable (store unreachable; callers should refuse, not
  // allow, the attempt).
  virtual Result<std::chrono::seconds> Wait(std::span<const std::string_view> keys) = 0;
  // Counts one failure under each key with its rule; returns the failure
  // count (after this one) per key, in order. Errors: kUnavailable,
  // kInvalidArgument (a rule with max_wait or forget_after <= 0).
  virtual Result<std::vector<std::uint32_t>> RecordFailure(
      std::span<const BackoffFailure> failures) = 0;
  // Forgets `key` (after a success). Errors: kUnavailable.
  virtual Result<void> Forget(std::string_view key) = 0;
};

struct MemoryBackoffOptions {
  // Keys kept at most; when full, quiet keys (no failure for a minute) are
  // dropped first, then everything (bounded memory beats perfect memory:
  // per-address keys re-learn within seconds).
  std::size_t max_keys = 200'000;
  const Clock* clock = nullptr;  // default: SystemClock()
};
std::shared_ptr<BackoffStore> MakeMemoryBackoffStore(MemoryBackoffOptions options = {});

struct RedisBackoffOptions {
  std::string url = "redis://127.0.0.1:6379/0";  // redis://host:port[/db]
  std::string key_prefix = "bulwark:backoff:";
  std::chrono::milliseconds timeout{200};  // connect and per command
  std::size_t max_connections = 16;
};
// Connects once to check the server is there. Errors: kInvalidArgument (bad
// URL or options), kUnavailable (cannot connect).
Result<std::shared_ptr<BackoffStore>> MakeRedisBackoffStore(RedisBackoffOptions options);

}  // namespace bulwark::http
