#pragma once
// SQL implementations of the auth module's TOTP replay and backup-code
// stores (tables totp_replay and backup_codes; see store.cc).
//
// Thread-safety: thread-safe (each call is one statement or transaction).

#include "bulwark/auth/otp.h"
#include "bulwark/db/database.h"

namespace bulwark::service {

class SqlTotpReplayStore final : public auth::TotpReplayStore {
 public:
  explicit SqlTotpReplayStore(db::Database& db) : db_(db) {}
  Result<bool> TryAdvance(std::string_view account, std::int64_t step) override {
    // One statement: insert, or raise the step only if it is later.
    Result<std::int64_t> n = db_.Execute(
        "INSERT INTO totp_replay (account, last_step) VALUES (?, ?) ON CONFLICT (account) DO "
        "UPDATE SET last_step = excluded.last_step WHERE totp_replay.last_step < "
        "excluded.last_step",
        account, step);
    if (!n.ok()) return Error(ErrorCode::kUnavailable, "totp replay store: " + n.error().message());
    return *n == 1;
  }

 private:
  db::Database& db_;
};

class SqlBackupCodeStore final : public auth::BackupCodeStore {
 public:
  explicit SqlBackupCodeStore(db::Database& db) : db_(db) {}
  Result<void> Replace(std::string_view account, std::vector<std::string> hashes) override {
    BULWARK_ASSIGN_OR_RETURN(db::Transaction tx, db_.Begin());
    BULWARK_RETURN_IF_ERROR(tx.Execute("DELETE FROM backup_codes WHERE user_id = ?", account));
    for (const std::string& h : hashes) {
      BULWARK_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO backup_codes (user_id, code_hash) VALUES (?, ?)", account, h));
    }
    return tx.Commit();
  }
  Result<bool> Consume(std::string_view account, std::string_view hash) override {
    Result<std::int64_t> n =
        db_.Execute("DELETE FROM backup_codes WHERE user_id = ? AND code_hash = ?", account, hash);
    if (!n.ok()) return Error(ErrorCode::kUnavailable, "backup code store: " + n.error().message());
    return *n == 1;
  }
  Result<std::size_t> Remaining(std::string_view account) override {
    BULWARK_ASSIGN_OR_RETURN(db::Row row,
                             db_.QueryRow("SELECT COUNT(*) FROM backup_codes WHERE user_id = ?", account));
    BULWARK_ASSIGN_OR_RETURN(std::int64_t n, row.Get<std::int64_t>(0));
    return static_cast<std::size_t>(n);
  }

 private:
  db::Database& db_;
};

}  // namespace bulwark::service
