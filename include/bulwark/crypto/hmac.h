#pragma once
// HMAC (RFC 2104) over SHA-1, SHA-256 or SHA-512, computed by OpenSSL.
// SHA-1 exists for HOTP/TOTP interoperability only.
//
//   Result<Bytes> tag = Hmac(HmacAlgorithm::kSha256, key, AsBytes(message));
//   if (HmacVerify(HmacAlgorithm::kSha256, key, AsBytes(message), received)) ...
//
// Thread-safety: thread-safe.

#include <cstddef>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"

namespace bulwark::crypto {

enum class HmacAlgorithm { kSha1, kSha256, kSha512 };

// Tag size in bytes: 20, 32 or 64.
std::size_t HmacSize(HmacAlgorithm algorithm) noexcept;

// Errors: kInvalidArgument when the key is shorter than 16 bytes (a weak or
// missing key must not produce a "valid" MAC).
Result<Bytes> Hmac(HmacAlgorithm algorithm, const SecretBytes& key, ByteView data);

// Constant-time check of `tag` against the MAC of `data`. A truncated tag,
// a short key or any error is a mismatch.
[[nodiscard]] bool HmacVerify(HmacAlgorithm algorithm, const SecretBytes& key, ByteView data,
                              ByteView tag) noexcept;

}  // namespace bulwark::crypto
