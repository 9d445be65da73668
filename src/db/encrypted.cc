#include "bulwark/db/encrypted.h"

#include <algorithm>
#include <string>
#include <utility>

#include "field_codec.h"

namespace bulwark::db {
namespace {

constexpr std::uint8_t kTextTag = 't';
constexpr std::uint8_t kBlobTag = 'b';

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

std::string Name(std::string_view table, std::string_view column) {
  std::string out(table);
  out.push_back('.');
  out.append(column);
  return out;
}

}  // namespace

// ---- EncryptedColumn, parameters

Result<EncryptedColumn> EncryptedColumn::FromNames(std::string_view table, std::string_view column,
                                                   std::string_view key_column,
                                                   std::string_view blind_index_column) {
  if (!Valid(table) || !Valid(column) || !Valid(key_column) ||
      (!blind_index_column.empty() && !Valid(blind_index_column))) {
    return Error(ErrorCode::kInvalidArgument,
                 "encrypted column: names must be identifiers ([A-Za-z_][A-Za-z0-9_]*, at most 63)");
  }
  if (!Distinct(column, key_column, blind_index_column)) {
    return Error(ErrorCode::kInvalidArgument,
                 "encrypted column: the key and blind index columns must be other columns");
  }
  return EncryptedColumn(Checked{}, table, column, key_column, blind_index_column);
}

FieldParam BlindIndex(const EncryptedColumn& column, std::string_view plaintext,
                      std::size_t candidate) {
  return FieldParam(FieldParam::Op::kBlindIndex, column, RowKey(""), Value::Kind::kBlob,
                    SecretBytes::CopyFrom(AsBytes(plaintext)), false, candidate);
}

Bytes FieldAssociatedData(const EncryptedColumn& column, const RowKey& key) {
  Bytes ad;
  AppendField(ad, "bulwark-field.v2");  // v2: the plaintext carries its kind
  AppendField(ad, column.table());
  AppendField(ad, column.column());
  AppendField(ad, key.text());
  return ad;
}

// ---- FieldCipher

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
  std::vector<std::uint32_t> ids;
  for (const crypto::KeyInfo& info : aead_keys.Keys()) ids.push_back(info.id);
  return FieldCipher(std::move(aead).value(), std::move(mac), std::move(ids));
}

Result<Bytes> FieldCipher::SealTagged(const EncryptedColumn& column, const RowKey& key,
                                      ByteView tagged) const {
  return aead_.Encrypt(tagged, FieldAssociatedData(column, key));
}

Result<Bytes> FieldCipher::Seal(const EncryptedColumn& column, const RowKey& key, Value::Kind kind,
                                ByteView plaintext) const {
  if (kind == Value::Kind::kText) {
    Result<void> text = CheckText(AsChars(plaintext));
    if (!text.ok()) return std::move(text).error();
  }
  Bytes buffer;
  buffer.reserve(plaintext.size() + 1);
  buffer.push_back(kind == Value::Kind::kText ? kTextTag : kBlobTag);
  buffer.insert(buffer.end(), plaintext.begin(), plaintext.end());
  Result<Bytes> sealed = SealTagged(column, key, buffer);
  SecureWipe(buffer.data(), buffer.size());
  return sealed;
}

Result<SecretBytes> FieldCipher::Unseal(const EncryptedColumn& column, const RowKey& key,
                                        ByteView ciphertext) const {
  Result<SecretBytes> plain = aead_.DecryptSecret(ciphertext, FieldAssociatedData(column, key));
  if (!plain.ok()) return plain;
  const ByteView bytes = plain->RevealBytes(InsecureSecretAccess());
  if (bytes.empty() || (bytes[0] != kTextTag && bytes[0] != kBlobTag)) {
    return Error(ErrorCode::kDataLoss, "encrypted value has no kind tag");
  }
  return plain;
}

Result<Value> FieldCipher::Open(const EncryptedColumn& column, const RowKey& key,
                                ByteView ciphertext) const {
  Result<SecretBytes> plain = Unseal(column, key, ciphertext);
  if (!plain.ok()) return std::move(plain).error();
  const ByteView bytes = plain->RevealBytes(InsecureSecretAccess());
  const ByteView value = bytes.subspan(1);
  if (bytes[0] == kBlobTag) return Value::SensitiveBlob(value);
  if (!CheckText(AsChars(value)).ok()) {
    return Error(ErrorCode::kDataLoss, "decrypted text is not valid UTF-8");
  }
  return Value::SensitiveText(std::string(AsChars(value)));
}

Result<std::optional<Bytes>> FieldCipher::ComputeBlindIndex(const EncryptedColumn& column,
                                                            ByteView plaintext,
                                                            std::size_t candidate) const {
  if (!mac_) {
    return Error(ErrorCode::kFailedPrecondition, "blind index: the FieldCipher has no MAC keys");
  }
  std::uint32_t key_id = mac_->primary_id();
  if (candidate > 0) {
    std::size_t seen = 0;
    bool found = false;
    for (std::uint32_t id : mac_->key_ids()) {
      if (id == mac_->primary_id()) continue;
      if (++seen == candidate) {
        key_id = id;
        found = true;
        break;
      }
    }
    if (!found) return std::optional<Bytes>();
  }
  Bytes input = IndexInput(column, plaintext);
  Result<Bytes> tag = mac_->ComputeForLookup(input, key_id);
  SecureWipe(input.data(), input.size());
  if (!tag.ok()) return std::move(tag).error();
  return std::optional<Bytes>(std::move(tag).value());
}

bool FieldCipher::NeedsReencryption(ByteView ciphertext) const {
  Result<std::uint32_t> id = crypto::Aead::KeyIdOf(ciphertext);
  return !id.ok() || *id != aead_.primary_id();
}

bool FieldCipher::LooksSealed(ByteView bytes) const {
  Result<std::uint32_t> id = crypto::Aead::KeyIdOf(bytes);
  return id.ok() && std::find(aead_key_ids_.begin(), aead_key_ids_.end(), *id) != aead_key_ids_.end();
}

// ---- FieldCodec

namespace internal {

Result<std::shared_ptr<const FieldCodec>> FieldCodec::Create(
    FieldCipher cipher, std::span<const EncryptedColumn> columns) {
  std::shared_ptr<FieldCodec> codec(new FieldCodec(std::move(cipher)));
  for (const EncryptedColumn& c : columns) {
    if (codec->Find(c.table(), c.column()) != nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   "encrypted columns: " + Name(c.table(), c.column()) + " is registered twice");
    }
    if (!c.blind_index_column().empty() && !codec->cipher_.has_blind_index()) {
      return Error(ErrorCode::kFailedPrecondition,
                   "encrypted columns: " + Name(c.table(), c.column()) +
                       " has a blind index but the FieldCipher has no MAC keys");
    }
    auto e = std::make_unique<Entry>();
    e->table = std::string(c.table());
    e->column = std::string(c.column());
    e->key_column = std::string(c.key_column());
    e->index_column = std::string(c.blind_index_column());
    Result<EncryptedColumn> d =
        EncryptedColumn::FromNames(e->table, e->column, e->key_column, e->index_column);
    if (!d.ok()) return std::move(d).error();
    e->descriptor.emplace(*d);
    codec->entries_.push_back(std::move(e));
  }
  // A registered column must not be another one's key or index column.
  for (const auto& e : codec->entries_) {
    for (const auto& other : codec->entries_) {
      if (e->table == other->table &&
          (e->column == other->key_column || e->column == other->index_column)) {
        return Error(ErrorCode::kInvalidArgument,
                     "encrypted columns: " + Name(e->table, e->column) +
                         " is also the key or blind index column of " +
                         Name(other->table, other->column));
      }
    }
  }
  return std::shared_ptr<const FieldCodec>(std::move(codec));
}

const EncryptedColumn* FieldCodec::Find(std::string_view table, std::string_view column) const {
  for (const auto& e : entries_) {
    if (e->table == table && e->column == column) return &*e->descriptor;
  }
  return nullptr;
}

Result<void> FieldCodec::BeforeRun(const FieldCodec* codec, Statement& st) {
  static const std::vector<std::pair<std::size_t, const FieldParam*>> kNone;
  for (const auto& [position, param] : st.extra != nullptr ? st.extra->fields : kNone) {
    const std::string where = "parameter " + std::to_string(position + 1) + " (" +
                              Name(param->column().table(), param->column().column()) + "): ";
    if (codec == nullptr) {
      return Error(ErrorCode::kFailedPrecondition,
                   where + "encrypted values bind only through a Database made by EncryptColumns");
    }
    const EncryptedColumn* registered = codec->Find(param->column().table(), param->column().column());
    if (registered == nullptr) {
      return Error(ErrorCode::kFailedPrecondition,
                   where + "not an encrypted column of this Database (register it with EncryptColumns)");
    }
    if (registered->key_column() != param->column().key_column() ||
        registered->blind_index_column() != param->column().blind_index_column()) {
      return Error(ErrorCode::kInvalidArgument,
                   where + "its descriptor differs from the one registered with EncryptColumns");
    }
    const ByteView plain = param->plaintext(InsecureSecretAccess());
    if (param->op() == FieldParam::Op::kEncrypt) {
      if (param->is_null()) {
        st.params[position] = Value();
        continue;
      }
      Result<Bytes> sealed = codec->cipher_.Seal(*registered, param->key(), param->kind(), plain);
      if (!sealed.ok()) return Error(sealed.error().code(), where + sealed.error().message());
      st.params[position] = Value::Blob(*sealed);
    } else {
      if (registered->blind_index_column().empty()) {
        return Error(ErrorCode::kFailedPrecondition, where + "the column has no blind index");
      }
      Result<std::optional<Bytes>> index =
          codec->cipher_.ComputeBlindIndex(*registered, plain, param->candidate());
      if (!index.ok()) return Error(index.error().code(), where + index.error().message());
      st.params[position] = index->has_value() ? Value::Blob(**index) : Value();
    }
  }
  st.want_origins = codec != nullptr;
  return Ok();
}

struct FieldCodec::Plan {
  struct Encrypted {
    std::size_t index;
    const EncryptedColumn* column;
    std::vector<std::size_t> keys;  // result columns holding its row key
  };
  std::vector<Encrypted> encrypted;
  std::vector<bool> is_encrypted;
};

Result<FieldCodec::Plan> FieldCodec::MakePlan(const ResultOrigins* origins, std::size_t ncols) const {
  Plan plan;
  plan.is_encrypted.assign(ncols, false);
  if (origins == nullptr || origins->columns.size() != ncols) return plan;
  for (std::size_t i = 0; i < ncols; ++i) {
    const ColumnOrigin& o = origins->columns[i];
    if (o.table.empty()) continue;
    const EncryptedColumn* c = Find(o.table, o.column);
    if (c == nullptr) continue;
    Plan::Encrypted enc{i, c, {}};
    for (std::size_t k = 0; k < ncols; ++k) {
      const ColumnOrigin& ko = origins->columns[k];
      if (ko.table == c->table() && ko.column == c->key_column()) enc.keys.push_back(k);
    }
    if (enc.keys.empty()) {
      return Error(ErrorCode::kFailedPrecondition,
                   "encrypted column " + Name(c->table(), c->column()) + " (result column " +
                       std::to_string(i) + ") is selected without its row key " +
                       Name(c->table(), c->key_column()) + ": select it in the same query");
    }
    plan.is_encrypted[i] = true;
    plan.encrypted.push_back(std::move(enc));
  }
  return plan;
}

namespace {
bool SameKey(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  if (a.kind() == Value::Kind::kInteger) return a.integer() == b.integer();
  if (a.kind() == Value::Kind::kText) return a.text() == b.text();
  return false;
}
}  // namespace

Result<void> FieldCodec::OpenValues(ValueList& values, const Plan& plan,
                                    const std::vector<std::string>& names) const {
  const auto column_name = [&](std::size_t i) {
    return i < names.size() ? names[i] : std::string();
  };
  // A ciphertext of this keyset that does not come straight from a
  // registered column would reach the caller as if it were data.
  for (std::size_t i = 0; i < values.size() && i < plan.is_encrypted.size(); ++i) {
    const Value& v = values[i];
    if (!plan.is_encrypted[i] && v.kind() == Value::Kind::kBlob && cipher_.LooksSealed(v.blob())) {
      return Error(ErrorCode::kFailedPrecondition,
                   "result column " + std::to_string(i) + " (" + column_name(i) +
                       ") holds an encrypted value that is not a plain selection of a registered "
                       "encrypted column (an expression, UNION, view or unregistered column): "
                       "select the column itself");
    }
  }
  for (const Plan::Encrypted& enc : plan.encrypted) {
    const Value& sealed = values[enc.index];
    if (sealed.is_null()) continue;
    const std::string where = "encrypted column " + Name(enc.column->table(), enc.column->column()) +
                              " (result column " + std::to_string(enc.index) + "): ";
    if (sealed.kind() != Value::Kind::kBlob) {
      return Error(ErrorCode::kDataLoss, where + "the stored value is not a ciphertext");
    }
    const Value& key_value = values[enc.keys.front()];
    for (std::size_t k : enc.keys) {
      if (!SameKey(values[k], key_value)) {
        return Error(ErrorCode::kFailedPrecondition,
                     where + "the result holds several different row keys for it (select one "
                             "row's key and value per result row)");
      }
    }
    std::optional<RowKey> key;
    if (key_value.kind() == Value::Kind::kInteger) {
      key.emplace(key_value.integer());
    } else if (key_value.kind() == Value::Kind::kText) {
      key.emplace(key_value.text());
    } else {
      return Error(ErrorCode::kFailedPrecondition,
                   where + "its row key is not an integer or text (or is NULL)");
    }
    Result<Value> plain = cipher_.Open(*enc.column, *key, sealed.blob());
    if (!plain.ok()) {
      if (plain.error().code() == ErrorCode::kNotFound) {
        return Error(ErrorCode::kNotFound, where + plain.error().message());
      }
      if (plain.error().code() == ErrorCode::kInvalidArgument) {
        return Error(ErrorCode::kDataLoss, where + "the stored value is not a ciphertext");
      }
      return Error(ErrorCode::kDataLoss, where +
                                             "does not decrypt for its row (tampered, or copied "
                                             "from another row or column)");
    }
    values[enc.index] = std::move(plain).value();
  }
  return Ok();
}

Result<void> FieldCodec::Open(Rows& rows, const ResultOrigins* origins) const {
  const std::size_t ncols = rows.columns().size();
  if (ncols == 0 || rows.empty()) return Ok();
  Result<Plan> plan = MakePlan(origins, ncols);
  if (!plan.ok()) return std::move(plan).error();
  for (Row& row : rows.rows_) {
    Result<void> opened = OpenValues(row.values_, *plan, *row.columns_);
    if (!opened.ok()) {
      rows.rows_.clear();  // decrypted values of earlier rows are wiped here
      return opened;
    }
  }
  return Ok();
}

Result<void> FieldCodec::Open(Row& row, const ResultOrigins* origins) const {
  const std::size_t ncols = row.size();
  if (ncols == 0) return Ok();
  Result<Plan> plan = MakePlan(origins, ncols);
  if (!plan.ok()) return std::move(plan).error();
  return OpenValues(row.values_, *plan, *row.columns_);
}

}  // namespace internal

// ---- EncryptColumns, ReencryptColumn

Result<Database> EncryptColumns(Database db, FieldCipher cipher,
                                std::span<const EncryptedColumn> columns) {
  Result<std::shared_ptr<const internal::FieldCodec>> codec =
      internal::FieldCodec::Create(std::move(cipher), columns);
  if (!codec.ok()) return std::move(codec).error();
  return internal::FieldCodec::WithCodec(std::move(db), std::move(codec).value());
}

Result<Database> EncryptColumns(Database db, FieldCipher cipher,
                                std::initializer_list<EncryptedColumn> columns) {
  return EncryptColumns(std::move(db), std::move(cipher),
                        std::span<const EncryptedColumn>(columns.begin(), columns.size()));
}

Result<ReencryptReport> ReencryptColumn(Database& db, const EncryptedColumn& requested,
                                        ReencryptOptions options) {
  const internal::FieldCodec* codec = internal::FieldCodec::Of(db);
  const EncryptedColumn* registered =
      codec == nullptr ? nullptr : codec->Find(requested.table(), requested.column());
  if (registered == nullptr || registered->key_column() != requested.key_column() ||
      registered->blind_index_column() != requested.blind_index_column()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "reencrypt: " + Name(requested.table(), requested.column()) +
                     " is not registered (as given) with EncryptColumns on this Database");
  }
  const EncryptedColumn& column = *registered;
  const FieldCipher& cipher = codec->cipher();
  if (options.batch_size == 0) {
    return Error(ErrorCode::kInvalidArgument, "reencrypt: batch_size must be positive");
  }
  const bool with_index = !column.blind_index_column().empty();
  // The stored ciphertexts are read and written as they are.
  Database storage = internal::FieldCodec::StorageView(db);
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
    BULWARK_ASSIGN_OR_RETURN(Transaction tx, storage.Begin());
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
      const bool rewrite = cipher.NeedsReencryption(sealed);
      Result<SecretBytes> tagged = cipher.Unseal(column, key, sealed);
      if (!tagged.ok()) {
        return Error(tagged.error().code(), "reencrypt: row " + std::to_string(report.scanned) +
                                                " in key order does not decrypt: " +
                                                tagged.error().message());
      }
      const ByteView tagged_bytes = tagged->RevealBytes(InsecureSecretAccess());
      Bytes index;
      bool reindex = false;
      if (with_index) {
        BULWARK_ASSIGN_OR_RETURN(std::optional<Bytes> fresh_index,
                                 cipher.ComputeBlindIndex(column, tagged_bytes.subspan(1), 0));
        index = std::move(*fresh_index);
        Result<std::optional<Bytes>> stored = row.Get<std::optional<Bytes>>(2);
        reindex = !stored.ok() || !stored->has_value() || **stored != index;
      }
      if (!rewrite && !reindex) continue;
      Bytes fresh = sealed;
      if (rewrite) {
        BULWARK_ASSIGN_OR_RETURN(fresh, cipher.SealTagged(column, key, tagged_bytes));
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
