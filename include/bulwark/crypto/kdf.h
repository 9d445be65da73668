#pragma once
// HKDF-SHA256 (RFC 5869), computed by OpenSSL: derives independent subkeys
// from one master secret, separated by `info` ("bulwark csrf v1", ...).
//
// Thread-safety: thread-safe.

#include <cstddef>
#include <string_view>

#include "bulwark/core/bytes.h"
#include "bulwark/core/result.h"
#include "bulwark/core/secret.h"

namespace bulwark::crypto {

// REQUIRES: 1 <= length <= 255 * 32. Errors: kInvalidArgument for an empty
// input key or a bad length.
Result<SecretBytes> HkdfSha256(const SecretBytes& input_key, ByteView salt, std::string_view info,
                               std::size_t length);

}  // namespace bulwark::crypto
