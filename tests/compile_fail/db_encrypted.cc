// Misuses of encrypted columns that must not compile (see cmake/RunCompileFail.cmake).
#include <cstdint>
#include <optional>
#include <string>

#include "bulwark/core/secret.h"
#include "bulwark/db/encrypted.h"

namespace db = bulwark::db;

constexpr db::EncryptedColumn kEmail("users", "email", "id", "email_index");

void Use(db::Executor& database, const std::string& email, std::int64_t id) {
  // The control: encrypted values and blind indexes bind as parameters.
  (void)database.Execute("INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)", id,
                         db::Encrypted(kEmail, id, email), db::BlindIndex(kEmail, email));
  (void)database.Execute("UPDATE users SET email = ? WHERE id = ?",
                         db::Encrypted(kEmail, "a-uuid-key", std::optional<std::string>()), id);

#if BULWARK_CF_CASE == 0
// expect: .*
#endif

#if BULWARK_CF_CASE == 1
// expect: encrypted_column_key_and_index_must_be_other_columns
  // The row key of the associated data cannot be the encrypted value itself.
  constexpr db::EncryptedColumn kSelfKeyed("users", "email", "email");
  (void)kSelfKeyed;
#endif

#if BULWARK_CF_CASE == 2
// expect: encrypted_column_key_and_index_must_be_other_columns
  // The blind index cannot overwrite the ciphertext's column.
  constexpr db::EncryptedColumn kIndexOverValue("users", "email", "id", "email");
  (void)kIndexOverValue;
#endif

#if BULWARK_CF_CASE == 3
// expect: encrypted_column_names_must_be_identifiers
  // Names go into SQL text (reencrypt): identifiers only.
  constexpr db::EncryptedColumn kInjected("users; DROP TABLE users", "email");
  (void)kInjected;
#endif

#if BULWARK_CF_CASE == 4
// expect: no matching function|could not convert|no known conversion
  // A bool is not a row key (a comparison result passed by mistake).
  (void)database.Execute("UPDATE users SET email = ? WHERE id = ?",
                         db::Encrypted(kEmail, id > 0, email), id);
#endif

#if BULWARK_CF_CASE == 5
// expect: no matching function|could not convert|no known conversion
  // Nor is a floating-point number.
  (void)database.Execute("UPDATE users SET email = ? WHERE id = ?",
                         db::Encrypted(kEmail, 1.5, email), id);
#endif

#if BULWARK_CF_CASE == 6
// expect: takes text, bytes, a Secret or an optional of one
  // A number has no stored form to encrypt: convert it explicitly.
  (void)database.Execute("UPDATE users SET email = ? WHERE id = ?", db::Encrypted(kEmail, id, 42),
                         id);
#endif

#if BULWARK_CF_CASE == 7
// expect: placeholder_count_does_not_match_argument_count
  // An encrypted value is one parameter like any other.
  (void)database.Execute("UPDATE users SET email = ? WHERE id = ?", db::Encrypted(kEmail, id, email));
#endif
}
