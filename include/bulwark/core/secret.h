#pragma once
// Secret<T>: a value that must not leak. It cannot be copied (only moved or
// explicitly cloned), printed, streamed, formatted or compared with ==. Its
// memory is wiped when it is destroyed. Equality is constant-time (Equals).
// Reading it needs a SecretAccess token, which only InsecureSecretAccess()
// makes, so every read of a secret is an explicit, greppable call (the model
// is Tink's InsecureSecretKeyAccess).
//
//   Secret<std::string> password = Secret<std::string>::Adopt(std::move(line));
//   Hash(password.Reveal(InsecureSecretAccess()));
//
// T is a contiguous container of bytes or chars: std::string or Bytes.
// The value lives on the heap behind a pointer, so moving a Secret never
// copies the secret bytes. Growing the value after construction may leave
// copies in freed memory: build it at its final size.
//
// Thread-safety: like std::string; const methods may be called concurrently.
// Ownership: the Secret owns its value.

#include <concepts>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "bulwark/core/bytes.h"
#include "bulwark/core/check.h"

namespace bulwark {

// Zeroes `size` bytes at `data` in a way the compiler cannot elide.
void SecureWipe(void* data, std::size_t size) noexcept;
// Constant-time for equal sizes; sizes are not secret.
bool ConstantTimeEqualsRaw(const void* a, std::size_t a_size, const void* b,
                           std::size_t b_size) noexcept;

class SecretAccess;
// The only way to obtain a SecretAccess. Grep for it to find every place that
// reads secret material.
SecretAccess InsecureSecretAccess() noexcept;

class SecretAccess {
 private:
  SecretAccess() = default;
  friend SecretAccess InsecureSecretAccess() noexcept;
};

inline SecretAccess InsecureSecretAccess() noexcept { return SecretAccess(); }

template <class T>
concept SecretStorable =
    requires(T t, std::size_t n) {
      { t.data() };
      { t.size() } -> std::convertible_to<std::size_t>;
      { t.capacity() } -> std::convertible_to<std::size_t>;
      t.resize(n);
    } && sizeof(typename T::value_type) == 1 &&
    std::is_trivially_copyable_v<typename T::value_type>;

template <SecretStorable T>
class Secret {
 public:
  // An empty secret.
  Secret() : value_(std::make_unique<T>()) {}

  // Takes over `value` and wipes what the move may have left behind in it
  // (short-string buffers are copied, not moved).
  static Secret Adopt(T&& value) {
    Secret s;
    *s.value_ = std::move(value);
    WipeContainer(value);
    return s;
  }

  // Copies `bytes` into a new secret. The caller owns (and should wipe) the source.
  static Secret CopyFrom(ByteView bytes) {
    Secret s;
    s.value_->resize(bytes.size());
    if (!bytes.empty()) {
      std::memcpy(s.value_->data(), bytes.data(), bytes.size());
    }
    return s;
  }

  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) {
    other.value_ = nullptr;
  }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      Wipe();
      value_ = std::move(other.value_);
    }
    return *this;
  }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  ~Secret() { Wipe(); }

  // Read access. REQUIRES: not moved-from.
  const T& Reveal(SecretAccess) const {
    BULWARK_CHECK(value_ != nullptr);
    return *value_;
  }
  // Write access, for filling a secret in place (for example from a KDF).
  T& RevealMutable(SecretAccess) {
    BULWARK_CHECK(value_ != nullptr);
    return *value_;
  }
  ByteView RevealBytes(SecretAccess) const {
    BULWARK_CHECK(value_ != nullptr);
    return {reinterpret_cast<const std::uint8_t*>(value_->data()), value_->size()};
  }

  // An explicit copy; the access token marks it as a read of the secret.
  Secret Clone(SecretAccess) const {
    BULWARK_CHECK(value_ != nullptr);
    return CopyFrom({reinterpret_cast<const std::uint8_t*>(value_->data()), value_->size()});
  }

  // The length is not treated as secret.
  std::size_t size() const noexcept { return value_ ? value_->size() : 0; }
  bool empty() const noexcept { return size() == 0; }

  // Constant-time comparison of the contents (for equal sizes).
  [[nodiscard]] bool Equals(const Secret& other) const noexcept {
    if (!value_ || !other.value_) return false;
    return ConstantTimeEqualsRaw(value_->data(), value_->size(), other.value_->data(),
                                 other.value_->size());
  }

  // No ==, no ordering: comparisons of secrets must be constant-time.
  bool operator==(const Secret&) const = delete;
  bool operator!=(const Secret&) const = delete;
  bool operator<(const Secret&) const = delete;

 private:
  static void WipeContainer(T& container) noexcept {
    // Wipe the whole capacity: bytes past size() may hold old contents.
    container.resize(container.capacity());
    if (container.size() > 0) SecureWipe(container.data(), container.size());
    container.clear();
  }
  void Wipe() noexcept {
    if (value_) WipeContainer(*value_);
    value_.reset();
  }

  std::unique_ptr<T> value_;
};

// Secrets cannot be written to a stream (and so not to fmt either, which
// falls back to operator<<).
template <class T>
std::ostream& operator<<(std::ostream&, const Secret<T>&) = delete;

using SecretBytes = Secret<Bytes>;
using SecretString = Secret<std::string>;

}  // namespace bulwark
