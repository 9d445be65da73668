#pragma once
// Internal: the Redis connection pool and Lua-script runner shared by the
// Redis rate-limit store and the Redis backoff store (hiredis, blocking,
// one command per call, bounded by a timeout).

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"

namespace bulwark::http::internal {

struct RedisTarget {
  std::string host;
  int port = 6379;
  int db = 0;
};
// redis://host[:port][/db]. Errors: kInvalidArgument.
Result<RedisTarget> ParseRedisUrl(std::string_view url);

struct RedisReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyDeleter>;

// A Lua script and the SHA1 Redis gave it (SCRIPT LOAD, so there is no
// second SHA1 implementation here). One per script per store.
class RedisScript {
 public:
  explicit RedisScript(const char* source) : source_(source) {}
  const char* source() const noexcept { return source_; }

 private:
  friend class RedisPool;
  const char* source_;
  std::once_flag once_;
  std::string sha_;
};

class RedisPool {
 public:
  RedisPool(RedisTarget target, std::chrono::milliseconds timeout, std::size_t max_connections)
      : target_(std::move(target)), timeout_(timeout), max_connections_(max_connections) {}

  // Errors: kUnavailable.
  Result<void> Ping();
  // EVALSHA (EVAL when Redis lost the script) with `keys` and `args`.
  // Errors: kUnavailable (no connection, dropped connection, an error reply).
  Result<RedisReplyPtr> Eval(RedisScript& script, std::span<const std::string_view> keys,
                             std::span<const std::string_view> args);
  // One plain command (argv[0] is the verb). Errors: kUnavailable.
  Result<RedisReplyPtr> Command(std::span<const std::string_view> argv);

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;
  Result<ContextPtr> Connect();
  Result<ContextPtr> Take();
  void Release(ContextPtr c);
  const std::string& Sha(RedisScript& script);

  RedisTarget target_;
  std::chrono::milliseconds timeout_;
  std::size_t max_connections_;
  std::mutex mu_;
  std::vector<ContextPtr> idle_;
};

}  // namespace bulwark::http::internal
