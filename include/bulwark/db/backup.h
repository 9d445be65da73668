#pragma once
// Encrypted backups. A backup file is
//   "BWDBBAK1" | kind (1 byte: 1 SQLite file, 2 pg_dump custom archive) | 3 zero bytes
//   | wrapped key length (4 bytes, big-endian) | wrapped key
//   | secretstream header (24 bytes) | frames: length (4 bytes, big-endian) | ciphertext
// The stream key is random per backup and wrapped with crypto::Aead under the
// keyset (so keyset rotation applies; associated data = the 16-byte prefix).
// The data is encrypted with libsodium's crypto_secretstream_xchacha20poly1305
// in 64 KiB chunks; the first chunk authenticates the whole header and the
// last carries TAG_FINAL. A flipped bit, reordered/dropped chunks, a cut-off
// file (no final tag) or bytes after the final tag are all kDataLoss.
//
// Restores decrypt into a private temporary file first and touch the target
// only after the whole stream has verified, so a bad backup never leaves a
// partial restore behind.
//
// Thread-safety: functions are thread-safe (they use only their arguments).

#include <cstdint>
#include <filesystem>
#include <string>

#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/aead.h"
#include "bulwark/db/database.h"

namespace bulwark::db {

enum class BackupKind : std::uint8_t { kSqliteFile = 1, kPgDumpCustom = 2 };

// Encrypts the file `in` into `out` (created 0600; an existing `out` is
// refused). Errors: kNotFound, kAlreadyExists, kUnavailable (I/O).
Result<void> EncryptFileForBackup(const std::filesystem::path& in, const std::filesystem::path& out,
                                  BackupKind kind, const crypto::Aead& aead);
// Decrypts and verifies `in` into `out` (created 0600). On any error `out`
// is removed. Errors: kDataLoss (tampered, truncated, trailing data),
// kInvalidArgument (not a backup, or of another kind), kNotFound (the key
// that wrapped it is not in the keyset).
Result<void> DecryptBackupFile(const std::filesystem::path& in, const std::filesystem::path& out,
                               BackupKind expected_kind, const crypto::Aead& aead);

// SQLite: an online, consistent copy (sqlite3 backup API) of the database at
// `db_path`, encrypted to `out`.
Result<void> BackupSqlite(const std::filesystem::path& db_path, const std::filesystem::path& out,
                          const crypto::Aead& aead);
// Verifies the whole backup, checks it is an intact SQLite database
// (integrity_check), then copies it into `db_path` (created 0600 in a 0700
// directory when missing) with the backup API, replacing its contents.
Result<void> RestoreSqlite(const std::filesystem::path& backup, const std::filesystem::path& db_path,
                           const crypto::Aead& aead);

struct PgToolOptions {
  // Directory of pg_dump / pg_restore (matching the server's major version).
  std::filesystem::path bin_dir = "/usr/lib/postgresql/15/bin";
};
// PostgreSQL: pg_dump --format=custom, encrypted to `out`. The connection
// settings reach pg_dump through its environment (PGHOST, PGPASSWORD, ...),
// never its command line. Errors: kUnavailable when pg_dump fails.
Result<void> BackupPostgres(const SecretString& conninfo, const std::filesystem::path& out,
                            const crypto::Aead& aead, const PgToolOptions& tools = {});
// Verifies the whole backup, then pg_restore --single-transaction
// --exit-on-error into the database named by `conninfo` (all or nothing).
Result<void> RestorePostgres(const std::filesystem::path& backup, const SecretString& conninfo,
                             const crypto::Aead& aead, const PgToolOptions& tools = {});

}  // namespace bulwark::db
