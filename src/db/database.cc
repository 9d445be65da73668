#include "bulwark/db/database.h"

#include <time.h>

#include <algorithm>
#include <string>
#include <utility>

#include "field_codec.h"
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

Result<Row> Executor::SingleRow(Rows&& rows) {
  if (rows.empty()) return internal::NoRow();
  if (rows.size() > 1) return internal::MoreThanOneRow();
  return std::move(rows).TakeFront();
}

Result<Row> Executor::RunRow(Statement& statement) {
  Result<Rows> rows = Run(statement);
  if (!rows.ok()) return std::move(rows).error();
  return SingleRow(std::move(*rows));
}

Result<std::int64_t> Executor::RunCount(Statement& statement) {
  Result<Rows> rows = Run(statement);
  if (!rows.ok()) return std::move(rows).error();
  return rows->affected();
}

// ---- Pool

namespace internal {

Result<Pool::Lease> Pool::Acquire(Hold hold) {
  auto lease = [&](std::unique_ptr<Connection> connection) {
    return Lease(this, hold == Hold::kKeepPoolAlive ? shared_from_this() : nullptr,
                 std::move(connection));
  };
  // Fast path: the parked connection, if it is fresh.
  if (Connection* hot = hot_.exchange(nullptr, std::memory_order_acquire)) {
    std::unique_ptr<Connection> connection(hot);
    if (CoarseNow() - connection->idle_since < options_.health_check_after_idle) {
      return lease(std::move(connection));
    }
    const auto since = connection->idle_since;
    std::lock_guard lock(mutex_);
    idle_.push_back({std::move(connection), since});  // health-checked below
  }
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::unique_lock lock(mutex_);
  while (true) {
    if (Connection* hot = hot_.exchange(nullptr, std::memory_order_acquire)) {
      const auto since = hot->idle_since;
      idle_.push_back({std::unique_ptr<Connection>(hot), since});
    }
    if (!idle_.empty()) {
      Idle idle = std::move(idle_.back());
      idle_.pop_back();
      const bool stale = CoarseNow() - idle.since >= options_.health_check_after_idle;
      if (!stale) return lease(std::move(idle.connection));
      lock.unlock();
      Result<void> check = idle.connection->Check();
      if (check.ok() && !idle.connection->Broken()) {
        return lease(std::move(idle.connection));
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
        if (waiters_.load() > 0) available_.notify_one();
        return std::move(made).error();
      }
      lock.lock();
      ++created_;
      return lease(std::move(made).value());
    }
    if (!deadline) deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    // Announce the wait, then look at the parked slot again: a Release that
    // parked its connection before seeing the announcement is caught here;
    // one after it sees it and notifies under the mutex (held until we wait).
    waiters_.fetch_add(1);
    if (hot_.load() != nullptr) {
      waiters_.fetch_sub(1);
      continue;
    }
    const std::cv_status waited = available_.wait_until(lock, *deadline);
    waiters_.fetch_sub(1);
    if (waited == std::cv_status::timeout && idle_.empty() && hot_.load() == nullptr &&
        open_ >= options_.max_connections) {
      return Error(ErrorCode::kResourceExhausted,
                   "database pool: no connection free within the acquire timeout");
    }
  }
}

void Pool::Release(std::unique_ptr<Connection> connection,
                   std::chrono::steady_clock::time_point idle_since) {
  const bool broken = connection->Broken();
  if (!broken) {
    connection->idle_since = idle_since;
    Connection* expected = nullptr;
    if (hot_.compare_exchange_strong(expected, connection.get())) {
      connection.release();  // owned by hot_ now
      if (waiters_.load() > 0) {
        std::lock_guard lock(mutex_);
        available_.notify_one();
      }
      return;
    }
  }
  if (broken) connection.reset();
  std::lock_guard lock(mutex_);
  if (broken) {
    --open_;
    ++discarded_;
  } else {
    const auto since = connection->idle_since;
    idle_.push_back({std::move(connection), since});
  }
  if (waiters_.load() > 0) available_.notify_one();
}

void Pool::NotifyWaiter() {
  std::lock_guard lock(mutex_);
  available_.notify_one();
}

void Pool::ParkIdle(Connection* connection) {
  const auto since = connection->idle_since;
  std::lock_guard lock(mutex_);
  idle_.push_back({std::unique_ptr<Connection>(connection), since});
}

PoolStats Pool::Stats() const {
  std::lock_guard lock(mutex_);
  const std::size_t parked = hot_.load() != nullptr ? 1 : 0;
  return PoolStats{open_, idle_.size() + parked, created_, discarded_};
}

Error NoRow() { return Error(ErrorCode::kNotFound, "no row"); }
Error MoreThanOneRow() { return Error(ErrorCode::kFailedPrecondition, "more than one row"); }

std::optional<Error> Connection::RunRow(Statement& statement, Row& first, std::size_t& count) {
  Result<Rows> rows = Run(statement);
  if (!rows.ok()) return std::move(rows).error();
  count = rows->size() > 1 ? 2 : rows->size();
  if (count > 0) first = std::move(*rows).TakeFront();
  return std::nullopt;
}

std::optional<Error> Connection::RunCount(Statement& statement, std::int64_t& affected) {
  Result<Rows> rows = Run(statement);
  if (!rows.ok()) return std::move(rows).error();
  affected = rows->affected();
  return std::nullopt;
}

Error TooManyRows(std::size_t max_rows) {
  return Error(ErrorCode::kResourceExhausted,
               "query returned more than max_rows (" + std::to_string(max_rows) + ") rows");
}

}  // namespace internal

// ---- Database

Database::Database(Backend backend, std::shared_ptr<internal::Pool> pool,
                   std::shared_ptr<const internal::FieldCodec> fields)
    : backend_(backend), pool_(std::move(pool)), fields_(std::move(fields)) {}
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
  Result<internal::Pool::Lease> lease = pool_->Acquire(internal::Pool::Hold::kBorrow);
  if (!lease.ok()) return std::move(lease).error();
  return (*lease)->Check();
}

PoolStats Database::Stats() const {
  BULWARK_CHECK(pool_ != nullptr);
  return pool_->Stats();
}

Result<Rows> Database::Run(Statement& statement) {
  BULWARK_CHECK(pool_ != nullptr);
  if (fields_ != nullptr || statement.has_fields()) {
    Result<void> sealed = internal::FieldCodec::BeforeRun(fields_.get(), statement);
    if (!sealed.ok()) return std::move(sealed).error();
  }
  internal::Pool::Borrowed connection(*pool_);
  if (const Error* e = connection.error()) return *e;
  Result<Rows> rows = connection->Run(statement);
  if (fields_ != nullptr && rows.ok()) {
    Result<void> opened = fields_->Open(*rows, statement.origins());
    if (!opened.ok()) return std::move(opened).error();
  }
  return rows;
}

Result<Row> Database::RunRow(Statement& statement) {
  BULWARK_CHECK(pool_ != nullptr);
  // The row is read straight into the returned Result: one object, every
  // path returns it (NRVO), so no Row or value is moved on the way out.
  Result<Row> out = internal::RowAccess::Empty();
  if (fields_ != nullptr || statement.has_fields()) {
    Result<void> sealed = internal::FieldCodec::BeforeRun(fields_.get(), statement);
    if (!sealed.ok()) {
      out = std::move(sealed).error();
      return out;
    }
  }
  internal::Pool::Borrowed connection(*pool_);
  std::size_t count = 0;
  if (const Error* e = connection.error()) {
    out = *e;
  } else if (std::optional<Error> failed = connection->RunRow(statement, *out, count)) {
    out = std::move(*failed);
  } else if (count == 0) {
    out = internal::NoRow();
  } else if (count > 1) {
    out = internal::MoreThanOneRow();
  } else if (fields_ != nullptr) {
    Result<void> opened = fields_->Open(*out, statement.origins());
    if (!opened.ok()) out = std::move(opened).error();
  }
  return out;
}

Result<std::int64_t> Database::RunCount(Statement& statement) {
  BULWARK_CHECK(pool_ != nullptr);
  // Encrypted columns: Run seals the parameters and checks the result
  // columns (an encrypted column without its row key is an error here too).
  if (fields_ != nullptr || statement.has_fields()) return Executor::RunCount(statement);
  internal::Pool::Borrowed connection(*pool_);
  if (const Error* e = connection.error()) return *e;
  std::int64_t affected = 0;
  if (std::optional<Error> failed = connection->RunCount(statement, affected)) {
    return std::move(*failed);
  }
  return affected;
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
                     std::make_unique<Transaction::Lease>(Transaction::Lease{std::move(lease).value()}),
                     fields_);
}

// ---- Transaction

Transaction::Transaction(Backend backend, std::unique_ptr<Lease> lease,
                         std::shared_ptr<const internal::FieldCodec> fields)
    : backend_(backend), lease_(std::move(lease)), fields_(std::move(fields)) {}

Transaction::Transaction(Transaction&& other) noexcept
    : backend_(other.backend_),
      lease_(std::move(other.lease_)),
      fields_(std::move(other.fields_)),
      state_(other.state_) {
  other.state_ = State::kDone;
}

Transaction::~Transaction() {
  if (state_ != State::kDone && lease_) {
    // A failed rollback leaves the connection Broken(); the pool discards it.
    (void)lease_->lease->Rollback();
  }
}

std::optional<Error> Transaction::BeforeRun(Statement& statement) {
  if (state_ == State::kDone) {
    return Error(ErrorCode::kFailedPrecondition, "transaction already finished");
  }
  if (state_ == State::kFailed) {
    return Error(ErrorCode::kFailedPrecondition,
                 "transaction aborted by an earlier failed statement");
  }
  if (fields_ != nullptr || statement.has_fields()) {
    Result<void> sealed = internal::FieldCodec::BeforeRun(fields_.get(), statement);
    if (!sealed.ok()) {
      state_ = State::kFailed;
      return std::move(sealed).error();
    }
  }
  return std::nullopt;
}

Result<Rows> Transaction::Run(Statement& statement) {
  if (NeedsBeforeRun(statement)) {
    if (std::optional<Error> refused = BeforeRun(statement)) return std::move(*refused);
  }
  Result<Rows> rows = lease_->lease->Run(statement);
  if (!rows.ok()) {
    state_ = State::kFailed;
    return rows;
  }
  if (fields_ != nullptr) {
    Result<void> opened = fields_->Open(*rows, statement.origins());
    if (!opened.ok()) {
      state_ = State::kFailed;
      return std::move(opened).error();
    }
  }
  return rows;
}

Result<std::int64_t> Transaction::RunCount(Statement& statement) {
  // Encrypted columns, or a statement refused before it runs: Run's path.
  if (NeedsBeforeRun(statement)) return Executor::RunCount(statement);
  std::int64_t affected = 0;
  if (std::optional<Error> failed = lease_->lease->RunCount(statement, affected)) {
    state_ = State::kFailed;
    return std::move(*failed);
  }
  return affected;
}

Result<Row> Transaction::RunRow(Statement& statement) {
  Result<Row> out = internal::RowAccess::Empty();  // returned on every path (NRVO)
  std::size_t count = 0;
  std::optional<Error> refused;
  if (NeedsBeforeRun(statement)) refused = BeforeRun(statement);
  if (refused) {
    out = std::move(*refused);
  } else if (std::optional<Error> failed = lease_->lease->RunRow(statement, *out, count)) {
    state_ = State::kFailed;
    out = std::move(*failed);
  } else if (count == 0) {
    out = internal::NoRow();  // no row, or several, is an answer, not a failed statement
  } else if (count > 1) {
    out = internal::MoreThanOneRow();
  } else if (fields_ != nullptr) {
    Result<void> opened = fields_->Open(*out, statement.origins());
    if (!opened.ok()) {
      state_ = State::kFailed;
      out = std::move(opened).error();
    }
  }
  return out;
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
