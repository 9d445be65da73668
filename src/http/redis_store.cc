// The Redis rate-limit store: GCRA in a Lua script, so a decision is one
// round trip and atomic across instances, using the Redis server's clock so
// instances with skewed clocks agree.

#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "bulwark/http/rate_limit.h"
#include "operator_log.h"

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

struct RedisTarget {
  std::string host;
  int port = 6379;
  int db = 0;
};

Result<RedisTarget> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return Error(ErrorCode::kInvalidArgument, "Redis URL must start with redis://");
  }
  url.remove_prefix(kScheme.size());
  RedisTarget t;
  std::size_t slash = url.find('/');
  std::string_view hostport = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = url.substr(slash + 1);
    if (!db.empty()) {
      auto [p, ec] = std::from_chars(db.data(), db.data() + db.size(), t.db);
      if (ec != std::errc() || p != db.data() + db.size() || t.db < 0 || t.db > 15) {
        return Error(ErrorCode::kInvalidArgument, "bad Redis database number");
      }
    }
  }
  std::size_t colon = hostport.rfind(':');
  t.host = std::string(hostport.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view port = hostport.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), t.port);
    if (ec != std::errc() || p != port.data() + port.size() || t.port <= 0 || t.port > 65535) {
      return Error(ErrorCode::kInvalidArgument, "bad Redis port");
    }
  }
  if (t.host.empty() || t.host.find('@') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "bad Redis host");
  }
  return t;
}

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;
struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

class RedisStore final : public RateLimitStore {
 public:
  RedisStore(RedisRateLimitOptions o, RedisTarget t) : options_(std::move(o)), target_(std::move(t)) {}

  Result<void> Ping() {
    Result<ContextPtr> c = Connect();
    if (!c.ok()) return std::move(c).error();
    ReplyPtr reply(static_cast<redisReply*>(redisCommand(c->get(), "PING")));
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
      return Error(ErrorCode::kUnavailable, "Redis does not answer PING");
    }
    Release(std::move(c).value());
    return Ok();
  }

  Result<RateDecision> Acquire(std::string_view key, const RatePolicy& policy) override {
    Result<ContextPtr> conn = Take();
    if (!conn.ok()) return std::move(conn).error();
    ContextPtr c = std::move(conn).value();
    std::int64_t period_us = std::chrono::duration_cast<std::chrono::microseconds>(policy.period).count();
    std::int64_t interval = std::max<std::int64_t>(1, period_us / policy.limit);
    std::uint32_t burst = policy.burst == 0 ? policy.limit : policy.burst;
    std::string full_key = options_.key_prefix + std::string(key);
    std::string interval_s = std::to_string(interval);
    std::string tolerance_s = std::to_string(interval * static_cast<std::int64_t>(burst));
    auto run = [&](const char* verb, const std::string& script_or_sha) {
      const char* argv[] = {verb, script_or_sha.c_str(), "1", full_key.c_str(), interval_s.c_str(),
                            tolerance_s.c_str()};
      std::size_t lens[] = {std::strlen(verb), script_or_sha.size(), 1, full_key.size(),
                            interval_s.size(), tolerance_s.size()};
      return ReplyPtr(static_cast<redisReply*>(redisCommandArgv(c.get(), 6, argv, lens)));
    };
    ReplyPtr reply = run("EVALSHA", Sha());
    if (reply && reply->type == REDIS_REPLY_ERROR &&
        std::string_view(reply->str, reply->len).substr(0, 8) == "NOSCRIPT") {
      reply = run("EVAL", kScript);
    }
    if (!reply || c->err != 0) {
      return Error(ErrorCode::kUnavailable, "Redis command failed");  // connection dropped
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 4) {
      Release(std::move(c));
      return Error(ErrorCode::kUnavailable, "unexpected Redis reply");
    }
    long long v[4];
    for (std::size_t i = 0; i < 4; ++i) {
      if (reply->element[i]->type != REDIS_REPLY_INTEGER) {
        Release(std::move(c));
        return Error(ErrorCode::kUnavailable, "unexpected Redis reply");
      }
      v[i] = reply->element[i]->integer;
    }
    Release(std::move(c));
    RateDecision d;
    d.allowed = v[0] == 1;
    d.remaining = static_cast<std::uint32_t>(std::max<long long>(0, v[1]));
    d.reset = std::chrono::milliseconds((std::max<long long>(0, v[2]) + 999) / 1000);
    d.retry_after = std::chrono::milliseconds((std::max<long long>(0, v[3]) + 999) / 1000);
    return d;
  }

 private:
  Result<ContextPtr> Connect() {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(options_.timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((options_.timeout.count() % 1000) * 1000);
    ContextPtr c(redisConnectWithTimeout(target_.host.c_str(), target_.port, tv));
    if (!c || c->err != 0) return Error(ErrorCode::kUnavailable, "cannot connect to Redis");
    if (redisSetTimeout(c.get(), tv) != REDIS_OK) {
      return Error(ErrorCode::kUnavailable, "cannot set Redis timeout");
    }
    if (target_.db != 0) {
      ReplyPtr r(static_cast<redisReply*>(redisCommand(c.get(), "SELECT %d", target_.db)));
      if (!r || r->type == REDIS_REPLY_ERROR) {
        return Error(ErrorCode::kUnavailable, "cannot select Redis database");
      }
    }
    return c;
  }

  Result<ContextPtr> Take() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        ContextPtr c = std::move(idle_.back());
        idle_.pop_back();
        return c;
      }
    }
    return Connect();
  }

  void Release(ContextPtr c) {
    if (!c || c->err != 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < options_.max_connections) idle_.push_back(std::move(c));
  }

  const std::string& Sha() {
    std::call_once(sha_once_, [this] {
      // SCRIPT LOAD returns the SHA1 Redis uses for EVALSHA; computed by
      // Redis itself so there is no second SHA1 implementation here.
      Result<ContextPtr> c = Connect();
      if (!c.ok()) return;
      ReplyPtr r(static_cast<redisReply*>(redisCommand(c->get(), "SCRIPT LOAD %s", kScript)));
      if (r && r->type == REDIS_REPLY_STRING) sha_.assign(r->str, r->len);
    });
    return sha_.empty() ? fallback_sha_ : sha_;
  }

  RedisRateLimitOptions options_;
  RedisTarget target_;
  std::mutex mu_;
  std::vector<ContextPtr> idle_;
  std::once_flag sha_once_;
  std::string sha_;
  std::string fallback_sha_ = "0000000000000000000000000000000000000000";
};

}  // namespace

Result<std::shared_ptr<RateLimitStore>> MakeRedisRateLimitStore(RedisRateLimitOptions options) {
  if (options.timeout.count() <= 0 || options.max_connections == 0 || options.key_prefix.empty()) {
    return Error(ErrorCode::kInvalidArgument, "bad Redis rate limit options");
  }
  Result<RedisTarget> target = ParseRedisUrl(options.url);
  if (!target.ok()) return std::move(target).error();
  auto store = std::make_shared<RedisStore>(std::move(options), std::move(target).value());
  Result<void> ping = store->Ping();
  if (!ping.ok()) return std::move(ping).error();
  return std::shared_ptr<RateLimitStore>(std::move(store));
}

}  // namespace bulwark::http
