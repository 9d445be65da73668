#pragma once
// Internal: the connection interface both backends implement, and the pool.

#include <time.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
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

// Builds Rows in place: a Row with no columns and no values, then its
// columns and values filled by the backend.
class RowAccess {
 public:
  static Row Empty() { return Row(); }
  static void Set(Row& row, std::shared_ptr<const std::vector<std::string>> columns,
                  ValueList&& values) {
    row.columns_ = std::move(columns);
    row.values_ = std::move(values);
  }
  static void SetColumns(Row& row, const std::shared_ptr<const std::vector<std::string>>& columns) {
    row.columns_ = columns;
  }
  static ValueList& Values(Row& row) { return row.values_; }
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Result<Rows> Run(Statement& statement) = 0;
  // Runs a statement for QueryRow: `first` (an empty Row, RowAccess::Empty)
  // receives the first row and `count` the number of rows (stopping at 2).
  // Returns the statement's error, if any (an optional, not Result<void>,
  // whose success value would build an Error on every call). The default
  // builds the Rows and takes its first row.
  virtual std::optional<Error> RunRow(Statement& statement, Row& first, std::size_t& count);
  // Runs a statement for Execute: `affected` receives the number of rows it
  // changed. Errors as Run's (rows are stepped through and counted against
  // max_rows, not kept). The default runs Run.
  virtual std::optional<Error> RunCount(Statement& statement, std::int64_t& affected);
  // BEGIN / COMMIT / ROLLBACK.
  virtual Result<void> Begin() = 0;
  virtual Result<void> Commit() = 0;
  virtual Result<void> Rollback() = 0;
  // A round trip (SELECT 1) to prove the connection works.
  virtual Result<void> Check() = 0;
  // True when the connection must not go back to the pool (lost, or left
  // inside a transaction).
  virtual bool Broken() const = 0;

  // When the pool last took it back (for the health check of idle ones).
  std::chrono::steady_clock::time_point idle_since{};
};

// A cheap monotonic clock (CLOCK_MONOTONIC_COARSE, a few ms resolution) for
// pool bookkeeping on the hot path.
inline std::chrono::steady_clock::time_point CoarseNow() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return std::chrono::steady_clock::time_point(std::chrono::seconds(ts.tv_sec) +
                                               std::chrono::nanoseconds(ts.tv_nsec));
}

using ConnectionFactory = std::function<Result<std::unique_ptr<Connection>>()>;

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  Pool(ConnectionFactory factory, PoolOptions options)
      : factory_(std::move(factory)), options_(options) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool() { delete hot_.exchange(nullptr); }

  // A connection on loan. A kept lease also keeps the pool alive (a
  // Transaction may outlive its Database); a borrowed one (one statement
  // inside Database::Run, while the Database holds the pool) does not, which
  // saves two atomic reference-count updates per statement.
  class Lease {
   public:
    Lease(Pool* pool, std::shared_ptr<Pool> keep, std::unique_ptr<Connection> connection)
        : pool_(pool), keep_(std::move(keep)), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)),
          keep_(std::move(other.keep_)),
          connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr && connection_) pool_->Release(std::move(connection_));
    }
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    Pool* pool_;
    std::shared_ptr<Pool> keep_;
    std::unique_ptr<Connection> connection_;
  };

  enum class Hold : std::uint8_t { kKeepPoolAlive, kBorrow };
  // Errors: kResourceExhausted after acquire_timeout, or the factory's error.
  // REQUIRES (kBorrow): the caller keeps the pool alive until the lease ends.
  Result<Lease> Acquire(Hold hold = Hold::kKeepPoolAlive);
  PoolStats Stats() const;

  // A connection for one statement (Hold::kBorrow): the parked one when it
  // is fresh, taken inline without building a Result<Lease>, else Acquire's.
  // REQUIRES: the caller keeps the pool alive until it ends.
  class Borrowed {
   public:
    explicit Borrowed(Pool& pool) : pool_(&pool), parked_(pool.TakeParked(taken_)) {
      if (parked_ == nullptr) lease_.emplace(pool.Acquire(Hold::kBorrow));
    }
    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;
    // The parked connection goes back idle since the time it was taken (no
    // second clock read): earlier than the true release, so the health
    // check after health_check_after_idle can only come sooner, never later.
    ~Borrowed() {
      if (parked_ != nullptr) pool_->ReleaseParked(parked_, taken_);
    }
    // Acquire's error, or null when there is a connection.
    const Error* error() const { return lease_ && !lease_->ok() ? &lease_->error() : nullptr; }
    // REQUIRES: error() == nullptr.
    Connection& operator*() const { return parked_ != nullptr ? *parked_ : ***lease_; }
    Connection* operator->() const { return &**this; }

   private:
    Pool* pool_;
    std::chrono::steady_clock::time_point taken_;  // set by TakeParked
    Connection* parked_;
    std::optional<Result<Lease>> lease_;
  };

 private:
  // The parked connection if it is fresh (`now` is set to the time read to
  // tell); a stale one goes to idle_ (where Acquire health-checks it) and
  // null is returned.
  Connection* TakeParked(std::chrono::steady_clock::time_point& now) {
    Connection* hot = hot_.exchange(nullptr, std::memory_order_acquire);
    if (hot == nullptr) return nullptr;
    now = CoarseNow();
    if (now - hot->idle_since < options_.health_check_after_idle) return hot;
    ParkIdle(hot);
    return nullptr;
  }
  void ParkIdle(Connection* connection);
  struct Idle {
    std::unique_ptr<Connection> connection;
    std::chrono::steady_clock::time_point since;
  };
  // Release for a connection taken with TakeParked: parked again inline
  // when it is not broken and the slot is free (the common case).
  void ReleaseParked(Connection* connection, std::chrono::steady_clock::time_point idle_since) {
    if (!connection->Broken()) {
      connection->idle_since = idle_since;
      Connection* expected = nullptr;
      if (hot_.compare_exchange_strong(expected, connection)) {
        if (waiters_.load() > 0) NotifyWaiter();
        return;
      }
    }
    Release(std::unique_ptr<Connection>(connection), idle_since);
  }
  void NotifyWaiter();
  void Release(std::unique_ptr<Connection> connection) {
    Release(std::move(connection), CoarseNow());
  }
  // `idle_since`: when it was last in use (no later than now).
  void Release(std::unique_ptr<Connection> connection,
               std::chrono::steady_clock::time_point idle_since);

  ConnectionFactory factory_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  // Threads about to wait or waiting in available_.wait_until.
  std::atomic<std::size_t> waiters_{0};
  // The last connection given back, parked outside the mutex: one statement
  // at a time (the common case) takes and returns it with one atomic
  // operation each. It counts in open_ and is idle like those in idle_.
  std::atomic<Connection*> hot_{nullptr};
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
// string_view and do not allocate. Keys that are sql::Query literals
// (Statement::literal) are also found by their address through a small
// direct-mapped memo, which skips hashing and comparing the text; a literal's
// address and length identify its text for the life of the program.
template <class V>
class LruCache {
 public:
  explicit LruCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

 private:
  using List = std::list<std::pair<std::string, V>>;
  struct Memo {
    const char* data = nullptr;
    std::size_t size = 0;
    typename List::iterator entry{};
  };

 public:
  // The memo hit is inlined; the rest (hashing the text) is not.
  [[gnu::always_inline]] inline V* Find(std::string_view key, bool literal = false) {
    Memo* memo = nullptr;
    if (literal) {
      memo = &memo_[MemoSlot(key.data())];
      if (memo->data == key.data() && memo->size == key.size()) {
        Touch(memo->entry);
        return &memo->entry->second;
      }
    }
    return FindByText(key, memo);
  }
  // Inserts; returns the evicted entry, if any, for the caller to release.
  std::optional<std::pair<std::string, V>> Insert(std::string key, V value) {
    std::optional<std::pair<std::string, V>> evicted;
    if (index_.size() >= capacity_) {
      auto last = std::prev(order_.end());
      Forget(last);
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
    Forget(it->second);
    order_.erase(it->second);
    index_.erase(it);
  }
  template <class F>
  void ForEach(F&& f) {
    for (auto& [k, v] : order_) f(k, v);
  }
  void Clear() {
    memo_.fill(Memo{});
    index_.clear();
    order_.clear();
  }

 private:
  // A lookup by text (hashing it); remembers a literal's entry in `memo`.
  [[gnu::noinline]] V* FindByText(std::string_view key, Memo* memo) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    Touch(it->second);
    if (memo != nullptr) *memo = Memo{key.data(), key.size(), it->second};
    return &it->second->second;
  }
  static constexpr std::size_t kMemoSlots = 64;
  static std::size_t MemoSlot(const char* p) noexcept {
    return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(p) * 0x9E3779B97F4A7C15ull) >>
                                    58);
  }
  void Touch(typename List::iterator it) {
    if (it != order_.begin()) order_.splice(order_.begin(), order_, it);
  }
  void Forget(typename List::iterator it) {
    for (Memo& m : memo_) {
      if (m.data != nullptr && m.entry == it) m = Memo{};
    }
  }

  std::size_t capacity_;
  List order_;
  std::unordered_map<std::string, typename List::iterator, StringHash, std::equal_to<>> index_;
  std::array<Memo, kMemoSlots> memo_{};
};

// Backend constructors (sqlite.cc, postgres.cc).
Result<ConnectionFactory> MakeSqliteFactory(SqliteOptions options);
Result<ConnectionFactory> MakePostgresFactory(PostgresOptions options);

// Builds the Rows of a result once every cell is read.
Error TooManyRows(std::size_t max_rows);
// QueryRow's errors: kNotFound, kFailedPrecondition.
Error NoRow();
Error MoreThanOneRow();

}  // namespace bulwark::db::internal
