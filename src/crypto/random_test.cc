#include "bulwark/crypto/random.h"

#include <gtest/gtest.h>

#include <set>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/compare.h"
#include "bulwark/crypto/hash.h"

namespace bulwark::crypto {
namespace {

TEST(RandomTest, BytesDiffer) {
  std::set<Bytes> seen;
  for (int i = 0; i < 100; ++i) seen.insert(RandomBytes(16));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(RandomTest, BytesAreNotBiasedGrossly) {
  // 64 KiB of output: each byte value appears about 256 times; a stuck or
  // badly biased generator falls far outside [150, 370].
  Bytes data = RandomBytes(65536);
  int counts[256] = {};
  for (std::uint8_t b : data) ++counts[b];
  for (int c : counts) {
    EXPECT_GT(c, 150);
    EXPECT_LT(c, 370);
  }
}

TEST(RandomTest, UniformStaysInRange) {
  int counts[7] = {};
  for (int i = 0; i < 7000; ++i) {
    std::uint32_t v = RandomUniform(7);
    ASSERT_LT(v, 7u);
    ++counts[v];
  }
  for (int c : counts) EXPECT_GT(c, 700);
}

TEST(RandomTest, TokenIsBase64UrlOfRequestedSize) {
  std::string token = RandomToken(32);
  EXPECT_EQ(token.size(), 43u);
  Result<Bytes> raw = Base64UrlDecode(token);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 32u);
  EXPECT_NE(RandomToken(), RandomToken());
}

TEST(RandomDeathTest, ShortTokensAreRefused) {
  EXPECT_DEATH((void)RandomToken(8), "invariant violated");
}

TEST(RandomTest, SecretBytes) {
  SecretBytes a = RandomSecretBytes(32);
  SecretBytes b = RandomSecretBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_FALSE(a.Equals(b));
}

TEST(CompareTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals(std::string_view("abc"), std::string_view("abc")));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("abc"), std::string_view("abd")));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("abc"), std::string_view("abcd")));
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("abc"), std::string_view("")));
  EXPECT_TRUE(ConstantTimeEquals(std::string_view(""), std::string_view("")));
  const Bytes x = {1, 2, 3};
  const Bytes y = {1, 2, 4};
  EXPECT_TRUE(ConstantTimeEquals(ByteView(x), ByteView(x)));
  EXPECT_FALSE(ConstantTimeEquals(ByteView(x), ByteView(y)));
}

// FIPS 180-2 / RFC 6234 "abc" digests.
TEST(HashTest, ShaKnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha512(AsBytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

}  // namespace
}  // namespace bulwark::crypto
