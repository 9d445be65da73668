#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

#include "bulwark/core/encoding.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/random.h"
#include "util.h"

namespace bulwark::http::internal {

std::string RandomToken128() {
  constexpr std::size_t kBuffer = 512;
  constexpr std::size_t kToken = 16;
  struct Pool {
    std::array<std::uint8_t, kBuffer> bytes{};
    std::size_t used = kBuffer;
    ~Pool() { SecureWipe(bytes.data(), bytes.size()); }
  };
  thread_local Pool pool;
  if (pool.used + kToken > kBuffer) {
    crypto::RandomFill(std::span<std::uint8_t>(pool.bytes));
    pool.used = 0;
  }
  std::array<std::uint8_t, kToken> token{};
  std::copy_n(pool.bytes.begin() + static_cast<std::ptrdiff_t>(pool.used), kToken, token.begin());
  SecureWipe(pool.bytes.data() + pool.used, kToken);
  pool.used += kToken;
  return Base64UrlEncode(ByteView(token.data(), token.size()));
}

}  // namespace bulwark::http::internal
