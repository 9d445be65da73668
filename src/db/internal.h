#pragma once
// Internal: the connection interface both backends implement, and the pool.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/db/database.h"

namespace bulwark::db::internal {

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Result<Rows> Run(Statement& statement) = 0;
  // BEGIN / COMMIT / ROLLBACK.
  virtual Result<void> Begin() = 0;
  virtual Result<void> Commit() = 0;
  virtual Result<void> Rollback() = 0;
  // A round trip (SELECT 1) to prove the connection works.
  virtual Result<void> Check() = 0;
  // True when the connection must not go back to the pool (lost, or left
  // inside a transaction).
  virtual bool Broken() const = 0;
};

// A cheap monotonic clock (CLOCK_MONOTONIC_COARSE, a few ms resolution) for
// pool bookkeeping on the hot path.
std::chrono::steady_clock::time_point CoarseNow() noexcept;

using ConnectionFactory = std::function<Result<std::unique_ptr<Connection>>()>;

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  Pool(ConnectionFactory factory, PoolOptions options)
      : factory_(std::move(factory)), options_(options) {}

  class Lease {
   public:
    Lease(std::shared_ptr<Pool> pool, std::unique_ptr<Connection> connection)
        : pool_(std::move(pool)), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease() {
      if (pool_ && connection_) pool_->Release(std::move(connection_));
    }
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    std::shared_ptr<Pool> pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Errors: kResourceExhausted after acquire_timeout, or the factory's error.
  Result<Lease> Acquire();
  PoolStats Stats() const;

 private:
  struct Idle {
    std::unique_ptr<Connection> connection;
    std::chrono::steady_clock::time_point since;
  };
  void Release(std::unique_ptr<Connection> connection);

  ConnectionFactory factory_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<Idle> idle_;
  std::size_t open_ = 0;
  std::uint64_t created_ = 0;
  std::uint64_t discarded_ = 0;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// A small LRU map from statement key to a backend handle. Lookups take a
// string_view and do not allocate.
template <class V>
class LruCache {
 public:
  explicit LruCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  V* Find(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }
  // Inserts; returns the evicted entry, if any, for the caller to release.
  std::optional<std::pair<std::string, V>> Insert(std::string key, V value) {
    std::optional<std::pair<std::string, V>> evicted;
    if (index_.size() >= capacity_) {
      auto last = std::prev(order_.end());
      index_.erase(last->first);
      evicted.emplace(std::move(last->first), std::move(last->second));
      order_.pop_back();
    }
    order_.emplace_front(std::move(key), std::move(value));
    index_[order_.front().first] = order_.begin();
    return evicted;
  }
  void Erase(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }
  template <class F>
  void ForEach(F&& f) {
    for (auto& [k, v] : order_) f(k, v);
  }
  void Clear() {
    index_.clear();
    order_.clear();
  }

 private:
  std::size_t capacity_;
  std::list<std::pair<std::string, V>> order_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator,
                     StringHash, std::equal_to<>>
      index_;
};

// Backend constructors (sqlite.cc, postgres.cc).
Result<ConnectionFactory> MakeSqliteFactory(SqliteOptions options);
Result<ConnectionFactory> MakePostgresFactory(PostgresOptions options);

// Builds the Rows of a result once every cell is read.
Error TooManyRows(std::size_t max_rows);

}  // namespace bulwark::db::internal
