#pragma once
// Value: one SQL value (a bound parameter or a result cell), and the typed
// conversions from C++ arguments to parameters.
//
// Parameters bind as:
//   integers (not char)         -> INTEGER / BIGINT    (uint64 above INT64_MAX is refused)
//   bool                        -> PostgreSQL BOOLEAN, SQLite INTEGER 0/1
//   float, double               -> REAL / DOUBLE PRECISION
//   std::string, string_view, literals -> TEXT (must be valid UTF-8 without NUL bytes:
//                                  bind bytes as a blob; both backends behave the same)
//   Bytes, ByteView, std::array<uint8_t, N> -> BLOB / BYTEA
//   db::Timestamp (or any system_clock time_point) -> BIGINT microseconds since
//                                  the Unix epoch on both backends (no time-zone ambiguity)
//   std::optional<T>, std::nullopt, nullptr -> NULL or T
//   sql::RevealForStorage(secret, InsecureSecretAccess()) -> TEXT/BLOB, wiped after use
// A Secret<T> itself does not bind: storing a secret in clear is a visible
// decision (or store it encrypted, see encrypted.h).
//
// Thread-safety: values are plain values.

#include <array>
#include <chrono>
#include <cstddef>
#include <concepts>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
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

namespace bulwark::db {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

class Row;
namespace internal {
class ValueList;
}  // namespace internal

class Value {
 public:
  enum class Kind : std::uint8_t { kNull, kInteger, kReal, kBool, kText, kBlob };

  Value() = default;  // NULL
  static Value Integer(std::int64_t v) {
    Value out(Kind::kInteger);
    out.integer_ = v;
    return out;
  }
  static Value Real(double v) {
    Value out(Kind::kReal);
    out.real_ = v;
    return out;
  }
  static Value Bool(bool v) {
    Value out(Kind::kBool);
    out.integer_ = v ? 1 : 0;
    return out;
  }
  static Value Text(std::string v) {
    Value out(Kind::kText);
    out.bytes_ = std::move(v);
    return out;
  }
  static Value Blob(ByteView v) {
    Value out(Kind::kBlob);
    out.bytes_.assign(AsChars(v));
    return out;
  }
  // Text or blob that is wiped when the Value is destroyed.
  static Value SensitiveText(std::string v);
  static Value SensitiveBlob(Bytes v);
  static Value SensitiveBlob(ByteView v);
  // Text or blob that refers to the caller's memory, for parameters: valid
  // only while the argument lives (the statement call). No copy is made, so
  // a secret bound this way leaves no copy behind.
  static Value BorrowedText(std::string_view v) {
    Value out(Kind::kText);
    out.borrowed_ = true;
    out.view_ = AsBytes(v);
    return out;
  }
  static Value BorrowedBlob(ByteView v) {
    Value out(Kind::kBlob);
    out.borrowed_ = true;
    out.view_ = v;
    return out;
  }

  Value(const Value& other);
  Value& operator=(const Value& other);
  Value(Value&& other) noexcept
      : kind_(other.kind_),
        sensitive_(other.sensitive_),
        borrowed_(other.borrowed_),
        view_(other.view_),
        integer_(other.integer_),
        real_(other.real_),
        bytes_(std::move(other.bytes_)) {
    // A moved-from short string keeps its bytes in the inline buffer.
    if (other.sensitive_) other.Wipe();
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      if (sensitive_) Wipe();
      kind_ = other.kind_;
      sensitive_ = other.sensitive_;
      borrowed_ = other.borrowed_;
      view_ = other.view_;
      integer_ = other.integer_;
      real_ = other.real_;
      bytes_ = std::move(other.bytes_);
      if (other.sensitive_) other.Wipe();
    }
    return *this;
  }
  ~Value() {
    if (sensitive_) Wipe();
  }

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::kNull; }
  // REQUIRES: the matching kind (kBool for boolean()).
  std::int64_t integer() const noexcept { return integer_; }
  double real() const noexcept { return real_; }
  bool boolean() const noexcept { return integer_ != 0; }
  std::string_view text() const noexcept {
    return borrowed_ ? AsChars(view_) : std::string_view(bytes_);
  }
  ByteView blob() const noexcept { return borrowed_ ? view_ : AsBytes(std::string_view(bytes_)); }

 private:
  // Result cells are built in place in a ValueList (no temporary to move).
  friend class internal::ValueList;
  // Row::Take moves owned text out.
  friend class Row;
  explicit Value(Kind kind) noexcept : kind_(kind) {}
  Value(Kind kind, std::int64_t integer) noexcept : kind_(kind), integer_(integer) {}
  Value(Kind kind, double real) noexcept : kind_(kind), real_(real) {}
  Value(Kind kind, std::string_view bytes) : kind_(kind), bytes_(bytes) {}
  struct BorrowTag {};
  static constexpr BorrowTag kBorrow{};
  Value(Kind kind, ByteView view, BorrowTag) noexcept : kind_(kind), borrowed_(true), view_(view) {}
  void Wipe() noexcept;

  Kind kind_ = Kind::kNull;
  bool sensitive_ = false;
  bool borrowed_ = false;
  ByteView view_;
  std::int64_t integer_ = 0;
  double real_ = 0;
  std::string bytes_;  // owned text, or blob bytes
};

namespace internal {

// A sequence of Values that keeps the first kInline in place (no heap
// allocation for the usual few parameters or result columns); only the
// values in use are constructed, moved and destroyed. A list of values that
// own nothing (numbers, NULLs, borrowed parameters) is destroyed without
// visiting them.
class ValueList {
 public:
  static constexpr std::size_t kInline = 4;

  ValueList() noexcept {}  // NOLINT: storage_ is constructed on demand
  explicit ValueList(std::vector<Value> values) {
    reserve(values.size());
    for (Value& v : values) push_back(std::move(v));
  }
  ValueList(const ValueList& other) {
    reserve(other.size_);
    for (std::size_t i = 0; i < other.size_; ++i) push_back(other[i]);
  }
  ValueList& operator=(const ValueList& other) {
    if (this != &other) {
      Clear();
      for (std::size_t i = 0; i < other.size_; ++i) push_back(other[i]);
    }
    return *this;
  }
  ValueList(ValueList&& other) noexcept
      : overflow_(std::move(other.overflow_)), size_(other.size_), plain_(other.plain_) {
    const std::size_t n = size_ < kInline ? size_ : kInline;
    for (std::size_t i = 0; i < n; ++i) {
      ::new (static_cast<void*>(Slot(i))) Value(std::move(*other.Slot(i)));
      other.Slot(i)->~Value();
    }
    other.size_ = 0;
  }
  ValueList& operator=(ValueList&& other) noexcept {
    if (this != &other) {
      Clear();
      TakeFrom(other);
    }
    return *this;
  }
  // Inlined: a plain list (the usual parameters) is one test; overflow_
  // destroys its own values.
  [[gnu::always_inline]] inline ~ValueList() {
    if (!plain_) DestroyInline();
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  void reserve(std::size_t n) {
    if (n > kInline) Overflow().reserve(n - kInline);
  }
  void push_back(Value&& v) {
    plain_ = false;
    if (size_ < kInline) {
      ::new (static_cast<void*>(Slot(size_))) Value(std::move(v));
    } else {
      Overflow().push_back(std::move(v));
    }
    ++size_;
  }
  void push_back(const Value& v) { push_back(Value(v)); }
  void emplace_back() { Emplace(); }
  // Result cells, constructed in place: an integer, a real, and a copy of
  // text or blob bytes (owned by the Value).
  [[gnu::always_inline]] inline void PushInteger(std::int64_t v) { Emplace(Value::Kind::kInteger, v); }
  [[gnu::always_inline]] inline void PushReal(double v) { Emplace(Value::Kind::kReal, v); }
  [[gnu::always_inline]] inline void PushCopy(Value::Kind kind, std::string_view bytes) {
    plain_ = false;
    Emplace(kind, bytes);
  }
  // A parameter that refers to the caller's text or blob (Value::Borrowed*),
  // constructed in place.
  [[gnu::always_inline]] inline void PushBorrowed(Value::Kind kind, ByteView bytes) {
    Emplace(kind, bytes, Value::kBorrow);
  }
  // Writable access: the value may be made to own something (read through
  // a const ValueList where a read is all that is needed).
  Value& operator[](std::size_t i) noexcept {
    plain_ = false;
    return i < kInline ? *Slot(i) : (*overflow_)[i - kInline];
  }
  const Value& operator[](std::size_t i) const noexcept {
    return i < kInline ? *Slot(i) : (*overflow_)[i - kInline];
  }

 private:
  // Inlined: a call per value costs more than the construction itself.
  template <class... A>
  [[gnu::always_inline]] inline void Emplace(A&&... args) {
    if (size_ < kInline) {
      ::new (static_cast<void*>(Slot(size_))) Value(std::forward<A>(args)...);
    } else {
      Overflow().push_back(Value(std::forward<A>(args)...));
    }
    ++size_;
  }
  Value* Slot(std::size_t i) noexcept {
    return std::launder(reinterpret_cast<Value*>(storage_ + i * sizeof(Value)));
  }
  const Value* Slot(std::size_t i) const noexcept {
    return std::launder(reinterpret_cast<const Value*>(storage_ + i * sizeof(Value)));
  }
  [[gnu::noinline]] void DestroyInline() noexcept {
    const std::size_t n = size_ < kInline ? size_ : kInline;
    for (std::size_t i = 0; i < n; ++i) Slot(i)->~Value();
  }
  void Clear() noexcept {
    const std::size_t n = size_ < kInline ? size_ : kInline;
    for (std::size_t i = 0; i < n; ++i) Slot(i)->~Value();
    if (overflow_) overflow_->clear();
    size_ = 0;
    plain_ = true;
  }
  void TakeFrom(ValueList& other) noexcept {
    const std::size_t n = other.size_ < kInline ? other.size_ : kInline;
    for (std::size_t i = 0; i < n; ++i) {
      ::new (static_cast<void*>(Slot(i))) Value(std::move(*other.Slot(i)));
    }
    overflow_ = std::move(other.overflow_);
    size_ = other.size_;
    plain_ = other.plain_;
    other.Clear();
  }

  alignas(Value) unsigned char storage_[kInline * sizeof(Value)];
  // Values beyond kInline, allocated only when there are some (an empty
  // std::vector costs more to construct, move and destroy than a pointer).
  std::vector<Value>& Overflow() {
    if (!overflow_) overflow_ = std::make_unique<std::vector<Value>>();
    return *overflow_;
  }
  std::unique_ptr<std::vector<Value>> overflow_;
  std::size_t size_ = 0;
  // No inline value owns memory or is sensitive (each was built in place by
  // PushInteger, PushReal, PushBorrowed or emplace_back, and none was
  // handed out for writing): the destructor has nothing to do.
  bool plain_ = true;
};

}  // namespace internal

// "null", "integer", "real", "boolean", "text", "blob".
std::string_view KindName(Value::Kind kind) noexcept;

// Checks that text is valid UTF-8 without NUL bytes (what PostgreSQL accepts,
// enforced on SQLite too). Errors: kInvalidArgument.
Result<void> CheckText(std::string_view text);
namespace internal {
// CheckText's test without building a Result: what is wrong, or null.
const char* TextProblem(std::string_view text) noexcept;
}  // namespace internal

namespace sql {

// A Secret bound as a parameter (see the file comment). Holds a reference:
// the Secret must outlive the statement call.
template <class T>
class SecretParam {
 public:
  const Secret<T>& secret() const noexcept { return *secret_; }

 private:
  template <class U>
  friend SecretParam<U> RevealForStorage(const Secret<U>& secret, SecretAccess access) noexcept;
  explicit SecretParam(const Secret<T>& secret) noexcept : secret_(&secret) {}
  const Secret<T>* secret_;
};

template <class T>
SecretParam<T> RevealForStorage(const Secret<T>& secret, SecretAccess) noexcept {
  return SecretParam<T>(secret);
}

}  // namespace sql

namespace internal {

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <class T>
struct IsSecret : std::false_type {};
template <class T>
struct IsSecret<Secret<T>> : std::true_type {};

template <class T>
struct IsSecretParam : std::false_type {};
template <class T>
struct IsSecretParam<sql::SecretParam<T>> : std::true_type {};

template <class T>
struct IsTimePoint : std::false_type {};
template <class D>
struct IsTimePoint<std::chrono::time_point<std::chrono::system_clock, D>> : std::true_type {};

template <class T>
struct IsByteArray : std::false_type {};
template <std::size_t N>
struct IsByteArray<std::array<std::uint8_t, N>> : std::true_type {};

// A type with `Result<Value> ToSqlValue() const` binds itself (encrypted
// fields, blind indexes).
template <class T>
concept SelfBinding = requires(const T& t) {
  { t.ToSqlValue() } -> std::same_as<Result<Value>>;
};

template <class T>
inline constexpr bool kAlwaysFalse = false;

Result<Value> UnsignedValue(std::uint64_t v);
// Parameter values refer to the caller's arguments (see Value::Borrowed*).
Result<Value> TextValue(std::string_view text);
Value BlobValue(ByteView bytes);

template <class Raw>
Result<Value> ToValue(const Raw& v) {
  using T = std::remove_cvref_t<Raw>;
  if constexpr (SelfBinding<T>) {
    return v.ToSqlValue();
  } else if constexpr (std::is_same_v<T, std::nullptr_t> || std::is_same_v<T, std::nullopt_t>) {
    return Value();
  } else if constexpr (IsOptional<T>::value) {
    if (!v.has_value()) return Value();
    return ToValue(*v);
  } else if constexpr (std::is_same_v<T, bool>) {
    return Value::Bool(v);
  } else if constexpr (std::is_same_v<T, char> || std::is_same_v<T, char8_t> ||
                       std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t> ||
                       std::is_same_v<T, wchar_t>) {
    static_assert(kAlwaysFalse<T>, "a single character does not bind: use std::string_view");
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    return Value::Integer(static_cast<std::int64_t>(v));
  } else if constexpr (std::is_integral_v<T>) {
    return UnsignedValue(static_cast<std::uint64_t>(v));
  } else if constexpr (std::is_enum_v<T>) {
    static_assert(kAlwaysFalse<T>, "an enum does not bind: convert it to its stored form explicitly");
  } else if constexpr (std::is_floating_point_v<T>) {
    return Value::Real(static_cast<double>(v));
  } else if constexpr (IsTimePoint<T>::value) {
    return Value::Integer(
        std::chrono::duration_cast<std::chrono::microseconds>(v.time_since_epoch()).count());
  } else if constexpr (IsSecret<T>::value) {
    static_assert(kAlwaysFalse<T>,
                  "a Secret does not bind: use sql::RevealForStorage(secret, "
                  "InsecureSecretAccess()) or an encrypted column");
  } else if constexpr (IsSecretParam<T>::value) {
    const auto& value = v.secret().Reveal(InsecureSecretAccess());
    using Stored = std::remove_cvref_t<decltype(value)>;
    if constexpr (std::is_same_v<Stored, std::string>) {
      return TextValue(value);
    } else {
      return BlobValue(v.secret().RevealBytes(InsecureSecretAccess()));
    }
  } else if constexpr (std::is_same_v<T, Bytes> || IsByteArray<T>::value ||
                       std::is_convertible_v<const T&, ByteView>) {
    return BlobValue(ByteView(v));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    if constexpr (std::is_pointer_v<T>) {
      if (v == nullptr) return Value();
    }
    return TextValue(std::string_view(v));
  } else {
    static_assert(kAlwaysFalse<T>, "this type does not bind as a SQL parameter");
  }
}

}  // namespace internal
}  // namespace bulwark::db
