#pragma once
// Constant-time comparison for MACs, tokens and other secrets-derived values:
// the time taken does not depend on where the inputs differ. Lengths are
// treated as public (unequal lengths return false at once).
//
// Thread-safety: thread-safe.

#include <string_view>

#include "bulwark/core/bytes.h"

namespace bulwark::crypto {

[[nodiscard]] bool ConstantTimeEquals(ByteView a, ByteView b) noexcept;
[[nodiscard]] bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept;

}  // namespace bulwark::crypto
