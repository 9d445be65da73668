#pragma once
// HMAC (RFC 2104) over SHA-1, SHA-256 or SHA-512, computed by OpenSSL.
// SHA-1 exists for HOTP/TOTP interoperability only.
//
//   Result<Bytes> tag = Hmac(HmacAlgorithm::kSha256, key, AsBytes(message));
//   if (HmacVerify(HmacAlgorithm::kSha256, key, AsBytes(message), received)) ...
//
// Thread-safety: thread-safe.

#include <cstddef>
#include <cstdint>

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

// HmacKey: one key prepared for many MACs, as a JWT verifier uses it for
// every token. The key is loaded into an OpenSSL context once (its padded
// blocks already hashed); each call works on a copy of that context, which
// skips the per-call algorithm lookup and key setup of Hmac()/HmacVerify().
//
// Thread-safety: Compute and Verify are const and may run concurrently.
// Ownership: move-only; the prepared context is freed (and cleansed by
// OpenSSL) with the object.
class HmacKey {
 public:
  // Errors: kInvalidArgument when the key is shorter than 16 bytes;
  // kInternal when OpenSSL cannot set up the context.
  static Result<HmacKey> Create(HmacAlgorithm algorithm, const SecretBytes& key);

  HmacKey(HmacKey&& other) noexcept;
  HmacKey& operator=(HmacKey&& other) noexcept;
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;
  ~HmacKey();

  HmacAlgorithm algorithm() const noexcept { return algorithm_; }
  Result<Bytes> Compute(ByteView data) const;
  // Constant-time; a wrong-size tag or any error is a mismatch.
  [[nodiscard]] bool Verify(ByteView data, ByteView tag) const noexcept;

 private:
  HmacKey(HmacAlgorithm algorithm, void* ctx) noexcept : algorithm_(algorithm), ctx_(ctx) {}
  bool ComputeInto(ByteView data, std::uint8_t* out) const noexcept;

  HmacAlgorithm algorithm_;
  void* ctx_;  // EVP_MAC_CTX*, kept out of this header so users need no OpenSSL includes
};

}  // namespace bulwark::crypto
