#pragma once
// Row and Rows: a query's result, read with typed accessors.
//
//   BULWARK_ASSIGN_OR_RETURN(db::Row row, db.QueryRow("SELECT id, email FROM users WHERE id = ?", id));
//   BULWARK_ASSIGN_OR_RETURN(std::int64_t uid, row.Get<std::int64_t>(0));
//   BULWARK_ASSIGN_OR_RETURN(std::string email, row.Get<std::string>("email"));
//
// Get<T> never converts between kinds silently. A mismatch is kInvalidArgument
// naming the column and both kinds ("column 1 (email): expected integer, got
// text"); a NULL read as a non-optional T is kInvalidArgument too (read
// std::optional<T>). Accepted reads:
//   signed/unsigned integers  <- integer (range-checked for narrower types)
//   bool                      <- boolean, or integer 0/1 (SQLite)
//   double                    <- real
//   std::string               <- text
//   Bytes                     <- blob
//   db::Timestamp             <- integer microseconds since the Unix epoch
//   SecretString, SecretBytes <- text, blob
//   std::optional<T>          <- NULL or T
//
// Take<T> reads like Get<T> from a Row that is about to be discarded: text
// read as std::string (or std::optional<std::string>) is moved out of the
// Row instead of copied, so the value is copied once, out of the database's
// buffer, as a hand-written loop over the C API would do:
//
//   BULWARK_ASSIGN_OR_RETURN(db::Row row, db.QueryRow("SELECT email FROM users WHERE id = ?", id));
//   BULWARK_ASSIGN_OR_RETURN(std::string email, std::move(row).Take<std::string>(0));
//
// The same kinds are accepted and the same errors returned as Get. A taken
// column is left valid but unspecified (as a moved-from std::string): read
// the other columns first, and do not read that column again. Values that
// are wiped on destruction (decrypted columns) are copied, not moved, so the
// Row still wipes its copy; every other type is read as Get reads it.
//
// Rows are fully read before a query returns (the connection goes back to
// the pool at once); their number is bounded by the database's max_rows.
// Thread-safety: plain values.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"
#include "bulwark/db/value.h"

namespace bulwark::db {

namespace internal {
class FieldCodec;
class RowAccess;
Error TypeMismatch(std::size_t index, std::string_view column, std::string_view expected,
                   Value::Kind got);
Error NullValue(std::size_t index, std::string_view column);
Error OutOfRange(std::size_t index, std::string_view column);

template <class T>
struct IsOptionalRead : std::false_type {};
template <class T>
struct IsOptionalRead<std::optional<T>> : std::true_type {};

// Inlined into Get: once the kind is known only a few checks remain (the
// errors are built out of line).
template <class T>
[[gnu::always_inline]] inline Result<T> FromValue(const Value& v, std::size_t index,
                                                  std::string_view column) {
  if constexpr (IsOptionalRead<T>::value) {
    using Inner = typename T::value_type;
    if (v.is_null()) return T(std::nullopt);
    Result<Inner> inner = FromValue<Inner>(v, index, column);
    if (!inner.ok()) return std::move(inner).error();
    return T(std::move(inner).value());
  } else {
    if (v.is_null()) return NullValue(index, column);
    if constexpr (std::is_same_v<T, bool>) {
      if (v.kind() == Value::Kind::kBool) return v.boolean();
      if (v.kind() == Value::Kind::kInteger && (v.integer() == 0 || v.integer() == 1)) {
        return v.integer() == 1;
      }
      if (v.kind() == Value::Kind::kInteger) return OutOfRange(index, column);
      return TypeMismatch(index, column, "boolean", v.kind());
    } else if constexpr (std::is_integral_v<T>) {
      if (v.kind() != Value::Kind::kInteger) return TypeMismatch(index, column, "integer", v.kind());
      const std::int64_t i = v.integer();
      if constexpr (std::is_signed_v<T>) {
        if (i < std::numeric_limits<T>::min() || i > std::numeric_limits<T>::max()) {
          return OutOfRange(index, column);
        }
      } else {
        if (i < 0 || static_cast<std::uint64_t>(i) > std::numeric_limits<T>::max()) {
          return OutOfRange(index, column);
        }
      }
      return static_cast<T>(i);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (v.kind() != Value::Kind::kReal) return TypeMismatch(index, column, "real", v.kind());
      return static_cast<T>(v.real());
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (v.kind() != Value::Kind::kText) return TypeMismatch(index, column, "text", v.kind());
      return std::string(v.text());
    } else if constexpr (std::is_same_v<T, Bytes>) {
      if (v.kind() != Value::Kind::kBlob) return TypeMismatch(index, column, "blob", v.kind());
      return Bytes(v.blob().begin(), v.blob().end());
    } else if constexpr (std::is_same_v<T, Timestamp>) {
      if (v.kind() != Value::Kind::kInteger) {
        return TypeMismatch(index, column, "integer (timestamp)", v.kind());
      }
      return Timestamp(std::chrono::microseconds(v.integer()));
    } else if constexpr (std::is_same_v<T, SecretString>) {
      if (v.kind() != Value::Kind::kText) return TypeMismatch(index, column, "text", v.kind());
      return SecretString::CopyFrom(AsBytes(v.text()));
    } else if constexpr (std::is_same_v<T, SecretBytes>) {
      if (v.kind() != Value::Kind::kBlob) return TypeMismatch(index, column, "blob", v.kind());
      return SecretBytes::CopyFrom(v.blob());
    } else {
      static_assert(kAlwaysFalse<T>, "this type cannot be read from a row");
    }
  }
}
}  // namespace internal

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
      : columns_(std::move(columns)), values_(std::move(values)) {}
  Row(std::shared_ptr<const std::vector<std::string>> columns, internal::ValueList&& values)
      : columns_(std::move(columns)), values_(std::move(values)) {}

  std::size_t size() const noexcept { return values_.size(); }
  std::string_view column_name(std::size_t index) const {
    BULWARK_CHECK(index < columns_->size());
    return (*columns_)[index];
  }
  // REQUIRES: index < size().
  const Value& value(std::size_t index) const {
    BULWARK_CHECK(index < values_.size());
    return values_[index];
  }

  // Errors: kInvalidArgument (no such column, type mismatch, NULL, out of range).
  template <class T>
  Result<T> Get(std::size_t index) const {
    if (index >= values_.size()) return NoColumn();
    return internal::FromValue<T>(values_[index], index, (*columns_)[index]);
  }
  template <class T>
  Result<T> Get(std::string_view column) const {
    for (std::size_t i = 0; i < columns_->size(); ++i) {
      if ((*columns_)[i] == column) return internal::FromValue<T>(values_[i], i, column);
    }
    return NoColumn();
  }

  // Get<T>, moving text out of the Row (see the file comment).
  template <class T>
  [[gnu::always_inline]] inline Result<T> Take(std::size_t index) && {
    if (index >= values_.size()) return NoColumn();
    if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::optional<std::string>>) {
      Value& v = values_[index];
      if (v.kind_ == Value::Kind::kText && !v.borrowed_ && !v.sensitive_) {
        if constexpr (std::is_same_v<T, std::string>) {
          return std::move(v.bytes_);  // moved once, into the Result
        } else {
          return T(std::move(v.bytes_));
        }
      }
    }
    return internal::FromValue<T>(values_[index], index, (*columns_)[index]);
  }
  template <class T>
  Result<T> Take(std::string_view column) && {
    for (std::size_t i = 0; i < columns_->size(); ++i) {
      if ((*columns_)[i] == column) return std::move(*this).template Take<T>(i);
    }
    return NoColumn();
  }

 private:
  friend class internal::FieldCodec;
  // Backends fill a Row in place (internal.h).
  friend class internal::RowAccess;
  Row() noexcept {}  // NOLINT: user-provided, so Row() does not zero the inline value storage first
  static Error NoColumn();
  std::shared_ptr<const std::vector<std::string>> columns_;
  internal::ValueList values_;
};

class Rows {
 public:
  Rows() = default;
  // A statement without result columns (INSERT/UPDATE/DELETE).
  explicit Rows(std::int64_t affected) : affected_(affected) {}
  Rows(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Row> rows,
       std::int64_t affected)
      : columns_(std::move(columns)), rows_(std::move(rows)), affected_(affected) {}

  std::size_t size() const noexcept { return rows_.size(); }
  bool empty() const noexcept { return rows_.empty(); }
  const Row& operator[](std::size_t i) const {
    BULWARK_CHECK(i < rows_.size());
    return rows_[i];
  }
  std::vector<Row>::const_iterator begin() const noexcept { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const noexcept { return rows_.end(); }
  const std::vector<std::string>& columns() const noexcept {
    static const std::vector<std::string> kNone;
    return columns_ ? *columns_ : kNone;
  }
  // Rows changed by an INSERT/UPDATE/DELETE (0 for a SELECT).
  std::int64_t affected() const noexcept { return affected_; }
  std::vector<Row> TakeRows() && { return std::move(rows_); }
  // REQUIRES: !empty().
  Row TakeFront() && {
    BULWARK_CHECK(!rows_.empty());
    return std::move(rows_.front());
  }

 private:
  friend class internal::FieldCodec;
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Row> rows_;
  std::int64_t affected_ = 0;
};

}  // namespace bulwark::db
