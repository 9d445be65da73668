// PostgreSQL backend (libpq): PQprepare + PQexecPrepared for cached
// statements, PQexecParams for one-off ones; never PQexec.

#include <libpq-fe.h>

#include <arpa/inet.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <string>
#include <utility>
#include <vector>

#include "field_codec.h"
#include "internal.h"

namespace bulwark::db::internal {
namespace {

constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string FirstLine(const char* text, std::size_t max = 200) {
  if (text == nullptr) return {};
  std::string s(text);
  const auto nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  if (s.size() > max) s.resize(max);
  return s;
}

ErrorCode CodeForSqlState(std::string_view state) {
  if (state == "23505") return ErrorCode::kAlreadyExists;
  if (state == "23503") return ErrorCode::kFailedPrecondition;
  if (state.substr(0, 2) == "23" || state.substr(0, 2) == "22") return ErrorCode::kInvalidArgument;
  if (state == "42501") return ErrorCode::kPermissionDenied;
  if (state.substr(0, 2) == "28") return ErrorCode::kUnauthenticated;
  if (state == "57014") return ErrorCode::kDeadlineExceeded;
  if (state.substr(0, 2) == "08" || state == "40001" || state == "40P01" || state == "57P01" ||
      state == "57P02" || state == "57P03" || state == "55P03") {
    return ErrorCode::kUnavailable;
  }
  if (state.substr(0, 2) == "53") return ErrorCode::kResourceExhausted;
  if (state == "XX001" || state == "XX002") return ErrorCode::kDataLoss;
  if (state.substr(0, 2) == "42") return ErrorCode::kInvalidArgument;  // syntax / undefined object
  return ErrorCode::kInternal;
}

std::string_view StateDescription(std::string_view state) {
  if (state == "23505") return "unique violation";
  if (state == "23503") return "foreign key violation";
  if (state == "23502") return "not-null violation";
  if (state == "23514") return "check violation";
  if (state == "42501") return "insufficient privilege";
  if (state == "57014") return "statement timeout or cancel";
  if (state == "42P01") return "undefined table";
  if (state == "42703") return "undefined column";
  if (state == "42601") return "syntax error";
  if (state == "42P07") return "table already exists";
  if (state == "40001") return "serialization failure";
  if (state == "40P01") return "deadlock detected";
  if (state == "22P02") return "invalid text representation";
  if (state == "22003") return "numeric value out of range";
  if (state == "22001") return "string too long for column";
  if (state == "25P02") return "transaction aborted";
  if (state == "0A000") return "feature not supported";
  if (state.substr(0, 2) == "08") return "connection failure";
  if (state.substr(0, 2) == "28") return "authentication failure";
  if (state.substr(0, 2) == "22") return "data exception";
  if (state.substr(0, 2) == "23") return "integrity constraint violation";
  if (state.substr(0, 2) == "42") return "syntax error or access rule violation";
  return "error";
}

// The message carries SQLSTATE and schema names (constraint, table, column),
// never the server's free text, which can echo values.
Error PgError(const PGresult* res, PGconn* conn, std::string_view context) {
  if (res == nullptr || PQresultErrorField(res, PG_DIAG_SQLSTATE) == nullptr) {
    if (PQstatus(conn) != CONNECTION_OK) {
      return Error(ErrorCode::kUnavailable, "postgres: " + std::string(context) + ": connection lost");
    }
    return Error(ErrorCode::kInternal, "postgres: " + std::string(context) + ": no result");
  }
  const std::string state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  std::string message = "postgres: " + std::string(context) + ": " +
                        std::string(StateDescription(state)) + " (SQLSTATE " + state;
  for (auto [field, label] : {std::pair{PG_DIAG_CONSTRAINT_NAME, "constraint"},
                              std::pair{PG_DIAG_TABLE_NAME, "table"},
                              std::pair{PG_DIAG_COLUMN_NAME, "column"}}) {
    if (const char* v = PQresultErrorField(res, field)) {
      message += ", ";
      message += label;
      message += " ";
      message += v;
    }
  }
  message += ")";
  return Error(CodeForSqlState(state), std::move(message));
}

int HexNibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Value> DecodeCell(const char* text, std::size_t len, Oid type) {
  const std::string_view s(text, len);
  auto bad = [] { return Error(ErrorCode::kDataLoss, "postgres: malformed value in result"); };
  switch (type) {
    case kBoolOid:
      return Value::Bool(s == "t");
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      std::int64_t v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || p != s.data() + s.size()) return bad();
      return Value::Integer(v);
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      if (s == "NaN") return Value::Real(std::numeric_limits<double>::quiet_NaN());
      if (s == "Infinity") return Value::Real(std::numeric_limits<double>::infinity());
      if (s == "-Infinity") return Value::Real(-std::numeric_limits<double>::infinity());
      double v = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || p != s.data() + s.size()) return bad();
      return Value::Real(v);
    }
    case kNumericOid: {
      // Integral numerics (SUM of integers) read as integers, like SQLite.
      std::int64_t i = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
      if (ec == std::errc() && p == s.data() + s.size()) return Value::Integer(i);
      double v = 0;
      auto [p2, ec2] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec2 != std::errc() || p2 != s.data() + s.size()) return bad();
      return Value::Real(v);
    }
    case kByteaOid: {
      if (s.size() < 2 || s[0] != '\\' || s[1] != 'x' || s.size() % 2 != 0) return bad();
      Bytes out((s.size() - 2) / 2);
      for (std::size_t i = 0; i < out.size(); ++i) {
        const int hi = HexNibble(s[2 + 2 * i]);
        const int lo = HexNibble(s[3 + 2 * i]);
        if (hi < 0 || lo < 0) return bad();
        out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
      }
      return Value::Blob(std::move(out));
    }
    default:
      return Value::Text(std::string(s));
  }
}

// One byte per parameter type bulwark sends (see Run).
char TypeCode(Oid type) {
  switch (type) {
    case kBoolOid: return 'b';
    case kByteaOid: return 'y';
    case kInt8Oid: return 'i';
    case kFloat8Oid: return 'f';
    default: return 'u';  // 0: inferred by the server
  }
}

struct Prepared {
  std::string name;
  std::shared_ptr<const std::vector<std::string>> columns;  // filled on first result
  std::shared_ptr<const ResultOrigins> origins;            // filled on first use
};

// A table's name and its columns' names by attribute number.
struct TableNames {
  std::string table;
  std::unordered_map<int, std::string> columns;
};

// Names of a table's columns, for result origins (PQftable/PQftablecol give
// numbers). The table's OID is a bound parameter.
constexpr sql::Query kTableColumns(
    "SELECT c.relname, a.attnum, a.attname FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
    "WHERE c.oid = ? AND a.attnum > 0 AND NOT a.attisdropped");

// n values of T, in place when n <= kInline (the usual few parameters: no
// heap allocation per statement), value-initialized.
template <class T>
class ParamArray {
 public:
  static constexpr std::size_t kInline = 8;
  explicit ParamArray(std::size_t n) : n_(n) {
    if (n > kInline) heap_ = std::make_unique<T[]>(n);
  }
  T* data() noexcept { return heap_ ? heap_.get() : inline_; }
  T& operator[](std::size_t i) noexcept { return data()[i]; }
  T* begin() noexcept { return data(); }
  T* end() noexcept { return data() + n_; }

 private:
  std::size_t n_;
  T inline_[kInline]{};
  std::unique_ptr<T[]> heap_;
};

class PgConnection final : public Connection {
 public:
  PgConnection(PGconn* conn, std::size_t cache_size, std::size_t max_rows)
      : conn_(conn), cache_(cache_size), max_rows_(max_rows) {}
  ~PgConnection() override { PQfinish(conn_); }

  Result<Rows> Run(Statement& st) override {
    return Execute<Result<Rows>>(
        st, [&](PGresult* res, Prepared* prepared) { return Collect(res, prepared, st); });
  }

  // QueryRow's path: the first row is read into `first` and `count` is the
  // number of rows (2 for several), without building a Rows.
  std::optional<Error> RunRow(Statement& st, Row& first, std::size_t& count) override {
    return Execute<std::optional<Error>>(st, [&](PGresult* res, Prepared* prepared) {
      return CollectFirst(res, prepared, st, first, count);
    });
  }

 private:
  // Binds and runs the statement (prepared and cached when it is
  // cacheable) and hands the result to `collect(res, prepared)`, whose
  // answer (R) is returned; errors before that are returned as R.
  template <class R, class Collect>
  R Execute(Statement& st, Collect&& collect) {
    const std::size_t n = st.params.size();
    if (n != st.expected_params) {
      return Error(ErrorCode::kInvalidArgument, "postgres: parameter count does not match");
    }
    ParamArray<Oid> types(n);
    ParamArray<std::string> texts(n);
    ParamArray<const char*> values(n);
    ParamArray<int> lengths(n);
    ParamArray<int> formats(n);
    static const char kEmpty = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = std::as_const(st.params)[i];
      switch (v.kind()) {
        case Value::Kind::kNull:
          types[i] = 0;
          values[i] = nullptr;
          break;
        case Value::Kind::kInteger:
          types[i] = kInt8Oid;
          texts[i] = std::to_string(v.integer());
          values[i] = texts[i].c_str();
          break;
        case Value::Kind::kReal: {
          types[i] = kFloat8Oid;
          char buf[64];
          auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.real());
          texts[i].assign(buf, ec == std::errc() ? p : buf);
          values[i] = texts[i].c_str();
          break;
        }
        case Value::Kind::kBool:
          types[i] = kBoolOid;
          values[i] = v.boolean() ? "t" : "f";
          break;
        case Value::Kind::kText:
          types[i] = 0;  // unknown: the server infers the type from context
          texts[i].assign(v.text());  // libpq needs NUL-terminated text
          values[i] = texts[i].c_str();
          break;
        case Value::Kind::kBlob:
          types[i] = kByteaOid;
          values[i] = v.blob().empty() ? &kEmpty : reinterpret_cast<const char*>(v.blob().data());
          if (v.blob().size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
            return Error(ErrorCode::kResourceExhausted, "postgres: blob parameter too large");
          }
          lengths[i] = static_cast<int>(v.blob().size());
          formats[i] = 1;
          break;
      }
    }
    struct WipeTexts {
      ParamArray<std::string>& texts;
      ~WipeTexts() {
        for (std::string& t : texts) SecureWipe(t.data(), t.size());
      }
    } wipe{texts};
    if (!st.cacheable) {
      Result<std::string> translated = Translate(st.text, n);
      if (!translated.ok()) return std::move(translated).error();
      PgResult res(PQexecParams(conn_, translated->c_str(), static_cast<int>(n), types.data(),
                                values.data(), lengths.data(), formats.data(), 0));
      return collect(res.get(), nullptr);
    }

    // Key: text, NUL, one byte per parameter type (no allocation once warm).
    key_.assign(st.text);
    key_.push_back('\0');
    for (Oid t : types) key_.push_back(TypeCode(t));
    for (int attempt = 0; attempt < 2; ++attempt) {
      Prepared* prepared = cache_.Find(key_);
      if (prepared == nullptr) {
        Result<std::string> translated = Translate(st.text, n);
        if (!translated.ok()) return std::move(translated).error();
        Prepared p;
        p.name = "bw_" + std::to_string(++counter_);
        PgResult res(PQprepare(conn_, p.name.c_str(), translated->c_str(), static_cast<int>(n),
                               types.data()));
        if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return PgError(res.get(), conn_, "prepare");
        auto evicted = cache_.Insert(key_, std::move(p));
        if (evicted) Deallocate(evicted->second.name);
        prepared = cache_.Find(key_);
      }
      PgResult res(PQexecPrepared(conn_, prepared->name.c_str(), static_cast<int>(n), values.data(),
                                  lengths.data(), formats.data(), 0));
      const char* state = PQresultErrorField(res.get(), PG_DIAG_SQLSTATE);
      if (attempt == 0 && state != nullptr && std::string_view(state) == "0A000" &&
          PQtransactionStatus(conn_) == PQTRANS_IDLE) {
        // "cached plan must not change result type" after a schema change: re-prepare once.
        Deallocate(prepared->name);
        cache_.Erase(key_);
        continue;
      }
      return collect(res.get(), prepared);
    }
    return Error(ErrorCode::kInternal, "postgres: statement could not be prepared");
  }

 public:

  Result<void> Begin() override { return Simple("BEGIN"); }
  Result<void> Commit() override {
    Statement st;
    st.text = "COMMIT";
    Result<Rows> r = Run(st);
    if (!r.ok()) return std::move(r).error();
    if (std::string_view(last_command_) == "ROLLBACK") {
      return Error(ErrorCode::kFailedPrecondition, "postgres: transaction was rolled back");
    }
    return Ok();
  }
  Result<void> Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return Ok();
    return Simple("ROLLBACK");
  }
  Result<void> Check() override { return Simple("SELECT 1"); }
  bool Broken() const override {
    return PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) != PQTRANS_IDLE;
  }

 private:
  Result<void> Simple(std::string_view sql) {
    Statement st;
    st.text = sql;
    Result<Rows> r = Run(st);
    if (!r.ok()) return std::move(r).error();
    return Ok();
  }

  void Deallocate(const std::string& name) {
    const std::string sql = "DEALLOCATE " + name;  // a name bulwark generated
    PgResult res(PQexecParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0));
  }

  static Result<std::string> Translate(std::string_view text, std::size_t expected) {
    std::string out;
    out.reserve(text.size() + 8);
    std::size_t pos = 0;
    std::size_t number = 0;
    const sql::ScanResult r = sql::ScanSql(text, true, [&](sql::ScanEvent e, std::size_t at) {
      if (e != sql::ScanEvent::kPlaceholder) return;
      out.append(text.substr(pos, at - pos));
      out += "$" + std::to_string(++number);
      pos = at + 1;
    });
    if (r.error != sql::ScanError::kNone || r.slots != 0 || number != expected) {
      return Error(ErrorCode::kInvalidArgument,
                   "postgres: statement text does not scan: " + std::string(sql::ScanErrorName(r.error)));
    }
    out.append(text.substr(pos));
    return out;
  }

  // The origin of each result column (see Statement::want_origins). Table
  // and column names are looked up once per table OID and kept for the
  // connection's life.
  Result<std::shared_ptr<const ResultOrigins>> OriginsOf(PGresult* res) {
    auto origins = std::make_shared<ResultOrigins>();
    const int ncols = PQnfields(res);
    for (int c = 0; c < ncols; ++c) {
      ColumnOrigin o;
      const Oid table = PQftable(res, c);
      const int attnum = PQftablecol(res, c);
      if (table != InvalidOid && attnum > 0) {
        Result<const TableNames*> names = NamesOf(table);
        if (!names.ok()) return std::move(names).error();
        auto column = (*names)->columns.find(attnum);
        if (column != (*names)->columns.end()) {
          o.table = (*names)->table;
          o.column = column->second;
        }
      }
      origins->columns.push_back(std::move(o));
    }
    return std::shared_ptr<const ResultOrigins>(std::move(origins));
  }

  Result<const TableNames*> NamesOf(Oid table) {
    auto found = table_names_.find(table);
    if (found != table_names_.end()) return &found->second;
    Result<std::string> text = Translate(kTableColumns.text(), kTableColumns.param_count());
    if (!text.ok()) return std::move(text).error();
    const std::string oid = std::to_string(table);
    const char* values[1] = {oid.c_str()};
    PgResult res(PQexecParams(conn_, text->c_str(), 1, nullptr, values, nullptr, nullptr, 0));
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
      return PgError(res.get(), conn_, "result column origins");
    }
    TableNames names;
    for (int r = 0; r < PQntuples(res.get()); ++r) {
      names.table = PQgetvalue(res.get(), r, 0);
      const int attnum = std::atoi(PQgetvalue(res.get(), r, 1));
      names.columns.emplace(attnum, PQgetvalue(res.get(), r, 2));
    }
    return &table_names_.emplace(table, std::move(names)).first->second;
  }

  // The column names (cached with the prepared statement) and, for a
  // Database with encrypted columns, the origins of a result with `ncols`
  // columns.
  std::optional<Error> Shape(PGresult* res, Prepared* prepared, Statement& st, int ncols,
                             std::shared_ptr<const std::vector<std::string>>& columns) {
    if (prepared != nullptr && prepared->columns &&
        prepared->columns->size() == static_cast<std::size_t>(ncols)) {
      columns = prepared->columns;
    } else {
      auto names = std::make_shared<std::vector<std::string>>();
      for (int c = 0; c < ncols; ++c) names->emplace_back(PQfname(res, c));
      columns = names;
      if (prepared != nullptr) prepared->columns = columns;
    }
    if (st.want_origins) {
      if (prepared != nullptr && prepared->origins &&
          prepared->origins->columns.size() == static_cast<std::size_t>(ncols)) {
        st.More().origins = prepared->origins;
      } else {
        Result<std::shared_ptr<const ResultOrigins>> origins = OriginsOf(res);
        if (!origins.ok()) return std::move(origins).error();
        st.More().origins = std::move(origins).value();
        if (prepared != nullptr) prepared->origins = st.extra->origins;
      }
    }
    return std::nullopt;
  }

  // Decodes row `r` into `values` (empty).
  static std::optional<Error> DecodeRow(PGresult* res, int r, int ncols, const Oid* types,
                                        ValueList& values) {
    values.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res, r, c)) {
        values.emplace_back();
        continue;
      }
      Result<Value> v = DecodeCell(PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c)),
                                   types[c]);
      if (!v.ok()) return std::move(v).error();
      values.push_back(std::move(v).value());
    }
    return std::nullopt;
  }

  // What Collect and CollectFirst check of a result that is not a
  // command's: its status, max_rows, and the column names and origins.
  std::optional<Error> CheckRows(PGresult* res, Prepared* prepared, Statement& st, int& nrows, int& ncols,
                                 std::shared_ptr<const std::vector<std::string>>& columns) {
    if (PQresultStatus(res) != PGRES_TUPLES_OK) return PgError(res, conn_, "execute");
    last_command_ = PQcmdStatus(res);
    nrows = PQntuples(res);
    ncols = PQnfields(res);
    if (static_cast<std::size_t>(nrows) > max_rows_) return TooManyRows(max_rows_);
    return Shape(res, prepared, st, ncols, columns);
  }

  Result<Rows> Collect(PGresult* res, Prepared* prepared, Statement& st) {
    const ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK) {
      last_command_ = PQcmdStatus(res);
      const char* tuples = PQcmdTuples(res);
      std::int64_t affected = 0;
      if (tuples != nullptr && *tuples != '\0') affected = std::strtoll(tuples, nullptr, 10);
      return Rows(affected);
    }
    int nrows = 0, ncols = 0;
    std::shared_ptr<const std::vector<std::string>> columns;
    if (std::optional<Error> failed = CheckRows(res, prepared, st, nrows, ncols, columns)) {
      return std::move(*failed);
    }
    ParamArray<Oid> types(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) types[static_cast<std::size_t>(c)] = PQftype(res, c);
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      ValueList values;
      if (std::optional<Error> failed = DecodeRow(res, r, ncols, types.data(), values)) {
        return std::move(*failed);
      }
      rows.emplace_back(columns, std::move(values));
    }
    std::int64_t affected = 0;
    const char* tuples = PQcmdTuples(res);
    if (tuples != nullptr && *tuples != '\0') affected = std::strtoll(tuples, nullptr, 10);
    // A SELECT reports its row count in the tag; only writes count as changes.
    if (last_command_.rfind("SELECT", 0) == 0) affected = 0;
    return Rows(columns, std::move(rows), affected);
  }

  // Collect for QueryRow: the same checks (status, max_rows, names,
  // origins), then only the first row is decoded; `count` is 0, 1 or 2
  // (several).
  std::optional<Error> CollectFirst(PGresult* res, Prepared* prepared, Statement& st, Row& first,
                                    std::size_t& count) {
    const ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_COMMAND_OK) {
      last_command_ = PQcmdStatus(res);
      count = 0;
      return std::nullopt;
    }
    int nrows = 0, ncols = 0;
    std::shared_ptr<const std::vector<std::string>> columns;
    if (std::optional<Error> failed = CheckRows(res, prepared, st, nrows, ncols, columns)) return failed;
    count = nrows > 1 ? 2 : static_cast<std::size_t>(nrows);
    if (nrows != 1) return std::nullopt;  // no row, or several: QueryRow's answer, nothing to read
    ParamArray<Oid> types(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) types[static_cast<std::size_t>(c)] = PQftype(res, c);
    RowAccess::SetColumns(first, columns);
    return DecodeRow(res, 0, ncols, types.data(), RowAccess::Values(first));
  }

  PGconn* conn_;
  LruCache<Prepared> cache_;
  std::size_t max_rows_;
  std::uint64_t counter_ = 0;
  std::string last_command_;
  std::string key_;
  std::unordered_map<Oid, TableNames> table_names_;
};

bool IsLoopbackHost(std::string_view host) {
  if (host.empty() || host.front() == '/' || host.front() == '@') return true;  // Unix socket
  if (host == "localhost" || host == "::1") return true;
  in_addr addr{};
  const std::string h(host);
  if (inet_pton(AF_INET, h.c_str(), &addr) == 1) {
    return (ntohl(addr.s_addr) >> 24) == 127;
  }
  return false;
}

bool ValidSearchPath(std::string_view path) {
  if (path.empty()) return true;
  bool start = true;
  for (char c : path) {
    if (c == ',') {
      if (start) return false;
      start = true;
      continue;
    }
    const bool letter = (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (start ? !letter : !(letter || digit)) return false;
    start = false;
  }
  return !start;
}

bool ValidApplicationName(std::string_view name) {
  if (name.size() > 63) return false;
  for (char c : name) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

Result<std::unique_ptr<Connection>> Connect(const PostgresOptions& o) {
  const std::string& conninfo = o.conninfo.Reveal(InsecureSecretAccess());
  std::string options = "-c statement_timeout=" + std::to_string(o.statement_timeout.count());
  if (!o.search_path.empty()) options += " -c search_path=" + o.search_path;
  const std::string timeout = std::to_string(o.connect_timeout.count());
  std::vector<const char*> keys = {"dbname", "sslmode", "application_name", "connect_timeout",
                                   "options", "client_encoding"};
  std::vector<const char*> values = {conninfo.c_str(), SslModeName(o.ssl_mode).data(),
                                     o.application_name.c_str(), timeout.c_str(), options.c_str(),
                                     "UTF8"};
  if (!o.ssl_root_cert.empty()) {
    keys.push_back("sslrootcert");
    values.push_back(o.ssl_root_cert.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) return Error(ErrorCode::kResourceExhausted, "postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = FirstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Error(ErrorCode::kUnavailable, "postgres: cannot connect: " + why);
  }
  // Notices (for example "relation exists, skipping") are not for stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  const char* encoding = PQparameterStatus(conn, "client_encoding");
  if (encoding == nullptr || std::string_view(encoding) != "UTF8") {
    PQfinish(conn);
    return Error(ErrorCode::kFailedPrecondition, "postgres: client encoding is not UTF8");
  }
  return std::unique_ptr<Connection>(
      std::make_unique<PgConnection>(conn, o.statement_cache_size, o.max_rows));
}

}  // namespace

}  // namespace bulwark::db::internal

namespace bulwark::db {
bool ConnInfoHasPassword(std::string_view conninfo) {
  const std::string text(conninfo);
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(text.c_str(), &err);
  if (parsed == nullptr) {
    if (err != nullptr) PQfreemem(err);
    return false;
  }
  bool found = false;
  for (PQconninfoOption* o = parsed; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && std::string_view(o->keyword) == "password" && *o->val != '\0') found = true;
  }
  PQconninfoFree(parsed);
  return found;
}
}  // namespace bulwark::db

namespace bulwark::db::internal {

Result<ConnectionFactory> MakePostgresFactory(PostgresOptions options) {
  const std::string& conninfo = options.conninfo.Reveal(InsecureSecretAccess());
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &err);
  if (parsed == nullptr) {
    if (err != nullptr) PQfreemem(err);
    return Error(ErrorCode::kInvalidArgument, "postgres: connection string does not parse");
  }
  std::string hosts;
  for (PQconninfoOption* opt = parsed; opt->keyword != nullptr; ++opt) {
    if (opt->val == nullptr) continue;
    const std::string_view key(opt->keyword);
    if (key == "host" || key == "hostaddr") {
      if (!hosts.empty()) hosts += ",";
      hosts += opt->val;
    }
  }
  PQconninfoFree(parsed);
  if (options.ssl_mode == SslMode::kDisable) {
    std::string_view rest(hosts);
    bool loopback = true;
    while (true) {
      const auto comma = rest.find(',');
      if (!IsLoopbackHost(rest.substr(0, comma))) loopback = false;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    if (!loopback) {
      return Error(ErrorCode::kFailedPrecondition,
                   "postgres: sslmode disable is allowed only for loopback hosts and Unix sockets");
    }
  }
  if (!ValidSearchPath(options.search_path)) {
    return Error(ErrorCode::kInvalidArgument, "postgres: search_path must be lower-case identifiers");
  }
  if (!ValidApplicationName(options.application_name)) {
    return Error(ErrorCode::kInvalidArgument, "postgres: application_name must be printable ASCII");
  }
  if (options.pool.max_connections == 0 || options.max_rows == 0 ||
      options.statement_timeout.count() <= 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "postgres: pool size, max_rows and statement_timeout must be positive");
  }
  auto shared = std::make_shared<PostgresOptions>(std::move(options));
  return ConnectionFactory([shared]() { return Connect(*shared); });
}

}  // namespace bulwark::db::internal
