#pragma once
// Result<T>: either a T or an Error. Errors are values in bulwark: no
// exception crosses the public API. Result is [[nodiscard]], so a failure
// cannot be dropped silently.
//
//   Result<Bytes> r = Base64UrlDecode(text);
//   if (!r.ok()) return r.error();
//   Use(*r);
//
// Accessing value() of an error (or error() of a value) is a programming
// error and aborts (BULWARK_CHECK).
// Thread-safety: as thread-safe as T.

#include <type_traits>
#include <utility>
#include <variant>

#include "bulwark/core/check.h"
#include "bulwark/core/error.h"

namespace bulwark {

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cvref_t<T>, Error>, "Result<Error> is meaningless");
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported");

 public:
  using value_type = T;

  template <class U = T>
    requires(std::is_constructible_v<T, U &&> &&
             !std::is_same_v<std::remove_cvref_t<U>, Error> &&
             !std::is_same_v<std::remove_cvref_t<U>, Result>)
  Result(U&& value) : data_(std::in_place_index<0>, std::forward<U>(value)) {}  // NOLINT
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}      // NOLINT

  bool ok() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    BULWARK_CHECK(ok());
    return std::get<0>(data_);
  }
  const T& value() const& {
    BULWARK_CHECK(ok());
    return std::get<0>(data_);
  }
  T&& value() && {
    BULWARK_CHECK(ok());
    return std::get<0>(std::move(data_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

  const Error& error() const& {
    BULWARK_CHECK(!ok());
    return std::get<1>(data_);
  }
  Error error() && {
    BULWARK_CHECK(!ok());
    return std::get<1>(std::move(data_));
  }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const { BULWARK_CHECK(ok_); }

  const Error& error() const& {
    BULWARK_CHECK(!ok_);
    return error_;
  }
  Error error() && {
    BULWARK_CHECK(!ok_);
    return std::move(error_);
  }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

// A successful Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace bulwark

#define BULWARK_INTERNAL_CONCAT2(a, b) a##b
#define BULWARK_INTERNAL_CONCAT(a, b) BULWARK_INTERNAL_CONCAT2(a, b)

// BULWARK_RETURN_IF_ERROR(expr): returns the error of a failed Result.
#define BULWARK_RETURN_IF_ERROR(expr)                      \
  do {                                                     \
    auto bulwark_status_ = (expr);                         \
    if (!bulwark_status_.ok()) {                           \
      return std::move(bulwark_status_).error();           \
    }                                                      \
  } while (false)

// BULWARK_ASSIGN_OR_RETURN(lhs, expr): `lhs = value` or return the error.
#define BULWARK_ASSIGN_OR_RETURN(lhs, expr) \
  BULWARK_INTERNAL_ASSIGN_OR_RETURN(BULWARK_INTERNAL_CONCAT(bulwark_result_, __LINE__), lhs, expr)
#define BULWARK_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) {                                        \
    return std::move(tmp).error();                        \
  }                                                       \
  lhs = std::move(tmp).value()
