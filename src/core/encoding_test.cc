#include "bulwark/core/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark {
namespace {

std::string Str(const Bytes& b) { return std::string(AsChars(b)); }

// RFC 4648 section 10 test vectors.
TEST(EncodingTest, Rfc4648Base64) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* b64[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  const char* b64url[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
  const char* hex[] = {"", "66", "666f", "666f6f", "666f6f62", "666f6f6261", "666f6f626172"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(Base64Encode(AsBytes(plain[i])), b64[i]);
    EXPECT_EQ(Base64UrlEncode(AsBytes(plain[i])), b64url[i]);
    EXPECT_EQ(HexEncode(AsBytes(plain[i])), hex[i]);
    EXPECT_EQ(Str(*Base64Decode(b64[i])), plain[i]);
    EXPECT_EQ(Str(*Base64UrlDecode(b64url[i])), plain[i]);
    EXPECT_EQ(Str(*Base64UrlDecodePublic(b64url[i])), plain[i]);
    EXPECT_EQ(Str(*HexDecode(hex[i])), plain[i]);
  }
}

TEST(EncodingTest, UrlAlphabet) {
  const Bytes data = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(Base64UrlEncode(data), "-_-_");
  EXPECT_EQ(Base64Encode(data), "+/+/");
  EXPECT_EQ(*Base64UrlDecode("-_-_"), data);
  EXPECT_FALSE(Base64UrlDecode("+/+/").ok());
  EXPECT_FALSE(Base64Decode("-_-_").ok());
}

TEST(EncodingTest, RejectsNonCanonicalBase64Url) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());   // padding
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());     // non-zero trailing bits
  EXPECT_FALSE(Base64UrlDecode("Z").ok());      // impossible length
  EXPECT_FALSE(Base64UrlDecode("Zm9v ").ok());  // whitespace
  EXPECT_FALSE(Base64UrlDecode(" Zm9v").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm\n9v").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm9v.").ok());  // outside the alphabet
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).ok());
}

// The variable-time decoder must agree with the constant-time one on every
// accept/reject decision, not only on valid input.
TEST(EncodingTest, PublicDecoderMatchesStrictDecoder) {
  const char* inputs[] = {"Zg==", "Zh", "Z", "Zm9v ", " Zm9v", "Zm\n9v", "Zm9v.", "+/+/", "-_-_",
                          "Zm9vYg", "Zm9vYh", "Zm9vYmE", "Zm9vYmF", "Zm9vYmFy", "AAA", "AAB", "AB",
                          "A=", "QUJD\xff", "\x80" "AAA", "AAAA====", "____", "_w", "_x"};
  for (const char* in : inputs) {
    Result<Bytes> strict = Base64UrlDecode(in);
    Result<Bytes> fast = Base64UrlDecodePublic(in);
    ASSERT_EQ(strict.ok(), fast.ok()) << in;
    if (strict.ok()) {
      EXPECT_EQ(*strict, *fast) << in;
    }
  }
  EXPECT_FALSE(Base64UrlDecodePublic(std::string("Zm\0v", 4)).ok());
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  for (size_t len = 0; len <= all.size(); ++len) {
    Bytes slice(all.begin(), all.begin() + static_cast<long>(len));
    EXPECT_EQ(*Base64UrlDecodePublic(Base64UrlEncode(slice)), slice);
  }
}

// libsodium 1.0.18 decodes bytes >= 0x80 as if they were '_' or '/'.
TEST(EncodingTest, RejectsHighBytesInEveryPosition) {
  for (int ch = 0x80; ch <= 0xff; ++ch) {
    for (std::size_t pos = 0; pos < 4; ++pos) {
      std::string url = "AAAA", std = "AAAA", hex = "0000";
      url[pos] = std[pos] = hex[pos] = static_cast<char>(ch);
      EXPECT_FALSE(Base64UrlDecode(url).ok()) << ch << " at " << pos;
      EXPECT_FALSE(Base64UrlDecodePublic(url).ok()) << ch << " at " << pos;
      EXPECT_FALSE(Base64Decode(std).ok()) << ch << " at " << pos;
      EXPECT_FALSE(HexDecode(hex).ok()) << ch << " at " << pos;
    }
  }
}

TEST(EncodingTest, RejectsNonCanonicalBase64) {
  EXPECT_FALSE(Base64Decode("Zg").ok());     // missing padding
  EXPECT_FALSE(Base64Decode("Zg=").ok());    // short padding
  EXPECT_FALSE(Base64Decode("Zg===").ok());  // long padding
  EXPECT_FALSE(Base64Decode("Zh==").ok());   // non-zero trailing bits
  EXPECT_FALSE(Base64Decode("Zm9v\n").ok());
  EXPECT_FALSE(Base64Decode("Zm=9").ok());
}

TEST(EncodingTest, Hex) {
  EXPECT_EQ(*HexDecode("00ff10AB"), (Bytes{0x00, 0xff, 0x10, 0xab}));
  EXPECT_FALSE(HexDecode("abc").ok());
  EXPECT_FALSE(HexDecode("zz").ok());
  EXPECT_FALSE(HexDecode("0g").ok());
  EXPECT_FALSE(HexDecode("00 ").ok());
  EXPECT_FALSE(HexDecode(" 00").ok());
}

TEST(EncodingTest, RoundTripsAllByteValues) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  for (size_t len = 0; len <= all.size(); len += 17) {
    Bytes slice(all.begin(), all.begin() + static_cast<long>(len));
    EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(slice)), slice);
    EXPECT_EQ(*Base64Decode(Base64Encode(slice)), slice);
    EXPECT_EQ(*HexDecode(HexEncode(slice)), slice);
  }
}

TEST(EncodingTest, DecodeIntoSecret) {
  Result<SecretBytes> s = Base64UrlDecodeSecret("Zm9vYmFy");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(AsChars(s->RevealBytes(InsecureSecretAccess())), "foobar");
  EXPECT_FALSE(HexDecodeSecret("xyz").ok());
}

}  // namespace
}  // namespace bulwark
