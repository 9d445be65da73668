#include "bulwark/crypto/compare.h"

#include "bulwark/core/secret.h"

namespace bulwark::crypto {

bool ConstantTimeEquals(ByteView a, ByteView b) noexcept {
  return ConstantTimeEqualsRaw(a.data(), a.size(), b.data(), b.size());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept {
  return ConstantTimeEqualsRaw(a.data(), a.size(), b.data(), b.size());
}

}  // namespace bulwark::crypto
