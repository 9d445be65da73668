#pragma once
// Internal: appends a JSON string literal. Output is ASCII-safe for HTML
// <script> embedding: < > & U+2028 U+2029 and controls are \u-escaped.
// REQUIRES: `s` is valid UTF-8 (invalid bytes become \ufffd).

#include <cstdio>
#include <string>
#include <string_view>

#include "bulwark/core/utf8.h"

namespace bulwark::validate::internal {

inline void AppendUnicodeEscape(std::string* out, unsigned v) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(v >> shift) & 0xF]);
}

inline void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      char32_t cp;
      std::size_t n = DecodeUtf8(s, i, &cp);
      if (n == 0) {
        AppendUnicodeEscape(out, 0xFFFD);
        ++i;
      } else if (cp == 0x2028 || cp == 0x2029) {
        AppendUnicodeEscape(out, static_cast<unsigned>(cp));
        i += n;
      } else {
        out->append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '<': case '>': case '&': AppendUnicodeEscape(out, c); break;
      default:
        if (c < 0x20 || c == 0x7F) {
          AppendUnicodeEscape(out, c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

}  // namespace bulwark::validate::internal
