#include "bulwark/db/change_log.h"

#include <chrono>
#include <string>
#include <utility>

namespace bulwark::db {
namespace {

constexpr Migration kSqlite{0, "bulwark_change_log", R"sql(
  CREATE TABLE bulwark_change_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_micros BIGINT NOT NULL,
    actor TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    columns TEXT NOT NULL,
    request_id TEXT NOT NULL
  );
  CREATE INDEX bulwark_change_log_row ON bulwark_change_log(table_name, row_key);
)sql"};
constexpr Migration kPostgres{0, "bulwark_change_log", R"sql(
  CREATE TABLE bulwark_change_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_micros BIGINT NOT NULL,
    actor TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    columns TEXT NOT NULL,
    request_id TEXT NOT NULL
  );
  CREATE INDEX bulwark_change_log_row ON bulwark_change_log(table_name, row_key);
)sql"};

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (i == 0 ? !letter : !(letter || digit)) return false;
  }
  return true;
}

}  // namespace

std::string_view ChangeActionName(ChangeAction action) noexcept {
  switch (action) {
    case ChangeAction::kInsert: return "insert";
    case ChangeAction::kUpdate: return "update";
    case ChangeAction::kDelete: return "delete";
  }
  return "update";
}

Migration ChangeLogMigration(Backend backend, std::int64_t version) {
  Migration m = backend == Backend::kSqlite ? kSqlite : kPostgres;
  m.version = version;
  return m;
}

Result<void> RecordChange(Transaction& tx, const Change& change, const Clock& clock) {
  if (change.actor.empty() || change.actor.size() > 200 || change.request_id.size() > 200 ||
      change.row_key.text().size() > 500) {
    return Error(ErrorCode::kInvalidArgument, "change log: actor, row key or request id too long or empty");
  }
  if (!IsIdentifier(change.table)) {
    return Error(ErrorCode::kInvalidArgument, "change log: table must be an identifier");
  }
  std::string columns;
  for (const std::string& c : change.columns) {
    if (!IsIdentifier(c)) {
      return Error(ErrorCode::kInvalidArgument, "change log: column names must be identifiers");
    }
    if (!columns.empty()) columns += ",";
    columns += c;
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          clock.Now().time_since_epoch())
                          .count();
  Result<std::int64_t> inserted = tx.Execute(
      "INSERT INTO bulwark_change_log(at_micros, actor, table_name, row_key, action, columns, "
      "request_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      micros, change.actor, change.table, change.row_key.text(),
      ChangeActionName(change.action), columns, change.request_id);
  if (!inserted.ok()) return std::move(inserted).error();
  return Ok();
}

Result<std::vector<ChangeRecord>> ChangesFor(Executor& db, std::string_view table,
                                             const RowKey& row_key) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows,
      db.Query("SELECT id, at_micros, actor, table_name, row_key, action, columns, request_id "
               "FROM bulwark_change_log WHERE table_name = ? AND row_key = ? ORDER BY id",
               table, row_key.text()));
  std::vector<ChangeRecord> out;
  for (const Row& row : rows) {
    ChangeRecord r;
    BULWARK_ASSIGN_OR_RETURN(r.id, row.Get<std::int64_t>(0));
    BULWARK_ASSIGN_OR_RETURN(r.at, row.Get<Timestamp>(1));
    BULWARK_ASSIGN_OR_RETURN(r.actor, row.Get<std::string>(2));
    BULWARK_ASSIGN_OR_RETURN(r.table, row.Get<std::string>(3));
    BULWARK_ASSIGN_OR_RETURN(r.row_key, row.Get<std::string>(4));
    BULWARK_ASSIGN_OR_RETURN(std::string action, row.Get<std::string>(5));
    r.action = action == "insert" ? ChangeAction::kInsert
               : action == "delete" ? ChangeAction::kDelete
                                    : ChangeAction::kUpdate;
    BULWARK_ASSIGN_OR_RETURN(std::string columns, row.Get<std::string>(6));
    std::size_t start = 0;
    while (start < columns.size()) {
      const auto comma = columns.find(',', start);
      const auto end = comma == std::string::npos ? columns.size() : comma;
      r.columns.push_back(columns.substr(start, end - start));
      start = end + 1;
    }
    BULWARK_ASSIGN_OR_RETURN(r.request_id, row.Get<std::string>(7));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace bulwark::db
