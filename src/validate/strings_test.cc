#include "bulwark/validate/strings.h"

#include <gtest/gtest.h>

#include <utf8proc.h>

#include <cstdlib>
#include <string>

namespace bulwark::validate {
namespace {

TEST(Utf8, AcceptsWellFormed) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough for the fast path"));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));              // U+0080
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));          // U+0800
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));          // U+D7FF
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));          // U+E000
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));      // U+10000
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF
}

TEST(Utf8, RejectsIllFormed) {
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));              // overlong NUL
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));              // overlong
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));          // overlong 3-byte
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));      // overlong 4-byte
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));          // U+D800 (lone high surrogate)
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));          // U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\xBD\xED\xB8\x80"));  // CESU-8 pair
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));      // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\x80"));                  // lone continuation
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));           // truncated at end
  EXPECT_FALSE(IsValidUtf8("12345678\xE2\x82(abc"));  // truncated in the middle
  EXPECT_FALSE(IsValidUtf8("\xFE\xFF"));
}

TEST(Normalize, NfcComposes) {
  auto r = Normalize("e\xCC\x81", Normalization::kNfc);  // e + combining acute
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "\xC3\xA9");
  EXPECT_EQ(CountCodePoints(*r), 1u);
  // NFC keeps compatibility characters (fullwidth A stays).
  EXPECT_EQ(*Normalize("\xEF\xBC\xA1", Normalization::kNfc), "\xEF\xBC\xA1");
  // The Ohm sign is canonically the Greek capital omega.
  EXPECT_EQ(*Normalize("\xE2\x84\xA6", Normalization::kNfc), "\xCE\xA9");
}

TEST(Normalize, NfcFastPathAgreesWithUtf8proc) {
  // Every code point below U+0300 is unchanged by NFC, alone and after 'a'.
  for (char32_t cp = 1; cp < 0x300; ++cp) {
    std::string s;
    if (cp < 0x80) {
      s.push_back(static_cast<char>(cp));
    } else {
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    const std::string text = "a" + s;
    EXPECT_EQ(*Normalize(text, Normalization::kNfc), text);
    // The claim behind the fast path, checked against utf8proc itself.
    utf8proc_uint8_t* nfc = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str()));
    ASSERT_NE(nfc, nullptr);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(nfc)), text) << static_cast<unsigned>(cp);
    std::free(nfc);
  }
  EXPECT_EQ(*Normalize("A\xCC\x8A", Normalization::kNfc), "\xC3\x85");  // A + ring -> Å
}

TEST(Normalize, NfkcFoldsConfusables) {
  // Fullwidth "ａｄｍｉｎ" becomes "admin"; the "ﬁ" ligature becomes "fi".
  EXPECT_EQ(*Normalize("\xEF\xBD\x81\xEF\xBD\x84\xEF\xBD\x8D\xEF\xBD\x89\xEF\xBD\x8E",
                       Normalization::kNfkc),
            "admin");
  EXPECT_EQ(*Normalize("\xEF\xAC\x81le", Normalization::kNfkc), "file");
  // Casefold too: "ＡＤＭＩＮ" and "Admin" both become "admin".
  EXPECT_EQ(*Normalize("\xEF\xBC\xA1\xEF\xBC\xA4\xEF\xBC\xAD\xEF\xBC\xA9\xEF\xBC\xAE",
                       Normalization::kNfkcCasefold),
            "admin");
  EXPECT_EQ(*Normalize("Admin", Normalization::kNfkcCasefold), "admin");
  // Default-ignorable zero-width characters disappear under NFKC_Casefold.
  EXPECT_EQ(*Normalize("ad\xE2\x80\x8Bmin", Normalization::kNfkcCasefold), "admin");
}

TEST(Normalize, RejectsInvalidUtf8) {
  EXPECT_FALSE(Normalize("\xC0\xAF", Normalization::kNfc).ok());
  EXPECT_FALSE(Normalize("a\xED\xA0\x80", Normalization::kNfkc).ok());
}

TEST(CheckCharacters, Classes) {
  ViolationCode code;
  EXPECT_TRUE(CheckCharacters("hello, world", {}, &code));
  EXPECT_FALSE(CheckCharacters("a\nb", {}, &code));
  EXPECT_EQ(code, ViolationCode::kControlCharacter);
  EXPECT_TRUE(CheckCharacters("a\nb\tc", CharacterPolicy{.allow_newlines = true}, &code));
  EXPECT_FALSE(CheckCharacters(std::string("a\0b", 3), CharacterPolicy{.allow_newlines = true}, &code));
  EXPECT_FALSE(CheckCharacters("a\x7F", {}, &code));
  EXPECT_FALSE(CheckCharacters("a\xC2\x85", {}, &code));  // NEL (C1)
  EXPECT_EQ(code, ViolationCode::kControlCharacter);
  // Trojan Source: RLO and isolates.
  EXPECT_FALSE(CheckCharacters("admin\xE2\x80\xAEtxt.exe", {}, &code));
  EXPECT_EQ(code, ViolationCode::kBidiControl);
  EXPECT_FALSE(CheckCharacters("x\xE2\x81\xA6y", {}, &code));
  EXPECT_EQ(code, ViolationCode::kBidiControl);
  EXPECT_TRUE(CheckCharacters("x\xE2\x81\xA6y", CharacterPolicy{.allow_bidi = true}, &code));
  // Zero-width space, BOM, tag characters.
  EXPECT_FALSE(CheckCharacters("ad\xE2\x80\x8Bmin", {}, &code));
  EXPECT_EQ(code, ViolationCode::kInvisibleCharacter);
  EXPECT_FALSE(CheckCharacters("\xEF\xBB\xBFx", {}, &code));
  EXPECT_FALSE(CheckCharacters("x\xF3\xA0\x81\x81", {}, &code));
  EXPECT_EQ(code, ViolationCode::kInvisibleCharacter);
  // ZWJ stays allowed: emoji sequences and several scripts need it.
  EXPECT_TRUE(CheckCharacters("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB", {}, &code));
  // Noncharacters.
  EXPECT_FALSE(CheckCharacters("\xEF\xBF\xBE", {}, &code));
  EXPECT_EQ(code, ViolationCode::kDisallowedCharacter);
  EXPECT_FALSE(CheckCharacters("\xEF\xB7\x90", {}, &code));
}

struct FormatCase {
  Format format;
  const char* text;
  bool ok;
};

class FormatTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatTest, Check) {
  const FormatCase& c = GetParam();
  Result<std::string> r = CheckFormat(c.text, c.format);
  EXPECT_EQ(r.ok(), c.ok) << c.text;
  if (!r.ok() && c.text[0] != '\0') {
    // The message never repeats the input.
    EXPECT_EQ(r.error().message().find(c.text), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, FormatTest,
    ::testing::Values(
        FormatCase{Format::kEmail, "alice@example.com", true},
        FormatCase{Format::kEmail, "a.b+tag@sub.example.co", true},
        FormatCase{Format::kEmail, "o'brien@example.ie", true},
        FormatCase{Format::kEmail, "alice@localhost", false},
        FormatCase{Format::kEmail, "alice@@example.com", false},
        FormatCase{Format::kEmail, ".alice@example.com", false},
        FormatCase{Format::kEmail, "al..ice@example.com", false},
        FormatCase{Format::kEmail, "alice.@example.com", false},
        FormatCase{Format::kEmail, "\"quoted\"@example.com", false},
        FormatCase{Format::kEmail, "alice@-example.com", false},
        FormatCase{Format::kEmail, "alice@example-.com", false},
        FormatCase{Format::kEmail, "alice@1.2.3.4", false},
        FormatCase{Format::kEmail, "alice@[127.0.0.1]", false},
        FormatCase{Format::kEmail, "al ice@example.com", false},
        FormatCase{Format::kEmail, "alice@example.com\r\nBcc: x@y.z", false},
        FormatCase{Format::kEmail, "<script>@example.com", false},
        FormatCase{Format::kEmail, "\xC3\xA9@example.com", false},
        FormatCase{Format::kEmail, "", false},
        FormatCase{Format::kUrl, "https://example.com/path?q=1#f", true},
        FormatCase{Format::kUrl, "HTTPS://Example.com", true},
        FormatCase{Format::kUrl, "https://[::1]:8443/", true},
        FormatCase{Format::kUrl, "http://example.com/", false},
        FormatCase{Format::kUrl, "javascript:alert(1)", false},
        FormatCase{Format::kUrl, "data:text/html,<script>", false},
        FormatCase{Format::kUrl, "https://user:pw@example.com/", false},
        FormatCase{Format::kUrl, "https://user@example.com/", false},
        FormatCase{Format::kUrl, "https:///nohost", false},
        FormatCase{Format::kUrl, "//example.com/", false},
        FormatCase{Format::kUrl, "https://exa mple.com/", false},
        FormatCase{Format::kUrl, "https://ex_ample.com/", false},
        FormatCase{Format::kUuid, "123e4567-e89b-12d3-a456-426614174000", true},
        FormatCase{Format::kUuid, "123E4567-E89B-12D3-A456-426614174000", true},
        FormatCase{Format::kUuid, "123e4567e89b12d3a456426614174000", false},
        FormatCase{Format::kUuid, "123e4567-e89b-12d3-a456-42661417400g", false},
        FormatCase{Format::kUuid, "{123e4567-e89b-12d3-a456-426614174000}", false},
        FormatCase{Format::kTimestamp, "2024-02-29T23:59:60Z", true},
        FormatCase{Format::kTimestamp, "2024-01-01T00:00:00.123456789+05:30", true},
        FormatCase{Format::kTimestamp, "2024-01-01t00:00:00z", true},
        FormatCase{Format::kTimestamp, "2023-02-29T00:00:00Z", false},
        FormatCase{Format::kTimestamp, "2024-13-01T00:00:00Z", false},
        FormatCase{Format::kTimestamp, "2024-01-01T24:00:00Z", false},
        FormatCase{Format::kTimestamp, "2024-01-01T00:00:00", false},
        FormatCase{Format::kTimestamp, "2024-01-01 00:00:00Z", false},
        FormatCase{Format::kTimestamp, "2024-01-01T00:00:00.Z", false},
        FormatCase{Format::kTimestamp, "2024-01-01T00:00:00.1234567890Z", false},
        FormatCase{Format::kTimestamp, "2024-01-01T00:00:00+5:30", false},
        FormatCase{Format::kDate, "2000-02-29", true},
        FormatCase{Format::kDate, "1900-02-29", false},
        FormatCase{Format::kDate, "2024-04-31", false},
        FormatCase{Format::kIpv4, "192.168.0.1", true},
        FormatCase{Format::kIpv4, "255.255.255.255", true},
        FormatCase{Format::kIpv4, "256.1.1.1", false},
        FormatCase{Format::kIpv4, "01.2.3.4", false},
        FormatCase{Format::kIpv4, "1.2.3", false},
        FormatCase{Format::kIpv4, "0x7f.0.0.1", false},
        FormatCase{Format::kIpv6, "::1", true},
        FormatCase{Format::kIpv6, "2001:db8::8a2e:370:7334", true},
        FormatCase{Format::kIpv6, "::ffff:192.0.2.1", true},
        FormatCase{Format::kIpv6, "fe80::1%eth0", false},
        FormatCase{Format::kIpv6, "2001:db8:::1", false},
        FormatCase{Format::kIp, "10.0.0.1", true},
        FormatCase{Format::kIp, "::", true},
        FormatCase{Format::kIp, "localhost", false},
        FormatCase{Format::kIdentifier, "user_name1", true},
        FormatCase{Format::kIdentifier, "1user", false},
        FormatCase{Format::kIdentifier, "user-name", false},
        FormatCase{Format::kIdentifier,
                   "a234567890123456789012345678901234567890123456789012345678901234", true},
        FormatCase{Format::kIdentifier,
                   "a2345678901234567890123456789012345678901234567890123456789012345", false},
        FormatCase{Format::kSlug, "my-first-post", true},
        FormatCase{Format::kSlug, "my--post", false},
        FormatCase{Format::kSlug, "-post", false},
        FormatCase{Format::kSlug, "Post", false},
        FormatCase{Format::kSlug, "../etc", false}));

TEST(CheckFormat, Normalizes) {
  EXPECT_EQ(*CheckFormat("Alice@EXAMPLE.Com", Format::kEmail), "Alice@example.com");
  EXPECT_EQ(*CheckFormat("123E4567-E89B-12D3-A456-426614174000", Format::kUuid),
            "123e4567-e89b-12d3-a456-426614174000");
  UrlPolicy policy;
  policy.allowed_schemes = {"http", "https"};
  EXPECT_TRUE(CheckFormat("http://example.com/", Format::kUrl, policy).ok());
}

TEST(CheckFormat, EmailLengthBoundaries) {
  const std::string local64(64, 'a');
  EXPECT_TRUE(CheckFormat(local64 + "@example.com", Format::kEmail).ok());
  EXPECT_FALSE(CheckFormat(local64 + "a@example.com", Format::kEmail).ok());
  const std::string label63(63, 'b');
  EXPECT_TRUE(CheckFormat("a@" + label63 + ".com", Format::kEmail).ok());
  EXPECT_FALSE(CheckFormat("a@" + label63 + "b.com", Format::kEmail).ok());
  // 254 octets overall is the limit.
  std::string domain = label63 + "." + label63 + "." + label63 + "." + std::string(59, 'c');
  std::string at_limit = "ab@" + domain;  // 2 + 1 + 251 = 254
  ASSERT_EQ(at_limit.size(), 254u);
  EXPECT_TRUE(CheckFormat(at_limit, Format::kEmail).ok());
  EXPECT_FALSE(CheckFormat("a" + at_limit, Format::kEmail).ok());
}

TEST(StringRule, FullPipeline) {
  StringRuleOptions options;
  options.min_length = 2;
  options.max_length = 5;
  auto rule = StringRule::Create(options);
  ASSERT_TRUE(rule.ok());
  // Length counts code points after NFC: "e\u0301" x5 is 5 characters.
  std::string five;
  for (int i = 0; i < 5; ++i) five += "e\xCC\x81";
  auto ok = rule->Check(Untrusted<std::string>(five));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().value(), "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
  auto too_long = rule->Check(Untrusted<std::string>("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9x"),
                              "/name");
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(too_long.report().Has("/name", ViolationCode::kTooLong));
  auto too_short = rule->Check(Untrusted<std::string>("x"));
  ASSERT_FALSE(too_short.ok());
  EXPECT_TRUE(too_short.report().Has(ViolationCode::kTooShort));
  // Boundaries exactly.
  EXPECT_TRUE(rule->Check(Untrusted<std::string>("ab")).ok());
  EXPECT_TRUE(rule->Check(Untrusted<std::string>("abcde")).ok());
  EXPECT_FALSE(rule->Check(Untrusted<std::string>("abcdef")).ok());
  // Huge input is refused before normalization work.
  EXPECT_FALSE(rule->Check(Untrusted<std::string>(std::string(1 << 20, 'a'))).ok());
}

TEST(StringRule, PatternIsRe2FullMatch) {
  StringRuleOptions options;
  options.pattern = "[a-z]+";
  auto rule = StringRule::Create(options);
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule->Check(Untrusted<std::string>("abc")).ok());
  EXPECT_FALSE(rule->Check(Untrusted<std::string>("abc1")).ok());
  // A classic catastrophic-backtracking pattern runs in linear time in RE2.
  options.pattern = "(a+)+$";
  options.max_length = 100000;
  auto redos = StringRule::Create(options);
  ASSERT_TRUE(redos.ok());
  auto r = redos->Check(Untrusted<std::string>(std::string(50000, 'a') + "!"));
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.report().Has(ViolationCode::kPatternMismatch));
  // Backreferences do not exist in RE2: such a pattern does not compile.
  options.pattern = "(a)\\1";
  EXPECT_FALSE(StringRule::Create(options).ok());
}

TEST(StringRule, AllowedValuesAreNormalized) {
  StringRuleOptions options;
  options.allowed = {"caf\xC3\xA9", "tea"};
  auto rule = StringRule::Create(options);
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule->Check(Untrusted<std::string>("cafe\xCC\x81")).ok());  // NFD input
  EXPECT_FALSE(rule->Check(Untrusted<std::string>("coffee")).ok());
  options.allowed = {"cafe\xCC\x81"};  // not NFC: a programming error, caught at Create
  EXPECT_FALSE(StringRule::Create(options).ok());
}

TEST(StringRule, ConfusableUsernamesCollapse) {
  StringRuleOptions options;
  options.normalization = Normalization::kNfkcCasefold;
  options.format = Format::kIdentifier;
  auto rule = StringRule::Create(options);
  ASSERT_TRUE(rule.ok());
  auto fullwidth = rule->Check(Untrusted<std::string>("\xEF\xBC\xA1\xEF\xBD\x84min"));
  ASSERT_TRUE(fullwidth.ok());
  EXPECT_EQ(fullwidth.value().value(), "admin");
  // Cyrillic "а" is not folded to Latin "a"; the identifier format refuses it.
  EXPECT_FALSE(rule->Check(Untrusted<std::string>("\xD0\xB0" "dmin")).ok());
}

TEST(StringRule, CreateRejectsContradictions) {
  StringRuleOptions options;
  options.min_length = 10;
  options.max_length = 5;
  EXPECT_FALSE(StringRule::Create(options).ok());
  options = {};
  options.pattern = "(unclosed";
  EXPECT_FALSE(StringRule::Create(options).ok());
}

}  // namespace
}  // namespace bulwark::validate
