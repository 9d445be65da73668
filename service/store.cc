#include "store.h"

#include "bulwark/audit/audit.h"

namespace bulwark::service {
namespace {

constexpr db::sql::Script kCoreSchema = R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'user',
  locked BIGINT NOT NULL DEFAULT 0,
  email_verified BIGINT NOT NULL DEFAULT 0,
  email_token_hash TEXT NOT NULL DEFAULT '',
  totp_secret TEXT NOT NULL DEFAULT '',
  totp_pending TEXT NOT NULL DEFAULT '',
  credentials_changed_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  handle TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  auth_level BIGINT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE refresh_families (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0,
  revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX refresh_families_user ON refresh_families (user_id);
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES refresh_families(id) ON DELETE CASCADE,
  generation BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0,
  successor_hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL DEFAULT 0,
  revoked_at BIGINT NOT NULL DEFAULT 0,
  last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_user ON api_keys (user_id);
CREATE TABLE backup_codes (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);
CREATE TABLE totp_replay (
  account TEXT PRIMARY KEY,
  last_step BIGINT NOT NULL
);
)sql";

// Outbound webhooks and their persisted delivery queue, and file metadata
// (the blobs live in <data_dir>/files under random names).
//
// A delivery is due when status = 'pending' and next_attempt_at <= now. A
// worker claims one by raising next_attempt_at by a lease and incrementing
// attempts in one compare-and-set UPDATE, so a crashed worker's delivery
// comes due again when the lease ends and two workers (or two instances)
// never send the same attempt.
constexpr db::sql::Script kWebhooksAndFilesSchema = R"sql(
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  secret_sealed TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX webhooks_user ON webhooks (user_id);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_http_status BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  completed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, created_at);
CREATE TABLE files (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  storage_name TEXT NOT NULL UNIQUE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX files_user ON files (user_id);
)sql";

// What the sign-in that started a refresh family proved ("pwd" or "pwd otp"):
// every access token of the family carries it, never more. Families from
// before this column say "pwd" (the safe side).
constexpr db::sql::Script kRefreshAmr = R"sql(
ALTER TABLE refresh_families ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
)sql";

// When periodic maintenance last started, shared by every instance on the
// database: the retention purge claims its run here (retention.h).
constexpr db::sql::Script kMaintenanceRuns = R"sql(
CREATE TABLE maintenance_runs (
  name TEXT PRIMARY KEY,
  last_started_at BIGINT NOT NULL
);
INSERT INTO maintenance_runs (name, last_started_at) VALUES ('retention', 0);
)sql";

}  // namespace

Result<db::Database> OpenDatabase(const Config& config, std::size_t max_connections) {
  std::string_view url = AsChars(config.database.RevealBytes(InsecureSecretAccess()));
  if (IsPostgresUrl(url)) {
    db::PostgresOptions o;
    o.conninfo = config.database.Clone(InsecureSecretAccess());
    o.application_name = "bulwark-serve";
    o.pool.max_connections = max_connections;
    // libpq's sslmode from the URL; bulwark's default (verify-full) otherwise.
    std::size_t at = url.find("sslmode=");
    if (at != std::string_view::npos) {
      std::string_view mode = url.substr(at + 8);
      mode = mode.substr(0, mode.find('&'));
      if (mode == "disable") {
        o.ssl_mode = db::SslMode::kDisable;
      } else if (mode == "require") {
        o.ssl_mode = db::SslMode::kRequire;
      } else if (mode == "verify-ca") {
        o.ssl_mode = db::SslMode::kVerifyCa;
      } else if (mode == "verify-full") {
        o.ssl_mode = db::SslMode::kVerifyFull;
      } else {
        return Error(ErrorCode::kInvalidArgument,
                     "database: sslmode must be disable (loopback only), require, verify-ca or "
                     "verify-full");
      }
    }
    return db::Database::OpenPostgres(std::move(o));
  }
  db::SqliteOptions o;
  std::string_view path = url.substr(7);
  o.path = path.empty() ? config.data_dir + "/bulwark.db" : std::string(path);
  o.pool.max_connections = max_connections;
  return db::Database::OpenSqlite(std::move(o));
}

std::vector<db::Migration> ServiceMigrations(db::Backend backend) {
  return {
      {1, "service_core", kCoreSchema},
      {2, "audit_log", audit::Schema(backend)},
      {3, "webhooks_and_files", kWebhooksAndFilesSchema},
      {4, audit::GuardsName(), audit::AppendOnlyGuards(backend)},
      {5, "refresh_family_amr", kRefreshAmr},
      {6, "maintenance_runs", kMaintenanceRuns},
  };
}

}  // namespace bulwark::service
