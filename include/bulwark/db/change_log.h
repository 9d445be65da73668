#pragma once
// Change tracking: who changed which row of a sensitive table, when, and
// which columns (never the values), written in the same transaction as the
// change itself, so a change and its record commit or roll back together.
//
//   BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db.Begin());
//   BULWARK_RETURN_IF_ERROR(db::TrackedExecute(tx,
//       {.actor = "user:42", .table = "users", .row_key = 42,
//        .action = db::ChangeAction::kUpdate, .columns = {"email"}},
//       "UPDATE users SET email = ? WHERE id = ?", sealed_email, 42));
//   BULWARK_RETURN_IF_ERROR(tx.Commit());
//
// The table comes from ChangeLogMigration(), added to the program's list.
// Thread-safety: functions are thread-safe; a Transaction is not.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/db/database.h"
#include "bulwark/db/encrypted.h"
#include "bulwark/db/migrate.h"

namespace bulwark::db {

enum class ChangeAction : std::uint8_t { kInsert, kUpdate, kDelete };
std::string_view ChangeActionName(ChangeAction action) noexcept;  // "insert", ...

struct Change {
  std::string actor;       // "user:42", "admin:7", "system:reencrypt"
  std::string table;
  RowKey row_key = RowKey(std::string_view());
  ChangeAction action = ChangeAction::kUpdate;
  std::vector<std::string> columns;  // names only, never values
  std::string request_id;            // optional correlation id
};

struct ChangeRecord {
  std::int64_t id = 0;
  Timestamp at;
  std::string actor;
  std::string table;
  std::string row_key;
  ChangeAction action = ChangeAction::kUpdate;
  std::vector<std::string> columns;
  std::string request_id;
};

// The migration that creates bulwark_change_log, at `version` of the
// program's migration list (the DDL differs per backend only in the id column).
Migration ChangeLogMigration(Backend backend, std::int64_t version);

// Appends one record in `tx`. Errors: kInvalidArgument (empty actor or
// table, over-long fields, column names that are not identifiers).
Result<void> RecordChange(Transaction& tx, const Change& change, const Clock& clock = SystemClock());

// Runs the statement and, when it changed at least one row, records `change`
// in the same transaction. Returns the number of changed rows.
template <class... Args>
Result<std::int64_t> TrackedExecute(Transaction& tx, const Change& change,
                                    sql::QueryFor<std::type_identity_t<Args>...> query,
                                    const Args&... args) {
  Result<std::int64_t> changed = tx.Execute<Args...>(query, args...);
  if (!changed.ok()) return changed;
  if (*changed > 0) {
    Result<void> recorded = RecordChange(tx, change);
    if (!recorded.ok()) return std::move(recorded).error();
  }
  return changed;
}

// The records for one row, oldest first (bounded by the database's max_rows).
Result<std::vector<ChangeRecord>> ChangesFor(Executor& db, std::string_view table,
                                             const RowKey& row_key);

}  // namespace bulwark::db
