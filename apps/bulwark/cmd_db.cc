// bulwark db ...: migrate, backup, restore, reencrypt, roles.
//
// The database is named by --database (or $BULWARK_DATABASE_URL):
//   sqlite:/var/lib/bulwark/app.db
//   postgresql://user@host/dbname   (or a libpq key=value string)
// A PostgreSQL password on the command line is refused (other local users
// can read argv): put it in $BULWARK_DATABASE_URL, ~/.pgpass or a password
// file. Keys come from sealed keyset files (bulwark keys generate) opened with
// the master key (--master file:PATH | env:NAME | credential:NAME).

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "bulwark/crypto/aead.h"
#include "bulwark/crypto/keyset.h"
#include "bulwark/db/backup.h"
#include "bulwark/db/database.h"
#include "bulwark/db/encrypted.h"
#include "bulwark/db/migrate.h"
#include "bulwark/db/roles.h"
#include "bulwark/secrets/secrets.h"
#include "cli_support.h"
#include "commands.h"

namespace bulwark::cli {
namespace {

template <class T>
T OrFail(Result<T> r) {
  if (!r.ok()) Fail(r.error());
  return std::move(r).value();
}
void OrFail(Result<void> r) {
  if (!r.ok()) Fail(r.error());
}

struct DbOptions {
  std::string database;
  std::string sslmode = "verify-full";
  std::string sslrootcert;
  std::string master;
  std::string keyset;
  std::string mac_keyset;
  std::string dir;
  std::string out;
  std::string in;
  std::string table;
  std::string column;
  std::string key_column = "id";
  std::string index_column;
  std::size_t batch = 500;
  bool verify_only = false;
  std::string owner = "bulwark_owner";
  std::string app = "bulwark_app";
  std::string schema = "bulwark";
  std::string owner_password;
  std::string app_password;
  std::string pg_bin = "/usr/lib/postgresql/15/bin";
};

struct Target {
  bool sqlite = false;
  std::filesystem::path path;  // SQLite
  SecretString conninfo;       // PostgreSQL
};

Target ResolveTarget(const DbOptions& o) {
  std::string url = o.database;
  bool from_argv = !url.empty();
  if (url.empty()) {
    Result<SecretBytes> env = secrets::ReadSecretEnv("BULWARK_DATABASE_URL");
    if (!env.ok()) {
      Fail(Error(ErrorCode::kInvalidArgument,
                 "no database: pass --database sqlite:PATH | postgresql://... or set "
                 "BULWARK_DATABASE_URL"));
    }
    url.assign(AsChars(env->RevealBytes(InsecureSecretAccess())));
  }
  Target t;
  if (url.rfind("sqlite:", 0) == 0) {
    t.sqlite = true;
    t.path = url.substr(7);
    return t;
  }
  if (from_argv && db::ConnInfoHasPassword(url)) {
    Fail(Error(ErrorCode::kInvalidArgument,
               "a password on the command line is visible to other users: use "
               "BULWARK_DATABASE_URL or ~/.pgpass"));
  }
  t.conninfo = SecretString::Adopt(std::move(url));
  return t;
}

db::SslMode ParseSslMode(const std::string& s) {
  if (s == "verify-full") return db::SslMode::kVerifyFull;
  if (s == "verify-ca") return db::SslMode::kVerifyCa;
  if (s == "require") return db::SslMode::kRequire;
  if (s == "disable") return db::SslMode::kDisable;
  Fail(Error(ErrorCode::kInvalidArgument, "--sslmode: verify-full | verify-ca | require | disable"));
}

db::Database Open(const DbOptions& o, Target& t) {
  if (t.sqlite) {
    db::SqliteOptions so;
    so.path = t.path;
    so.create = true;
    return OrFail(db::Database::OpenSqlite(std::move(so)));
  }
  db::PostgresOptions po;
  po.conninfo = t.conninfo.Clone(InsecureSecretAccess());
  po.ssl_mode = ParseSslMode(o.sslmode);
  po.ssl_root_cert = o.sslrootcert;
  po.application_name = "bulwark-cli";
  po.pool.max_connections = 2;
  return OrFail(db::Database::OpenPostgres(std::move(po)));
}

SecretString WithSsl(const DbOptions& o, const Target& t) {
  // pg_dump/pg_restore get the same TLS settings as bulwark's own connections.
  std::string info = t.conninfo.Reveal(InsecureSecretAccess());
  const bool url = info.rfind("postgres://", 0) == 0 || info.rfind("postgresql://", 0) == 0;
  std::string extra = url ? (info.find('?') == std::string::npos ? "?" : "&") : " ";
  extra += "sslmode=" + std::string(db::SslModeName(ParseSslMode(o.sslmode)));
  if (!o.sslrootcert.empty()) extra += std::string(url ? "&" : " ") + "sslrootcert=" + o.sslrootcert;
  return SecretString::Adopt(info + extra);
}

crypto::Aead LoadAead(const DbOptions& o, const SecretBytes& master) {
  if (o.keyset.empty()) Fail(Error(ErrorCode::kInvalidArgument, "--keyset is required"));
  crypto::Keyset keys = OrFail(LoadKeysetFile(o.keyset, master));
  return OrFail(crypto::Aead::Create(keys));
}

SecretString ReadPassword(const std::string& spec, const char* what) {
  if (spec.empty()) {
    Fail(Error(ErrorCode::kInvalidArgument, std::string(what) + " is required (file:PATH | env:NAME)"));
  }
  secrets::SecretSource source = OrFail(secrets::SecretSource::Parse(spec));
  SecretBytes raw = OrFail(source.Read());
  std::string text(AsChars(raw.RevealBytes(InsecureSecretAccess())));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return SecretString::Adopt(std::move(text));
}

void Setup(CLI::App& app) {
  auto o = std::make_shared<DbOptions>();
  CLI::App* db = app.add_subcommand("db", "Database: migrations, encrypted backups, re-encryption, roles");
  db->require_subcommand(1);
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--database", o->database,
                    "sqlite:PATH or a PostgreSQL URL without password (default: $BULWARK_DATABASE_URL)");
    cmd->add_option("--sslmode", o->sslmode, "PostgreSQL TLS: verify-full | verify-ca | require | disable")
        ->capture_default_str();
    cmd->add_option("--sslrootcert", o->sslrootcert, "CA certificate file for verify-full/verify-ca");
  };
  const char* master_help = "Master key source: file:PATH, env:NAME or credential:NAME";

  CLI::App* migrate = db->add_subcommand("migrate", "Apply <version>_<name>.sql migrations in order");
  common(migrate);
  migrate->add_option("--dir", o->dir, "Directory of migration files")->required();
  migrate->add_flag("--verify-only", o->verify_only, "Only check that everything is applied and unchanged");
  migrate->callback([o] {
    Target t = ResolveTarget(*o);
    db::Database database = Open(*o, t);
    db::MigrationFiles files = OrFail(db::MigrationFiles::Load(o->dir));
    if (o->verify_only) {
      OrFail(db::VerifyMigrated(database, files.migrations()));
      std::printf("schema is up to date (%zu migrations)\n", files.migrations().size());
      throw Exit{kExitOk};
    }
    db::MigrationReport report = OrFail(db::Migrate(database, files.migrations()));
    for (std::int64_t v : report.applied) std::printf("applied %lld\n", static_cast<long long>(v));
    std::printf("schema version %lld\n", static_cast<long long>(report.current_version));
    throw Exit{kExitOk};
  });

  CLI::App* backup = db->add_subcommand("backup", "Write an encrypted backup (SQLite backup API / pg_dump)");
  common(backup);
  backup->add_option("--out", o->out, "Backup file to create (mode 0600, must not exist)")->required();
  backup->add_option("--keyset", o->keyset, "Sealed AEAD keyset file");
  backup->add_option("--master", o->master, master_help);
  backup->add_option("--pg-bin", o->pg_bin, "Directory of pg_dump/pg_restore")->capture_default_str();
  backup->callback([o] {
    Target t = ResolveTarget(*o);
    SecretBytes master = OrFail(LoadMasterKey(o->master));
    crypto::Aead aead = LoadAead(*o, master);
    if (t.sqlite) {
      OrFail(db::BackupSqlite(t.path, o->out, aead));
    } else {
      OrFail(db::BackupPostgres(WithSsl(*o, t), o->out, aead, {.bin_dir = o->pg_bin}));
    }
    std::fprintf(stderr, "encrypted backup written to %s\n", o->out.c_str());
    throw Exit{kExitOk};
  });

  CLI::App* restore = db->add_subcommand(
      "restore", "Verify an encrypted backup completely, then restore it (all or nothing)");
  common(restore);
  restore->add_option("--in", o->in, "Backup file")->required();
  restore->add_option("--keyset", o->keyset, "Sealed AEAD keyset file");
  restore->add_option("--master", o->master, master_help);
  restore->add_option("--pg-bin", o->pg_bin, "Directory of pg_dump/pg_restore")->capture_default_str();
  restore->callback([o] {
    Target t = ResolveTarget(*o);
    SecretBytes master = OrFail(LoadMasterKey(o->master));
    crypto::Aead aead = LoadAead(*o, master);
    if (t.sqlite) {
      OrFail(db::RestoreSqlite(o->in, t.path, aead));
    } else {
      OrFail(db::RestorePostgres(o->in, WithSsl(*o, t), aead, {.bin_dir = o->pg_bin}));
    }
    std::fprintf(stderr, "restored from %s\n", o->in.c_str());
    throw Exit{kExitOk};
  });

  CLI::App* reencrypt = db->add_subcommand(
      "reencrypt", "Rewrite an encrypted column under the primary key, in batches");
  common(reencrypt);
  reencrypt->add_option("--keyset", o->keyset, "Sealed AEAD keyset file (new key promoted)");
  reencrypt->add_option("--mac-keyset", o->mac_keyset, "Sealed HMAC keyset file (for a blind index)");
  reencrypt->add_option("--master", o->master, master_help);
  reencrypt->add_option("--table", o->table, "Table")->required();
  reencrypt->add_option("--column", o->column, "Encrypted column")->required();
  reencrypt->add_option("--key-column", o->key_column, "Row key column")->capture_default_str();
  reencrypt->add_option("--blind-index-column", o->index_column, "Blind index column, if any");
  reencrypt->add_option("--batch", o->batch, "Rows per transaction")->capture_default_str();
  reencrypt->callback([o] {
    Target t = ResolveTarget(*o);
    db::Database opened = Open(*o, t);
    SecretBytes master = OrFail(LoadMasterKey(o->master));
    if (o->keyset.empty()) Fail(Error(ErrorCode::kInvalidArgument, "--keyset is required"));
    crypto::Keyset aead_keys = OrFail(LoadKeysetFile(o->keyset, master));
    std::optional<crypto::Keyset> mac_keys;
    if (!o->mac_keyset.empty()) mac_keys.emplace(OrFail(LoadKeysetFile(o->mac_keyset, master)));
    db::FieldCipher cipher =
        OrFail(db::FieldCipher::Create(aead_keys, mac_keys ? &*mac_keys : nullptr));
    db::EncryptedColumn column =
        OrFail(db::EncryptedColumn::FromNames(o->table, o->column, o->key_column, o->index_column));
    db::Database database = OrFail(db::EncryptColumns(std::move(opened), std::move(cipher), {column}));
    db::ReencryptReport r = OrFail(db::ReencryptColumn(database, column, {.batch_size = o->batch}));
    std::printf("scanned %llu, re-encrypted %llu, re-indexed %llu, changed concurrently %llu\n",
                static_cast<unsigned long long>(r.scanned),
                static_cast<unsigned long long>(r.reencrypted),
                static_cast<unsigned long long>(r.reindexed),
                static_cast<unsigned long long>(r.skipped_changed));
    throw Exit{r.skipped_changed == 0 ? kExitOk : kExitFindings};
  });

  CLI::App* roles = db->add_subcommand(
      "roles", "PostgreSQL: create the owner (DDL) and application (DML only) roles; idempotent");
  common(roles);
  roles->add_option("--owner", o->owner, "Owner role (runs migrations)")->capture_default_str();
  roles->add_option("--app", o->app, "Application role (DML only)")->capture_default_str();
  roles->add_option("--schema", o->schema, "Schema owned by the owner role")->capture_default_str();
  roles->add_option("--owner-password", o->owner_password, "Owner password source: file:PATH | env:NAME");
  roles->add_option("--app-password", o->app_password, "App password source: file:PATH | env:NAME");
  roles->callback([o] {
    Target t = ResolveTarget(*o);
    if (t.sqlite) Fail(Error(ErrorCode::kInvalidArgument, "roles: only PostgreSQL has roles"));
    db::Database database = Open(*o, t);
    db::RoleOptions ro;
    ro.owner_role = o->owner;
    ro.app_role = o->app;
    ro.schema = o->schema;
    ro.owner_password = ReadPassword(o->owner_password, "--owner-password");
    ro.app_password = ReadPassword(o->app_password, "--app-password");
    OrFail(db::SetupPostgresRoles(database, ro));
    std::printf("roles ready: owner %s owns schema %s; app %s has DML only\n", o->owner.c_str(),
                o->schema.c_str(), o->app.c_str());
    throw Exit{kExitOk};
  });
}

}  // namespace

static CommandRegistration kRegistration("db", Setup);

}  // namespace bulwark::cli
