#include "bulwark/http/rate_limit.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "bulwark/http/builtin.h"
#include "bulwark/http/router.h"
#include "operator_log.h"

namespace bulwark::http {
namespace {

struct Gcra {
  std::int64_t interval_us;  // T: one request's share of the period
  std::int64_t tolerance_us; // tau: T * burst
};

Gcra ParamsFor(const RatePolicy& p) {
  std::int64_t period_us = std::chrono::duration_cast<std::chrono::microseconds>(p.period).count();
  std::int64_t interval = std::max<std::int64_t>(1, period_us / p.limit);
  std::uint32_t burst = p.burst == 0 ? p.limit : p.burst;
  return {interval, interval * static_cast<std::int64_t>(burst)};
}

// One GCRA step: `tat` is the stored theoretical arrival time (0 = none).
RateDecision Step(std::int64_t& tat, std::int64_t now, const Gcra& g) {
  RateDecision d;
  std::int64_t base = std::max(tat, now);
  std::int64_t new_tat = base + g.interval_us;
  std::int64_t allow_at = new_tat - g.tolerance_us;
  if (now < allow_at) {
    d.allowed = false;
    d.retry_after = std::chrono::milliseconds((allow_at - now + 999) / 1000);
    d.reset = std::chrono::milliseconds((base - now + 999) / 1000);
    d.remaining = 0;
    return d;
  }
  tat = new_tat;
  d.allowed = true;
  d.remaining = static_cast<std::uint32_t>((now + g.tolerance_us - new_tat) / g.interval_us);
  d.reset = std::chrono::milliseconds((new_tat - now + 999) / 1000);
  return d;
}

class MemoryStore final : public RateLimitStore {
 public:
  explicit MemoryStore(MemoryRateLimitOptions o)
      : clock_(o.clock ? o.clock : &SystemClock()),
        shards_(std::max<std::size_t>(1, o.shards)),
        per_shard_max_(std::max<std::size_t>(1, o.max_keys / std::max<std::size_t>(1, o.shards))) {}

  Result<RateDecision> Acquire(std::string_view key, const RatePolicy& policy) override {
    std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                           clock_->Now().time_since_epoch())
                           .count();
    Gcra g = ParamsFor(policy);
    std::size_t h = std::hash<std::string_view>{}(key);
    Shard& shard = shards_[h % shards_.size()];
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.tat.find(std::string(key));
    if (it == shard.tat.end()) {
      if (shard.tat.size() >= per_shard_max_) {
        // Drop buckets that are full again (their TAT is in the past).
        std::erase_if(shard.tat, [now](const auto& e) { return e.second <= now; });
        if (shard.tat.size() >= per_shard_max_) {
          return Error(ErrorCode::kResourceExhausted, "rate limit store full");
        }
      }
      it = shard.tat.emplace(std::string(key), 0).first;
    }
    return Step(it->second, now, g);
  }

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::int64_t> tat;
  };
  const Clock* clock_;
  std::vector<Shard> shards_;
  std::size_t per_shard_max_;
};

}  // namespace

std::shared_ptr<RateLimitStore> MakeMemoryRateLimitStore(MemoryRateLimitOptions options) {
  return std::make_shared<MemoryStore>(options);
}

Result<std::shared_ptr<const RateLimit>> RateLimit::Create(RateLimitOptions options) {
  if (options.policy.limit == 0 || options.policy.period.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument, "rate limit needs limit > 0 and period > 0");
  }
  if (options.ipv6_prefix < 1 || options.ipv6_prefix > 128 || options.ipv4_prefix < 1 ||
      options.ipv4_prefix > 32) {
    return Error(ErrorCode::kInvalidArgument, "rate limit address prefix out of range");
  }
  if (options.by_user && !options.user_key) {
    return Error(ErrorCode::kInvalidArgument, "by_user needs user_key");
  }
  if (!options.store) options.store = MakeMemoryRateLimitStore();
  std::shared_ptr<RateLimit> m(new RateLimit(std::move(options)));
  const RatePolicy& p = m->options_.policy;
  m->policy_header_ = std::to_string(p.limit) + ";w=" + std::to_string(p.period.count());
  if (p.burst != 0) m->policy_header_ += ";burst=" + std::to_string(p.burst);
  return std::shared_ptr<const RateLimit>(std::move(m));
}

std::string RateLimit::KeyFor(const Request& request) const {
  std::string key;
  const RequestContext& ctx = request.context();
  if (options_.by_client_address) {
    std::optional<std::string> prefix = IpPrefix(ctx.client_ip, options_.ipv4_prefix, options_.ipv6_prefix);
    key += "ip=";
    key += prefix ? *prefix : std::string("unknown");
  }
  if (options_.by_user) {
    std::optional<std::string> user = options_.user_key(request);
    key += key.empty() ? "" : "|";
    key += "user=";
    key += user ? *user : std::string("-");
  }
  if (options_.by_route) {
    key += key.empty() ? "" : "|";
    key += "route=";
    key += MethodName(request.method());
    key += ' ';
    key += ctx.route != nullptr ? std::string_view(ctx.route->pattern) : std::string_view("-");
  }
  return key;
}

Response RateLimit::Handle(Request& request, const Next& next) const {
  Result<RateDecision> decision = options_.store->Acquire(KeyFor(request), options_.policy);
  if (!decision.ok()) {
    internal::LogError("rate limit store unavailable", request.context().request_id,
                       decision.error().ToString());
    if (options_.unsafe_fail_open) return next(request);
    Response r = Response::Problem(503, request.context().request_id);
    r.SetHeader("Retry-After", "1");
    return r;
  }
  const RateDecision& d = *decision;
  auto seconds = [](std::chrono::milliseconds ms) { return std::to_string((ms.count() + 999) / 1000); };
  std::string state = "limit=" + std::to_string(options_.policy.burst == 0 ? options_.policy.limit
                                                                            : options_.policy.burst) +
                      ", remaining=" + std::to_string(d.remaining) + ", reset=" + seconds(d.reset);
  Response response;
  if (!d.allowed) {
    response = Response::Problem(429, request.context().request_id);
    response.SetHeader("Retry-After", seconds(d.retry_after));
  } else {
    response = next(request);
  }
  response.SetHeader("RateLimit-Policy", policy_header_);
  response.SetHeader("RateLimit", state);
  return response;
}

}  // namespace bulwark::http
