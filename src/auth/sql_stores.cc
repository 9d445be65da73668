#include "bulwark/auth/sql_stores.h"

#include <algorithm>

#include "bulwark/db/query.h"

namespace bulwark::auth {
namespace {

using db::Row;
using db::Rows;

// The same DDL works on SQLite and PostgreSQL (TEXT, BIGINT).
constexpr db::sql::Script kSchema =
    "CREATE TABLE IF NOT EXISTS auth_sessions ("
    " id_hash TEXT PRIMARY KEY, handle TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL,"
    " auth_level BIGINT NOT NULL, label TEXT NOT NULL, created_at BIGINT NOT NULL,"
    " last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS auth_sessions_user ON auth_sessions(user_id);"
    "CREATE TABLE IF NOT EXISTS auth_refresh_families ("
    " id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at BIGINT NOT NULL,"
    " expires_at BIGINT NOT NULL, revoked_at BIGINT NOT NULL DEFAULT 0,"
    " revoked_reason TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS auth_refresh_families_user ON auth_refresh_families(user_id);"
    "CREATE TABLE IF NOT EXISTS auth_refresh_tokens ("
    " hash TEXT PRIMARY KEY,"
    " family_id TEXT NOT NULL REFERENCES auth_refresh_families(id) ON DELETE CASCADE,"
    " generation BIGINT NOT NULL, issued_at BIGINT NOT NULL, used_at BIGINT NOT NULL DEFAULT 0,"
    " successor_hash TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS auth_refresh_tokens_family ON auth_refresh_tokens(family_id);"
    "CREATE TABLE IF NOT EXISTS auth_api_keys ("
    " prefix TEXT PRIMARY KEY, owner TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL,"
    " hash TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
    " last_used_at BIGINT NOT NULL DEFAULT 0, revoked_at BIGINT NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS auth_api_keys_owner ON auth_api_keys(owner);"
    "CREATE TABLE IF NOT EXISTS auth_totp_last_step (account TEXT PRIMARY KEY, step BIGINT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS auth_backup_codes ("
    " account TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (account, hash));";

template <class T>
Result<T> Col(const Row& row, std::size_t i) {
  return row.Get<T>(i);
}

Result<SessionRecord> SessionFrom(const Row& row) {
  SessionRecord r;
  BULWARK_ASSIGN_OR_RETURN(r.id_hash, Col<std::string>(row, 0));
  BULWARK_ASSIGN_OR_RETURN(r.handle, Col<std::string>(row, 1));
  BULWARK_ASSIGN_OR_RETURN(r.user_id, Col<std::string>(row, 2));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t level, Col<std::int64_t>(row, 3));
  r.auth_level = static_cast<std::uint32_t>(level);
  BULWARK_ASSIGN_OR_RETURN(r.label, Col<std::string>(row, 4));
  BULWARK_ASSIGN_OR_RETURN(r.created_at, Col<std::int64_t>(row, 5));
  BULWARK_ASSIGN_OR_RETURN(r.last_seen_at, Col<std::int64_t>(row, 6));
  BULWARK_ASSIGN_OR_RETURN(r.expires_at, Col<std::int64_t>(row, 7));
  return r;
}

#define BULWARK_SESSION_COLUMNS \
  "id_hash, handle, user_id, auth_level, label, created_at, last_seen_at, expires_at"

Result<RefreshTokenRecord> TokenFrom(const Row& row) {
  RefreshTokenRecord r;
  BULWARK_ASSIGN_OR_RETURN(r.hash, Col<std::string>(row, 0));
  BULWARK_ASSIGN_OR_RETURN(r.family_id, Col<std::string>(row, 1));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t generation, Col<std::int64_t>(row, 2));
  r.generation = static_cast<std::uint32_t>(generation);
  BULWARK_ASSIGN_OR_RETURN(r.issued_at, Col<std::int64_t>(row, 3));
  BULWARK_ASSIGN_OR_RETURN(r.used_at, Col<std::int64_t>(row, 4));
  BULWARK_ASSIGN_OR_RETURN(r.successor_hash, Col<std::string>(row, 5));
  return r;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& s : scopes) {
    if (!out.empty()) out.push_back(' ');
    out += s;
  }
  return out;
}

std::vector<std::string> SplitScopes(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    out.emplace_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

Result<ApiKeyRecord> ApiKeyFrom(const Row& row) {
  ApiKeyRecord r;
  BULWARK_ASSIGN_OR_RETURN(r.prefix, Col<std::string>(row, 0));
  BULWARK_ASSIGN_OR_RETURN(r.owner, Col<std::string>(row, 1));
  BULWARK_ASSIGN_OR_RETURN(r.name, Col<std::string>(row, 2));
  BULWARK_ASSIGN_OR_RETURN(std::string scopes, Col<std::string>(row, 3));
  r.scopes = SplitScopes(scopes);
  BULWARK_ASSIGN_OR_RETURN(r.hash, Col<std::string>(row, 4));
  BULWARK_ASSIGN_OR_RETURN(r.created_at, Col<std::int64_t>(row, 5));
  BULWARK_ASSIGN_OR_RETURN(r.expires_at, Col<std::int64_t>(row, 6));
  BULWARK_ASSIGN_OR_RETURN(r.last_used_at, Col<std::int64_t>(row, 7));
  BULWARK_ASSIGN_OR_RETURN(r.revoked_at, Col<std::int64_t>(row, 8));
  return r;
}

#define BULWARK_API_KEY_COLUMNS \
  "prefix, owner, name, scopes, hash, created_at, expires_at, last_used_at, revoked_at"

}  // namespace

Result<void> CreateAuthTables(db::Database& db) {
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db.Begin());
  BULWARK_RETURN_IF_ERROR(tx.ExecuteScript(kSchema));
  return tx.Commit();
}

// ---- Sessions -----------------------------------------------------------------

Result<SessionInsertResult> SqlSessionStore::InsertLimited(const SessionRecord& record,
                                                           std::size_t max_per_user,
                                                           SessionLimitPolicy policy,
                                                           std::int64_t now,
                                                           std::int64_t idle_cutoff) {
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_->Begin());
  if (tx.backend() == db::Backend::kPostgres) {
    // Serialise concurrent logins of one user (SQLite: BEGIN IMMEDIATE does).
    BULWARK_RETURN_IF_ERROR(
        tx.Query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended(?, 7301))) AS l",
                 record.user_id));
  }
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "DELETE FROM auth_sessions WHERE user_id = ? AND (expires_at <= ? OR last_seen_at <= ?)",
      record.user_id, now, idle_cutoff));
  BULWARK_ASSIGN_OR_RETURN(Rows live,
                           tx.Query("SELECT " BULWARK_SESSION_COLUMNS " FROM auth_sessions "
                                    "WHERE user_id = ? ORDER BY last_seen_at, created_at",
                                    record.user_id));
  SessionInsertResult result;
  if (live.size() >= max_per_user) {
    if (policy == SessionLimitPolicy::kRefuseNew) {
      return Error(ErrorCode::kResourceExhausted, "too many concurrent sessions");
    }
    const std::size_t excess = live.size() - max_per_user + 1;
    for (std::size_t i = 0; i < excess; ++i) {
      BULWARK_ASSIGN_OR_RETURN(SessionRecord old, SessionFrom(live[i]));
      BULWARK_RETURN_IF_ERROR(
          tx.Execute("DELETE FROM auth_sessions WHERE id_hash = ?", old.id_hash));
      result.evicted.push_back(std::move(old));
    }
  }
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO auth_sessions (" BULWARK_SESSION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      record.id_hash, record.handle, record.user_id, static_cast<std::int64_t>(record.auth_level),
      record.label, record.created_at, record.last_seen_at, record.expires_at));
  BULWARK_RETURN_IF_ERROR(tx.Commit());
  return result;
}

Result<std::optional<SessionRecord>> SqlSessionStore::Find(std::string_view id_hash) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows,
      db_->Query("SELECT " BULWARK_SESSION_COLUMNS " FROM auth_sessions WHERE id_hash = ?", id_hash));
  if (rows.size() == 0) return std::optional<SessionRecord>();
  BULWARK_ASSIGN_OR_RETURN(SessionRecord r, SessionFrom(rows[0]));
  return std::optional<SessionRecord>(std::move(r));
}

Result<bool> SqlSessionStore::Touch(std::string_view id_hash, std::int64_t now) {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("UPDATE auth_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?",
                   now, id_hash, now));
  if (n > 0) return true;
  BULWARK_ASSIGN_OR_RETURN(std::optional<SessionRecord> r, Find(id_hash));
  return r.has_value();
}

Result<bool> SqlSessionStore::Replace(std::string_view old_id_hash,
                                      const SessionRecord& replacement) {
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_->Begin());
  BULWARK_ASSIGN_OR_RETURN(std::int64_t n,
                           tx.Execute("DELETE FROM auth_sessions WHERE id_hash = ?", old_id_hash));
  if (n != 1) {
    BULWARK_RETURN_IF_ERROR(tx.Rollback());
    return false;
  }
  const SessionRecord& r = replacement;
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO auth_sessions (" BULWARK_SESSION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      r.id_hash, r.handle, r.user_id, static_cast<std::int64_t>(r.auth_level), r.label,
      r.created_at, r.last_seen_at, r.expires_at));
  BULWARK_RETURN_IF_ERROR(tx.Commit());
  return true;
}

Result<bool> SqlSessionStore::Delete(std::string_view id_hash) {
  BULWARK_ASSIGN_OR_RETURN(std::int64_t n,
                           db_->Execute("DELETE FROM auth_sessions WHERE id_hash = ?", id_hash));
  return n > 0;
}

Result<bool> SqlSessionStore::DeleteByHandle(std::string_view user_id, std::string_view handle) {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("DELETE FROM auth_sessions WHERE user_id = ? AND handle = ?", user_id, handle));
  return n > 0;
}

Result<std::vector<SessionRecord>> SqlSessionStore::ListByUser(std::string_view user_id) {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           db_->Query("SELECT " BULWARK_SESSION_COLUMNS " FROM auth_sessions "
                                      "WHERE user_id = ? ORDER BY created_at",
                                      user_id));
  std::vector<SessionRecord> out;
  for (const Row& row : rows) {
    BULWARK_ASSIGN_OR_RETURN(SessionRecord r, SessionFrom(row));
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::size_t> SqlSessionStore::DeleteByUser(std::string_view user_id,
                                                  std::string_view keep_id_hash) {
  if (keep_id_hash.empty()) {
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n,
                             db_->Execute("DELETE FROM auth_sessions WHERE user_id = ?", user_id));
    return static_cast<std::size_t>(n);
  }
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("DELETE FROM auth_sessions WHERE user_id = ? AND id_hash <> ?", user_id,
                   keep_id_hash));
  return static_cast<std::size_t>(n);
}

// ---- Refresh tokens ---------------------------------------------------------------

Result<void> SqlRefreshTokenStore::CreateFamily(const RefreshFamily& f,
                                                const RefreshTokenRecord& first) {
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_->Begin());
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO auth_refresh_families (id, user_id, created_at, expires_at, revoked_at,"
      " revoked_reason) VALUES (?, ?, ?, ?, ?, ?)",
      f.id, f.user_id, f.created_at, f.expires_at, f.revoked_at, f.revoked_reason));
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO auth_refresh_tokens (hash, family_id, generation, issued_at, used_at,"
      " successor_hash) VALUES (?, ?, ?, ?, ?, ?)",
      first.hash, first.family_id, static_cast<std::int64_t>(first.generation), first.issued_at,
      first.used_at, first.successor_hash));
  return tx.Commit();
}

Result<std::optional<RefreshTokenRecord>> SqlRefreshTokenStore::FindToken(std::string_view hash) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows, db_->Query("SELECT hash, family_id, generation, issued_at, used_at, successor_hash"
                            " FROM auth_refresh_tokens WHERE hash = ?",
                            hash));
  if (rows.size() == 0) return std::optional<RefreshTokenRecord>();
  BULWARK_ASSIGN_OR_RETURN(RefreshTokenRecord r, TokenFrom(rows[0]));
  return std::optional<RefreshTokenRecord>(std::move(r));
}

Result<std::optional<RefreshFamily>> SqlRefreshTokenStore::FindFamily(std::string_view id) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows, db_->Query("SELECT id, user_id, created_at, expires_at, revoked_at, revoked_reason"
                            " FROM auth_refresh_families WHERE id = ?",
                            id));
  if (rows.size() == 0) return std::optional<RefreshFamily>();
  RefreshFamily f;
  const Row& row = rows[0];
  BULWARK_ASSIGN_OR_RETURN(f.id, Col<std::string>(row, 0));
  BULWARK_ASSIGN_OR_RETURN(f.user_id, Col<std::string>(row, 1));
  BULWARK_ASSIGN_OR_RETURN(f.created_at, Col<std::int64_t>(row, 2));
  BULWARK_ASSIGN_OR_RETURN(f.expires_at, Col<std::int64_t>(row, 3));
  BULWARK_ASSIGN_OR_RETURN(f.revoked_at, Col<std::int64_t>(row, 4));
  BULWARK_ASSIGN_OR_RETURN(f.revoked_reason, Col<std::string>(row, 5));
  return std::optional<RefreshFamily>(std::move(f));
}

Result<RotateOutcome> SqlRefreshTokenStore::MarkRotated(std::string_view hash,
                                                        const RefreshTokenRecord& successor,
                                                        std::int64_t now) {
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_->Begin());
  // The compare-and-set: only an unused token of a live family changes. On
  // PostgreSQL a concurrent UPDATE of the same row waits for this one and
  // then re-checks used_at = 0, so exactly one rotation wins.
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      tx.Execute("UPDATE auth_refresh_tokens SET used_at = ?, successor_hash = ?"
                 " WHERE hash = ? AND used_at = 0 AND EXISTS (SELECT 1 FROM auth_refresh_families f"
                 " WHERE f.id = auth_refresh_tokens.family_id AND f.revoked_at = 0)",
                 now, successor.hash, hash));
  if (n == 1) {
    BULWARK_RETURN_IF_ERROR(tx.Execute(
        "INSERT INTO auth_refresh_tokens (hash, family_id, generation, issued_at, used_at,"
        " successor_hash) VALUES (?, ?, ?, ?, 0, '')",
        successor.hash, successor.family_id, static_cast<std::int64_t>(successor.generation),
        successor.issued_at));
    BULWARK_RETURN_IF_ERROR(tx.Commit());
    return RotateOutcome::kRotated;
  }
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows, tx.Query("SELECT t.used_at, f.revoked_at FROM auth_refresh_tokens t"
                          " JOIN auth_refresh_families f ON f.id = t.family_id WHERE t.hash = ?",
                          hash));
  BULWARK_RETURN_IF_ERROR(tx.Rollback());
  if (rows.size() == 0) return Error(ErrorCode::kNotFound, "no such refresh token");
  BULWARK_ASSIGN_OR_RETURN(std::int64_t revoked_at, Col<std::int64_t>(rows[0], 1));
  return revoked_at != 0 ? RotateOutcome::kFamilyRevoked : RotateOutcome::kAlreadyUsed;
}

Result<bool> SqlRefreshTokenStore::RevokeFamily(std::string_view id, std::string_view reason,
                                                std::int64_t now) {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("UPDATE auth_refresh_families SET revoked_at = ?, revoked_reason = ?"
                   " WHERE id = ? AND revoked_at = 0",
                   now, reason, id));
  return n > 0;
}

Result<std::size_t> SqlRefreshTokenStore::RevokeAllForUser(std::string_view user_id,
                                                           std::string_view reason,
                                                           std::int64_t now) {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("UPDATE auth_refresh_families SET revoked_at = ?, revoked_reason = ?"
                   " WHERE user_id = ? AND revoked_at = 0",
                   now, reason, user_id));
  return static_cast<std::size_t>(n);
}

Result<std::size_t> SqlRefreshTokenStore::DeleteExpired(std::int64_t cutoff) {
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_->Begin());
  BULWARK_RETURN_IF_ERROR(tx.Execute(
      "DELETE FROM auth_refresh_tokens WHERE family_id IN"
      " (SELECT id FROM auth_refresh_families WHERE expires_at < ?)",
      cutoff));
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n, tx.Execute("DELETE FROM auth_refresh_families WHERE expires_at < ?", cutoff));
  BULWARK_RETURN_IF_ERROR(tx.Commit());
  return static_cast<std::size_t>(n);
}

// ---- API keys -------------------------------------------------------------------

Result<void> SqlApiKeyStore::Insert(const ApiKeyRecord& r) {
  BULWARK_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO auth_api_keys (" BULWARK_API_KEY_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      r.prefix, r.owner, r.name, JoinScopes(r.scopes), r.hash, r.created_at, r.expires_at,
      r.last_used_at, r.revoked_at));
  return Ok();
}

Result<std::optional<ApiKeyRecord>> SqlApiKeyStore::Find(std::string_view prefix) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows,
      db_->Query("SELECT " BULWARK_API_KEY_COLUMNS " FROM auth_api_keys WHERE prefix = ?", prefix));
  if (rows.size() == 0) return std::optional<ApiKeyRecord>();
  BULWARK_ASSIGN_OR_RETURN(ApiKeyRecord r, ApiKeyFrom(rows[0]));
  return std::optional<ApiKeyRecord>(std::move(r));
}

Result<std::vector<ApiKeyRecord>> SqlApiKeyStore::ListByOwner(std::string_view owner) {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           db_->Query("SELECT " BULWARK_API_KEY_COLUMNS
                                      " FROM auth_api_keys WHERE owner = ? ORDER BY created_at",
                                      owner));
  std::vector<ApiKeyRecord> out;
  for (const Row& row : rows) {
    BULWARK_ASSIGN_OR_RETURN(ApiKeyRecord r, ApiKeyFrom(row));
    out.push_back(std::move(r));
  }
  return out;
}

Result<bool> SqlApiKeyStore::Revoke(std::string_view prefix, std::int64_t now) {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("UPDATE auth_api_keys SET revoked_at = ? WHERE prefix = ? AND revoked_at = 0",
                   now, prefix));
  return n > 0;
}

Result<void> SqlApiKeyStore::TouchLastUsed(std::string_view prefix, std::int64_t now) {
  BULWARK_RETURN_IF_ERROR(db_->Execute(
      "UPDATE auth_api_keys SET last_used_at = ? WHERE prefix = ? AND last_used_at < ?", now,
      prefix, now));
  return Ok();
}

// ---- TOTP and backup codes ------------------------------------------------------

Result<bool> SqlTotpReplayStore::TryAdvance(std::string_view account, std::int64_t step) {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("INSERT INTO auth_totp_last_step (account, step) VALUES (?, ?)"
                   " ON CONFLICT (account) DO UPDATE SET step = excluded.step"
                   " WHERE auth_totp_last_step.step < excluded.step",
                   account, step));
  return n == 1;
}

Result<void> SqlBackupCodeStore::Replace(std::string_view account,
                                         std::vector<std::string> hashes) {
  BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_->Begin());
  BULWARK_RETURN_IF_ERROR(tx.Execute("DELETE FROM auth_backup_codes WHERE account = ?", account));
  for (const std::string& hash : hashes) {
    BULWARK_RETURN_IF_ERROR(
        tx.Execute("INSERT INTO auth_backup_codes (account, hash) VALUES (?, ?)", account, hash));
  }
  return tx.Commit();
}

Result<bool> SqlBackupCodeStore::Consume(std::string_view account, std::string_view hash) {
  BULWARK_ASSIGN_OR_RETURN(
      std::int64_t n,
      db_->Execute("DELETE FROM auth_backup_codes WHERE account = ? AND hash = ?", account, hash));
  return n == 1;
}

Result<std::size_t> SqlBackupCodeStore::Remaining(std::string_view account) {
  BULWARK_ASSIGN_OR_RETURN(
      Row row, db_->QueryRow("SELECT COUNT(*) FROM auth_backup_codes WHERE account = ?", account));
  BULWARK_ASSIGN_OR_RETURN(std::int64_t n, row.Get<std::int64_t>(0));
  return static_cast<std::size_t>(n);
}

}  // namespace bulwark::auth
