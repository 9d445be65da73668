#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>

#include "bulwark/core/encoding.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/random.h"
#include "util.h"

namespace bulwark::http::internal {
namespace {

// base64url digits for eight 6-bit values at once, one per byte of `v`,
// without table lookups or branches on the (secret) values, like
// libsodium's encoder, but eight lanes per 64-bit word: two of these tokens
// are made per request. Per lane: x < 26 -> 'A' + x, < 52 -> 'a' + x - 26,
// < 62 -> '0' + x - 52, 62 -> '-', 63 -> '_'. No lane ever leaves 0..255,
// so lanes never carry into each other.
std::uint64_t B64UrlDigits8(std::uint64_t v) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  // 1 in a lane whose value is >= k: (x + 128 - k) has its top bit set.
  auto at_least = [v](std::uint64_t k) { return ((v + (128 - k) * kOnes) >> 7) & kOnes; };
  return v + 'A' * kOnes + at_least(26) * 6 - at_least(52) * 75 - at_least(62) * 13 +
         at_least(63) * 49;
}

}  // namespace

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
  const std::uint8_t* in = pool.bytes.data() + pool.used;
  // 16 bytes -> 22 base64url digits, no padding (same text as
  // Base64UrlEncode gives): the 6-bit groups one per byte, then all 24
  // lanes (22 used) turned into digits three words at a time.
  std::array<std::uint8_t, 24> groups{};
  std::size_t o = 0;
  for (std::size_t i = 0; i < 15; i += 3) {
    unsigned v = (unsigned{in[i]} << 16) | (unsigned{in[i + 1]} << 8) | unsigned{in[i + 2]};
    groups[o++] = static_cast<std::uint8_t>((v >> 18) & 63U);
    groups[o++] = static_cast<std::uint8_t>((v >> 12) & 63U);
    groups[o++] = static_cast<std::uint8_t>((v >> 6) & 63U);
    groups[o++] = static_cast<std::uint8_t>(v & 63U);
  }
  unsigned last = unsigned{in[15]};
  groups[o++] = static_cast<std::uint8_t>(last >> 2);
  groups[o++] = static_cast<std::uint8_t>((last & 3U) << 4);
  std::array<char, 24> text{};
  for (std::size_t w = 0; w < 24; w += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, groups.data() + w, 8);
    word = B64UrlDigits8(word);
    std::memcpy(text.data() + w, &word, 8);
  }
  std::string token(text.data(), 22);
  SecureWipe(pool.bytes.data() + pool.used, kToken);
  SecureWipe(text.data(), text.size());
  SecureWipe(groups.data(), groups.size());
  pool.used += kToken;
  return token;
}

}  // namespace bulwark::http::internal
