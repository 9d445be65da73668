#pragma once
// Untrusted<T> and Valid<T>: data from outside arrives as Untrusted<T> and
// becomes Valid<T> only by passing a check through Validate(). Code that
// needs checked data takes Valid<T>; an Untrusted<T> does not convert to it.
//
//   Result<Valid<std::string>> name = Validate(std::move(input),
//       [](const std::string& s) -> Result<std::string> { ... });
//
// Thread-safety: as thread-safe as T. Ownership: both own their value.

#include <type_traits>
#include <utility>

#include "bulwark/core/result.h"

namespace bulwark {

template <class T>
class Valid;

template <class T>
class Untrusted {
 public:
  explicit Untrusted(T value) : value_(std::move(value)) {}

  // The raw, unchecked value: for validators, size checks and redacted
  // logging. The name says what it is.
  const T& UnvalidatedValue() const& noexcept { return value_; }
  T UnvalidatedValue() && noexcept { return std::move(value_); }

 private:
  T value_;
};

template <class T>
class Valid {
 public:
  const T& value() const& noexcept { return value_; }
  T value() && noexcept { return std::move(value_); }
  const T& operator*() const& noexcept { return value_; }
  const T* operator->() const noexcept { return &value_; }

  // Escape hatch for values that never came from outside (compile-time
  // constants, operator configuration). Grep for it in review.
  static Valid UnsafeAssumeValid(T value) { return Valid(std::move(value)); }

 private:
  explicit Valid(T value) : value_(std::move(value)) {}

  template <class U, class Check>
  friend Result<Valid<U>> Validate(Untrusted<U> input, Check&& check);

  T value_;
};

// Runs `check` on the untrusted value. `check(const T&)` returns either
// Result<T> (the value to keep, for example normalized) or Result<void>
// (keep the input as it is). On success the result is Valid<T>.
template <class T, class Check>
Result<Valid<T>> Validate(Untrusted<T> input, Check&& check) {
  using R = std::invoke_result_t<Check&, const T&>;
  if constexpr (std::is_same_v<R, Result<void>>) {
    Result<void> verdict = check(input.UnvalidatedValue());
    if (!verdict.ok()) return std::move(verdict).error();
    return Valid<T>(std::move(input).UnvalidatedValue());
  } else {
    static_assert(std::is_same_v<R, Result<T>>,
                  "a check returns Result<T> or Result<void>");
    Result<T> checked = check(input.UnvalidatedValue());
    if (!checked.ok()) return std::move(checked).error();
    return Valid<T>(std::move(checked).value());
  }
}

}  // namespace bulwark
