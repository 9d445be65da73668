#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

#include "bulwark/core/encoding.h"
#include "bulwark/core/secret.h"
#include "bulwark/crypto/random.h"
#include "util.h"

namespace bulwark::http::internal {
namespace {

// base64url digit for a 6-bit value, without table lookups or branches on
// the (secret) value, like libsodium's encoder, but inline: two of these
// tokens are made per request.
char B64UrlDigit(unsigned x) {
  // Masks are all-ones when the condition holds.
  unsigned lt26 = 0U - ((x - 26U) >> 31);                 // x < 26
  unsigned lt52 = 0U - ((x - 52U) >> 31);                 // x < 52
  unsigned lt62 = 0U - ((x - 62U) >> 31);                 // x < 62
  unsigned eq62 = 0U - (((x ^ 62U) - 1U) >> 31);          // x == 62
  unsigned eq63 = 0U - (((x ^ 63U) - 1U) >> 31);          // x == 63
  unsigned c = (lt26 & (x + 'A')) | (~lt26 & lt52 & (x - 26U + 'a')) |
               (~lt52 & lt62 & (x - 52U + '0')) | (eq62 & unsigned{'-'}) | (eq63 & unsigned{'_'});
  return static_cast<char>(c & 0xFFU);
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
  // Base64UrlEncode gives).
  std::array<char, 22> text{};
  std::size_t o = 0;
  for (std::size_t i = 0; i < 15; i += 3) {
    unsigned v = (unsigned{in[i]} << 16) | (unsigned{in[i + 1]} << 8) | unsigned{in[i + 2]};
    text[o++] = B64UrlDigit((v >> 18) & 63U);
    text[o++] = B64UrlDigit((v >> 12) & 63U);
    text[o++] = B64UrlDigit((v >> 6) & 63U);
    text[o++] = B64UrlDigit(v & 63U);
  }
  unsigned last = unsigned{in[15]};
  text[o++] = B64UrlDigit(last >> 2);
  text[o++] = B64UrlDigit((last & 3U) << 4);
  std::string token(text.data(), text.size());
  SecureWipe(pool.bytes.data() + pool.used, kToken);
  SecureWipe(text.data(), text.size());
  pool.used += kToken;
  return token;
}

}  // namespace bulwark::http::internal
