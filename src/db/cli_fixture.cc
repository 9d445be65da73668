// Test helper for cli_test.sh: writes and reads an encrypted column with the
// keys of sealed keyset files, the way a service would, so that the shell
// test can drive `bulwark db reencrypt` between the two.
//
//   db_cli_fixture seed  DATABASE AEAD_KEYSET MAC_KEYSET MASTER_FILE COUNT
//     creates users(id, email, email_index) and inserts rows 1..COUNT, email
//     "user<id>@example.com" encrypted under the current primary key
//   db_cli_fixture check DATABASE AEAD_KEYSET MAC_KEYSET MASTER_FILE COUNT
//     reads every row back (decrypted) and looks each one up by its blind
//     index under the primary MAC key only; exits 1 on any difference
//   db_cli_fixture read ...
//     the same, but looks up with the first two MAC keys (during a rotation)
//   db_cli_fixture keyids ...
//     prints "<key id> <rows>" for the AEAD key ids the stored values name
//
// DATABASE is sqlite:PATH or a PostgreSQL URL (loopback, sslmode disable).

#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bulwark/crypto/keyset.h"
#include "bulwark/db/database.h"
#include "bulwark/db/encrypted.h"
#include "bulwark/secrets/secrets.h"

namespace {

namespace db = bulwark::db;
using bulwark::Error;
using bulwark::Result;

constexpr db::EncryptedColumn kEmail("users", "email", "id", "email_index");

[[noreturn]] void Die(const char* what, const Error& e) {
  std::fprintf(stderr, "db_cli_fixture: %s: %s\n", what, e.ToString().c_str());
  std::exit(1);
}

template <class T>
T OrDie(Result<T> r, const char* what) {
  if (!r.ok()) Die(what, r.error());
  return std::move(r).value();
}
void OrDie(Result<void> r, const char* what) {
  if (!r.ok()) Die(what, r.error());
}

bulwark::crypto::Keyset LoadKeyset(const std::string& path, const bulwark::SecretBytes& master) {
  bulwark::SecretBytes text = OrDie(bulwark::secrets::ReadSecretFile(path), "read keyset");
  return OrDie(bulwark::crypto::Keyset::Open(
                   bulwark::AsChars(text.RevealBytes(bulwark::InsecureSecretAccess())), master),
               "open keyset");
}

db::Database Open(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    db::SqliteOptions o;
    o.path = url.substr(7);
    return OrDie(db::Database::OpenSqlite(std::move(o)), "open sqlite");
  }
  db::PostgresOptions o;
  o.conninfo = bulwark::SecretString::CopyFrom(bulwark::AsBytes(url));
  o.ssl_mode = db::SslMode::kDisable;  // the loopback test server
  o.pool.max_connections = 1;
  return OrDie(db::Database::OpenPostgres(std::move(o)), "open postgres");
}

std::string Email(std::int64_t id) { return "user" + std::to_string(id) + "@example.com"; }

int Run(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: db_cli_fixture seed|check|read|keyids DATABASE AEAD_KEYSET MAC_KEYSET MASTER_FILE COUNT\n");
    return 2;
  }
  const std::string_view mode = argv[1];
  const std::int64_t count = std::strtoll(argv[6], nullptr, 10);
  const auto source = OrDie(bulwark::secrets::SecretSource::Parse(std::string("file:") + argv[5]),
                            "master key source");
  const bulwark::SecretBytes master =
      OrDie(bulwark::secrets::DecodeMasterKey(OrDie(source.Read(), "read master key")), "master key");
  const bulwark::crypto::Keyset aead = LoadKeyset(argv[3], master);
  const bulwark::crypto::Keyset mac = LoadKeyset(argv[4], master);
  db::Database plain = Open(argv[2]);
  const bool sqlite = plain.backend() == db::Backend::kSqlite;
  if (mode == "keyids") {
    // The stored form: 0x01 | key id (4 bytes, big-endian) | ... (crypto/aead.h).
    std::map<std::uint32_t, std::size_t> ids;
    for (const db::Row& row : OrDie(plain.Query("SELECT email FROM users"), "select")) {
      const bulwark::Bytes stored = OrDie(row.Get<bulwark::Bytes>(0), "email");
      if (stored.size() < 5 || stored[0] != 0x01) {
        std::fprintf(stderr, "db_cli_fixture: a stored value is not a ciphertext\n");
        return 1;
      }
      ++ids[(std::uint32_t{stored[1]} << 24) | (std::uint32_t{stored[2]} << 16) |
            (std::uint32_t{stored[3]} << 8) | std::uint32_t{stored[4]}];
    }
    for (const auto& [id, rows] : ids) std::printf("%u %zu\n", id, rows);
    return 0;
  }
  db::Database database =
      OrDie(db::EncryptColumns(std::move(plain), OrDie(db::FieldCipher::Create(aead, &mac), "cipher"),
                               {kEmail}),
            "encrypt columns");

  if (mode == "seed") {
    if (sqlite) {
      OrDie(database.ExecuteScript("CREATE TABLE IF NOT EXISTS users (id BIGINT PRIMARY KEY,"
                                   " email BLOB NOT NULL, email_index BLOB NOT NULL)"),
            "create table");
    } else {
      OrDie(database.ExecuteScript("CREATE TABLE IF NOT EXISTS users (id BIGINT PRIMARY KEY,"
                                   " email BYTEA NOT NULL, email_index BYTEA NOT NULL)"),
            "create table");
    }
    db::Transaction tx = OrDie(database.Begin(), "begin");
    for (std::int64_t id = 1; id <= count; ++id) {
      const std::string email = Email(id);
      OrDie(tx.Execute("INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)", id,
                       db::Encrypted(kEmail, id, email), db::BlindIndex(kEmail, email)),
            "insert");
    }
    OrDie(tx.Commit(), "commit");
    return 0;
  }
  if (mode == "check" || mode == "read") {
    db::Rows rows = OrDie(database.Query("SELECT id, email FROM users ORDER BY id"), "select");
    if (rows.size() != static_cast<std::size_t>(count)) {
      std::fprintf(stderr, "db_cli_fixture: %zu rows, expected %lld\n", rows.size(),
                   static_cast<long long>(count));
      return 1;
    }
    for (const db::Row& row : rows) {
      const std::int64_t id = OrDie(row.Get<std::int64_t>(0), "id");
      if (OrDie(row.Get<std::string>(1), "email") != Email(id)) {
        std::fprintf(stderr, "db_cli_fixture: row %lld has the wrong email\n", static_cast<long long>(id));
        return 1;
      }
      // check: candidate 0 only, the blind index is under the primary MAC
      // key. read: either of the first two keys (a rotation in progress).
      db::Row found =
          mode == "check"
              ? OrDie(database.QueryRow("SELECT id, email FROM users WHERE email_index = ?",
                                        db::BlindIndex(kEmail, Email(id), 0)),
                      "lookup by blind index")
              : OrDie(database.QueryRow("SELECT id, email FROM users WHERE email_index IN (?, ?)",
                                        db::BlindIndex(kEmail, Email(id), 0),
                                        db::BlindIndex(kEmail, Email(id), 1)),
                      "lookup by blind index");
      if (OrDie(found.Get<std::int64_t>(0), "found id") != id) {
        std::fprintf(stderr, "db_cli_fixture: blind index of row %lld finds another row\n",
                     static_cast<long long>(id));
        return 1;
      }
    }
    return 0;
  }
  std::fprintf(stderr, "db_cli_fixture: unknown mode\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
