#pragma once
// Encrypted columns, transparent to callers. A Database configured once with
// EncryptColumns() encrypts the values bound as db::Encrypted(...) and
// decrypts the registered columns in every result it returns: caller code
// never handles ciphertext, keys, or associated data.
//
// Each value is sealed with crypto::Aead (XChaCha20-Poly1305 over a keyset)
// under associated data (table, column, row key), so a ciphertext copied to
// another row or column does not decrypt. Equality lookups use a blind index:
// a keyed HMAC (crypto::Mac) of the plaintext, separated per column.
//
//   constexpr db::EncryptedColumn kEmail("users", "email", "id", "email_index");
//   BULWARK_ASSIGN_OR_RETURN(db::FieldCipher cipher, db::FieldCipher::Create(aead_keys, &mac_keys));
//   BULWARK_ASSIGN_OR_RETURN(db::Database db, db::EncryptColumns(std::move(opened), std::move(cipher),
//                                                                 {kEmail}));
//   db.Execute("INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)",
//              id, db::Encrypted(kEmail, id, email), db::BlindIndex(kEmail, email));
//   BULWARK_ASSIGN_OR_RETURN(db::Row row, db.QueryRow(
//       "SELECT id, email FROM users WHERE email_index = ?", db::BlindIndex(kEmail, email)));
//   BULWARK_ASSIGN_OR_RETURN(std::string plain, row.Get<std::string>("email"));  // plaintext
//
// Reading. A result column is recognised by where it comes from, as the
// database reports it (SQLite sqlite3_column_table_name/origin_name,
// PostgreSQL PQftable/PQftablecol): a registered column is decrypted also when
// aliased (`SELECT email AS e`), through `SELECT *` and through subqueries in
// FROM. The row key is read from the descriptor's key column in the same
// result row; a query that selects an encrypted column without its key
// column fails (kFailedPrecondition) instead of returning ciphertext. Other
// errors: kDataLoss (tampered, or copied from another row or column: no
// plaintext is returned), kNotFound (the value's key is not in the keyset).
// An expression cannot be traced to a column: a result value that carries a
// ciphertext of this keyset without coming straight from a registered column
// (COALESCE(email, ...), CASE, UNION arms, PostgreSQL views, an unregistered
// column) is refused (kFailedPrecondition). Expressions that transform the
// ciphertext (hex(), length()) return transformed ciphertext, never
// plaintext; do not write them.
// Decrypted values are wiped when the Row is destroyed; text comes back as
// text, bytes as a blob (the kind is sealed with the value).
//
// Writing. db::Encrypted(column, row_key, plaintext) and db::BlindIndex(column,
// plaintext) bind only through a Database made by EncryptColumns (any other
// Database refuses the statement with kFailedPrecondition; nothing is stored).
// The row key must be the value the row's key column holds, or the value
// will not decrypt (kDataLoss on read): rows whose key the database assigns
// (AUTOINCREMENT, identity) need the key first, for example a UUID text key.
//
// The encrypted and blind index columns are BLOB (SQLite) / BYTEA
// (PostgreSQL). Normalize values before indexing (for example lower-case
// emails): the index matches exact bytes. A blind index reveals which rows
// share a value; index only what needs equality lookups.
//
// Rotation: add a key to the AEAD keyset and promote it; old rows still
// decrypt (each ciphertext names its key). ReencryptColumn (and `bulwark db
// reencrypt`) rewrites old rows in batches under the primary key, and also
// recomputes blind indexes under the primary MAC key. During a MAC key
// rotation, look up with every candidate: `WHERE email_index IN (?, ?)` with
// BlindIndex(kEmail, v, 0) and BlindIndex(kEmail, v, 1) (candidate 0 is the
// primary key; a candidate past the enabled keys binds NULL).
//
// Names are matched without schema: a registered "users" is every table
// named users that the connection sees. After renaming an encrypted column
// or its table, reopen the Database (PostgreSQL origins are cached per
// connection); until then such columns fail closed.
//
// Thread-safety: FieldCipher is immutable after Create; a Database made by
// EncryptColumns is as thread-safe as any Database. Parameters made by
// Encrypted()/BlindIndex() copy their plaintext and are bound by the call
// that receives them.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
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
#include "bulwark/db/value.h"

namespace bulwark::db {

namespace compile_error {
inline void encrypted_column_names_must_be_identifiers() {}
inline void encrypted_column_key_and_index_must_be_other_columns() {}
}  // namespace compile_error

// Where encrypted values live: the table, the encrypted column, the row key
// column (part of the associated data) and, optionally, the blind index
// column. Names are checked at compile time ([A-Za-z_][A-Za-z0-9_]*), since
// ReencryptColumn puts them in SQL text, and must be three different columns.
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
    if (!Distinct(column, key_column, blind_index_column)) {
      compile_error::encrypted_column_key_and_index_must_be_other_columns();
    }
  }

  // The same checks at run time, for names given by an operator (`bulwark
  // db reencrypt`). The views must outlive the column. Errors: kInvalidArgument.
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
  static constexpr bool Distinct(std::string_view column, std::string_view key,
                                 std::string_view index) {
    return column != key && column != index && key != index;
  }
  std::string_view table_, column_, key_column_, blind_index_column_;
};

// The row's key as it enters the associated data: an integer (as decimal
// text) or text. Not a bool, a floating-point number or a character.
class RowKey {
 public:
  template <class T>
    requires std::is_integral_v<T> && (!std::is_same_v<T, bool>) &&
             (!std::is_same_v<T, char>) && (!std::is_same_v<T, wchar_t>) &&
             (!std::is_same_v<T, char8_t>) && (!std::is_same_v<T, char16_t>) &&
             (!std::is_same_v<T, char32_t>)
  RowKey(T key) : text_(std::to_string(key)) {}  // NOLINT
  RowKey(std::string_view key) : text_(key) {}    // NOLINT
  RowKey(const std::string& key) : text_(key) {}  // NOLINT
  RowKey(const char* key) : text_(key) {}         // NOLINT
  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
};

// A parameter that a Database made by EncryptColumns turns into a
// ciphertext (Encrypted) or a blind index (BlindIndex) when the statement
// runs. It holds a wiped-on-destruction copy of the plaintext.
class FieldParam {
 public:
  enum class Op : std::uint8_t { kEncrypt, kBlindIndex };

  Op op() const noexcept { return op_; }
  const EncryptedColumn& column() const noexcept { return column_; }
  const RowKey& key() const noexcept { return key_; }
  bool is_null() const noexcept { return is_null_; }
  Value::Kind kind() const noexcept { return kind_; }  // kText or kBlob
  std::size_t candidate() const noexcept { return candidate_; }
  ByteView plaintext(SecretAccess access) const noexcept {
    return plaintext_.RevealBytes(access);
  }

 private:
  template <class T>
  friend FieldParam Encrypted(const EncryptedColumn& column, RowKey key, const T& plaintext);
  friend FieldParam BlindIndex(const EncryptedColumn& column, std::string_view plaintext,
                               std::size_t candidate);
  FieldParam(Op op, const EncryptedColumn& column, RowKey key, Value::Kind kind,
             SecretBytes plaintext, bool is_null, std::size_t candidate)
      : op_(op), column_(column), key_(std::move(key)), kind_(kind),
        plaintext_(std::move(plaintext)), is_null_(is_null), candidate_(candidate) {}

  Op op_;
  EncryptedColumn column_;
  RowKey key_;
  Value::Kind kind_;
  SecretBytes plaintext_;
  bool is_null_;
  std::size_t candidate_;
};

namespace internal {
template <class T>
struct IsOptionalPlain : std::false_type {};
template <class T>
struct IsOptionalPlain<std::optional<T>> : std::true_type {};
template <class T>
inline constexpr bool kAlwaysFalsePlain = false;
}  // namespace internal

// A value for `column` of the row whose key is `key`, encrypted at bind time.
// `plaintext`: text (std::string, std::string_view, a literal; valid UTF-8),
// bytes (Bytes, ByteView), SecretString, SecretBytes, or std::optional of
// one (NULL when empty).
template <class T>
FieldParam Encrypted(const EncryptedColumn& column, RowKey key, const T& plaintext) {
  using P = std::remove_cvref_t<T>;
  using Op = FieldParam::Op;
  if constexpr (internal::IsOptionalPlain<P>::value) {
    if (!plaintext.has_value()) {
      return FieldParam(Op::kEncrypt, column, std::move(key), Value::Kind::kNull, SecretBytes(),
                        true, 0);
    }
    return Encrypted(column, std::move(key), *plaintext);
  } else if constexpr (std::is_same_v<P, SecretString>) {
    return FieldParam(Op::kEncrypt, column, std::move(key), Value::Kind::kText,
                      SecretBytes::CopyFrom(plaintext.RevealBytes(InsecureSecretAccess())), false, 0);
  } else if constexpr (std::is_same_v<P, SecretBytes>) {
    return FieldParam(Op::kEncrypt, column, std::move(key), Value::Kind::kBlob,
                      SecretBytes::CopyFrom(plaintext.RevealBytes(InsecureSecretAccess())), false, 0);
  } else if constexpr (std::is_same_v<P, Bytes> || std::is_convertible_v<const P&, ByteView>) {
    return FieldParam(Op::kEncrypt, column, std::move(key), Value::Kind::kBlob,
                      SecretBytes::CopyFrom(ByteView(plaintext)), false, 0);
  } else if constexpr (std::is_convertible_v<const P&, std::string_view> &&
                       !std::is_same_v<P, std::nullptr_t>) {
    return FieldParam(Op::kEncrypt, column, std::move(key), Value::Kind::kText,
                      SecretBytes::CopyFrom(AsBytes(std::string_view(plaintext))), false, 0);
  } else {
    static_assert(internal::kAlwaysFalsePlain<P>,
                  "Encrypted() takes text, bytes, a Secret or an optional of one");
  }
}

// The blind index of `plaintext` for `column` under MAC key candidate
// `candidate` (0: the primary key; 1, 2, ...: the other enabled keys, for
// lookups during a MAC key rotation; NULL past the last one).
FieldParam BlindIndex(const EncryptedColumn& column, std::string_view plaintext,
                      std::size_t candidate = 0);

class FieldCipher;
namespace internal {
class FieldCodec;
}  // namespace internal
struct ReencryptOptions;
struct ReencryptReport;
Result<ReencryptReport> ReencryptColumn(Database& db, const EncryptedColumn& column,
                                        ReencryptOptions options);

// The keys of encrypted columns: an AEAD keyset and, for blind indexes, a
// MAC keyset. Give it to EncryptColumns.
class FieldCipher {
 public:
  // `aead_keys` holds AEAD keys; `mac_keys` (optional) HMAC keys for blind
  // indexes. Both are copied. Errors: kFailedPrecondition (wrong key types).
  static Result<FieldCipher> Create(const crypto::Keyset& aead_keys,
                                    const crypto::Keyset* mac_keys = nullptr);

  FieldCipher(FieldCipher&&) noexcept = default;
  FieldCipher& operator=(FieldCipher&&) noexcept = default;

  std::uint32_t primary_key_id() const noexcept { return aead_.primary_id(); }
  // True when the ciphertext is not under the primary AEAD key.
  bool NeedsReencryption(ByteView ciphertext) const;
  bool has_blind_index() const noexcept { return mac_.has_value(); }

 private:
  friend class internal::FieldCodec;
  friend Result<ReencryptReport> ReencryptColumn(Database& db, const EncryptedColumn& column,
                                                 ReencryptOptions options);
  FieldCipher(crypto::Aead aead, std::optional<crypto::Mac> mac, std::vector<std::uint32_t> ids)
      : aead_(std::move(aead)), mac_(std::move(mac)), aead_key_ids_(std::move(ids)) {}

  // The stored form: AEAD over (kind tag | plaintext) with FieldAssociatedData.
  Result<Bytes> Seal(const EncryptedColumn& column, const RowKey& key, Value::Kind kind,
                     ByteView plaintext) const;
  // Decrypts into a wiped-on-destruction text or blob Value.
  Result<Value> Open(const EncryptedColumn& column, const RowKey& key, ByteView ciphertext) const;
  // The stored plaintext is a kind tag ('t' text, 'b' bytes) and the value.
  Result<Bytes> SealTagged(const EncryptedColumn& column, const RowKey& key,
                           ByteView tagged) const;
  Result<SecretBytes> Unseal(const EncryptedColumn& column, const RowKey& key,
                             ByteView ciphertext) const;
  // The blind index under MAC key candidate `candidate` (0: primary), or
  // nullopt past the last enabled key.
  Result<std::optional<Bytes>> ComputeBlindIndex(const EncryptedColumn& column, ByteView plaintext,
                                                 std::size_t candidate) const;
  // Whether `bytes` is shaped like a ciphertext of one of this keyset's keys.
  bool LooksSealed(ByteView bytes) const;

  crypto::Aead aead_;
  std::optional<crypto::Mac> mac_;
  std::vector<std::uint32_t> aead_key_ids_;  // every key of the keyset, enabled or not
};

// The associated data for (table, column, row key): a version label and
// length-prefixed fields, so no two triples share an encoding.
Bytes FieldAssociatedData(const EncryptedColumn& column, const RowKey& key);

// A Database that encrypts and decrypts `columns` transparently (see the
// file comment). It takes over `db` (its pool and connections). Errors:
// kInvalidArgument (a column registered twice, or a registered column that
// is another's key or index column), kFailedPrecondition (a blind index
// column without MAC keys).
Result<Database> EncryptColumns(Database db, FieldCipher cipher,
                                std::span<const EncryptedColumn> columns);
Result<Database> EncryptColumns(Database db, FieldCipher cipher,
                                std::initializer_list<EncryptedColumn> columns);

struct ReencryptOptions {
  std::size_t batch_size = 500;  // rows per transaction
};

struct ReencryptReport {
  std::uint64_t scanned = 0;
  std::uint64_t reencrypted = 0;    // ciphertext rewritten under the primary key
  std::uint64_t reindexed = 0;      // blind index recomputed
  std::uint64_t skipped_changed = 0;  // changed concurrently; left as is (run again)
};

// Rewrites every row of `column` (registered in `db` by EncryptColumns)
// whose ciphertext is not under the primary key (and whose blind index is
// not under the primary MAC key), in batches, each batch in one transaction,
// ordered by the key column. Rows written concurrently are detected
// (compare-and-swap on the old ciphertext) and left alone. Errors:
// kFailedPrecondition (column not registered in `db`); decryption failures
// (kDataLoss, kNotFound) stop the run and name the row's position in key
// order, never its key or value; finished batches stay.
Result<ReencryptReport> ReencryptColumn(Database& db, const EncryptedColumn& column,
                                        ReencryptOptions options = {});

}  // namespace bulwark::db
