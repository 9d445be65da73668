#pragma once
// Internal: strict UTF-8 decoding (Unicode table 3-7: shortest form, no
// surrogates, <= U+10FFFF). Not part of the public API.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bulwark::encode::internal {

// Decodes the code point at text[pos]. Returns the number of bytes (1..4),
// or 0 if the bytes there are not well-formed UTF-8.
inline std::size_t DecodeUtf8(std::string_view text, std::size_t pos, char32_t* out) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const std::size_t left = text.size() - pos;
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    *out = b0;
    return 1;
  }
  auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (left < 2 || !cont(p[1])) return 0;
    *out = (char32_t{b0} & 0x1F) << 6 | (char32_t{p[1]} & 0x3F);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || !cont(p[1]) || !cont(p[2])) return 0;
    if (b0 == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (b0 == 0xED && p[1] > 0x9F) return 0;   // surrogates
    *out = (char32_t{b0} & 0x0F) << 12 | (char32_t{p[1]} & 0x3F) << 6 | (char32_t{p[2]} & 0x3F);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || !cont(p[1]) || !cont(p[2]) || !cont(p[3])) return 0;
    if (b0 == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && p[1] > 0x8F) return 0;   // > U+10FFFF
    *out = (char32_t{b0} & 0x07) << 18 | (char32_t{p[1]} & 0x3F) << 12 |
           (char32_t{p[2]} & 0x3F) << 6 | (char32_t{p[3]} & 0x3F);
    return 4;
  }
  return 0;  // continuation byte, C0/C1 overlong lead, F5..FF
}

}  // namespace bulwark::encode::internal
