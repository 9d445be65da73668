#include "bulwark/crypto/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <limits>

#include "bulwark/core/secret.h"

namespace bulwark::crypto {
namespace {

constexpr std::size_t kMinKeySize = 16;

const EVP_MD* Digest(HmacAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case HmacAlgorithm::kSha1: return EVP_sha1();
    case HmacAlgorithm::kSha256: return EVP_sha256();
    case HmacAlgorithm::kSha512: return EVP_sha512();
  }
  return nullptr;
}

// Writes the MAC into `out` (HmacSize bytes). False on any failure.
bool Compute(HmacAlgorithm algorithm, ByteView key, ByteView data, std::uint8_t* out) noexcept {
  const EVP_MD* md = Digest(algorithm);
  if (md == nullptr || key.size() < kMinKeySize ||
      key.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return false;
  }
  unsigned int written = 0;
  // OpenSSL wants a non-null pointer even for empty data.
  static const std::uint8_t kEmpty = 0;
  const std::uint8_t* input = data.empty() ? &kEmpty : data.data();
  if (HMAC(md, key.data(), static_cast<int>(key.size()), input, data.size(), out, &written) ==
      nullptr) {
    return false;
  }
  return written == HmacSize(algorithm);
}

}  // namespace

std::size_t HmacSize(HmacAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case HmacAlgorithm::kSha1: return 20;
    case HmacAlgorithm::kSha256: return 32;
    case HmacAlgorithm::kSha512: return 64;
  }
  return 0;
}

Result<Bytes> Hmac(HmacAlgorithm algorithm, const SecretBytes& key, ByteView data) {
  if (key.size() < kMinKeySize) {
    return Error(ErrorCode::kInvalidArgument, "HMAC key shorter than 16 bytes");
  }
  Bytes out(HmacSize(algorithm));
  if (!Compute(algorithm, key.RevealBytes(InsecureSecretAccess()), data, out.data())) {
    return Error(ErrorCode::kInternal, "HMAC computation failed");
  }
  return out;
}

bool HmacVerify(HmacAlgorithm algorithm, const SecretBytes& key, ByteView data,
                ByteView tag) noexcept {
  std::uint8_t expected[64];
  const std::size_t size = HmacSize(algorithm);
  if (tag.size() != size || key.size() < kMinKeySize) return false;
  if (!Compute(algorithm, key.RevealBytes(InsecureSecretAccess()), data, expected)) return false;
  const bool equal = ConstantTimeEqualsRaw(expected, size, tag.data(), tag.size());
  SecureWipe(expected, sizeof(expected));
  return equal;
}

}  // namespace bulwark::crypto
