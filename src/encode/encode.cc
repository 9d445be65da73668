#include "bulwark/encode/encode.h"
#include "bulwark/core/utf8.h"

#include <algorithm>
#include <cctype>

#include "bulwark/core/check.h"

namespace bulwark::encode {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Calls on_ascii(byte) for ASCII, on_cp(cp, bytes) for a valid multi-byte
// sequence and on_invalid(byte) for each byte of an ill-formed one.
template <class Ascii, class Cp, class Invalid>
void ForEachCodePoint(std::string_view text, Ascii on_ascii, Cp on_cp, Invalid on_invalid) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      on_ascii(c);
      ++i;
      continue;
    }
    char32_t cp;
    std::size_t n = DecodeUtf8(text, i, &cp);
    if (n == 0) {
      on_invalid(c);
      ++i;
    } else {
      on_cp(cp, text.substr(i, n));
      i += n;
    }
  }
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  ForEachCodePoint(
      text,
      [&](unsigned char c) {
        switch (c) {
          case '&': out += "&amp;"; break;
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '"': out += "&quot;"; break;
          case '\'': out += "&#39;"; break;
          case '`': out += "&#96;"; break;
          default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
              out += kReplacement;
            } else {
              out.push_back(static_cast<char>(c));
            }
        }
      },
      [&](char32_t cp, std::string_view bytes) {
        if (cp <= 0x9F) {  // C1 controls
          out += kReplacement;
        } else {
          out += bytes;
        }
      },
      [&](unsigned char) { out += kReplacement; });
  return out;
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 0xF]);
    }
  }
  return out;
}

void AppendJsEscape(std::string* out, unsigned v) {
  static constexpr char kHexLower[] = "0123456789abcdef";
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHexLower[(v >> shift) & 0xF]);
}

void AppendCssEscape(std::string* out, unsigned v) {
  static constexpr char kHexLower[] = "0123456789abcdef";
  out->push_back('\\');
  bool started = false;
  for (int shift = 20; shift >= 0; shift -= 4) {
    unsigned digit = (v >> shift) & 0xF;
    if (digit != 0 || started || shift == 0) {
      out->push_back(kHexLower[digit]);
      started = true;
    }
  }
  out->push_back(' ');  // ends the escape, so a following hex digit is literal
}

bool IsBidiOrInvisible(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x00AD || cp == 0x180E || cp == 0x200B ||
         cp == 0x200C || cp == 0x200D || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
         cp == 0x2028 || cp == 0x2029 || (cp >= 0xE0000 && cp <= 0xE007F);
}

bool UrlByteAllowed(unsigned char c) {
  if (IsAsciiAlnum(c)) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

}  // namespace

HtmlText EncodeHtmlText(std::string_view text) { return HtmlText(HtmlEscape(text)); }

HtmlAttribute EncodeHtmlAttribute(std::string_view text) { return HtmlAttribute(HtmlEscape(text)); }

UrlComponent EncodeUrlComponent(std::string_view text) { return UrlComponent(PercentEncode(text)); }

UrlPathSegment EncodeUrlPathSegment(std::string_view text) {
  if (text == ".") return UrlPathSegment("%2E");
  if (text == "..") return UrlPathSegment("%2E%2E");
  return UrlPathSegment(PercentEncode(text));
}

JsString EncodeJsString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  ForEachCodePoint(
      text,
      [&](unsigned char c) {
        if (c < 0x20 || c == 0x7F || c == '\\' || c == '\'' || c == '"' || c == '`' ||
            c == '<' || c == '>' || c == '&' || c == '/') {
          AppendJsEscape(&out, c);
        } else {
          out.push_back(static_cast<char>(c));
        }
      },
      [&](char32_t cp, std::string_view bytes) {
        if (cp <= 0x9F || cp == 0x2028 || cp == 0x2029) {
          AppendJsEscape(&out, static_cast<unsigned>(cp));
        } else {
          out += bytes;
        }
      },
      [&](unsigned char) { AppendJsEscape(&out, 0xFFFD); });
  return JsString(std::move(out));
}

CssString EncodeCssString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  ForEachCodePoint(
      text,
      [&](unsigned char c) {
        if (IsAsciiAlnum(c) || c == ' ') {
          out.push_back(static_cast<char>(c));
        } else if (c == 0) {
          AppendCssEscape(&out, 0xFFFD);
        } else {
          AppendCssEscape(&out, c);
        }
      },
      [&](char32_t cp, std::string_view bytes) {
        if (cp <= 0x9F) {
          AppendCssEscape(&out, static_cast<unsigned>(cp));
        } else {
          out += bytes;
        }
      },
      [&](unsigned char) { AppendCssEscape(&out, 0xFFFD); });
  return CssString(std::move(out));
}

LogField EncodeLogField(std::string_view text, const LogFieldOptions& options) {
  BULWARK_CHECK(options.max_bytes >= 32);
  static constexpr std::string_view kMarker = "...[truncated]";
  const std::size_t budget = options.max_bytes - kMarker.size();
  std::string out;
  out.reserve(std::min(text.size() + 16, options.max_bytes));
  bool truncated = false;
  // Appends one whole unit (a character or an escape) if it fits.
  auto put = [&](std::string_view unit) {
    if (truncated) return;
    if (out.size() + unit.size() > budget) {
      truncated = true;
      return;
    }
    out += unit;
  };
  auto hex_byte = [&](unsigned char c) {
    char buf[4] = {'\\', 'x', kHexUpper[c >> 4], kHexUpper[c & 0xF]};
    put(std::string_view(buf, 4));
  };
  ForEachCodePoint(
      text,
      [&](unsigned char c) {
        switch (c) {
          case '\r': put("\\r"); return;
          case '\n': put("\\n"); return;
          case '\t': put("\\t"); return;
          case '\\': put("\\\\"); return;
          case '"': put("\\\""); return;
          default: break;
        }
        if (c < 0x20 || c == 0x7F ||
            options.delimiters.find(static_cast<char>(c)) != std::string_view::npos) {
          hex_byte(c);
          return;
        }
        char ch = static_cast<char>(c);
        put(std::string_view(&ch, 1));
      },
      [&](char32_t cp, std::string_view bytes) {
        if (cp <= 0x9F || IsBidiOrInvisible(cp)) {
          static constexpr char kHex[] = "0123456789ABCDEF";
          std::string unit = "\\u{";
          bool started = false;
          for (int shift = 20; shift >= 0; shift -= 4) {
            unsigned digit = (static_cast<unsigned>(cp) >> shift) & 0xF;
            if (digit != 0 || started || shift <= 12) {
              unit.push_back(kHex[digit]);
              started = true;
            }
          }
          unit.push_back('}');
          put(unit);
        } else {
          put(bytes);
        }
      },
      [&](unsigned char c) { hex_byte(c); });
  if (truncated) out += kMarker;
  return LogField(std::move(out));
}

HtmlAttribute EncodeUrlAttribute(std::string_view url,
                                 const std::vector<std::string>& allowed_schemes) {
  std::string normalized;
  normalized.reserve(url.size());
  for (char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (UrlByteAllowed(c)) {
      normalized.push_back(ch);
    } else {
      normalized.push_back('%');
      normalized.push_back(kHexUpper[c >> 4]);
      normalized.push_back(kHexUpper[c & 0xF]);
    }
  }
  // A scheme is what precedes the first ':' if no '/', '?' or '#' comes
  // before it and it has scheme syntax; anything else is a relative URL.
  const std::size_t colon = normalized.find(':');
  const std::size_t delim = normalized.find_first_of("/?#");
  if (colon != std::string::npos && colon > 0 && (delim == std::string::npos || colon < delim)) {
    std::string_view scheme(normalized.data(), colon);
    const bool syntax =
        std::isalpha(static_cast<unsigned char>(scheme[0])) != 0 &&
        std::all_of(scheme.begin(), scheme.end(), [](char c) {
          return IsAsciiAlnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
        });
    if (syntax) {
      std::string lower(scheme);
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
      if (std::find(allowed_schemes.begin(), allowed_schemes.end(), lower) ==
          allowed_schemes.end()) {
        normalized = std::string(kBlockedUrl);
      }
    }
  }
  return HtmlAttribute(HtmlEscape(normalized));
}

}  // namespace bulwark::encode
