#include "bulwark/db/encrypted.h"

#include <string>
#include <utility>

namespace bulwark::db {
namespace {

void AppendField(Bytes& out, std::string_view field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  out.push_back(static_cast<std::uint8_t>(n >> 24));
  out.push_back(static_cast<std::uint8_t>(n >> 16));
  out.push_back(static_cast<std::uint8_t>(n >> 8));
  out.push_back(static_cast<std::uint8_t>(n));
  out.insert(out.end(), field.begin(), field.end());
}

Bytes IndexInput(const EncryptedColumn& column, ByteView plaintext) {
  Bytes in;
  AppendField(in, "bulwark-blind-index.v1");
  AppendField(in, column.table());
  AppendField(in, column.column());
  in.insert(in.end(), plaintext.begin(), plaintext.end());
  return in;
}

std::string Quote(std::string_view identifier) {
  // Identifiers are checked ([A-Za-z_][A-Za-z0-9_]*), so quoting is plain.
  std::string out;
  out.reserve(identifier.size() + 2);
  out.push_back('"');
  out.append(identifier);
  out.push_back('"');
  return out;
}

}  // namespace

Result<EncryptedColumn> EncryptedColumn::FromNames(std::string_view table, std::string_view column,
                                                   std::string_view key_column,
                                                   std::string_view blind_index_column) {
  if (!Valid(table) || !Valid(column) || !Valid(key_column) ||
      (!blind_index_column.empty() && !Valid(blind_index_column))) {
    return Error(ErrorCode::kInvalidArgument,
                 "encrypted column: names must be identifiers ([A-Za-z_][A-Za-z0-9_]*, at most 63)");
  }
  return EncryptedColumn(Checked{}, table, column, key_column, blind_index_column);
}

Bytes FieldAssociatedData(const EncryptedColumn& column, const RowKey& key) {
  Bytes ad;
  AppendField(ad, "bulwark-field.v1");
  AppendField(ad, column.table());
  AppendField(ad, column.column());
  AppendField(ad, key.text());
  return ad;
}

Result<FieldCipher> FieldCipher::Create(const crypto::Keyset& aead_keys,
                                        const crypto::Keyset* mac_keys) {
  Result<crypto::Aead> aead = crypto::Aead::Create(aead_keys);
  if (!aead.ok()) return std::move(aead).error();
  std::optional<crypto::Mac> mac;
  if (mac_keys != nullptr) {
    Result<crypto::Mac> m = crypto::Mac::Create(*mac_keys);
    if (!m.ok()) return std::move(m).error();
    mac.emplace(std::move(m).value());
  }
  return FieldCipher(std::move(aead).value(), std::move(mac));
}

SealedParam FieldCipher::Seal(const EncryptedColumn& column, RowKey key,
                              std::string_view plaintext) const {
  return SealedParam(this, column, std::move(key), SecretBytes::CopyFrom(AsBytes(plaintext)), false);
}
SealedParam FieldCipher::Seal(const EncryptedColumn& column, RowKey key, ByteView plaintext) const {
  return SealedParam(this, column, std::move(key), SecretBytes::CopyFrom(plaintext), false);
}
SealedParam FieldCipher::Seal(const EncryptedColumn& column, RowKey key,
                              const SecretString& plaintext) const {
  return SealedParam(this, column, std::move(key),
                     SecretBytes::CopyFrom(plaintext.RevealBytes(InsecureSecretAccess())), false);
}
SealedParam FieldCipher::SealOptional(const EncryptedColumn& column, RowKey key,
                                      const std::optional<std::string>& plaintext) const {
  if (!plaintext) return SealedParam(this, column, std::move(key), SecretBytes(), true);
  return Seal(column, std::move(key), std::string_view(*plaintext));
}

BlindIndexParam FieldCipher::BlindIndex(const EncryptedColumn& column,
                                        std::string_view plaintext) const {
  return BlindIndexParam(this, column, SecretBytes::CopyFrom(AsBytes(plaintext)));
}

Result<Value> SealedParam::ToSqlValue() const {
  if (is_null_) return Value();
  Result<Bytes> sealed =
      cipher_->Encrypt(column_, key_, plaintext_.RevealBytes(InsecureSecretAccess()));
  if (!sealed.ok()) return std::move(sealed).error();
  return Value::Blob(std::move(sealed).value());
}

Result<Value> BlindIndexParam::ToSqlValue() const {
  Result<Bytes> index =
      cipher_->ComputeBlindIndex(column_, plaintext_.RevealBytes(InsecureSecretAccess()));
  if (!index.ok()) return std::move(index).error();
  return Value::Blob(std::move(index).value());
}

Result<Bytes> FieldCipher::Encrypt(const EncryptedColumn& column, const RowKey& key,
                                   ByteView plaintext) const {
  return aead_.Encrypt(plaintext, FieldAssociatedData(column, key));
}

Result<Bytes> FieldCipher::Decrypt(const EncryptedColumn& column, const RowKey& key,
                                   ByteView ciphertext) const {
  return aead_.Decrypt(ciphertext, FieldAssociatedData(column, key));
}

Result<SecretBytes> FieldCipher::DecryptSecret(const EncryptedColumn& column, const RowKey& key,
                                               ByteView ciphertext) const {
  return aead_.DecryptSecret(ciphertext, FieldAssociatedData(column, key));
}

Result<Bytes> FieldCipher::ComputeBlindIndex(const EncryptedColumn& column, ByteView plaintext,
                                             std::uint32_t mac_key_id) const {
  if (!mac_) {
    return Error(ErrorCode::kFailedPrecondition, "blind index: the FieldCipher has no MAC keys");
  }
  Bytes input = IndexInput(column, plaintext);
  Result<Bytes> tag = mac_->ComputeForLookup(input, mac_key_id);
  SecureWipe(input.data(), input.size());
  return tag;
}

Result<std::vector<Bytes>> FieldCipher::BlindIndexCandidates(const EncryptedColumn& column,
                                                             ByteView plaintext) const {
  if (!mac_) {
    return Error(ErrorCode::kFailedPrecondition, "blind index: the FieldCipher has no MAC keys");
  }
  std::vector<Bytes> out;
  BULWARK_ASSIGN_OR_RETURN(Bytes primary, ComputeBlindIndex(column, plaintext, mac_->primary_id()));
  out.push_back(std::move(primary));
  for (std::uint32_t id : mac_->key_ids()) {
    if (id == mac_->primary_id()) continue;
    BULWARK_ASSIGN_OR_RETURN(Bytes other, ComputeBlindIndex(column, plaintext, id));
    out.push_back(std::move(other));
  }
  return out;
}

bool FieldCipher::NeedsReencryption(ByteView ciphertext) const {
  Result<std::uint32_t> id = crypto::Aead::KeyIdOf(ciphertext);
  return !id.ok() || *id != aead_.primary_id();
}

Result<ReencryptReport> ReencryptColumn(Database& db, const FieldCipher& cipher,
                                        const EncryptedColumn& column, ReencryptOptions options) {
  if (options.batch_size == 0) {
    return Error(ErrorCode::kInvalidArgument, "reencrypt: batch_size must be positive");
  }
  const bool with_index = !column.blind_index_column().empty();
  if (with_index && !cipher.has_blind_index()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "reencrypt: the column has a blind index but no MAC keys were given");
  }
  const std::string table = Quote(column.table());
  const std::string key_col = Quote(column.key_column());
  const std::string value_col = Quote(column.column());
  const std::string select_cols = key_col + ", " + value_col +
                                  (with_index ? ", " + Quote(column.blind_index_column()) : "");
  // Built only from compile-time (or FromNames) checked identifiers.
  const sql::UnsafeDynamic first_batch("SELECT " + select_cols + " FROM " + table + " ORDER BY " +
                                       key_col + " LIMIT ?");
  const sql::UnsafeDynamic next_batch("SELECT " + select_cols + " FROM " + table + " WHERE " +
                                      key_col + " > ? ORDER BY " + key_col + " LIMIT ?");
  const sql::UnsafeDynamic update(
      "UPDATE " + table + " SET " + value_col + " = ?" +
      (with_index ? ", " + Quote(column.blind_index_column()) + " = ?" : "") + " WHERE " + key_col +
      " = ? AND " + value_col + " = ?");

  ReencryptReport report;
  std::optional<Value> cursor;
  const auto limit = static_cast<std::int64_t>(options.batch_size);
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(Transaction tx, db.Begin());
    Result<Rows> rows = Error(ErrorCode::kInternal, "");
    if (!cursor) {
      rows = tx.Query(first_batch, limit);
    } else if (cursor->kind() == Value::Kind::kInteger) {
      rows = tx.Query(next_batch, cursor->integer(), limit);
    } else {
      rows = tx.Query(next_batch, cursor->text(), limit);
    }
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) break;
    for (const Row& row : *rows) {
      ++report.scanned;
      const Value& key_value = row.value(0);
      if (key_value.kind() != Value::Kind::kInteger && key_value.kind() != Value::Kind::kText) {
        return Error(ErrorCode::kInvalidArgument,
                     "reencrypt: the key column must be an integer or text");
      }
      cursor = key_value;
      if (row.value(1).is_null()) continue;
      BULWARK_ASSIGN_OR_RETURN(Bytes sealed, row.Get<Bytes>(1));
      const RowKey key = key_value.kind() == Value::Kind::kInteger ? RowKey(key_value.integer())
                                                                  : RowKey(key_value.text());
      bool rewrite = cipher.NeedsReencryption(sealed);
      Result<SecretBytes> plain = cipher.DecryptSecret(column, key, sealed);
      if (!plain.ok()) {
        return Error(plain.error().code(), "reencrypt: row " + std::to_string(report.scanned) +
                                               " in key order does not decrypt: " +
                                               plain.error().message());
      }
      const ByteView plain_bytes = plain->RevealBytes(InsecureSecretAccess());
      Bytes index;
      bool reindex = false;
      if (with_index) {
        BULWARK_ASSIGN_OR_RETURN(index, cipher.ComputeBlindIndex(column, plain_bytes));
        Result<std::optional<Bytes>> stored = row.Get<std::optional<Bytes>>(2);
        reindex = !stored.ok() || !stored->has_value() || **stored != index;
      }
      if (!rewrite && !reindex) continue;
      Bytes fresh = sealed;
      if (rewrite) {
        BULWARK_ASSIGN_OR_RETURN(fresh, cipher.Encrypt(column, key, plain_bytes));
      }
      Result<std::int64_t> changed =
          with_index ? (key_value.kind() == Value::Kind::kInteger
                            ? tx.Execute(update, fresh, index, key_value.integer(), sealed)
                            : tx.Execute(update, fresh, index, key_value.text(), sealed))
                     : (key_value.kind() == Value::Kind::kInteger
                            ? tx.Execute(update, fresh, key_value.integer(), sealed)
                            : tx.Execute(update, fresh, key_value.text(), sealed));
      if (!changed.ok()) return std::move(changed).error();
      if (*changed == 0) {
        ++report.skipped_changed;
        continue;
      }
      if (rewrite) ++report.reencrypted;
      if (reindex) ++report.reindexed;
    }
    BULWARK_RETURN_IF_ERROR(tx.Commit());
    if (rows->size() < options.batch_size) break;
  }
  return report;
}

}  // namespace bulwark::db
