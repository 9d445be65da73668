#include "bulwark/crypto/hmac.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

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
  if (key.size() < kMinKeySize) return false;
  // OpenSSL wants a non-null pointer even for empty data.
  static const std::uint8_t kEmpty = 0;
  const std::uint8_t* input = data.empty() ? &kEmpty : data.data();
  const EVP_MD* md = Digest(algorithm);
  if (md == nullptr || key.size() < kMinKeySize ||
      key.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return false;
  }
  unsigned int written = 0;
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

namespace {

EVP_MAC* HmacMethod() noexcept {
  // Fetched once; OpenSSL keeps it for the life of the process.
  static EVP_MAC* const method = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return method;
}

const char* DigestName(HmacAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case HmacAlgorithm::kSha1: return "SHA1";
    case HmacAlgorithm::kSha256: return "SHA256";
    case HmacAlgorithm::kSha512: return "SHA512";
  }
  return "";
}

EVP_MAC_CTX* AsCtx(void* p) noexcept { return static_cast<EVP_MAC_CTX*>(p); }

}  // namespace

Result<HmacKey> HmacKey::Create(HmacAlgorithm algorithm, const SecretBytes& key) {
  if (key.size() < kMinKeySize) {
    return Error(ErrorCode::kInvalidArgument, "HMAC key shorter than 16 bytes");
  }
  EVP_MAC* method = HmacMethod();
  EVP_MAC_CTX* ctx = method == nullptr ? nullptr : EVP_MAC_CTX_new(method);
  if (ctx == nullptr) return Error(ErrorCode::kInternal, "HMAC context unavailable");
  char* digest = const_cast<char*>(DigestName(algorithm));
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  const ByteView raw = key.RevealBytes(InsecureSecretAccess());
  if (EVP_MAC_init(ctx, raw.data(), raw.size(), params) != 1) {
    EVP_MAC_CTX_free(ctx);
    return Error(ErrorCode::kInternal, "HMAC key setup failed");
  }
  return HmacKey(algorithm, ctx);
}

HmacKey::HmacKey(HmacKey&& other) noexcept : algorithm_(other.algorithm_), ctx_(other.ctx_) {
  other.ctx_ = nullptr;
}

HmacKey& HmacKey::operator=(HmacKey&& other) noexcept {
  if (this != &other) {
    EVP_MAC_CTX_free(AsCtx(ctx_));
    algorithm_ = other.algorithm_;
    ctx_ = other.ctx_;
    other.ctx_ = nullptr;
  }
  return *this;
}

HmacKey::~HmacKey() { EVP_MAC_CTX_free(AsCtx(ctx_)); }

bool HmacKey::ComputeInto(ByteView data, std::uint8_t* out) const noexcept {
  if (ctx_ == nullptr) return false;  // moved from
  // The prepared context is only read (copied); the copy absorbs the data.
  EVP_MAC_CTX* work = EVP_MAC_CTX_dup(AsCtx(ctx_));
  if (work == nullptr) return false;
  static const std::uint8_t kEmpty = 0;
  const std::uint8_t* input = data.empty() ? &kEmpty : data.data();
  std::size_t written = 0;
  const std::size_t size = HmacSize(algorithm_);
  const bool ok = EVP_MAC_update(work, input, data.size()) == 1 &&
                  EVP_MAC_final(work, out, &written, size) == 1 && written == size;
  EVP_MAC_CTX_free(work);
  return ok;
}

Result<Bytes> HmacKey::Compute(ByteView data) const {
  Bytes out(HmacSize(algorithm_));
  if (!ComputeInto(data, out.data())) return Error(ErrorCode::kInternal, "HMAC computation failed");
  return out;
}

bool HmacKey::Verify(ByteView data, ByteView tag) const noexcept {
  std::uint8_t expected[64];
  const std::size_t size = HmacSize(algorithm_);
  if (tag.size() != size || !ComputeInto(data, expected)) return false;
  const bool equal = ConstantTimeEqualsRaw(expected, size, tag.data(), tag.size());
  SecureWipe(expected, sizeof(expected));
  return equal;
}

}  // namespace bulwark::crypto
