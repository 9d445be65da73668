#pragma once
// Schema migrations: versioned, checksummed, each applied in its own
// transaction together with its record in bulwark_schema_migrations.
//
//   constexpr db::Migration kMigrations[] = {
//       {1, "create_users", "CREATE TABLE users (id BIGINT PRIMARY KEY, email BLOB NOT NULL);"},
//       {2, "users_email_index", "CREATE INDEX users_email ON users(email);"},
//   };
//   BULWARK_ASSIGN_OR_RETURN(db::MigrationReport report, db::Migrate(db, kMigrations));
//
// Rules, checked before anything is applied:
//   - versions are positive and strictly increasing;
//   - a migration that was applied must not change: its checksum (SHA-256 of
//     version, name and text) is stored, and a mismatch is kDataLoss;
//   - the database must not hold a version this program does not know (a newer
//     schema): kFailedPrecondition.
// A failing migration rolls back entirely (DDL is transactional on both
// backends); the ones before it stay applied. Concurrent migrators are
// serialized (BEGIN IMMEDIATE on SQLite, a table lock on PostgreSQL), and each
// version is applied once.
//
// Thread-safety: functions are thread-safe (they use the Database's pool).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/clock.h"
#include "bulwark/core/result.h"
#include "bulwark/db/database.h"
#include "bulwark/db/query.h"

namespace bulwark::db {

struct Migration {
  std::int64_t version;
  std::string_view name;
  sql::Script script;
};

struct MigrationReport {
  std::vector<std::int64_t> applied;  // versions applied by this call
  std::int64_t current_version = 0;
};

// Lower-case hex SHA-256 of the migration (what is stored and compared).
std::string MigrationChecksum(const Migration& migration);

// Errors: see the file comment; failures of a migration's statements keep
// their code and say which migration failed.
Result<MigrationReport> Migrate(Database& db, std::span<const Migration> migrations,
                                const Clock& clock = SystemClock());

// Checks without changing anything that every migration is applied with a
// matching checksum (for a service that connects as the application role and
// must not run DDL). Errors: kFailedPrecondition (pending or unknown
// migrations), kDataLoss (a changed migration).
Result<void> VerifyMigrated(Database& db, std::span<const Migration> migrations);

// The highest applied version, 0 when none.
Result<std::int64_t> CurrentSchemaVersion(Database& db);

// Migrations read from operator-supplied files named <version>_<name>.sql in
// one directory (for `bulwark db migrate --dir`). The texts are checked by
// the SQL scanner (sql::Script::UnsafeFromOperatorText) and owned here.
class MigrationFiles {
 public:
  // Errors: kNotFound (no directory), kInvalidArgument (a bad file name, a
  // duplicate version, a script that does not scan, a file over 1 MiB).
  static Result<MigrationFiles> Load(const std::filesystem::path& directory);
  std::span<const Migration> migrations() const noexcept { return migrations_; }

 private:
  std::vector<std::unique_ptr<std::string>> storage_;
  std::vector<Migration> migrations_;
};

}  // namespace bulwark::db
