#pragma once
// Database: one interface over SQLite (the embedded default) and PostgreSQL,
// with prepared statements only, a bounded connection pool and RAII
// transactions.
//
//   BULWARK_ASSIGN_OR_RETURN(db::Database db, db::Database::OpenSqlite({.path = "/var/lib/app/app.db"}));
//   BULWARK_RETURN_IF_ERROR(db.Execute("INSERT INTO notes(body) VALUES (?)", body));
//   BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db.Begin());
//   BULWARK_RETURN_IF_ERROR(tx.Execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", 5, a));
//   BULWARK_RETURN_IF_ERROR(tx.Execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", 5, b));
//   BULWARK_RETURN_IF_ERROR(tx.Commit());  // without Commit, the destructor rolls back
//
// SQLite connections: WAL, foreign keys on, busy timeout, secure_delete,
// defensive mode, untrusted schema, no extension loading; the file is created
// 0600 in a 0700 directory (an existing file or directory that group/others
// can access is refused); each connection keeps an LRU statement cache.
// Transactions are BEGIN IMMEDIATE (writers queue on the busy timeout
// instead of failing on lock upgrade).
//
// PostgreSQL connections (libpq): statements go through PQprepare +
// PQexecPrepared only (never PQexec), with a per-connection LRU of prepared
// statements; statement_timeout and application_name are set at connect;
// sslmode defaults to verify-full (kDisable is accepted only for loopback
// hosts and Unix sockets).
//
// Errors map to codes: unique/primary key -> kAlreadyExists, foreign key ->
// kFailedPrecondition, other constraints and bad data -> kInvalidArgument,
// permission -> kPermissionDenied, timeout -> kDeadlineExceeded, busy, lost
// connection, serialization failure -> kUnavailable, corruption -> kDataLoss,
// pool exhausted (after acquire_timeout) -> kResourceExhausted. Messages carry
// the SQLSTATE / SQLite error name and constraint names, never parameter values.
//
// Encrypted columns: db::EncryptColumns (encrypted.h) turns a Database into
// one that encrypts and decrypts registered columns transparently; its
// Transactions do too.
//
// Thread-safety: Database is thread-safe (each call takes a pooled
// connection). A Transaction belongs to one thread at a time.
// Ownership: a Transaction keeps its connection (and the pool) alive.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/db/query.h"
#include "bulwark/db/rows.h"
#include "bulwark/db/value.h"

namespace bulwark::db {

enum class Backend : std::uint8_t { kSqlite, kPostgres };
std::string_view BackendName(Backend backend) noexcept;  // "sqlite", "postgres"

class FieldParam;  // encrypted.h
namespace internal {
struct ResultOrigins;
class FieldCodec;
}  // namespace internal

// A statement ready to run: final text (identifier slots filled) and values.
struct Statement {
  std::string_view text;
  std::size_t expected_params = 0;
  internal::ValueList params;
  // False for one-off statements (scripts): not kept in the statement cache.
  bool cacheable = true;
  // A whole parameterless script (SQLite runs it statement by statement with
  // its own parser, so trigger bodies with ';' inside stay intact).
  bool script = false;
  // `text` is a sql::Query literal as written (static storage, never
  // changes), so its address and length identify it: statement caches look
  // it up by pointer before hashing the text.
  bool literal = false;
  // Set by a Database with encrypted columns: the backend then reports in
  // `origins` which table and column each result column comes from.
  bool want_origins = false;

  // What most statements do without, allocated when one of them is set (a
  // statement is built and dropped on every call: its empty members cost
  // a store each to make and a test each to drop).
  struct Extra {
    std::string owned_text;  // backs `text` when slots were filled
    // Encrypted values and blind indexes (db::Encrypted, db::BlindIndex) by
    // parameter position; their slots in `params` hold NULL until a
    // Database made by EncryptColumns fills them (any other Database
    // refuses them).
    std::vector<std::pair<std::size_t, const FieldParam*>> fields;
    std::shared_ptr<const internal::ResultOrigins> origins;
  };
  std::unique_ptr<Extra> extra;

  Extra& More() {
    if (extra == nullptr) extra = std::make_unique<Extra>();
    return *extra;
  }
  bool has_fields() const noexcept { return extra != nullptr && !extra->fields.empty(); }
  const internal::ResultOrigins* origins() const noexcept {
    return extra != nullptr ? extra->origins.get() : nullptr;
  }
};

namespace internal {
Result<std::string> FillSlots(std::string_view text, std::span<const std::string_view> idents);

template <class T>
void CollectIdent(std::vector<std::string_view>& idents, const T& arg) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, sql::Ident>) {
    idents.push_back(arg.text());
  } else if constexpr (std::is_same_v<U, sql::SortDirection>) {
    idents.push_back(sql::SortKeyword(arg == sql::SortDirection::kDescending).text());
  }
}

Error ParamError(std::size_t position, const Error& error);

// Appends one bound value; on failure sets `failure` and returns false.
// (Inlined into Build: a call per parameter costs more than most bindings.)
template <class T>
[[gnu::always_inline]] inline bool CollectParam(Statement& st, const T& arg,
                                                std::optional<Error>& failure) {
  using U = std::remove_cvref_t<T>;
  if constexpr (sql::kIsIdentifierArg<T>) {
    return true;
  } else if constexpr (std::is_same_v<U, FieldParam>) {
    st.More().fields.emplace_back(st.params.size(), &arg);
    st.params.push_back(Value());
    return true;
  } else if constexpr (std::is_integral_v<U> && std::is_signed_v<U> && !std::is_same_v<U, bool> &&
                       !std::is_same_v<U, char> && !std::is_same_v<U, wchar_t>) {
    st.params.PushInteger(static_cast<std::int64_t>(arg));  // cannot fail
    return true;
  } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view>) {
    if (const char* problem = TextProblem(arg)) {
      failure.emplace(ParamError(st.params.size() + 1, Error(ErrorCode::kInvalidArgument, problem)));
      return false;
    }
    st.params.PushBorrowed(Value::Kind::kText, AsBytes(std::string_view(arg)));  // the caller's argument
    return true;
  } else {
    Result<Value> v = ToValue(arg);
    if (!v.ok()) {
      failure.emplace(ParamError(st.params.size() + 1, v.error()));
      return false;
    }
    st.params.push_back(std::move(v).value());
    return true;
  }
}

// Fills `st` (a fresh Statement) from the text and the arguments; returns
// the first error, if any. (Not Result<void>: on the per-statement path its
// success value would still build an Error.)
template <class... Args>
[[gnu::always_inline]] inline std::optional<Error> Build(Statement& st, std::string_view text,
                                                         std::size_t params, std::size_t slots,
                                                         const Args&... args) {
  st.text = text;
  st.expected_params = params;
  st.params.reserve(sizeof...(Args));
  if (slots > 0) {
    std::vector<std::string_view> idents;
    (CollectIdent(idents, args), ...);
    Result<std::string> filled = FillSlots(text, idents);
    if (!filled.ok()) return std::move(filled).error();
    st.More().owned_text = std::move(filled).value();
    st.text = st.extra->owned_text;
  }
  std::optional<Error> failure;
  (void)(CollectParam(st, args, failure) && ...);
  return failure;
}

Error DynamicQueryError(const sql::UnsafeDynamic& query, std::size_t params, std::size_t slots);
}  // namespace internal

// The statement methods shared by Database and Transaction.
class Executor {
 public:
  virtual ~Executor() = default;
  virtual Backend backend() const noexcept = 0;

  // Runs a statement and returns its rows (empty for INSERT/UPDATE/DELETE
  // without RETURNING; affected() counts changed rows).
  template <class... Args>
  [[gnu::always_inline]] inline Result<Rows> Query(sql::QueryFor<std::type_identity_t<Args>...> query, const Args&... args) {
    Statement st;
    if (std::optional<Error> failed = BuildStatement(st, query.query(), args...)) {
      return std::move(*failed);
    }
    return Run(st);
  }
  // Runs a statement; returns the number of rows it changed.
  template <class... Args>
  [[gnu::always_inline]] inline Result<std::int64_t> Execute(sql::QueryFor<std::type_identity_t<Args>...> query,
                               const Args&... args) {
    Statement st;
    if (std::optional<Error> failed = BuildStatement(st, query.query(), args...)) {
      return std::move(*failed);
    }
    return RunCount(st);
  }
  // Exactly one row is expected. Errors: kNotFound when there is none,
  // kFailedPrecondition when there are several.
  template <class... Args>
  [[gnu::always_inline]] inline Result<Row> QueryRow(sql::QueryFor<std::type_identity_t<Args>...> query, const Args&... args) {
    Statement st;
    if (std::optional<Error> failed = BuildStatement(st, query.query(), args...)) {
      return std::move(*failed);
    }
    return RunRow(st);
  }

  // The escape hatch: SQL text built at run time (see sql::UnsafeDynamic).
  // Identifier slots are not available here. Errors: kInvalidArgument when
  // the text does not scan or the argument count differs.
  template <class... Args>
  Result<Rows> Query(const sql::UnsafeDynamic& query, const Args&... args) {
    static_assert((!sql::kIsIdentifierArg<Args> && ...),
                  "identifier slots are for sql::Query literals");
    if (query.error() != sql::ScanError::kNone || query.param_count() != sizeof...(Args) ||
        query.slot_count() != 0) {
      StatementFailed();
      return internal::DynamicQueryError(query, sizeof...(Args), 0);
    }
    Statement st;
    if (std::optional<Error> failed = internal::Build(st, query.text(), query.param_count(), 0, args...)) {
      StatementFailed();
      return std::move(*failed);
    }
    return Run(st);
  }
  template <class... Args>
  Result<std::int64_t> Execute(const sql::UnsafeDynamic& query, const Args&... args) {
    Result<Rows> rows = Query(query, args...);
    if (!rows.ok()) return std::move(rows).error();
    return rows->affected();
  }
  template <class... Args>
  Result<Row> QueryRow(const sql::UnsafeDynamic& query, const Args&... args) {
    Result<Rows> rows = Query(query, args...);
    if (!rows.ok()) return std::move(rows).error();
    return SingleRow(std::move(*rows));
  }

  // Runs each statement of a script in order (no parameters). Not atomic by
  // itself: run it inside a Transaction for all-or-nothing. On PostgreSQL the
  // script is split on ';' outside quotes, dollar-quoted bodies and comments
  // (write function bodies as $$...$$, not BEGIN ATOMIC); SQLite splits it
  // with its own parser (CREATE TRIGGER ... BEGIN ...; END works).
  Result<void> ExecuteScript(const sql::Script& script);

  // Runs a prepared Statement (for helpers that build statements).
  virtual Result<Rows> Run(Statement& statement) = 0;
  // The same for a statement that must return exactly one row (kNotFound,
  // kFailedPrecondition as for QueryRow); backends read it without building
  // a Rows.
  virtual Result<Row> RunRow(Statement& statement);
  // The same for a statement whose rows are not wanted (Execute): the
  // number of rows it changed, with the same errors as Run (result rows are
  // still stepped through and counted against max_rows); backends may skip
  // building a Rows.
  virtual Result<std::int64_t> RunCount(Statement& statement);

 protected:
  // Called when a statement fails before it reaches Run (a parameter that
  // does not bind); a Transaction poisons itself.
  virtual void StatementFailed() {}

 private:
  static Result<Row> SingleRow(Rows&& rows);
  // Binds `args` to a literal query's statement; a parameter that does not
  // bind fails the statement (StatementFailed) before it runs.
  template <class... Args>
  [[gnu::always_inline]] inline std::optional<Error> BuildStatement(Statement& st,
                                                                    const sql::Query& query,
                                                                    const Args&... args) {
    std::optional<Error> failed =
        internal::Build(st, query.text(), query.param_count(), query.slot_count(), args...);
    if (failed) {
      StatementFailed();
      return failed;
    }
    st.literal = query.slot_count() == 0;
    return std::nullopt;
  }
};

struct PoolOptions {
  std::size_t max_connections = 8;
  // How long Begin()/a statement waits for a free connection before
  // kResourceExhausted.
  std::chrono::milliseconds acquire_timeout{2000};
  // An idle connection older than this is checked (SELECT 1) before reuse.
  std::chrono::milliseconds health_check_after_idle{10000};
};

struct SqliteOptions {
  std::filesystem::path path;
  // Missing file: create it (0600, parent directories 0700) or kNotFound.
  bool create = true;
  std::chrono::milliseconds busy_timeout{5000};
  // Statements running longer are interrupted (kDeadlineExceeded).
  std::chrono::milliseconds statement_timeout{30000};
  std::size_t statement_cache_size = 64;
  std::size_t max_rows = 100000;
  // synchronous=FULL (durable on power loss) when true, NORMAL otherwise.
  bool synchronous_full = true;
  PoolOptions pool{};
};

enum class SslMode : std::uint8_t { kDisable, kRequire, kVerifyCa, kVerifyFull };
std::string_view SslModeName(SslMode mode) noexcept;  // libpq's spelling

struct PostgresOptions {
  // A libpq URL or key=value string. It may hold a password, hence a Secret.
  // Its sslmode, application_name and options are overridden by the fields below.
  SecretString conninfo;
  SslMode ssl_mode = SslMode::kVerifyFull;
  std::string ssl_root_cert;  // CA file for kVerifyCa/kVerifyFull (libpq default if empty)
  std::string application_name = "bulwark";
  std::chrono::milliseconds statement_timeout{30000};
  std::chrono::seconds connect_timeout{5};
  // Schemas to search, comma-separated identifiers ("app" or "tenant_a,public").
  std::string search_path;
  std::size_t statement_cache_size = 128;
  std::size_t max_rows = 100000;
  PoolOptions pool{};
};

// Whether a libpq URL or key=value string carries a password (so a caller
// can refuse one given on a command line). False when it does not parse.
bool ConnInfoHasPassword(std::string_view conninfo);

struct PoolStats {
  std::size_t open = 0;
  std::size_t idle = 0;
  std::uint64_t created = 0;
  std::uint64_t discarded = 0;  // broken or failed a health check
};

namespace internal {
class Pool;
class Connection;
}  // namespace internal

class Transaction;

class Database final : public Executor {
 public:
  // Errors: kInvalidArgument (bad options), kPermissionDenied (file or
  // directory accessible to group/others), kUnavailable (cannot open).
  static Result<Database> OpenSqlite(SqliteOptions options);
  // Opens the pool and checks one connection. Errors: kInvalidArgument,
  // kFailedPrecondition (sslmode disable on a non-loopback host),
  // kUnavailable (cannot connect).
  static Result<Database> OpenPostgres(PostgresOptions options);

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database() override;

  Backend backend() const noexcept override { return backend_; }

  // Starts a transaction on a pooled connection.
  Result<Transaction> Begin();
  // Checks that a connection can be taken and answers SELECT 1.
  Result<void> Ping();
  PoolStats Stats() const;

  Result<Rows> Run(Statement& statement) override;
  Result<Row> RunRow(Statement& statement) override;
  Result<std::int64_t> RunCount(Statement& statement) override;

 private:
  friend class internal::FieldCodec;
  Database(Backend backend, std::shared_ptr<internal::Pool> pool,
           std::shared_ptr<const internal::FieldCodec> fields = nullptr);
  Backend backend_;
  std::shared_ptr<internal::Pool> pool_;
  // Encrypted columns (EncryptColumns), or null.
  std::shared_ptr<const internal::FieldCodec> fields_;
};

// A transaction on one connection. Commit() makes it durable; destroying an
// uncommitted Transaction rolls it back. After a failed statement the
// transaction is poisoned: further statements fail and Commit() rolls back
// and returns kFailedPrecondition, so a partial write never commits (the
// same on both backends).
class Transaction final : public Executor {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction() override;

  Backend backend() const noexcept override { return backend_; }
  Result<void> Commit();
  Result<void> Rollback();
  bool active() const noexcept { return state_ == State::kActive; }

  Result<Rows> Run(Statement& statement) override;
  Result<Row> RunRow(Statement& statement) override;
  Result<std::int64_t> RunCount(Statement& statement) override;

 protected:
  void StatementFailed() override {
    if (state_ == State::kActive) state_ = State::kFailed;
  }

 private:
  friend class Database;
  enum class State : std::uint8_t { kActive, kFailed, kDone };
  struct Lease;
  Transaction(Backend backend, std::unique_ptr<Lease> lease,
              std::shared_ptr<const internal::FieldCodec> fields);
  // Refuses a finished or failed transaction and seals encrypted
  // parameters; a sealing failure fails the transaction.
  std::optional<Error> BeforeRun(Statement& statement);
  // False in the common case (an active transaction, nothing to seal), when
  // BeforeRun has nothing to do.
  bool NeedsBeforeRun(const Statement& statement) const noexcept {
    return state_ != State::kActive || fields_ != nullptr || statement.has_fields();
  }

  Backend backend_;
  std::unique_ptr<Lease> lease_;
  std::shared_ptr<const internal::FieldCodec> fields_;
  State state_ = State::kActive;
};

}  // namespace bulwark::db
