#pragma once
// SHA-256 / SHA-512 digests (libsodium). Not for passwords: see password.h.
//
// Thread-safety: thread-safe.

#include <array>
#include <cstdint>

#include "bulwark/core/bytes.h"

namespace bulwark::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;
using Sha512Digest = std::array<std::uint8_t, 64>;

Sha256Digest Sha256(ByteView data) noexcept;
Sha512Digest Sha512(ByteView data) noexcept;

}  // namespace bulwark::crypto
