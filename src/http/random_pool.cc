#include <algorithm>
#include <array>
#include <bit>
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

// Lane i of a word is its i-th byte in memory.
static_assert(std::endian::native == std::endian::little);

void RandomToken128To(char* out) {
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
  // 16 bytes -> 22 base64url digits, no padding (same text as
  // Base64UrlEncode gives). The 128 bits as two big-endian words; eight
  // 6-bit groups at a time go one per byte (from 48 bits, first group on
  // top), then become digits. Nothing goes through memory on the way, so
  // only the pool's bytes need wiping.
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  std::memcpy(&hi, pool.bytes.data() + pool.used, 8);
  std::memcpy(&lo, pool.bytes.data() + pool.used + 8, 8);
  SecureWipe(pool.bytes.data() + pool.used, kToken);
  pool.used += kToken;
  hi = __builtin_bswap64(hi);
  lo = __builtin_bswap64(lo);
  auto lanes = [](std::uint64_t bits48) {
    // Each 24-bit half (groups 0-3, groups 4-7) in its own 32-bit half of
    // the word; then the four groups of both halves move into their bytes
    // together (no shift carries a group across the halves' boundary).
    const std::uint64_t y = (bits48 >> 24) | ((bits48 & 0xFFFFFFU) << 32);
    return ((y >> 18) & 0x0000003F0000003FULL) | ((y >> 4) & 0x00003F0000003F00ULL) |
           ((y << 10) & 0x003F0000003F0000ULL) | ((y << 24) & 0x3F0000003F000000ULL);
  };
  const std::uint64_t w0 = B64UrlDigits8(lanes(hi >> 16));                         // bits 127..80
  const std::uint64_t w1 = B64UrlDigits8(lanes(((hi & 0xFFFFU) << 32) | (lo >> 32)));  // 79..32
  // 31..0 then zeros: the last digit holds two bits, the two lanes after it are unused.
  const std::uint64_t w2 = B64UrlDigits8(lanes((lo & 0xFFFFFFFFU) << 16));
  std::memcpy(out, &w0, 8);
  std::memcpy(out + 8, &w1, 8);
  std::memcpy(out + 16, &w2, kToken128Chars - 16);
}

std::string RandomToken128() {
  std::string token(kToken128Chars, '\0');
  RandomToken128To(token.data());
  return token;
}

}  // namespace bulwark::http::internal
