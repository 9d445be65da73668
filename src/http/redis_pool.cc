#include "redis_pool.h"

#include <charconv>

namespace bulwark::http::internal {

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

Result<RedisPool::ContextPtr> RedisPool::Connect() {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout_.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout_.count() % 1000) * 1000);
  ContextPtr c(redisConnectWithTimeout(target_.host.c_str(), target_.port, tv));
  if (!c || c->err != 0) return Error(ErrorCode::kUnavailable, "cannot connect to Redis");
  if (redisSetTimeout(c.get(), tv) != REDIS_OK) {
    return Error(ErrorCode::kUnavailable, "cannot set Redis timeout");
  }
  if (target_.db != 0) {
    RedisReplyPtr r(static_cast<redisReply*>(redisCommand(c.get(), "SELECT %d", target_.db)));
    if (!r || r->type == REDIS_REPLY_ERROR) {
      return Error(ErrorCode::kUnavailable, "cannot select Redis database");
    }
  }
  return c;
}

Result<RedisPool::ContextPtr> RedisPool::Take() {
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

void RedisPool::Release(ContextPtr c) {
  if (!c || c->err != 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_connections_) idle_.push_back(std::move(c));
}

Result<void> RedisPool::Ping() {
  std::string_view argv[] = {"PING"};
  Result<RedisReplyPtr> r = Command(argv);
  if (!r.ok()) return Error(ErrorCode::kUnavailable, "Redis does not answer PING");
  return Ok();
}

const std::string& RedisPool::Sha(RedisScript& script) {
  std::call_once(script.once_, [&] {
    Result<ContextPtr> c = Take();
    if (!c.ok()) return;
    RedisReplyPtr r(static_cast<redisReply*>(redisCommand(c->get(), "SCRIPT LOAD %s", script.source_)));
    if (r && r->type == REDIS_REPLY_STRING) script.sha_.assign(r->str, r->len);
    Release(std::move(c).value());
  });
  static const std::string kUnknown(40, '0');  // EVALSHA fails, EVAL follows
  return script.sha_.empty() ? kUnknown : script.sha_;
}

namespace {

RedisReplyPtr Run(redisContext* c, const std::vector<std::string_view>& argv) {
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (std::string_view a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  return RedisReplyPtr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), ptrs.data(), lens.data())));
}

}  // namespace

Result<RedisReplyPtr> RedisPool::Eval(RedisScript& script, std::span<const std::string_view> keys,
                                      std::span<const std::string_view> args) {
  const std::string& sha = Sha(script);
  Result<ContextPtr> conn = Take();
  if (!conn.ok()) return std::move(conn).error();
  ContextPtr c = std::move(conn).value();
  std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.push_back("EVALSHA");
  argv.push_back(sha);
  argv.push_back(key_count);
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  RedisReplyPtr reply = Run(c.get(), argv);
  if (reply && reply->type == REDIS_REPLY_ERROR &&
      std::string_view(reply->str, reply->len).substr(0, 8) == "NOSCRIPT") {
    argv[0] = "EVAL";
    argv[1] = script.source();
    reply = Run(c.get(), argv);
  }
  if (!reply || c->err != 0) {
    return Error(ErrorCode::kUnavailable, "Redis command failed");  // connection dropped
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    Release(std::move(c));
    return Error(ErrorCode::kUnavailable, "Redis script failed");
  }
  Release(std::move(c));
  return reply;
}

Result<RedisReplyPtr> RedisPool::Command(std::span<const std::string_view> argv) {
  Result<ContextPtr> conn = Take();
  if (!conn.ok()) return std::move(conn).error();
  ContextPtr c = std::move(conn).value();
  RedisReplyPtr reply = Run(c.get(), std::vector<std::string_view>(argv.begin(), argv.end()));
  if (!reply || c->err != 0) return Error(ErrorCode::kUnavailable, "Redis command failed");
  if (reply->type == REDIS_REPLY_ERROR) {
    Release(std::move(c));
    return Error(ErrorCode::kUnavailable, "Redis command refused");
  }
  Release(std::move(c));
  return reply;
}

}  // namespace bulwark::http::internal
