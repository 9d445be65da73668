#include "bulwark/crypto/random.h"

#include <sodium.h>

#include "bulwark/core/check.h"
#include "bulwark/core/encoding.h"
#include "sodium_init.h"

namespace bulwark::crypto {
namespace internal {

void EnsureSodium() noexcept {
  static const int status = sodium_init();
  // A failed init means no usable entropy source: refuse to run at all.
  BULWARK_CHECK(status >= 0);
}

}  // namespace internal

void RandomFill(std::span<std::uint8_t> out) noexcept {
  internal::EnsureSodium();
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

Bytes RandomBytes(std::size_t size) {
  Bytes out(size);
  RandomFill(out);
  return out;
}

SecretBytes RandomSecretBytes(std::size_t size) {
  SecretBytes secret = SecretBytes::Adopt(Bytes(size));
  Bytes& bytes = secret.RevealMutable(InsecureSecretAccess());
  RandomFill(bytes);
  return secret;
}

std::uint32_t RandomUniform(std::uint32_t upper_bound) noexcept {
  BULWARK_CHECK(upper_bound > 0);
  internal::EnsureSodium();
  return randombytes_uniform(upper_bound);
}

std::string RandomToken(std::size_t bytes) {
  BULWARK_CHECK(bytes >= 16);
  Bytes raw = RandomBytes(bytes);
  std::string token = Base64UrlEncode(raw);
  SecureWipe(raw.data(), raw.size());
  return token;
}

}  // namespace bulwark::crypto
