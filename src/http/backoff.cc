// Failure backoff stores (see bulwark/http/backoff.h): in memory and in Redis.

#include "bulwark/http/backoff.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "redis_pool.h"

namespace bulwark::http {
namespace {

// The wait after the `failures`-th failure under `rule`: nothing within the
// free allowance, then 1, 2, 4, ... seconds up to max_wait.
std::int64_t WaitAfter(std::uint32_t failures, const BackoffRule& rule) {
  if (failures <= rule.free_failures) return 0;
  const std::int64_t over = std::min<std::int64_t>(failures - rule.free_failures, 20);
  return std::min<std::int64_t>(std::int64_t{1} << (over - 1), rule.max_wait.count());
}

Result<void> CheckRules(std::span<const BackoffFailure> failures) {
  for (const BackoffFailure& f : failures) {
    if (f.rule.max_wait.count() <= 0 || f.rule.forget_after.count() <= 0 ||
        f.rule.max_wait > f.rule.forget_after) {
      return Error(ErrorCode::kInvalidArgument,
                   "backoff rule needs 0 < max_wait <= forget_after");
    }
  }
  return Ok();
}

class MemoryBackoff final : public BackoffStore {
 public:
  explicit MemoryBackoff(MemoryBackoffOptions o)
      : clock_(o.clock != nullptr ? o.clock : &SystemClock()), max_keys_(std::max<std::size_t>(1, o.max_keys)) {}

  Result<std::chrono::seconds> Wait(std::span<const std::string_view> keys) override {
    const std::int64_t now = clock_->NowUnixSeconds();
    std::lock_guard lock(mu_);
    std::int64_t wait = 0;
    for (std::string_view key : keys) {
      auto it = entries_.find(key);
      if (it == entries_.end()) continue;
      if (Forgotten(it->second, now)) {
        entries_.erase(it);
        continue;
      }
      wait = std::max(wait, it->second.blocked_until - now);
    }
    return std::chrono::seconds(wait);
  }

  Result<std::vector<std::uint32_t>> RecordFailure(std::span<const BackoffFailure> failures) override {
    BULWARK_RETURN_IF_ERROR(CheckRules(failures));
    const std::int64_t now = clock_->NowUnixSeconds();
    std::lock_guard lock(mu_);
    std::vector<std::uint32_t> counts;
    counts.reserve(failures.size());
    for (const BackoffFailure& f : failures) {
      auto it = entries_.find(f.key);
      if (it == entries_.end()) {
        MakeRoom(now);
        it = entries_.emplace(std::string(f.key), Entry{}).first;
      } else if (Forgotten(it->second, now)) {
        it->second = Entry{};
      }
      Entry& e = it->second;
      if (e.failures < UINT32_MAX) ++e.failures;
      e.last_failure = now;
      e.forget_after = f.rule.forget_after.count();
      const std::int64_t wait = WaitAfter(e.failures, f.rule);
      if (wait > 0) e.blocked_until = now + wait;
      counts.push_back(e.failures);
    }
    return counts;
  }

  Result<void> Forget(std::string_view key) override {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) entries_.erase(it);
    return Ok();
  }

 private:
  struct Entry {
    std::uint32_t failures = 0;
    std::int64_t last_failure = 0;
    std::int64_t blocked_until = 0;
    std::int64_t forget_after = 0;
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view k) const noexcept { return std::hash<std::string_view>{}(k); }
  };
  static bool Forgotten(const Entry& e, std::int64_t now) { return now - e.last_failure > e.forget_after; }
  void MakeRoom(std::int64_t now) {
    if (entries_.size() < max_keys_) return;
    std::erase_if(entries_, [now](const auto& kv) { return now - kv.second.last_failure > 60; });
    if (entries_.size() >= max_keys_) entries_.clear();
  }

  const Clock* clock_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>> entries_;
};

// KEYS: the keys. Returns the longest remaining wait in seconds (Redis's clock).
constexpr const char* kWaitScript = R"lua(
local now = tonumber(redis.call('TIME')[1])
local wait = 0
for i = 1, #KEYS do
  local b = tonumber(redis.call('HGET', KEYS[i], 'b') or '0')
  if b - now > wait then wait = b - now end
end
return wait
)lua";

// KEYS: the keys; ARGV: free, max_wait, forget_after per key. Returns the
// failure count per key. The key expires forget_after after its last failure.
constexpr const char* kFailScript = R"lua(
local now = tonumber(redis.call('TIME')[1])
local out = {}
for i = 1, #KEYS do
  local free = tonumber(ARGV[3 * i - 2])
  local cap = tonumber(ARGV[3 * i - 1])
  local forget = tonumber(ARGV[3 * i])
  local n = redis.call('HINCRBY', KEYS[i], 'n', 1)
  if n > free then
    local over = math.min(n - free, 20)
    local wait = math.min(2 ^ (over - 1), cap)
    redis.call('HSET', KEYS[i], 'b', string.format('%d', now + wait))
  end
  redis.call('EXPIRE', KEYS[i], forget)
  out[i] = n
end
return out
)lua";

class RedisBackoff final : public BackoffStore {
 public:
  RedisBackoff(RedisBackoffOptions o, internal::RedisTarget t)
      : options_(std::move(o)), pool_(std::move(t), options_.timeout, options_.max_connections) {}

  Result<void> Ping() { return pool_.Ping(); }

  Result<std::chrono::seconds> Wait(std::span<const std::string_view> keys) override {
    std::vector<std::string> full = FullKeys(keys);
    std::vector<std::string_view> views(full.begin(), full.end());
    Result<internal::RedisReplyPtr> r = pool_.Eval(wait_script_, views, {});
    if (!r.ok()) return std::move(r).error();
    if ((*r)->type != REDIS_REPLY_INTEGER) return Error(ErrorCode::kUnavailable, "unexpected Redis reply");
    return std::chrono::seconds(std::max<long long>(0, (*r)->integer));
  }

  Result<std::vector<std::uint32_t>> RecordFailure(std::span<const BackoffFailure> failures) override {
    BULWARK_RETURN_IF_ERROR(CheckRules(failures));
    std::vector<std::string> full;
    std::vector<std::string> args;
    full.reserve(failures.size());
    args.reserve(3 * failures.size());
    for (const BackoffFailure& f : failures) {
      full.push_back(options_.key_prefix + std::string(f.key));
      args.push_back(std::to_string(f.rule.free_failures));
      args.push_back(std::to_string(f.rule.max_wait.count()));
      args.push_back(std::to_string(f.rule.forget_after.count()));
    }
    std::vector<std::string_view> key_views(full.begin(), full.end());
    std::vector<std::string_view> arg_views(args.begin(), args.end());
    Result<internal::RedisReplyPtr> r = pool_.Eval(fail_script_, key_views, arg_views);
    if (!r.ok()) return std::move(r).error();
    const redisReply* reply = r->get();
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != failures.size()) {
      return Error(ErrorCode::kUnavailable, "unexpected Redis reply");
    }
    std::vector<std::uint32_t> counts;
    counts.reserve(failures.size());
    for (std::size_t i = 0; i < reply->elements; ++i) {
      if (reply->element[i]->type != REDIS_REPLY_INTEGER) {
        return Error(ErrorCode::kUnavailable, "unexpected Redis reply");
      }
      counts.push_back(static_cast<std::uint32_t>(std::clamp<long long>(reply->element[i]->integer, 0, UINT32_MAX)));
    }
    return counts;
  }

  Result<void> Forget(std::string_view key) override {
    std::string full = options_.key_prefix + std::string(key);
    std::string_view argv[] = {"DEL", full};
    Result<internal::RedisReplyPtr> r = pool_.Command(argv);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }

 private:
  std::vector<std::string> FullKeys(std::span<const std::string_view> keys) const {
    std::vector<std::string> full;
    full.reserve(keys.size());
    for (std::string_view k : keys) full.push_back(options_.key_prefix + std::string(k));
    return full;
  }

  RedisBackoffOptions options_;
  internal::RedisPool pool_;
  internal::RedisScript wait_script_{kWaitScript};
  internal::RedisScript fail_script_{kFailScript};
};

}  // namespace

std::shared_ptr<BackoffStore> MakeMemoryBackoffStore(MemoryBackoffOptions options) {
  return std::make_shared<MemoryBackoff>(options);
}

Result<std::shared_ptr<BackoffStore>> MakeRedisBackoffStore(RedisBackoffOptions options) {
  if (options.timeout.count() <= 0 || options.max_connections == 0 || options.key_prefix.empty()) {
    return Error(ErrorCode::kInvalidArgument, "bad Redis backoff options");
  }
  Result<internal::RedisTarget> target = internal::ParseRedisUrl(options.url);
  if (!target.ok()) return std::move(target).error();
  auto store = std::make_shared<RedisBackoff>(std::move(options), std::move(target).value());
  BULWARK_RETURN_IF_ERROR(store->Ping());
  return std::shared_ptr<BackoffStore>(std::move(store));
}

}  // namespace bulwark::http
