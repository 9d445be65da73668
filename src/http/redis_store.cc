// The Redis rate-limit store: GCRA in a Lua script, so a decision is one
// round trip and atomic across instances, using the Redis server's clock so
// instances with skewed clocks agree.

#include <algorithm>
#include <memory>

#include "bulwark/http/rate_limit.h"
#include "redis_pool.h"

namespace bulwark::http {
namespace {

// KEYS[1] bucket; ARGV[1] interval_us (T), ARGV[2] tolerance_us (tau).
// Returns {allowed, remaining, reset_us, retry_us}.
constexpr const char* kScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if now < allow_at then
  return {0, 0, tat - now, allow_at - now}
end
local ttl_ms = math.ceil((new_tat - now) / 1000)
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', ttl_ms)
return {1, math.floor((now + tolerance - new_tat) / interval), new_tat - now, 0}
)lua";

class RedisStore final : public RateLimitStore {
 public:
  RedisStore(RedisRateLimitOptions o, internal::RedisTarget t)
      : options_(std::move(o)), pool_(std::move(t), options_.timeout, options_.max_connections) {}

  Result<void> Ping() { return pool_.Ping(); }

  Result<RateDecision> Acquire(std::string_view key, const RatePolicy& policy) override {
    std::int64_t period_us = std::chrono::duration_cast<std::chrono::microseconds>(policy.period).count();
    std::int64_t interval = std::max<std::int64_t>(1, period_us / policy.limit);
    std::uint32_t burst = policy.burst == 0 ? policy.limit : policy.burst;
    std::string full_key = options_.key_prefix + std::string(key);
    std::string interval_s = std::to_string(interval);
    std::string tolerance_s = std::to_string(interval * static_cast<std::int64_t>(burst));
    std::string_view keys[] = {full_key};
    std::string_view args[] = {interval_s, tolerance_s};
    Result<internal::RedisReplyPtr> result = pool_.Eval(script_, keys, args);
    if (!result.ok()) return std::move(result).error();
    const redisReply* reply = result->get();
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 4) {
      return Error(ErrorCode::kUnavailable, "unexpected Redis reply");
    }
    long long v[4];
    for (std::size_t i = 0; i < 4; ++i) {
      if (reply->element[i]->type != REDIS_REPLY_INTEGER) {
        return Error(ErrorCode::kUnavailable, "unexpected Redis reply");
      }
      v[i] = reply->element[i]->integer;
    }
    RateDecision d;
    d.allowed = v[0] == 1;
    d.remaining = static_cast<std::uint32_t>(std::max<long long>(0, v[1]));
    d.reset = std::chrono::milliseconds((std::max<long long>(0, v[2]) + 999) / 1000);
    d.retry_after = std::chrono::milliseconds((std::max<long long>(0, v[3]) + 999) / 1000);
    return d;
  }

 private:
  RedisRateLimitOptions options_;
  internal::RedisPool pool_;
  internal::RedisScript script_{kScript};
};

}  // namespace

Result<std::shared_ptr<RateLimitStore>> MakeRedisRateLimitStore(RedisRateLimitOptions options) {
  if (options.timeout.count() <= 0 || options.max_connections == 0 || options.key_prefix.empty()) {
    return Error(ErrorCode::kInvalidArgument, "bad Redis rate limit options");
  }
  Result<internal::RedisTarget> target = internal::ParseRedisUrl(options.url);
  if (!target.ok()) return std::move(target).error();
  auto store = std::make_shared<RedisStore>(std::move(options), std::move(target).value());
  Result<void> ping = store->Ping();
  if (!ping.ok()) return std::move(ping).error();
  return std::shared_ptr<RateLimitStore>(std::move(store));
}

}  // namespace bulwark::http
