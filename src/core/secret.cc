#include "bulwark/core/secret.h"

#include <sodium.h>

namespace bulwark {

void SecureWipe(void* data, std::size_t size) noexcept {
  if (data != nullptr && size > 0) sodium_memzero(data, size);
}

bool ConstantTimeEqualsRaw(const void* a, std::size_t a_size, const void* b,
                           std::size_t b_size) noexcept {
  if (a_size != b_size) return false;
  if (a_size == 0) return true;
  return sodium_memcmp(a, b, a_size) == 0;
}

}  // namespace bulwark
