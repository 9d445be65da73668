#pragma once
// UTF-8 helpers of the files module (internal); decoding is bulwark/core/utf8.h.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulwark/core/utf8.h"

namespace bulwark::files::internal {

// Decodes one code point at text[i]; advances i. Returns -1 for invalid
// UTF-8 (see bulwark::DecodeUtf8: bad lead or continuation bytes,
// truncation, overlong forms, surrogates, values above U+10FFFF), leaving i
// where it was.
inline std::int32_t DecodeUtf8(std::string_view text, std::size_t& i) noexcept {
  char32_t cp = 0;
  const std::size_t n = ::bulwark::DecodeUtf8(text, i, &cp);
  if (n == 0) return -1;
  i += n;
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
