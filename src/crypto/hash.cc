#include "bulwark/crypto/hash.h"

#include <sodium.h>

namespace bulwark::crypto {

Sha256Digest Sha256(ByteView data) noexcept {
  Sha256Digest out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Sha512Digest Sha512(ByteView data) noexcept {
  Sha512Digest out;
  crypto_hash_sha512(out.data(), data.data(), data.size());
  return out;
}

}  // namespace bulwark::crypto
