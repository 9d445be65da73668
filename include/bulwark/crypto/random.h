#pragma once
// Cryptographically secure randomness from libsodium (getrandom(2) on Linux).
// Never use rand(), std::mt19937 or std::random_device for security values.
//
// Thread-safety: all functions are thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "bulwark/core/bytes.h"
#include "bulwark/core/secret.h"

namespace bulwark::crypto {

void RandomFill(std::span<std::uint8_t> out) noexcept;
Bytes RandomBytes(std::size_t size);
SecretBytes RandomSecretBytes(std::size_t size);

// Uniform in [0, upper_bound), without modulo bias. REQUIRES: upper_bound > 0.
std::uint32_t RandomUniform(std::uint32_t upper_bound) noexcept;

// `bytes` random bytes as base64url (no padding): session ids, CSRF tokens,
// nonces. REQUIRES: bytes >= 16 (128 bits).
std::string RandomToken(std::size_t bytes = 32);

}  // namespace bulwark::crypto
