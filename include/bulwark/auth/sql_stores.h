#pragma once
// SQL-backed auth stores (library bulwark::auth_sql) on bulwark::db, for
// SQLite and PostgreSQL alike: sessions, refresh-token families, API keys,
// the TOTP last-used step and backup codes. Every method that must be atomic
// runs as one statement or one transaction:
//   - refresh rotation is a compare-and-set (UPDATE ... WHERE used_at = 0),
//     so of two racing rotations exactly one wins, on either backend;
//   - the per-user session limit is checked and enforced in the inserting
//     transaction (serialised per user with a transaction-scoped advisory
//     lock on PostgreSQL; SQLite transactions are BEGIN IMMEDIATE);
//   - TOTP steps advance with a conditional upsert; backup codes are consumed
//     with a DELETE whose row count says whether the code was there.
// Store failures surface as errors, and the auth services turn them into
// "no" (fail closed).
//
// Thread-safety: all stores are thread-safe (db::Database is).
// Ownership: stores borrow the Database, which must outlive them.

#include "bulwark/auth/api_key.h"
#include "bulwark/auth/otp.h"
#include "bulwark/auth/refresh.h"
#include "bulwark/auth/session.h"
#include "bulwark/db/database.h"

namespace bulwark::auth {

// Creates the auth tables if they do not exist (auth_sessions,
// auth_refresh_families, auth_refresh_tokens, auth_api_keys,
// auth_totp_last_step, auth_backup_codes). Idempotent.
Result<void> CreateAuthTables(db::Database& db);

class SqlSessionStore final : public SessionStore {
 public:
  explicit SqlSessionStore(db::Database& db) : db_(&db) {}
  Result<SessionInsertResult> InsertLimited(const SessionRecord& record, std::size_t max_per_user,
                                            SessionLimitPolicy policy, std::int64_t now,
                                            std::int64_t idle_cutoff) override;
  Result<std::optional<SessionRecord>> Find(std::string_view id_hash) override;
  Result<bool> Touch(std::string_view id_hash, std::int64_t now) override;
  Result<bool> Replace(std::string_view old_id_hash, const SessionRecord& replacement) override;
  Result<bool> Delete(std::string_view id_hash) override;
  Result<bool> DeleteByHandle(std::string_view user_id, std::string_view handle) override;
  Result<std::vector<SessionRecord>> ListByUser(std::string_view user_id) override;
  Result<std::size_t> DeleteByUser(std::string_view user_id, std::string_view keep_id_hash) override;

 private:
  db::Database* db_;
};

class SqlRefreshTokenStore final : public RefreshTokenStore {
 public:
  explicit SqlRefreshTokenStore(db::Database& db) : db_(&db) {}
  Result<void> CreateFamily(const RefreshFamily& family, const RefreshTokenRecord& first) override;
  Result<std::optional<RefreshTokenRecord>> FindToken(std::string_view hash) override;
  Result<std::optional<RefreshFamily>> FindFamily(std::string_view family_id) override;
  Result<RotateOutcome> MarkRotated(std::string_view hash, const RefreshTokenRecord& successor,
                                    std::int64_t now) override;
  Result<bool> RevokeFamily(std::string_view family_id, std::string_view reason,
                            std::int64_t now) override;
  Result<std::size_t> RevokeAllForUser(std::string_view user_id, std::string_view reason,
                                       std::int64_t now) override;
  Result<std::size_t> DeleteExpired(std::int64_t cutoff) override;

 private:
  db::Database* db_;
};

class SqlApiKeyStore final : public ApiKeyStore {
 public:
  explicit SqlApiKeyStore(db::Database& db) : db_(&db) {}
  Result<void> Insert(const ApiKeyRecord& record) override;
  Result<std::optional<ApiKeyRecord>> Find(std::string_view prefix) override;
  Result<std::vector<ApiKeyRecord>> ListByOwner(std::string_view owner) override;
  Result<bool> Revoke(std::string_view prefix, std::int64_t now) override;
  Result<void> TouchLastUsed(std::string_view prefix, std::int64_t now) override;

 private:
  db::Database* db_;
};

class SqlTotpReplayStore final : public TotpReplayStore {
 public:
  explicit SqlTotpReplayStore(db::Database& db) : db_(&db) {}
  Result<bool> TryAdvance(std::string_view account, std::int64_t step) override;

 private:
  db::Database* db_;
};

class SqlBackupCodeStore final : public BackupCodeStore {
 public:
  explicit SqlBackupCodeStore(db::Database& db) : db_(&db) {}
  Result<void> Replace(std::string_view account, std::vector<std::string> hashes) override;
  Result<bool> Consume(std::string_view account, std::string_view hash) override;
  Result<std::size_t> Remaining(std::string_view account) override;

 private:
  db::Database* db_;
};

}  // namespace bulwark::auth
