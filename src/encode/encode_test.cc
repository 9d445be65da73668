#include "bulwark/encode/encode.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "bulwark/core/utf8.h"

namespace bulwark::encode {
namespace {

// Random inputs biased towards the characters that matter: markup, quotes,
// escapes, controls, invalid UTF-8, bidi and line separators.
std::string RandomInput(std::mt19937& rng) {
  static const std::vector<std::string> kPieces = {
      "<", ">", "&", "\"", "'", "`", "/", "\\", "=", " ", "\t", "\n", "\r", std::string(1, '\0'),
      "\x7F", "script", "</script>", "<!--", "-->", "javascript:", "a", "Z", "0", ".", "..",
      "%", "%2e", "{", "}", "(", ")", ";", ":", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xAE",
      "\xE2\x80\x8B", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xC0\xAF", "\xED\xA0\x80", "\xFF", "\x80",
      "\xE2\x82", "|", "#", "?", "+", "\x1B[31m"};
  std::string s;
  const int n = static_cast<int>(rng() % 12);
  for (int i = 0; i < n; ++i) s += kPieces[rng() % kPieces.size()];
  return s;
}

TEST(HtmlText, ClassicVectors) {
  EXPECT_EQ(EncodeHtmlText("<script>alert(1)</script>").str(),
            "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(EncodeHtmlText("\"><img src=x onerror=alert(1)>").str(),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(EncodeHtmlText("' onmouseover='x").str(), "&#39; onmouseover=&#39;x");
  EXPECT_EQ(EncodeHtmlText("&lt;").str(), "&amp;lt;");
  EXPECT_EQ(EncodeHtmlText("`").str(), "&#96;");
  EXPECT_EQ(EncodeHtmlText(std::string("a\0b", 3)).str(), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(EncodeHtmlText("\xC0\xBCscript\xC0\xBE").str(),  // overlong '<' '>'
            "\xEF\xBF\xBD\xEF\xBF\xBDscript\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(EncodeHtmlText("caf\xC3\xA9 \xF0\x9F\x98\x80").str(), "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(HtmlAttribute, ClassicVectors) {
  EXPECT_EQ(EncodeHtmlAttribute("\" autofocus onfocus=\"alert(1)").str(),
            "&quot; autofocus onfocus=&quot;alert(1)");
  EXPECT_EQ(EncodeHtmlAttribute("' onclick='alert(1)").str(), "&#39; onclick=&#39;alert(1)");
}

TEST(HtmlEncoders, PropertyNoBreakout) {
  std::mt19937 rng(1);
  for (int i = 0; i < 20000; ++i) {
    const std::string in = RandomInput(rng);
    for (const std::string& out : {EncodeHtmlText(in).str(), EncodeHtmlAttribute(in).str()}) {
      ASSERT_EQ(out.find_first_of(std::string("<>\"'`\0", 6)), std::string::npos) << in;
      ASSERT_TRUE(IsValidUtf8(out));
      // Every '&' starts one of our entities.
      for (std::size_t p = out.find('&'); p != std::string::npos; p = out.find('&', p + 1)) {
        std::string_view rest(out.data() + p, out.size() - p);
        ASSERT_TRUE(rest.starts_with("&amp;") || rest.starts_with("&lt;") ||
                    rest.starts_with("&gt;") || rest.starts_with("&quot;") ||
                    rest.starts_with("&#39;") || rest.starts_with("&#96;"));
      }
      ASSERT_EQ(out.find("\xC2\x85"), std::string::npos);  // no C1 controls
    }
  }
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

TEST(UrlEncoders, Vectors) {
  EXPECT_EQ(EncodeUrlComponent("a b&c=d/e?f#g").str(), "a%20b%26c%3Dd%2Fe%3Ff%23g");
  EXPECT_EQ(EncodeUrlComponent("\xC3\xA9").str(), "%C3%A9");
  EXPECT_EQ(EncodeUrlComponent("-._~").str(), "-._~");
  EXPECT_EQ(EncodeUrlPathSegment("..").str(), "%2E%2E");
  EXPECT_EQ(EncodeUrlPathSegment(".").str(), "%2E");
  EXPECT_EQ(EncodeUrlPathSegment("../../etc/passwd").str(), "..%2F..%2Fetc%2Fpasswd");
  EXPECT_EQ(EncodeUrlPathSegment("").str(), "");
  EXPECT_EQ(EncodeUrlPathSegment("a\"><script>").str(), "a%22%3E%3Cscript%3E");
}

TEST(UrlEncoders, PropertyOnlyUnreservedAndRoundTrip) {
  std::mt19937 rng(2);
  for (int i = 0; i < 20000; ++i) {
    const std::string in = RandomInput(rng);
    for (const std::string& out : {EncodeUrlComponent(in).str(), EncodeUrlPathSegment(in).str()}) {
      for (std::size_t p = 0; p < out.size(); ++p) {
        const char c = out[p];
        const bool unreserved = std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                                c == '.' || c == '_' || c == '~';
        if (c == '%') {
          ASSERT_LE(p + 2, out.size() - 1);
          ASSERT_TRUE(std::isxdigit(static_cast<unsigned char>(out[p + 1])));
          ASSERT_TRUE(std::isxdigit(static_cast<unsigned char>(out[p + 2])));
        } else {
          ASSERT_TRUE(unreserved) << in;
        }
      }
      ASSERT_EQ(PercentDecode(out), in);
    }
    const std::string seg = EncodeUrlPathSegment(in).str();
    ASSERT_NE(seg, ".");
    ASSERT_NE(seg, "..");
  }
}

// Decodes the \uXXXX escapes EncodeJsString produces (surrogate-free BMP).
std::string JsDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out.push_back(s[i]);
      continue;
    }
    EXPECT_EQ(s[i + 1], 'u');
    unsigned v = static_cast<unsigned>(std::stoul(std::string(s.substr(i + 2, 4)), nullptr, 16));
    i += 5;
    if (v < 0x80) {
      out.push_back(static_cast<char>(v));
    } else if (v < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (v >> 6)));
      out.push_back(static_cast<char>(0x80 | (v & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (v >> 12)));
      out.push_back(static_cast<char>(0x80 | ((v >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (v & 0x3F)));
    }
  }
  return out;
}

TEST(JsString, ClassicVectors) {
  EXPECT_EQ(EncodeJsString("</script><script>alert(1)</script>").str(),
            "\\u003c\\u002fscript\\u003e\\u003cscript\\u003ealert(1)\\u003c\\u002fscript\\u003e");
  EXPECT_EQ(EncodeJsString("\"; alert(1); //").str(), "\\u0022; alert(1); \\u002f\\u002f");
  EXPECT_EQ(EncodeJsString("'-alert(1)-'").str(), "\\u0027-alert(1)-\\u0027");
  EXPECT_EQ(EncodeJsString("\\").str(), "\\u005c");
  EXPECT_EQ(EncodeJsString("a\nb\xE2\x80\xA8" "c").str(), "a\\u000ab\\u2028c");
  EXPECT_EQ(EncodeJsString("<!--").str(), "\\u003c!--");
  EXPECT_EQ(EncodeJsString("\xFF").str(), "\\ufffd");
  EXPECT_EQ(EncodeJsString("${x}`").str(), "${x}\\u0060");
}

TEST(JsString, PropertyNoBreakoutAndRoundTrip) {
  std::mt19937 rng(3);
  for (int i = 0; i < 20000; ++i) {
    const std::string in = RandomInput(rng);
    const std::string out = EncodeJsString(in).str();
    ASSERT_EQ(out.find_first_of(std::string("\"'`<>&/\n\r\0", 10)), std::string::npos) << in;
    ASSERT_EQ(out.find("\xE2\x80\xA8"), std::string::npos);
    ASSERT_EQ(out.find("\xE2\x80\xA9"), std::string::npos);
    for (std::size_t p = out.find('\\'); p != std::string::npos; p = out.find('\\', p + 1)) {
      ASSERT_EQ(out[p + 1], 'u');  // every backslash starts a \u escape
    }
    for (char c : out) ASSERT_GE(static_cast<unsigned char>(c), 0x20);
    if (IsValidUtf8(in)) {
      ASSERT_EQ(JsDecode(out), in);
    }
  }
}

TEST(CssString, Vectors) {
  EXPECT_EQ(EncodeCssString("\"}body{background:url(x)}").str(),
            "\\22 \\7d body\\7b background\\3a url\\28 x\\29 \\7d ");
  EXPECT_EQ(EncodeCssString("</style>").str(), "\\3c \\2f style\\3e ");
  EXPECT_EQ(EncodeCssString("a\nb").str(), "a\\a b");
  EXPECT_EQ(EncodeCssString(std::string("\0", 1)).str(), "\\fffd ");
  EXPECT_EQ(EncodeCssString("caf\xC3\xA9").str(), "caf\xC3\xA9");
}

TEST(CssString, PropertyNoBreakout) {
  std::mt19937 rng(4);
  for (int i = 0; i < 20000; ++i) {
    const std::string in = RandomInput(rng);
    const std::string out = EncodeCssString(in).str();
    for (std::size_t p = 0; p < out.size(); ++p) {
      const auto c = static_cast<unsigned char>(out[p]);
      if (c >= 0x80) continue;
      if (c == '\\') {
        // \ hex{1,6} space
        std::size_t q = p + 1;
        while (q < out.size() && std::isxdigit(static_cast<unsigned char>(out[q]))) ++q;
        ASSERT_GT(q, p + 1);
        ASSERT_LE(q - p - 1, 6u);
        ASSERT_LT(q, out.size());
        ASSERT_EQ(out[q], ' ');
        p = q;
        continue;
      }
      ASSERT_TRUE(std::isalnum(c) || c == ' ') << in;
    }
    ASSERT_TRUE(IsValidUtf8(out));
  }
}

TEST(LogField, EscapesInjection) {
  EXPECT_EQ(EncodeLogField("user\r\n2024-01-01 INFO admin logged in").str(),
            "user\\r\\n2024-01-01 INFO admin logged in");
  EXPECT_EQ(EncodeLogField("a\"b\\c").str(), "a\\\"b\\\\c");
  EXPECT_EQ(EncodeLogField("\x1B[31mred").str(), "\\x1B[31mred");
  EXPECT_EQ(EncodeLogField("\xFF").str(), "\\xFF");
  EXPECT_EQ(EncodeLogField("evil\xE2\x80\xAEtxt").str(), "evil\\u{202E}txt");
  EXPECT_EQ(EncodeLogField("a\xC2\x85" "b").str(), "a\\u{0085}b");
  EXPECT_EQ(EncodeLogField("k=v|x", LogFieldOptions{.delimiters = "|="}).str(), "k\\x3Dv\\x7Cx");
  EXPECT_EQ(EncodeLogField("caf\xC3\xA9").str(), "caf\xC3\xA9");
}

TEST(LogField, TruncatesAtUnitBoundary) {
  LogFieldOptions options{.max_bytes = 32};
  const std::string out = EncodeLogField(std::string(100, '\n'), options).str();
  EXPECT_LE(out.size(), 32u);
  EXPECT_TRUE(out.ends_with("...[truncated]"));
  const std::string body = out.substr(0, out.size() - 14);
  EXPECT_EQ(body.size() % 2, 0u);  // whole "\n" escapes only
  EXPECT_EQ(EncodeLogField(std::string(18, 'a'), options).str(), std::string(18, 'a'));
  EXPECT_EQ(EncodeLogField(std::string(19, 'a'), options).str(),
            std::string(18, 'a') + "...[truncated]");
  // Multi-byte characters are never split.
  std::string emoji;
  for (int i = 0; i < 10; ++i) emoji += "\xF0\x9F\x98\x80";
  const std::string cut = EncodeLogField(emoji, options).str();
  EXPECT_TRUE(IsValidUtf8(cut));
}

TEST(LogField, PropertySingleLineBounded) {
  std::mt19937 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string in = RandomInput(rng);
    if (rng() % 10 == 0) in += std::string(2000, 'x');
    const std::string out = EncodeLogField(in).str();
    ASSERT_LE(out.size(), 1024u);
    for (char ch : out) {
      const auto c = static_cast<unsigned char>(ch);
      ASSERT_TRUE(c >= 0x20 && c != 0x7F) << in;
    }
    ASSERT_TRUE(IsValidUtf8(out));
    ASSERT_EQ(out.find("\xE2\x80\xAE"), std::string::npos);
    // Quotes appear only escaped.
    for (std::size_t p = out.find('"'); p != std::string::npos; p = out.find('"', p + 1)) {
      std::size_t backslashes = 0;
      while (p - backslashes > 0 && out[p - backslashes - 1] == '\\') ++backslashes;
      ASSERT_EQ(backslashes % 2, 1u);
    }
  }
}

TEST(UrlAttribute, BlocksDangerousSchemes) {
  for (const char* url : {"javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox",
                          "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd",
                          "jav&#x09;ascript:alert(1)"}) {
    const std::string out = EncodeUrlAttribute(url).str();
    if (std::string_view(url).find('&') == std::string_view::npos) {
      EXPECT_EQ(out, kBlockedUrl) << url;
    } else {
      EXPECT_NE(out.find("&amp;"), std::string::npos);  // inert: the entity is text
    }
  }
  // Whitespace and controls are percent-encoded, so they cannot hide a scheme.
  EXPECT_EQ(EncodeUrlAttribute(" javascript:alert(1)").str(), "%20javascript:alert(1)");
  EXPECT_EQ(EncodeUrlAttribute("java\tscript:alert(1)").str(), "java%09script:alert(1)");
  EXPECT_EQ(EncodeUrlAttribute("https://example.com/a?b=1&c=2").str(),
            "https://example.com/a?b=1&amp;c=2");
  EXPECT_EQ(EncodeUrlAttribute("/relative/path").str(), "/relative/path");
  EXPECT_EQ(EncodeUrlAttribute("mailto:a@example.com").str(), "mailto:a@example.com");
  EXPECT_EQ(EncodeUrlAttribute("x\" onmouseover=\"alert(1)").str(),
            "x%22%20onmouseover=%22alert(1)");
  EXPECT_EQ(EncodeUrlAttribute("ftp://x", {"ftp"}).str(), "ftp://x");
}

TEST(UrlAttribute, PropertySchemeAllowlisted) {
  std::mt19937 rng(6);
  for (int i = 0; i < 20000; ++i) {
    const std::string in = RandomInput(rng);
    const std::string out = EncodeUrlAttribute(in).str();
    ASSERT_EQ(out.find_first_of(std::string("<>\"'` \t\n\r\0", 10)), std::string::npos) << in;
    for (char c : out) ASSERT_LT(static_cast<unsigned char>(c), 0x80);
    const std::size_t colon = out.find(':');
    const std::size_t delim = out.find_first_of("/?#&");
    if (colon != std::string::npos && (delim == std::string::npos || colon < delim) &&
        out != kBlockedUrl) {
      std::string scheme = out.substr(0, colon);
      for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const bool scheme_syntax =
          !scheme.empty() && std::isalpha(static_cast<unsigned char>(scheme[0])) &&
          scheme.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+-.") == std::string::npos;
      if (scheme_syntax) {
        ASSERT_TRUE(scheme == "http" || scheme == "https" || scheme == "mailto") << in;
      }
    }
  }
}

TEST(SanitizedHtml, OnlyFromEncodedTextOrNamedEscapeHatch) {
  SanitizedHtml from_text(EncodeHtmlText("<b>"));
  EXPECT_EQ(from_text.str(), "&lt;b&gt;");
  SanitizedHtml trusted = SanitizedHtml::UnsafeFromTrustedMarkup("<b>bold</b>");
  EXPECT_EQ(trusted.str(), "<b>bold</b>");
}

}  // namespace
}  // namespace bulwark::encode
