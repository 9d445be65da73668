// SQLite backend: one sqlite3 handle per pooled connection.

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "field_codec.h"
#include "internal.h"

namespace bulwark::db::internal {
namespace {

Error SqliteError(int code, sqlite3* db, std::string_view context) {
  const int primary = code & 0xff;
  ErrorCode ec = ErrorCode::kInternal;
  switch (primary) {
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY ||
          code == SQLITE_CONSTRAINT_ROWID) {
        ec = ErrorCode::kAlreadyExists;
      } else if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        ec = ErrorCode::kFailedPrecondition;
      } else {
        ec = ErrorCode::kInvalidArgument;
      }
      break;
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      ec = ErrorCode::kInvalidArgument;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      ec = ErrorCode::kUnavailable;
      break;
    case SQLITE_INTERRUPT:
      ec = ErrorCode::kDeadlineExceeded;
      break;
    case SQLITE_AUTH:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      ec = ErrorCode::kPermissionDenied;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      ec = ErrorCode::kDataLoss;
      break;
    case SQLITE_FULL:
    case SQLITE_TOOBIG:
    case SQLITE_NOMEM:
      ec = ErrorCode::kResourceExhausted;
      break;
    default:
      break;
  }
  // sqlite3_errmsg names tables, columns and constraints from the schema; it
  // never contains bound values.
  std::string message = "sqlite: " + std::string(context) + ": " + sqlite3_errstr(code);
  if (db != nullptr && primary != SQLITE_INTERRUPT) {
    const char* detail = sqlite3_errmsg(db);
    if (detail != nullptr && std::string_view(detail) != sqlite3_errstr(code)) {
      message += " (";
      message += detail;
      message += ")";
    }
  }
  return Error(ec, std::move(message));
}

struct CachedStatement {
  sqlite3_stmt* stmt = nullptr;
  std::shared_ptr<const std::vector<std::string>> columns;
  // Filled on first use by a Database with encrypted columns.
  std::shared_ptr<const ResultOrigins> origins;
  bool read_only = false;
  // The statement's re-prepare count (SQLITE_STMTSTATUS_REPREPARE) when
  // `columns`, `ncols` and `origins` were read: SQLite re-prepares a
  // statement when the schema changes, and `SELECT *` may then have other
  // columns.
  int shape_reprepares = 0;
  int ncols = 0;
  // QueryRow: whether the schema proves that the statement returns at most
  // one row (AtMostOneRow), decided on its first QueryRow; `reprepares` is
  // the statement's re-prepare count then. A re-prepare (any schema change)
  // voids the proof until it is made again.
  enum class OneRow : std::uint8_t { kUnknown, kProven, kNotProven };
  OneRow one_row = OneRow::kUnknown;
  int reprepares = 0;
};

std::shared_ptr<const std::vector<std::string>> ColumnNames(sqlite3_stmt* stmt) {
  auto columns = std::make_shared<std::vector<std::string>>();
  const int ncols = sqlite3_column_count(stmt);
  for (int i = 0; i < ncols; ++i) {
    const char* name = sqlite3_column_name(stmt, i);
    columns->emplace_back(name == nullptr ? "" : name);
  }
  return columns;
}

// ---- At most one row, proven from the schema

// ASCII-only case folding, as SQLite compares identifiers and keywords.
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The shape `SELECT <names or *> FROM <table> WHERE <column> = ?`, nothing
// else: unquoted ASCII names, whitespace, an optional final ';'. No
// comments, quotes, joins, aliases, schema names, subqueries or other
// operators, so the text means what this reading says it means.
struct KeyLookup {
  std::string_view table;
  std::string_view column;
};
std::optional<KeyLookup> ParseKeyLookup(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  auto is_start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto is_part = [&](char c) { return is_start(c) || (c >= '0' && c <= '9'); };
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (is_start(c)) {
      const std::size_t from = i;
      while (i < text.size() && is_part(text[i])) ++i;
      if (i < text.size() && (text[i] == '$' || static_cast<unsigned char>(text[i]) >= 0x80)) {
        return std::nullopt;
      }
      tokens.push_back(text.substr(from, i - from));
    } else if (c == ',' || c == '=' || c == '?' || c == ';' || c == '*') {
      tokens.push_back(text.substr(i, 1));
      ++i;
    } else {
      return std::nullopt;
    }
  }
  if (!tokens.empty() && tokens.back() == ";") tokens.pop_back();
  auto is_name = [&](std::string_view t) { return is_start(t[0]); };
  std::size_t at = 0;
  auto next = [&]() -> std::string_view { return at < tokens.size() ? tokens[at++] : std::string_view(); };
  if (!EqualsIgnoreCase(next(), "select")) return std::nullopt;
  std::string_view t = next();
  if (t == "*") {
    t = next();
  } else {
    while (true) {
      if (t.empty() || !is_name(t) || EqualsIgnoreCase(t, "from")) return std::nullopt;
      t = next();
      if (t != ",") break;
      t = next();
    }
  }
  if (!EqualsIgnoreCase(t, "from")) return std::nullopt;
  KeyLookup out;
  out.table = next();
  if (out.table.empty() || !is_name(out.table) || !EqualsIgnoreCase(next(), "where")) return std::nullopt;
  out.column = next();
  if (out.column.empty() || !is_name(out.column)) return std::nullopt;
  if (next() != "=" || next() != "?" || at != tokens.size()) return std::nullopt;
  return out;
}

// Runs a read-only query over the schema with text parameters, calling
// `row` for each row; false on any error.
template <class Row>
bool SchemaQuery(sqlite3* db, const char* sql, std::initializer_list<std::string_view> params, Row&& row) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, 0, &stmt, nullptr) != SQLITE_OK || stmt == nullptr) {
    sqlite3_finalize(stmt);
    return false;
  }
  int index = 0;
  for (std::string_view p : params) {
    if (sqlite3_bind_text64(stmt, ++index, p.data(), p.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return false;
    }
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE;
}

std::string_view ColumnText(sqlite3_stmt* stmt, int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
}

// True when `text` (already prepared on `db`) can return at most one row,
// whatever the data and the bound value: it is a KeyLookup whose table
// resolves (temp first, then main, as SQLite resolves an unqualified name)
// to an ordinary table, not a view or a virtual table, whose primary key is
// that one column, compared under the key's own collation. Rows equal to
// the value then have equal keys, which the key's uniqueness forbids (a
// NULL key equals nothing). Only documented interfaces are read: the schema
// table, the table_info/index_list/index_xinfo pragmas and
// sqlite3_table_column_metadata. Anything unexpected answers false.
bool AtMostOneRow(sqlite3* db, std::string_view text) {
  const std::optional<KeyLookup> lookup = ParseKeyLookup(text);
  if (!lookup) return false;
  const std::string table(lookup->table);
  const std::string column(lookup->column);
  // Where the name leads: the temp schema first, then main (no other
  // database can be attached). It must be an ordinary table: not a view, a
  // virtual table or a virtual table's shadow table. (table_list reads the
  // schemas as loaded; reading sqlite_temp_master instead would open the
  // temp database and make every later commit on the connection dearer.)
  std::string schema;
  std::string type;
  bool readable = SchemaQuery(db, "SELECT schema, type FROM pragma_table_list(?1)", {table},
                              [&](sqlite3_stmt* s) {
                                const std::string_view at = ColumnText(s, 0);
                                if (schema == "temp" || (schema == "main" && at != "temp")) return;
                                if (at != "temp" && at != "main") return;
                                schema = at;
                                type = ColumnText(s, 1);
                              });
  if (!readable || schema.empty() || type != "table") return false;
  // The primary key: exactly one column, the one compared.
  int key_columns = 0;
  long long key_cid = -1;
  std::string key_name;
  if (!SchemaQuery(db, "SELECT cid, name FROM pragma_table_info(?1, ?2) WHERE pk > 0", {table, schema},
                   [&](sqlite3_stmt* s) {
                     ++key_columns;
                     key_cid = sqlite3_column_int64(s, 0);
                     key_name = ColumnText(s, 1);
                   }) ||
      key_columns != 1 || !EqualsIgnoreCase(key_name, column)) {
    return false;
  }
  const char* declared_type = nullptr;
  const char* collation = nullptr;
  int not_null = 0, primary_key = 0, autoinc = 0;
  if (sqlite3_table_column_metadata(db, schema.c_str(), table.c_str(), column.c_str(), &declared_type,
                                    &collation, &not_null, &primary_key, &autoinc) != SQLITE_OK ||
      primary_key == 0) {
    return false;
  }
  const std::string column_collation = collation == nullptr ? "BINARY" : collation;
  // Its uniqueness: an index made for the key (origin 'pk') on that column
  // alone, with the column's collation; without one, the key is the rowid
  // (INTEGER PRIMARY KEY), unique integers.
  int key_indexes = 0;
  std::string index_name;
  if (!SchemaQuery(db, "SELECT name FROM pragma_index_list(?1, ?2) WHERE origin = 'pk'", {table, schema},
                   [&](sqlite3_stmt* s) {
                     ++key_indexes;
                     index_name = ColumnText(s, 0);
                   }) ||
      key_indexes > 1) {
    return false;
  }
  if (key_indexes == 0) {
    return declared_type != nullptr && EqualsIgnoreCase(declared_type, "integer");
  }
  int index_keys = 0;
  bool same = false;
  if (!SchemaQuery(db, "SELECT cid, coll FROM pragma_index_xinfo(?1, ?2) WHERE key = 1",
                   {index_name, schema}, [&](sqlite3_stmt* s) {
                     ++index_keys;
                     same = sqlite3_column_int64(s, 0) == key_cid &&
                            EqualsIgnoreCase(ColumnText(s, 1), column_collation);
                   })) {
    return false;
  }
  return index_keys == 1 && same;
}

// The table and column each result column comes from, as SQLite's column
// metadata reports it (through aliases, views and subqueries in FROM; empty
// for an expression).
std::shared_ptr<const ResultOrigins> OriginsOf(sqlite3_stmt* stmt) {
  auto origins = std::make_shared<ResultOrigins>();
  const int ncols = sqlite3_column_count(stmt);
  for (int i = 0; i < ncols; ++i) {
    const char* table = sqlite3_column_table_name(stmt, i);
    const char* column = sqlite3_column_origin_name(stmt, i);
    ColumnOrigin o;
    if (table != nullptr && column != nullptr) {
      o.table = table;
      o.column = column;
    }
    origins->columns.push_back(std::move(o));
  }
  return origins;
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, const SqliteOptions& options)
      : db_(db), options_(options), cache_(options.statement_cache_size) {
    sqlite3_progress_handler(db_, 1000, &SqliteConnection::Progress, this);
  }
  ~SqliteConnection() override {
    cache_.ForEach([](const std::string&, CachedStatement& c) { sqlite3_finalize(c.stmt); });
    cache_.Clear();
    sqlite3_close_v2(db_);
  }

  Result<Rows> Run(Statement& st) override {
    if (st.script) return RunScript(st.text);
    std::vector<Row> rows;
    CachedStatement* shape = nullptr;
    bool too_many = false;
    std::optional<Error> failed = Execute(st, shape, false, [&]() -> ValueList* {
      if (rows.size() >= options_.max_rows) {
        too_many = true;
        return nullptr;
      }
      Row& row = rows.emplace_back(RowAccess::Empty());
      RowAccess::SetColumns(row, shape->columns);
      return &RowAccess::Values(row);
    });
    if (failed) return std::move(*failed);
    if (too_many) return TooManyRows(options_.max_rows);
    BULWARK_CHECK(shape != nullptr);  // Execute sets it whenever it succeeds
    const std::int64_t affected = shape->read_only ? 0 : sqlite3_changes64(db_);
    if (shape->columns->empty()) return Rows(affected);
    return Rows(shape->columns, std::move(rows), affected);
  }

  // Execute's path: no Rows is built. Result rows, if any, are stepped
  // through and counted against max_rows as Run does, without being kept.
  std::optional<Error> RunCount(Statement& st, std::int64_t& affected) override {
    if (st.script) return Connection::RunCount(st, affected);
    CachedStatement* shape = nullptr;
    std::size_t rows = 0;
    bool too_many = false;
    ValueList scratch;  // each row is read here, then dropped
    std::optional<Error> failed = Execute(st, shape, false, [&]() -> ValueList* {
      if (rows >= options_.max_rows) {
        too_many = true;
        return nullptr;
      }
      ++rows;
      scratch = ValueList();
      return &scratch;
    });
    if (failed) return failed;
    if (too_many) return TooManyRows(options_.max_rows);
    BULWARK_CHECK(shape != nullptr);  // Execute sets it whenever it succeeds
    affected = shape->read_only ? 0 : sqlite3_changes64(db_);
    return std::nullopt;
  }

  // QueryRow's path: no Rows is built; the first row is read into `first`.
  std::optional<Error> RunRow(Statement& st, Row& first, std::size_t& count) override {
    if (st.script) return Error(ErrorCode::kInvalidArgument, "sqlite: a script returns no row");
    CachedStatement* shape = nullptr;
    // A second row settles the answer: stop there, without reading it.
    // Without a second row, SQLite's step to the end proves there is none,
    // unless the schema already proves it (Execute's one_row).
    return Execute(st, shape, true, [&]() -> ValueList* {
      if (++count > 1) return nullptr;
      RowAccess::SetColumns(first, shape->columns);
      return &RowAccess::Values(first);
    });
  }

  Result<void> Begin() override { return Simple("BEGIN IMMEDIATE"); }
  Result<void> Commit() override { return Simple("COMMIT"); }
  Result<void> Rollback() override {
    if (sqlite3_get_autocommit(db_)) return Ok();  // SQLite already rolled back
    return Simple("ROLLBACK");
  }
  Result<void> Check() override { return Simple("SELECT 1"); }
  bool Broken() const override { return sqlite3_get_autocommit(db_) == 0; }

 private:
  // Prepares (or finds) the statement, binds and steps; for each row,
  // `next_row()` says where to read its values (an empty ValueList), or
  // null to stop there. `shape` is set to the cached statement. With
  // `one_row` (QueryRow), a cached statement's OneRow is decided before its
  // first run, and when it is proven for the program that produced the
  // first row (not re-prepared since), that row ends the run without
  // another step.
  template <class NextRow>
  std::optional<Error> Execute(Statement& st, CachedStatement*& shape, bool one_row, NextRow&& next_row) {
    // A cached statement is found inline; only a miss calls Prepare.
    CachedStatement* found = st.cacheable ? cache_.Find(st.text, st.literal) : nullptr;
    if (found == nullptr) {
      Result<CachedStatement*> cached = Prepare(st);
      if (!cached.ok()) return std::move(cached).error();
      found = *cached;
    }
    CachedStatement& c = *found;
    shape = &c;
    if (one_row && st.cacheable && c.one_row == CachedStatement::OneRow::kUnknown) {
      deadline_set_ = false;
      c.one_row = AtMostOneRow(db_, st.text) ? CachedStatement::OneRow::kProven
                                             : CachedStatement::OneRow::kNotProven;
      c.reprepares = sqlite3_stmt_status(c.stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
    }
    if (st.want_origins) {
      if (c.origins == nullptr) c.origins = OriginsOf(c.stmt);
      st.More().origins = c.origins;
    }
    struct Finalizer {
      CachedStatement* one_off;
      ~Finalizer() {
        if (one_off != nullptr) sqlite3_finalize(one_off->stmt);
      }
    } finalizer{st.cacheable ? nullptr : &c};
    sqlite3_stmt* stmt = c.stmt;
    // Text and blobs are bound without a copy (SQLITE_STATIC, pointing at
    // the caller's arguments): clear them after the run so the cached
    // statement keeps no pointer to memory that is about to be freed.
    // Numbers and NULLs leave nothing behind (every parameter is bound again
    // on the next run), so statements without text or blobs skip the call.
    struct Resetter {
      sqlite3_stmt* s;
      bool clear = false;
      ~Resetter() {
        sqlite3_reset(s);
        if (clear) sqlite3_clear_bindings(s);
      }
    } resetter{stmt};

    for (std::size_t i = 0; i < st.params.size(); ++i) {
      const Value& v = std::as_const(st.params)[i];
      const int index = static_cast<int>(i + 1);
      int rc;
      // Integers and text first: most parameters are one or the other.
      if (v.kind() == Value::Kind::kInteger) {
        rc = sqlite3_bind_int64(stmt, index, v.integer());
      } else if (v.kind() == Value::Kind::kText) {
        resetter.clear = true;
        const std::string_view text = v.text();
        // A default-constructed string_view has a null data(), which
        // sqlite3_bind_text64 takes as SQL NULL: an empty text is '' (as on
        // PostgreSQL), or `col <> ?` with "" would match nothing.
        rc = sqlite3_bind_text64(stmt, index, text.data() != nullptr ? text.data() : "", text.size(),
                                 SQLITE_STATIC, SQLITE_UTF8);
      } else if (v.kind() == Value::Kind::kBlob) {
        resetter.clear = true;
        const ByteView blob = v.blob();
        rc = blob.empty() ? sqlite3_bind_zeroblob(stmt, index, 0)
                          : sqlite3_bind_blob64(stmt, index, blob.data(), blob.size(), SQLITE_STATIC);
      } else if (v.kind() == Value::Kind::kReal) {
        rc = sqlite3_bind_double(stmt, index, v.real());
      } else if (v.kind() == Value::Kind::kBool) {
        rc = sqlite3_bind_int64(stmt, index, v.boolean() ? 1 : 0);
      } else {
        rc = sqlite3_bind_null(stmt, index);
      }
      if (rc != SQLITE_OK) return SqliteError(rc, db_, "bind parameter " + std::to_string(index));
    }

    // The deadline starts at the first progress callback (after 1000 VM
    // steps), so short statements never read the clock.
    deadline_set_ = false;
    int ncols = -1;  // read at the first row (an INSERT has none)
    int reprepares = 0;
    while (true) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        return SqliteError(sqlite3_extended_errcode(db_), db_, "step");
      }
      if (ncols < 0) {
        // The program that produced this row: if SQLite re-prepared it
        // (in this step), its columns may differ from the cached ones.
        reprepares = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
        if (reprepares != c.shape_reprepares) Reshape(c, st);
        ncols = c.ncols;
      }
      ValueList* values = next_row();
      if (values == nullptr) break;
      ReadRow(stmt, ncols, *values);
      if (one_row && c.one_row == CachedStatement::OneRow::kProven) {
        if (reprepares == c.reprepares) break;  // no second row: the schema proves it
        c.one_row = CachedStatement::OneRow::kUnknown;  // proven again on the next QueryRow
      }
    }
    return std::nullopt;
  }

  // Reads the columns (and origins, when they are in use) of a statement
  // SQLite re-prepared.
  [[gnu::noinline]] static void Reshape(CachedStatement& c, Statement& st) {
    c.columns = ColumnNames(c.stmt);
    c.ncols = sqlite3_column_count(c.stmt);
    if (c.origins != nullptr) c.origins = OriginsOf(c.stmt);
    if (st.want_origins) st.More().origins = c.origins;
    c.shape_reprepares = sqlite3_stmt_status(c.stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
  }

  // Copies the current row's cells into `values` (constructed in place; the
  // text and blob bytes are copied out of SQLite's buffers, which the next
  // step or reset reuses).
  [[gnu::always_inline]] static void ReadRow(sqlite3_stmt* stmt, int ncols, ValueList& values) {
    values.reserve(static_cast<std::size_t>(ncols));
    for (int col = 0; col < ncols; ++col) {
      // One column_value call, then the cheap value accessors (each
      // sqlite3_column_* call re-checks the statement and its mutex).
      sqlite3_value* cell = sqlite3_column_value(stmt, col);
      switch (sqlite3_value_type(cell)) {
        case SQLITE_INTEGER: values.PushInteger(sqlite3_value_int64(cell)); break;
        case SQLITE_FLOAT: values.PushReal(sqlite3_value_double(cell)); break;
        case SQLITE_TEXT: {
          // value_text before value_bytes (the documented order: bytes then
          // counts the UTF-8 form just made).
          const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(cell));
          const auto n = static_cast<std::size_t>(sqlite3_value_bytes(cell));
          values.PushCopy(Value::Kind::kText, p == nullptr ? std::string_view() : std::string_view(p, n));
          break;
        }
        case SQLITE_BLOB: {
          const auto* p = static_cast<const char*>(sqlite3_value_blob(cell));
          const auto n = static_cast<std::size_t>(sqlite3_value_bytes(cell));
          values.PushCopy(Value::Kind::kBlob, p == nullptr ? std::string_view() : std::string_view(p, n));
          break;
        }
        default: values.emplace_back(); break;
      }
    }
  }

  // Each statement of a parameterless script, split by SQLite's parser.
  Result<Rows> RunScript(std::string_view text) {
    const sql::ScanResult scan = sql::ScanSql(text, false);
    if (scan.error != sql::ScanError::kNone || scan.placeholders != 0 || scan.slots != 0) {
      return Error(ErrorCode::kInvalidArgument, "sqlite: script does not scan or has placeholders");
    }
    const char* p = text.data();
    const char* end = text.data() + text.size();
    std::size_t number = 0;
    while (p < end) {
      sqlite3_stmt* stmt = nullptr;
      const char* tail = nullptr;
      const int rc = sqlite3_prepare_v3(db_, p, static_cast<int>(end - p), 0, &stmt, &tail);
      if (rc != SQLITE_OK) {
        return SqliteError(rc, db_, "script statement " + std::to_string(number + 1) + ": prepare");
      }
      p = tail;
      if (stmt == nullptr) break;  // only whitespace or comments left
      ++number;
      deadline_set_ = false;
      int step;
      while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
      }
      sqlite3_finalize(stmt);
      if (step != SQLITE_DONE) {
        return SqliteError(sqlite3_extended_errcode(db_), db_,
                           "script statement " + std::to_string(number));
      }
    }
    return Rows();
  }

  static int Progress(void* self) {
    auto* conn = static_cast<SqliteConnection*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (!conn->deadline_set_) {
      conn->deadline_ = now + conn->options_.statement_timeout;
      conn->deadline_set_ = true;
    }
    return now > conn->deadline_ ? 1 : 0;
  }

  Result<void> Simple(std::string_view sql) {
    Statement st;
    st.text = sql;
    Result<Rows> r = Run(st);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }

  // Prepares a statement that is not in the cache (Execute looks there
  // first), and caches it when it is cacheable.
  Result<CachedStatement*> Prepare(const Statement& st) {
    const std::string key(st.cacheable ? st.text : std::string_view());
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    if (st.text.size() > 100'000'000) {
      return Error(ErrorCode::kResourceExhausted, "sqlite: statement too long");
    }
    const int rc = sqlite3_prepare_v3(db_, st.text.data(), static_cast<int>(st.text.size()),
                                      st.cacheable ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(rc, db_, "prepare");
    if (stmt == nullptr) return Error(ErrorCode::kInvalidArgument, "sqlite: empty statement");
    const std::size_t used = static_cast<std::size_t>(tail - st.text.data());
    if (used < st.text.size() &&
        sql::ScanSql(st.text.substr(used), true).error != sql::ScanError::kEmpty) {
      sqlite3_finalize(stmt);
      return Error(ErrorCode::kInvalidArgument, "sqlite: more than one statement");
    }
    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt)) != st.expected_params ||
        st.params.size() != st.expected_params) {
      sqlite3_finalize(stmt);
      return Error(ErrorCode::kInvalidArgument,
                   "sqlite: statement parameters do not match its placeholders");
    }
    CachedStatement c;
    c.stmt = stmt;
    c.read_only = sqlite3_stmt_readonly(stmt) != 0;
    c.columns = ColumnNames(stmt);
    c.ncols = sqlite3_column_count(stmt);
    c.shape_reprepares = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_REPREPARE, 0);
    if (!st.cacheable) {
      one_off_ = c;
      return &one_off_;
    }
    auto evicted = cache_.Insert(key, c);
    if (evicted) sqlite3_finalize(evicted->second.stmt);
    return cache_.Find(key);
  }

  sqlite3* db_;
  SqliteOptions options_;
  LruCache<CachedStatement> cache_;
  CachedStatement one_off_;
  std::chrono::steady_clock::time_point deadline_{};
  bool deadline_set_ = false;
};

Result<void> CheckPrivateDirectory(const std::filesystem::path& dir, bool create) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT || !create) {
      return Error(ErrorCode::kNotFound, "sqlite: database directory does not exist");
    }
    if (dir.has_parent_path() && dir.parent_path() != dir) {
      // Parents we create are private too; existing ones are only required
      // not to be a symlink loop (the final directory is checked below).
      std::error_code ec;
      if (!std::filesystem::exists(dir.parent_path(), ec)) {
        Result<void> parent = CheckPrivateDirectory(dir.parent_path(), create);
        if (!parent.ok()) return parent;
      }
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error(ErrorCode::kUnavailable, "sqlite: cannot create the database directory");
    }
    if (::lstat(dir.c_str(), &st) != 0) {
      return Error(ErrorCode::kUnavailable, "sqlite: cannot stat the database directory");
    }
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument, "sqlite: database directory is not a directory");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Error(ErrorCode::kPermissionDenied,
                 "sqlite: database directory is writable by group or others (chmod 700)");
  }
  return Ok();
}

Result<void> PrepareFile(const std::filesystem::path& path, bool create) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  Result<void> d = CheckPrivateDirectory(dir, create);
  if (!d.ok()) return d;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return Error(ErrorCode::kUnavailable, "sqlite: cannot stat the database file");
    if (!create) return Error(ErrorCode::kNotFound, "sqlite: database file does not exist");
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::close(fd);
      return Ok();
    }
    if (errno != EEXIST) return Error(ErrorCode::kUnavailable, "sqlite: cannot create the database file");
    if (::lstat(path.c_str(), &st) != 0) {
      return Error(ErrorCode::kUnavailable, "sqlite: cannot stat the database file");
    }
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kInvalidArgument, "sqlite: database path is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return Error(ErrorCode::kPermissionDenied,
                 "sqlite: database file is accessible to group or others (chmod 600)");
  }
  return Ok();
}

Result<std::unique_ptr<Connection>> OpenSqliteConnection(const SqliteOptions& options) {
  Result<void> file = PrepareFile(options.path, options.create);
  if (!file.ok()) return std::move(file).error();
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                    SQLITE_OPEN_NOFOLLOW;
  const int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(rc, nullptr, "open");
    sqlite3_close_v2(db);
    return e;
  }
  auto fail = [&](int code, std::string_view what) -> Error {
    Error e = SqliteError(code, db, what);
    sqlite3_close_v2(db);
    return e;
  };
  sqlite3_extended_result_codes(db, 1);
  int ignored = 0;
  const int settings[][2] = {
      {SQLITE_DBCONFIG_DEFENSIVE, 1},         {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0},
      {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0}, {SQLITE_DBCONFIG_DQS_DML, 0},
      {SQLITE_DBCONFIG_DQS_DDL, 0},           {SQLITE_DBCONFIG_ENABLE_TRIGGER, 1},
  };
  for (const auto& s : settings) {
    const int c = sqlite3_db_config(db, s[0], s[1], &ignored);
    if (c != SQLITE_OK) return fail(c, "configure");
  }
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  const std::string pragmas = std::string("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; ") +
                              (options.synchronous_full ? "PRAGMA synchronous = FULL;"
                                                        : "PRAGMA synchronous = NORMAL;");
  int c = sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, nullptr);
  if (c != SQLITE_OK) return fail(c, "configure");
  std::string mode;
  c = sqlite3_exec(
      db, "PRAGMA journal_mode = WAL",
      [](void* out, int n, char** values, char**) {
        if (n > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
        return 0;
      },
      &mode, nullptr);
  if (c != SQLITE_OK) return fail(c, "enable WAL");
  if (mode != "wal") {
    sqlite3_close_v2(db);
    return Error(ErrorCode::kFailedPrecondition, "sqlite: could not switch to WAL mode");
  }
  return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(db, options));
}

}  // namespace

Result<ConnectionFactory> MakeSqliteFactory(SqliteOptions options) {
  if (options.path.empty()) return Error(ErrorCode::kInvalidArgument, "sqlite: no database path");
  const std::string p = options.path.string();
  if (p == ":memory:" || p.rfind("file:", 0) == 0) {
    return Error(ErrorCode::kInvalidArgument, "sqlite: give a file path (no :memory: or URI)");
  }
  if (options.pool.max_connections == 0 || options.max_rows == 0) {
    return Error(ErrorCode::kInvalidArgument, "sqlite: pool size and max_rows must be positive");
  }
  auto shared = std::make_shared<SqliteOptions>(std::move(options));
  return ConnectionFactory([shared]() { return OpenSqliteConnection(*shared); });
}

}  // namespace bulwark::db::internal
