#include "bulwark/db/migrate.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hash.h"

namespace bulwark::db {
namespace {

constexpr sql::Script kCreateTable(R"sql(
  CREATE TABLE IF NOT EXISTS bulwark_schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at BIGINT NOT NULL
  );
)sql");

// An arbitrary constant: the advisory lock that guards the migrations table.
constexpr std::int64_t kMigrationLockKey = 0x62756c7761726b;  // "bulwark"

struct Applied {
  std::string name;
  std::string checksum;
};

Result<void> ValidateList(std::span<const Migration> migrations) {
  std::int64_t last = 0;
  for (const Migration& m : migrations) {
    if (m.version <= last) {
      return Error(ErrorCode::kInvalidArgument,
                   "migrations: versions must be positive and strictly increasing (at version " +
                       std::to_string(m.version) + ")");
    }
    if (m.name.empty() || m.name.size() > 200) {
      return Error(ErrorCode::kInvalidArgument,
                   "migrations: migration " + std::to_string(m.version) + " needs a short name");
    }
    last = m.version;
  }
  return Ok();
}

Result<std::map<std::int64_t, Applied>> ReadApplied(Executor& ex) {
  Result<Rows> rows = ex.Query("SELECT version, name, checksum FROM bulwark_schema_migrations");
  if (!rows.ok()) return std::move(rows).error();
  std::map<std::int64_t, Applied> out;
  for (const Row& row : *rows) {
    Result<std::int64_t> version = row.Get<std::int64_t>(0);
    Result<std::string> name = row.Get<std::string>(1);
    Result<std::string> checksum = row.Get<std::string>(2);
    if (!version.ok() || !name.ok() || !checksum.ok()) {
      return Error(ErrorCode::kDataLoss, "migrations: bulwark_schema_migrations has malformed rows");
    }
    out[*version] = Applied{std::move(name).value(), std::move(checksum).value()};
  }
  return out;
}

// Every applied migration is known and unchanged.
Result<void> CheckHistory(const std::map<std::int64_t, Applied>& applied,
                          std::span<const Migration> migrations) {
  for (const auto& [version, record] : applied) {
    auto it = std::find_if(migrations.begin(), migrations.end(),
                           [v = version](const Migration& m) { return m.version == v; });
    if (it == migrations.end()) {
      return Error(ErrorCode::kFailedPrecondition,
                   "migrations: the database has version " + std::to_string(version) +
                       ", which this program does not know (a newer schema?)");
    }
    if (MigrationChecksum(*it) != record.checksum) {
      return Error(ErrorCode::kDataLoss, "migrations: migration " + std::to_string(version) + " (" +
                                             std::string(it->name) +
                                             ") changed after it was applied; add a new migration "
                                             "instead of editing an old one");
    }
  }
  return Ok();
}

bool TableMissing(const Error& e) {
  return e.message().find("no such table") != std::string::npos ||
         e.message().find("42P01") != std::string::npos;
}

}  // namespace

std::string MigrationChecksum(const Migration& m) {
  std::string input = "bulwark-migration.v1\n" + std::to_string(m.version) + "\n" +
                      std::string(m.name) + "\n" + std::string(m.script.text());
  const crypto::Sha256Digest digest = crypto::Sha256(AsBytes(input));
  return HexEncode(ByteView(digest.data(), digest.size()));
}

Result<MigrationReport> Migrate(Database& db, std::span<const Migration> migrations,
                                const Clock& clock) {
  BULWARK_RETURN_IF_ERROR(ValidateList(migrations));
  {
    BULWARK_ASSIGN_OR_RETURN(Transaction tx, db.Begin());
    if (db.backend() == Backend::kPostgres) {
      // Concurrent CREATE TABLE IF NOT EXISTS races in PostgreSQL's catalog.
      BULWARK_RETURN_IF_ERROR(tx.Query("SELECT pg_advisory_xact_lock(?)", kMigrationLockKey));
    }
    BULWARK_RETURN_IF_ERROR(tx.ExecuteScript(kCreateTable));
    BULWARK_RETURN_IF_ERROR(tx.Commit());
  }
  BULWARK_ASSIGN_OR_RETURN(auto applied, ReadApplied(db));
  BULWARK_RETURN_IF_ERROR(CheckHistory(applied, migrations));

  MigrationReport report;
  for (const Migration& m : migrations) {
    if (applied.count(m.version) != 0) continue;
    BULWARK_ASSIGN_OR_RETURN(Transaction tx, db.Begin());
    if (db.backend() == Backend::kPostgres) {
      // Serializes concurrent migrators (SQLite's BEGIN IMMEDIATE already does).
      BULWARK_RETURN_IF_ERROR(
          tx.Execute("LOCK TABLE bulwark_schema_migrations IN SHARE ROW EXCLUSIVE MODE"));
    }
    // Another process may have applied it (or changed history) meanwhile.
    BULWARK_ASSIGN_OR_RETURN(auto now_applied, ReadApplied(tx));
    BULWARK_RETURN_IF_ERROR(CheckHistory(now_applied, migrations));
    if (now_applied.count(m.version) != 0) {
      BULWARK_RETURN_IF_ERROR(tx.Rollback());
      continue;
    }
    Result<void> ran = tx.ExecuteScript(m.script);
    if (!ran.ok()) {
      return Error(ran.error().code(), "migration " + std::to_string(m.version) + " (" +
                                           std::string(m.name) + ") failed and was rolled back: " +
                                           ran.error().message());
    }
    BULWARK_RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO bulwark_schema_migrations(version, name, checksum, applied_at) "
        "VALUES (?, ?, ?, ?)",
        m.version, m.name, MigrationChecksum(m), clock.NowUnixSeconds()));
    BULWARK_RETURN_IF_ERROR(tx.Commit());
    report.applied.push_back(m.version);
  }
  BULWARK_ASSIGN_OR_RETURN(report.current_version, CurrentSchemaVersion(db));
  return report;
}

Result<void> VerifyMigrated(Database& db, std::span<const Migration> migrations) {
  BULWARK_RETURN_IF_ERROR(ValidateList(migrations));
  Result<std::map<std::int64_t, Applied>> applied = ReadApplied(db);
  if (!applied.ok()) {
    if (TableMissing(applied.error())) {
      return Error(ErrorCode::kFailedPrecondition,
                   "migrations: the database is not migrated (run `bulwark db migrate`)");
    }
    return std::move(applied).error();
  }
  BULWARK_RETURN_IF_ERROR(CheckHistory(*applied, migrations));
  for (const Migration& m : migrations) {
    if (applied->count(m.version) == 0) {
      return Error(ErrorCode::kFailedPrecondition,
                   "migrations: migration " + std::to_string(m.version) + " (" +
                       std::string(m.name) + ") is not applied (run `bulwark db migrate`)");
    }
  }
  return Ok();
}

Result<std::int64_t> CurrentSchemaVersion(Database& db) {
  Result<Row> row = db.QueryRow("SELECT MAX(version) FROM bulwark_schema_migrations");
  if (!row.ok()) {
    if (TableMissing(row.error())) return std::int64_t{0};
    return std::move(row).error();
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<std::int64_t> v, row->Get<std::optional<std::int64_t>>(0));
  return v.value_or(0);
}

Result<MigrationFiles> MigrationFiles::Load(const std::filesystem::path& directory) {
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    return Error(ErrorCode::kNotFound, "migrations: directory not found");
  }
  std::map<std::int64_t, std::pair<std::string, std::filesystem::path>> found;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    const std::string stem = entry.path().stem().string();
    const auto underscore = stem.find('_');
    std::int64_t version = 0;
    bool ok = underscore != std::string::npos && underscore > 0 && underscore < 19 &&
              underscore + 1 < stem.size();
    for (std::size_t i = 0; ok && i < underscore; ++i) {
      if (stem[i] < '0' || stem[i] > '9') ok = false;
      else version = version * 10 + (stem[i] - '0');
    }
    for (std::size_t i = underscore + 1; ok && i < stem.size(); ++i) {
      const char c = stem[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '-')) {
        ok = false;
      }
    }
    if (!ok || version <= 0) {
      return Error(ErrorCode::kInvalidArgument,
                   "migrations: file names must be <version>_<name>.sql with a positive version "
                   "and a name of letters, digits, '_' or '-'");
    }
    if (found.count(version) != 0) {
      return Error(ErrorCode::kInvalidArgument,
                   "migrations: two files for version " + std::to_string(version));
    }
    if (!entry.is_regular_file() || entry.file_size() > (1u << 20)) {
      return Error(ErrorCode::kInvalidArgument,
                   "migrations: version " + std::to_string(version) +
                       " is not a regular file under 1 MiB");
    }
    found[version] = {stem.substr(underscore + 1), entry.path()};
  }
  if (ec) return Error(ErrorCode::kUnavailable, "migrations: cannot read the directory");
  MigrationFiles out;
  for (const auto& [version, info] : found) {
    std::ifstream in(info.second, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return Error(ErrorCode::kUnavailable,
                   "migrations: cannot read version " + std::to_string(version));
    }
    out.storage_.push_back(std::make_unique<std::string>(text.str()));
    out.storage_.push_back(std::make_unique<std::string>(info.first));
    const std::string& script_text = *out.storage_[out.storage_.size() - 2];
    const std::string& name = *out.storage_.back();
    Result<sql::Script> script = sql::Script::UnsafeFromOperatorText(script_text);
    if (!script.ok()) {
      return Error(ErrorCode::kInvalidArgument, "migrations: version " + std::to_string(version) +
                                                    ": " + script.error().message());
    }
    out.migrations_.push_back(Migration{version, name, *script});
  }
  return out;
}

}  // namespace bulwark::db
