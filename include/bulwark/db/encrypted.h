#pragma once
// Field-level encryption: columns whose values are stored as AEAD ciphertexts
// (crypto::Aead over a keyset, XChaCha20-Poly1305), bound to where they live:
// the associated data is (table, column, row key), so a ciphertext copied to
// another row or column does not decrypt. Equality lookups use a blind index:
// a keyed HMAC (crypto::Mac) of the plaintext, domain-separated per column.
//
//   constexpr db::EncryptedColumn kEmail("users", "email", "id", "email_index");
//   BULWARK_ASSIGN_OR_RETURN(db::FieldCipher fields, db::FieldCipher::Create(aead_keys, &mac_keys));
//   db.Execute("INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)",
//              id, fields.Seal(kEmail, id, email), fields.BlindIndex(kEmail, email));
//   BULWARK_ASSIGN_OR_RETURN(db::Row row, db.QueryRow(
//       "SELECT id, email FROM users WHERE email_index = ?", fields.BlindIndex(kEmail, email)));
//   BULWARK_ASSIGN_OR_RETURN(std::string plain, fields.Open<std::string>(row, 1, kEmail, id));
//
// The encrypted column and the blind index column are BLOB (SQLite) / BYTEA
// (PostgreSQL). Normalize values before indexing (for example lower-case
// emails): the index matches exact bytes. A blind index reveals which rows
// share a value; index only what needs equality lookups.
//
// Rotation: add a key to the AEAD keyset and promote it; old rows still
// decrypt (each ciphertext names its key). ReencryptColumn (and `bulwark db
// reencrypt`) rewrites old rows in batches under the primary key, and also
// recomputes blind indexes under the primary MAC key. During a MAC key
// rotation, look up with BlindIndexCandidates (one per enabled MAC key).
//
// Thread-safety: FieldCipher is immutable after Create; share it freely.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/aead.h"
#include "bulwark/crypto/keyset.h"
#include "bulwark/crypto/mac.h"
#include "bulwark/db/database.h"
#include "bulwark/db/query.h"
#include "bulwark/db/rows.h"
#include "bulwark/db/value.h"

namespace bulwark::db {

namespace compile_error {
inline void encrypted_column_names_must_be_identifiers() {}
}  // namespace compile_error

// Where encrypted values live. Names are checked at compile time
// ([A-Za-z_][A-Za-z0-9_]*), since ReencryptColumn puts them in SQL text.
class EncryptedColumn {
 public:
  consteval EncryptedColumn(std::string_view table, std::string_view column,
                            std::string_view key_column = "id",
                            std::string_view blind_index_column = "")
      : table_(table), column_(column), key_column_(key_column),
        blind_index_column_(blind_index_column) {
    if (!Valid(table) || !Valid(column) || !Valid(key_column) ||
        (!blind_index_column.empty() && !Valid(blind_index_column))) {
      compile_error::encrypted_column_names_must_be_identifiers();
    }
  }

  // The same check at run time, for names given by an operator (`bulwark db
  // reencrypt`). The views must outlive the column. Errors: kInvalidArgument.
  static Result<EncryptedColumn> FromNames(std::string_view table, std::string_view column,
                                           std::string_view key_column,
                                           std::string_view blind_index_column);

  constexpr std::string_view table() const noexcept { return table_; }
  constexpr std::string_view column() const noexcept { return column_; }
  constexpr std::string_view key_column() const noexcept { return key_column_; }
  constexpr std::string_view blind_index_column() const noexcept { return blind_index_column_; }

 private:
  struct Checked {};
  constexpr EncryptedColumn(Checked, std::string_view table, std::string_view column,
                            std::string_view key_column, std::string_view blind_index_column)
      : table_(table), column_(column), key_column_(key_column),
        blind_index_column_(blind_index_column) {}
  static constexpr bool Valid(std::string_view s) {
    if (s.empty() || s.size() > 63) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      const bool digit = c >= '0' && c <= '9';
      if (i == 0 ? !letter : !(letter || digit)) return false;
    }
    return true;
  }
  std::string_view table_, column_, key_column_, blind_index_column_;
};

// The row's key as it enters the associated data: an integer (as decimal
// text) or text.
class RowKey {
 public:
  template <class T>
    requires std::is_integral_v<T> && (!std::is_same_v<T, bool>)
  RowKey(T key) : text_(std::to_string(key)) {}  // NOLINT
  RowKey(std::string_view key) : text_(key) {}   // NOLINT
  RowKey(const std::string& key) : text_(key) {}  // NOLINT
  RowKey(const char* key) : text_(key) {}        // NOLINT
  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
};

class FieldCipher;

// A parameter that encrypts at bind time (errors surface from Execute).
class SealedParam {
 public:
  Result<Value> ToSqlValue() const;

 private:
  friend class FieldCipher;
  SealedParam(const FieldCipher* cipher, const EncryptedColumn& column, RowKey key,
              SecretBytes plaintext, bool is_null)
      : cipher_(cipher), column_(column), key_(std::move(key)), plaintext_(std::move(plaintext)),
        is_null_(is_null) {}
  const FieldCipher* cipher_;
  EncryptedColumn column_;
  RowKey key_;
  SecretBytes plaintext_;
  bool is_null_;
};

// A parameter holding a blind index (computed at bind time).
class BlindIndexParam {
 public:
  Result<Value> ToSqlValue() const;

 private:
  friend class FieldCipher;
  BlindIndexParam(const FieldCipher* cipher, const EncryptedColumn& column, SecretBytes plaintext)
      : cipher_(cipher), column_(column), plaintext_(std::move(plaintext)) {}
  const FieldCipher* cipher_;
  EncryptedColumn column_;
  SecretBytes plaintext_;
};

class FieldCipher {
 public:
  // `aead_keys` holds AEAD keys; `mac_keys` (optional) HMAC keys for blind
  // indexes. Both are copied. Errors: kFailedPrecondition (wrong key types).
  static Result<FieldCipher> Create(const crypto::Keyset& aead_keys,
                                    const crypto::Keyset* mac_keys = nullptr);

  FieldCipher(FieldCipher&&) noexcept = default;
  FieldCipher& operator=(FieldCipher&&) noexcept = default;

  // Bindable encrypted values. REQUIRES: this FieldCipher outlives the call
  // that binds the parameter.
  SealedParam Seal(const EncryptedColumn& column, RowKey key, std::string_view plaintext) const;
  SealedParam Seal(const EncryptedColumn& column, RowKey key, ByteView plaintext) const;
  SealedParam Seal(const EncryptedColumn& column, RowKey key, const SecretString& plaintext) const;
  // NULL when `plaintext` is empty.
  SealedParam SealOptional(const EncryptedColumn& column, RowKey key,
                           const std::optional<std::string>& plaintext) const;
  // Errors (when bound): kFailedPrecondition if created without MAC keys.
  BlindIndexParam BlindIndex(const EncryptedColumn& column, std::string_view plaintext) const;

  Result<Bytes> Encrypt(const EncryptedColumn& column, const RowKey& key, ByteView plaintext) const;
  // Errors: kDataLoss (tampered, or moved from another row/column), kNotFound
  // (its key is not enabled in this keyset), kInvalidArgument (not a ciphertext).
  Result<Bytes> Decrypt(const EncryptedColumn& column, const RowKey& key, ByteView ciphertext) const;
  Result<SecretBytes> DecryptSecret(const EncryptedColumn& column, const RowKey& key,
                                    ByteView ciphertext) const;

  // The blind index under the primary MAC key (0: primary) or a given key.
  Result<Bytes> ComputeBlindIndex(const EncryptedColumn& column, ByteView plaintext,
                                  std::uint32_t mac_key_id = 0) const;
  // One index per enabled MAC key, primary first (lookups during MAC rotation).
  Result<std::vector<Bytes>> BlindIndexCandidates(const EncryptedColumn& column,
                                                  ByteView plaintext) const;

  // Reads an encrypted blob cell and decrypts it into T: std::string (valid
  // UTF-8 required), Bytes, SecretString, SecretBytes, or std::optional of one.
  template <class T>
  Result<T> Open(const Row& row, std::size_t index, const EncryptedColumn& column,
                 const RowKey& key) const {
    if constexpr (internal::IsOptionalRead<T>::value) {
      if (index < row.size() && row.value(index).is_null()) return T(std::nullopt);
      Result<typename T::value_type> inner = Open<typename T::value_type>(row, index, column, key);
      if (!inner.ok()) return std::move(inner).error();
      return T(std::move(inner).value());
    } else {
      Result<Bytes> sealed = row.Get<Bytes>(index);
      if (!sealed.ok()) return std::move(sealed).error();
      if constexpr (std::is_same_v<T, SecretBytes>) {
        return DecryptSecret(column, key, *sealed);
      } else if constexpr (std::is_same_v<T, SecretString>) {
        Result<SecretBytes> plain = DecryptSecret(column, key, *sealed);
        if (!plain.ok()) return std::move(plain).error();
        return SecretString::CopyFrom(plain->RevealBytes(InsecureSecretAccess()));
      } else {
        Result<Bytes> plain = Decrypt(column, key, *sealed);
        if (!plain.ok()) return std::move(plain).error();
        if constexpr (std::is_same_v<T, Bytes>) {
          return std::move(plain).value();
        } else {
          static_assert(std::is_same_v<T, std::string>, "Open reads text, bytes or secrets");
          std::string text(AsChars(*plain));
          Result<void> ok = CheckText(text);
          if (!ok.ok()) return Error(ErrorCode::kDataLoss, "decrypted value is not text");
          return text;
        }
      }
    }
  }

  std::uint32_t primary_key_id() const noexcept { return aead_.primary_id(); }
  // True when the ciphertext is not under the primary AEAD key.
  bool NeedsReencryption(ByteView ciphertext) const;
  bool has_blind_index() const noexcept { return mac_.has_value(); }

 private:
  FieldCipher(crypto::Aead aead, std::optional<crypto::Mac> mac)
      : aead_(std::move(aead)), mac_(std::move(mac)) {}
  crypto::Aead aead_;
  std::optional<crypto::Mac> mac_;
};

// The associated data for (table, column, row key): a version label and
// length-prefixed fields, so no two triples share an encoding.
Bytes FieldAssociatedData(const EncryptedColumn& column, const RowKey& key);

struct ReencryptOptions {
  std::size_t batch_size = 500;  // rows per transaction
};

struct ReencryptReport {
  std::uint64_t scanned = 0;
  std::uint64_t reencrypted = 0;    // ciphertext rewritten under the primary key
  std::uint64_t reindexed = 0;      // blind index recomputed
  std::uint64_t skipped_changed = 0;  // changed concurrently; left as is (run again)
};

// Rewrites every row of `column` whose ciphertext is not under the primary
// key (and whose blind index is not under the primary MAC key), in batches,
// each batch in one transaction, ordered by the key column. Rows written
// concurrently are detected (compare-and-swap on the old ciphertext) and left
// alone. Errors: decryption failures (kDataLoss, kNotFound) stop the run and
// name the row key's position, never its value; finished batches stay.
Result<ReencryptReport> ReencryptColumn(Database& db, const FieldCipher& cipher,
                                        const EncryptedColumn& column,
                                        ReencryptOptions options = {});

}  // namespace bulwark::db
