#pragma once
// Internal: the encrypted columns of a Database (EncryptColumns). Seals
// db::Encrypted / db::BlindIndex parameters before a statement runs and
// decrypts registered columns in its result, recognised by the origins the
// backend reports.
//
// Thread-safety: immutable after Create; shared by a Database, its copies
// made by EncryptColumns and its Transactions.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/db/database.h"
#include "bulwark/db/encrypted.h"
#include "bulwark/db/rows.h"

namespace bulwark::db::internal {

// Where one result column comes from: empty names for an expression.
struct ColumnOrigin {
  std::string table;
  std::string column;
};
struct ResultOrigins {
  std::vector<ColumnOrigin> columns;
};

class FieldCodec {
 public:
  static Result<std::shared_ptr<const FieldCodec>> Create(FieldCipher cipher,
                                                          std::span<const EncryptedColumn> columns);

  // Before `st` runs on a Database whose codec is `codec` (null: none):
  // seals its field parameters into st.params (or refuses them without a
  // codec) and asks the backend for result origins.
  static Result<void> BeforeRun(const FieldCodec* codec, Statement& st);
  // After it ran: decrypts registered columns in place, refuses stray
  // ciphertexts. On error nothing decrypted is left in `rows`.
  Result<void> Open(Rows& rows, const ResultOrigins* origins) const;
  Result<void> Open(Row& row, const ResultOrigins* origins) const;

  const FieldCipher& cipher() const noexcept { return cipher_; }
  // The registered descriptor for (table, column), or null.
  const EncryptedColumn* Find(std::string_view table, std::string_view column) const;

  // The Database's codec (null without EncryptColumns), and a Database on
  // the same pool without one (storage access for ReencryptColumn).
  static const FieldCodec* Of(const Database& db) noexcept { return db.fields_.get(); }
  static Database StorageView(const Database& db) { return Database(db.backend_, db.pool_); }
  static Database WithCodec(Database db, std::shared_ptr<const FieldCodec> codec) {
    db.fields_ = std::move(codec);
    return db;
  }

 private:
  struct Entry {
    std::string table, column, key_column, index_column;
    std::optional<EncryptedColumn> descriptor;  // views the strings above
  };
  struct Plan;
  FieldCodec(FieldCipher cipher) : cipher_(std::move(cipher)) {}
  Result<Plan> MakePlan(const ResultOrigins* origins, std::size_t ncols) const;
  Result<void> OpenValues(ValueList& values, const Plan& plan,
                          const std::vector<std::string>& names) const;

  FieldCipher cipher_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

}  // namespace bulwark::db::internal
