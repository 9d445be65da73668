#include "bulwark/db/database.h"

#include <time.h>

#include <algorithm>
#include <string>
#include <utility>

#include "internal.h"

namespace bulwark::db {

std::string_view BackendName(Backend backend) noexcept {
  return backend == Backend::kSqlite ? "sqlite" : "postgres";
}

std::string_view SslModeName(SslMode mode) noexcept {
  switch (mode) {
    case SslMode::kDisable: return "disable";
    case SslMode::kRequire: return "require";
    case SslMode::kVerifyCa: return "verify-ca";
    case SslMode::kVerifyFull: return "verify-full";
  }
  return "verify-full";
}

// ---- Executor

Result<void> Executor::ExecuteScript(const sql::Script& script) {
  const std::string_view text = script.text();
  if (backend() == Backend::kSqlite) {
    Statement st;
    st.text = text;
    st.cacheable = false;
    st.script = true;
    Result<Rows> rows = Run(st);
    if (!rows.ok()) return std::move(rows).error();
    return Ok();
  }
  std::vector<std::pair<std::size_t, std::size_t>> pieces;
  std::size_t start = 0;
  const sql::ScanResult r = sql::ScanSql(text, false, [&](sql::ScanEvent e, std::size_t at) {
    if (e == sql::ScanEvent::kStatementEnd) {
      pieces.emplace_back(start, at);
      start = at + 1;
    }
  });
  if (r.error != sql::ScanError::kNone) {
    return Error(ErrorCode::kInvalidArgument,
                 "SQL script: " + std::string(sql::ScanErrorName(r.error)));
  }
  std::size_t number = 0;
  for (const auto& [from, to] : pieces) {
    const std::string_view piece = text.substr(from, to - from);
    // Skip pieces that hold only whitespace and comments.
    if (sql::ScanSql(piece, true).error == sql::ScanError::kEmpty) continue;
    ++number;
    Statement st;
    st.text = piece;
    st.cacheable = false;
    Result<Rows> rows = Run(st);
    if (!rows.ok()) {
      return Error(rows.error().code(), "script statement " + std::to_string(number) + ": " +
                                            rows.error().message());
    }
  }
  return Ok();
}

Result<Row> Executor::SingleRow(Rows rows) {
  if (rows.empty()) return Error(ErrorCode::kNotFound, "no row");
  if (rows.size() > 1) return Error(ErrorCode::kFailedPrecondition, "more than one row");
  std::vector<Row> all = std::move(rows).TakeRows();
  return std::move(all.front());
}

// ---- Pool

namespace internal {

std::chrono::steady_clock::time_point CoarseNow() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return std::chrono::steady_clock::time_point(std::chrono::seconds(ts.tv_sec) +
                                               std::chrono::nanoseconds(ts.tv_nsec));
}

Result<Pool::Lease> Pool::Acquire() {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::unique_lock lock(mutex_);
  while (true) {
    if (!idle_.empty()) {
      Idle idle = std::move(idle_.back());
      idle_.pop_back();
      const bool stale = CoarseNow() - idle.since >= options_.health_check_after_idle;
      if (!stale) return Lease(shared_from_this(), std::move(idle.connection));
      lock.unlock();
      Result<void> check = idle.connection->Check();
      if (check.ok() && !idle.connection->Broken()) {
        return Lease(shared_from_this(), std::move(idle.connection));
      }
      idle.connection.reset();
      lock.lock();
      --open_;
      ++discarded_;
      continue;
    }
    if (open_ < options_.max_connections) {
      ++open_;
      lock.unlock();
      Result<std::unique_ptr<Connection>> made = factory_();
      if (!made.ok()) {
        lock.lock();
        --open_;
        available_.notify_one();
        return std::move(made).error();
      }
      lock.lock();
      ++created_;
      return Lease(shared_from_this(), std::move(made).value());
    }
    if (!deadline) deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    if (available_.wait_until(lock, *deadline) == std::cv_status::timeout &&
        idle_.empty() && open_ >= options_.max_connections) {
      return Error(ErrorCode::kResourceExhausted,
                   "database pool: no connection free within the acquire timeout");
    }
  }
}

void Pool::Release(std::unique_ptr<Connection> connection) {
  const bool broken = connection->Broken();
  if (broken) connection.reset();
  std::lock_guard lock(mutex_);
  if (broken) {
    --open_;
    ++discarded_;
  } else {
    idle_.push_back({std::move(connection), CoarseNow()});
  }
  available_.notify_one();
}

PoolStats Pool::Stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{open_, idle_.size(), created_, discarded_};
}

Error TooManyRows(std::size_t max_rows) {
  return Error(ErrorCode::kResourceExhausted,
               "query returned more than max_rows (" + std::to_string(max_rows) + ") rows");
}

}  // namespace internal

// ---- Database

Database::Database(Backend backend, std::shared_ptr<internal::Pool> pool)
    : backend_(backend), pool_(std::move(pool)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::OpenSqlite(SqliteOptions options) {
  const PoolOptions pool_options = options.pool;
  Result<internal::ConnectionFactory> factory = internal::MakeSqliteFactory(std::move(options));
  if (!factory.ok()) return std::move(factory).error();
  auto pool = std::make_shared<internal::Pool>(std::move(factory).value(), pool_options);
  Database db(Backend::kSqlite, std::move(pool));
  Result<void> ping = db.Ping();
  if (!ping.ok()) return std::move(ping).error();
  return db;
}

Result<Database> Database::OpenPostgres(PostgresOptions options) {
  const PoolOptions pool_options = options.pool;
  Result<internal::ConnectionFactory> factory = internal::MakePostgresFactory(std::move(options));
  if (!factory.ok()) return std::move(factory).error();
  auto pool = std::make_shared<internal::Pool>(std::move(factory).value(), pool_options);
  Database db(Backend::kPostgres, std::move(pool));
  Result<void> ping = db.Ping();
  if (!ping.ok()) return std::move(ping).error();
  return db;
}

Result<void> Database::Ping() {
  BULWARK_CHECK(pool_ != nullptr);
  Result<internal::Pool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) return std::move(lease).error();
  return (*lease)->Check();
}

PoolStats Database::Stats() const {
  BULWARK_CHECK(pool_ != nullptr);
  return pool_->Stats();
}

Result<Rows> Database::Run(Statement& statement) {
  BULWARK_CHECK(pool_ != nullptr);
  Result<internal::Pool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) return std::move(lease).error();
  return (*lease)->Run(statement);
}

struct Transaction::Lease {
  internal::Pool::Lease lease;
};

Result<Transaction> Database::Begin() {
  BULWARK_CHECK(pool_ != nullptr);
  Result<internal::Pool::Lease> lease = pool_->Acquire();
  if (!lease.ok()) return std::move(lease).error();
  Result<void> begun = (*lease)->Begin();
  if (!begun.ok()) return std::move(begun).error();
  return Transaction(backend_,
                     std::make_unique<Transaction::Lease>(Transaction::Lease{std::move(lease).value()}));
}

// ---- Transaction

Transaction::Transaction(Backend backend, std::unique_ptr<Lease> lease)
    : backend_(backend), lease_(std::move(lease)) {}

Transaction::Transaction(Transaction&& other) noexcept
    : backend_(other.backend_), lease_(std::move(other.lease_)), state_(other.state_) {
  other.state_ = State::kDone;
}

Transaction::~Transaction() {
  if (state_ != State::kDone && lease_) {
    // A failed rollback leaves the connection Broken(); the pool discards it.
    (void)lease_->lease->Rollback();
  }
}

Result<Rows> Transaction::Run(Statement& statement) {
  if (state_ == State::kDone) {
    return Error(ErrorCode::kFailedPrecondition, "transaction already finished");
  }
  if (state_ == State::kFailed) {
    return Error(ErrorCode::kFailedPrecondition,
                 "transaction aborted by an earlier failed statement");
  }
  Result<Rows> rows = lease_->lease->Run(statement);
  if (!rows.ok()) state_ = State::kFailed;
  return rows;
}

Result<void> Transaction::Commit() {
  if (state_ == State::kDone) {
    return Error(ErrorCode::kFailedPrecondition, "transaction already finished");
  }
  if (state_ == State::kFailed) {
    state_ = State::kDone;
    Result<void> rolled_back = lease_->lease->Rollback();
    (void)rolled_back;
    return Error(ErrorCode::kFailedPrecondition,
                 "transaction rolled back: a statement in it failed");
  }
  state_ = State::kDone;
  Result<void> committed = lease_->lease->Commit();
  if (!committed.ok()) {
    (void)lease_->lease->Rollback();
  }
  return committed;
}

Result<void> Transaction::Rollback() {
  if (state_ == State::kDone) return Ok();
  state_ = State::kDone;
  return lease_->lease->Rollback();
}

}  // namespace bulwark::db
