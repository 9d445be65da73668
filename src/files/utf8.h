#pragma once
// Strict UTF-8 decoding shared by the files module (internal).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bulwark::files::internal {

// Decodes one code point at text[i]; advances i. Returns -1 for invalid
// UTF-8: bad lead or continuation bytes, truncation, overlong forms (C0 AE,
// E0 80 AE, ...), surrogates and values above U+10FFFF.
inline std::int32_t DecodeUtf8(std::string_view text, std::size_t& i) noexcept {
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  std::uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len;
  std::uint32_t cp;
  std::uint32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return -1;
  }
  if (i + len > text.size()) return -1;
  for (std::size_t k = 1; k < len; ++k) {
    std::uint8_t b = byte(i + k);
    if ((b & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += len;
  return static_cast<std::int32_t>(cp);
}

// Format characters that reorder or hide text (bidi controls, zero-width).
inline bool IsInvisibleFormat(std::int32_t cp) noexcept {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x061C || cp == 0x00AD;
}

// Code points that Unicode compatibility normalization (NFKC) or lenient
// decoders turn into '.', '/' or '\'.
inline bool IsPathLookalike(std::int32_t cp) noexcept {
  switch (cp) {
    case 0x2024:  // ONE DOT LEADER
    case 0x2025:  // TWO DOT LEADER
    case 0x2026:  // HORIZONTAL ELLIPSIS
    case 0xFE52:  // SMALL FULL STOP
    case 0xFF0E:  // FULLWIDTH FULL STOP
    case 0x2044:  // FRACTION SLASH
    case 0x2215:  // DIVISION SLASH
    case 0x29F8:  // BIG SOLIDUS
    case 0xFF0F:  // FULLWIDTH SOLIDUS
    case 0x2216:  // SET MINUS
    case 0x29F5:  // REVERSE SOLIDUS OPERATOR
    case 0x29F9:  // BIG REVERSE SOLIDUS
    case 0xFE68:  // SMALL REVERSE SOLIDUS
    case 0xFF3C:  // FULLWIDTH REVERSE SOLIDUS
      return true;
    default:
      return false;
  }
}

}  // namespace bulwark::files::internal
