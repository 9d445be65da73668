#include "bulwark/http/rate_limit.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
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
    // Hashed once: the same hash picks the shard and finds the bucket.
    const HashedKey hashed{key, std::hash<std::string_view>{}(key)};
    Shard& shard = shards_[hashed.hash % shards_.size()];
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.tat.find(hashed);  // no std::string per lookup
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
  // Transparent hash/equality: lookups by a key and its hash, computed
  // once, with no allocation.
  struct HashedKey {
    std::string_view text;
    std::size_t hash;
  };
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view k) const noexcept { return std::hash<std::string_view>{}(k); }
    std::size_t operator()(const HashedKey& k) const noexcept { return k.hash; }
  };
  struct KeyEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
    bool operator()(const HashedKey& a, std::string_view b) const noexcept { return a.text == b; }
    bool operator()(std::string_view a, const HashedKey& b) const noexcept { return a == b.text; }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::int64_t, KeyHash, KeyEqual> tat;
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
  // RateLimit: "limit=N, remaining=R, reset=S"; only R and S change, so
  // "limit=N, remaining=" is the slot's fixed prefix.
  const std::uint32_t quota = p.burst == 0 ? p.limit : p.burst;
  Result<HeaderBlock> fields =
      HeaderBlock::Builder()
          .Add("RateLimit-Policy", m->policy_header_)
          .AddWithSlot("RateLimit", "limit=" + std::to_string(quota) + ", remaining=", "")
          .Build();
  if (!fields.ok()) return fields.error();
  m->fields_ = std::move(fields).value();
  return std::shared_ptr<const RateLimit>(std::move(m));
}

namespace {

// glibc's inet_pton(AF_INET) grammar, inline (the libc call is a third of
// the key's cost): four decimal parts, each 0..255 without a leading zero,
// separated by single dots. False for anything else; the caller then still
// asks inet_pton, so this can only save time, never accept more.
bool ParseDottedQuad(std::string_view text, unsigned char* out) {
  if (text.size() < 7 || text.size() > 15) return false;
  // A copy with zeros after it: the NUL that ends the text is neither a
  // digit nor a dot, so the scan needs no end checks.
  char s[17] = {};
  std::memcpy(s, text.data(), text.size());
  auto digit = [](char c) { return static_cast<unsigned>(static_cast<unsigned char>(c) - '0'); };
  const char* p = s;
  unsigned char parts[4];
  for (std::size_t part = 0; part < 4; ++part) {
    if (part > 0 && *p++ != '.') return false;
    unsigned value = digit(*p++);
    if (value > 9) return false;
    if (const unsigned d1 = digit(*p); d1 <= 9) {
      if (value == 0) return false;  // leading zero
      value = value * 10 + d1;
      ++p;
      if (const unsigned d2 = digit(*p); d2 <= 9) {
        value = value * 10 + d2;
        ++p;
        if (value > 255 || digit(*p) <= 9) return false;
      }
    }
    parts[part] = static_cast<unsigned char>(value);
  }
  // All of the text, and no NUL inside it.
  if (p != s + text.size()) return false;
  std::memcpy(out, parts, 4);
  return true;
}

// Appends `ip` masked to its prefix as "addr/prefix" (what IpPrefix returns)
// or "unknown", without heap allocation: this runs on every request.
void AppendIpPrefix(std::string& out, std::string_view ip, int prefix4, int prefix6) {
  char text[INET6_ADDRSTRLEN] = {};
  unsigned char bytes[16] = {};
  int family = 0;
  if (prefix4 == 32 && ParseDottedQuad(ip, bytes)) {
    // A dotted quad in inet_pton's grammar is already in canonical form, and
    // /32 masks nothing: the text is the key.
    out += ip;
    out += "/32";
    return;
  }
  if (!ip.empty() && ip.size() < sizeof(text)) {
    std::memcpy(text, ip.data(), ip.size());
    if (ParseDottedQuad(ip, bytes) || inet_pton(AF_INET, text, bytes) == 1) {
      family = 4;
    } else if (inet_pton(AF_INET6, text, bytes) == 1) {
      family = 6;
      static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
      if (std::memcmp(bytes, kMapped, 12) == 0) {  // IPv4-mapped: the IPv4 address
        std::memmove(bytes, bytes + 12, 4);
        family = 4;
      }
    }
  }
  if (family == 0) {
    out += "unknown";
    return;
  }
  int prefix = family == 4 ? prefix4 : prefix6;
  std::size_t n = family == 4 ? 4 : 16;
  for (std::size_t i = 0; i < n; ++i) {
    int bits = prefix - static_cast<int>(i) * 8;
    if (bits >= 8) continue;
    bytes[i] = static_cast<unsigned char>(bits <= 0 ? 0 : bytes[i] & (0xFF << (8 - bits)));
  }
  char num[8];
  if (family == 4) {
    // Dotted quad by hand: glibc's inet_ntop formats IPv4 with sprintf.
    for (std::size_t i = 0; i < 4; ++i) {
      if (i > 0) out += '.';
      auto [end, ec] = std::to_chars(num, num + sizeof(num), unsigned{bytes[i]});
      out.append(num, static_cast<std::size_t>(end - num));
    }
  } else {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, bytes, buf, sizeof(buf));
    out += buf;
  }
  out += '/';
  auto [end, ec] = std::to_chars(num, num + sizeof(num), prefix);
  out.append(num, static_cast<std::size_t>(end - num));
}

}  // namespace

void RateLimit::AppendKey(const Request& request, std::string& key) const {
  const RequestContext& ctx = request.context();
  std::size_t start = key.size();
  if (options_.by_client_address) {
    key += "ip=";
    AppendIpPrefix(key, ctx.client_ip, options_.ipv4_prefix, options_.ipv6_prefix);
  }
  if (options_.by_user) {
    std::optional<std::string> user = options_.user_key(request);
    if (key.size() > start) key += '|';
    key += "user=";
    key += user ? std::string_view(*user) : std::string_view("-");
  }
  if (options_.by_route) {
    if (key.size() > start) key += '|';
    key += "route=";
    key += MethodName(request.method());
    key += ' ';
    key += ctx.route != nullptr ? std::string_view(ctx.route->pattern) : std::string_view("-");
  }
}

std::string RateLimit::KeyFor(const Request& request) const {
  std::string key;
  AppendKey(request, key);
  return key;
}

Response RateLimit::Handle(Request& request, const Next& next) const {
  // A per-thread key buffer: no allocation per request once warm.
  thread_local std::string key;
  key.clear();
  AppendKey(request, key);
  Result<RateDecision> decision = options_.store->Acquire(key, options_.policy);
  if (!decision.ok()) {
    internal::LogError("rate limit store unavailable", request.context().request_id,
                       decision.error().ToString());
    if (options_.unsafe_fail_open) return next(request);
    Response r = Response::Problem(503, request.context().request_id);
    r.SetHeader("Retry-After", "1");
    return r;
  }
  const RateDecision& d = *decision;
  // "R, reset=S", the changing part of "limit=N, remaining=R, reset=S"
  // (fields_ holds the rest), formatted on the stack (no allocation).
  char state_text[64];
  char* out = state_text;
  out = std::to_chars(out, out + 16, d.remaining).ptr;
  constexpr std::string_view kReset = ", reset=";
  std::memcpy(out, kReset.data(), kReset.size());
  out += kReset.size();
  out = std::to_chars(out, out + 24, (d.reset.count() + 999) / 1000).ptr;
  const std::string_view state(state_text, static_cast<std::size_t>(out - state_text));
  // Initialized from either branch directly (no moves of the response).
  Response response = d.allowed ? next(request) : [&] {
    Response refused = Response::Problem(429, request.context().request_id);
    char retry[24];
    char* retry_end =
        std::to_chars(retry, retry + sizeof(retry), (d.retry_after.count() + 999) / 1000).ptr;
    refused.SetHeader("Retry-After",
                      std::string_view(retry, static_cast<std::size_t>(retry_end - retry)));
    refused.set_delay(std::min(options_.reject_delay, d.retry_after));
    return refused;
  }();
  // Set() for both, in this order.
  response.headers().Replace(fields_, state);
  return response;
}

}  // namespace bulwark::http
