#pragma once
// BULWARK_CHECK: for broken invariants (programming errors), never for bad
// outside input, which is an Error value instead. A failed check prints the
// location and aborts; it never prints data.

namespace bulwark::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition) noexcept;
}  // namespace bulwark::internal

#define BULWARK_CHECK(condition)                                          \
  do {                                                                    \
    if (!(condition)) [[unlikely]] {                                      \
      ::bulwark::internal::CheckFailed(__FILE__, __LINE__, #condition);   \
    }                                                                     \
  } while (false)
