#include "bulwark/core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark {
namespace {

std::size_t Decode(std::string_view s, char32_t* cp) { return DecodeUtf8(s, 0, cp); }

TEST(Utf8Test, DecodesEachLength) {
  char32_t cp = 0;
  EXPECT_EQ(Decode("A", &cp), 1u);
  EXPECT_EQ(cp, U'A');
  EXPECT_EQ(Decode("\xC3\xA9", &cp), 2u);
  EXPECT_EQ(cp, U'\u00E9');
  EXPECT_EQ(Decode("\xE2\x82\xAC", &cp), 3u);
  EXPECT_EQ(cp, U'\u20AC');
  EXPECT_EQ(Decode("\xF0\x9F\x98\x80", &cp), 4u);
  EXPECT_EQ(cp, U'\U0001F600');
  EXPECT_EQ(Decode("\xF4\x8F\xBF\xBF", &cp), 4u);  // U+10FFFF, the last
  EXPECT_EQ(cp, U'\U0010FFFF');
}

TEST(Utf8Test, RejectsEveryIllFormedShape) {
  char32_t cp = 0;
  for (const char* bad : {"\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xED\xA0\x80",
                          "\xED\xBF\xBF", "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
                          "\xFF", "\xC3", "\xE2\x82", "\xF0\x9F\x98", "\xC3\x28", "\xE2\x28\xA1"}) {
    EXPECT_EQ(Decode(bad, &cp), 0u) << ::testing::PrintToString(std::string(bad));
  }
}

TEST(Utf8Test, AppendsEachLengthAndReplacesWhatHasNoForm) {
  std::string out;
  for (char32_t cp : {U'A', U'\u00e9', U'\u20ac', U'\U0001F600'}) AppendUtf8(out, cp);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  // Every appended form decodes back to the same code point.
  for (char32_t cp : {char32_t{0}, char32_t{0x7F}, char32_t{0x80}, char32_t{0x7FF}, char32_t{0x800}, char32_t{0xFFFF},
                      char32_t{0x10000}, char32_t{0x10FFFF}}) {
    std::string one;
    AppendUtf8(one, cp);
    char32_t back = 0;
    ASSERT_EQ(DecodeUtf8(one, 0, &back), one.size());
    EXPECT_EQ(back, cp);
  }
  // Surrogates and values past U+10FFFF have no UTF-8 form.
  for (char32_t cp : {char32_t{0xD800}, char32_t{0xDFFF}, char32_t{0x110000}, char32_t{0xFFFFFFFF}}) {
    std::string bad;
    AppendUtf8(bad, cp);
    EXPECT_EQ(bad, "\xEF\xBF\xBD");
  }
}

TEST(Utf8Test, ValidatesWholeTexts) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII text longer than eight bytes"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC 12345678 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("12345678abc\xE9"));       // Latin-1 after an ASCII run
  EXPECT_FALSE(IsValidUtf8(std::string("ok\0\xC0\x80", 5)));  // modified UTF-8 NUL
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));   // NUL itself is UTF-8
}

TEST(Utf8Test, ReplacesIllFormedBytes) {
  EXPECT_EQ(ToValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(ToValidUtf8("caf\xE9!"), "caf\xEF\xBF\xBD!");
  EXPECT_EQ(ToValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // each stray byte once
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80x"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx");
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xFF\xFE\xC0\x80\xF4\x90\x80\x80")));
}

}  // namespace
}  // namespace bulwark
