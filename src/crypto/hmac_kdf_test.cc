#include <gtest/gtest.h>

#include <string>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/hmac.h"
#include "bulwark/crypto/kdf.h"
#include "test_vectors.h"

namespace bulwark::crypto {
namespace {

SecretBytes Key(const Bytes& b) { return SecretBytes::CopyFrom(b); }

// RFC 4231 test case 1 (SHA-256/512) and RFC 2202 test case 1 (SHA-1).
TEST(HmacTest, PublishedVectors) {
  SecretBytes key = Key(Bytes(20, 0x0b));
  EXPECT_EQ(HexEncode(*Hmac(HmacAlgorithm::kSha256, key, AsBytes("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(*Hmac(HmacAlgorithm::kSha512, key, AsBytes("Hi There"))),
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
            "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
  EXPECT_EQ(HexEncode(*Hmac(HmacAlgorithm::kSha1, key, AsBytes("Hi There"))),
            "b617318655057264e28bc0b6fb378c8ef146be00");
}

// RFC 4226 appendix D: HOTP is HMAC-SHA1 + dynamic truncation; checking the
// published codes checks our HMAC-SHA1 against the RFC end to end.
TEST(HmacTest, Rfc4226HotpVectors) {
  const auto& hotp = testing::Vectors().at("hotp_rfc4226_appendix_d").as_object();
  SecretBytes key = SecretBytes::CopyFrom(AsBytes(testing::Str(hotp.at("key_ascii"))));
  const auto& codes = hotp.at("codes_by_counter").as_array();
  for (std::size_t counter = 0; counter < codes.size(); ++counter) {
    Bytes message(8);
    for (int i = 0; i < 8; ++i) {
      message[static_cast<std::size_t>(7 - i)] = static_cast<std::uint8_t>(counter >> (8 * i));
    }
    Bytes mac = *Hmac(HmacAlgorithm::kSha1, key, message);
    const std::size_t offset = mac[19] & 0x0f;
    const std::uint32_t binary = ((mac[offset] & 0x7fu) << 24) | (mac[offset + 1] << 16) |
                                 (mac[offset + 2] << 8) | mac[offset + 3];
    std::string code = std::to_string(binary % 1000000);
    code.insert(0, 6 - code.size(), '0');
    EXPECT_EQ(code, testing::Str(codes[counter])) << "counter " << counter;
  }
}

TEST(HmacTest, VerifyIsExact) {
  SecretBytes key = Key(Bytes(32, 7));
  Bytes tag = *Hmac(HmacAlgorithm::kSha256, key, AsBytes("message"));
  EXPECT_TRUE(HmacVerify(HmacAlgorithm::kSha256, key, AsBytes("message"), tag));
  EXPECT_FALSE(HmacVerify(HmacAlgorithm::kSha256, key, AsBytes("messagE"), tag));
  Bytes flipped = tag;
  flipped[31] ^= 1;
  EXPECT_FALSE(HmacVerify(HmacAlgorithm::kSha256, key, AsBytes("message"), flipped));
  Bytes truncated(tag.begin(), tag.begin() + 16);
  EXPECT_FALSE(HmacVerify(HmacAlgorithm::kSha256, key, AsBytes("message"), truncated));
  EXPECT_FALSE(HmacVerify(HmacAlgorithm::kSha256, key, AsBytes("message"), Bytes{}));
  EXPECT_FALSE(HmacVerify(HmacAlgorithm::kSha512, key, AsBytes("message"), tag));
  EXPECT_FALSE(HmacVerify(HmacAlgorithm::kSha256, Key(Bytes(32, 8)), AsBytes("message"), tag));
}

// RFC 4231 test case 6 (a key longer than the block, hashed first) and the
// case-1 vectors again, through the prepared key, for every algorithm; the
// one-shot functions must agree with it on every input.
TEST(HmacKeyTest, PublishedVectorsAndAgreement) {
  const Bytes long_key(131, 0xaa);
  const std::string_view case6 = "Test Using Larger Than Block-Size Key - Hash Key First";
  Result<HmacKey> k256 = HmacKey::Create(HmacAlgorithm::kSha256, Key(long_key));
  Result<HmacKey> k512 = HmacKey::Create(HmacAlgorithm::kSha512, Key(long_key));
  ASSERT_TRUE(k256.ok() && k512.ok());
  EXPECT_EQ(HexEncode(*k256->Compute(AsBytes(case6))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(HexEncode(*k512->Compute(AsBytes(case6))),
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
            "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
  Result<HmacKey> k1 = HmacKey::Create(HmacAlgorithm::kSha1, Key(Bytes(20, 0x0b)));
  ASSERT_TRUE(k1.ok());
  EXPECT_EQ(HexEncode(*k1->Compute(AsBytes("Hi There"))), "b617318655057264e28bc0b6fb378c8ef146be00");
  // Repeated use gives the same answer (each call works on a copy).
  EXPECT_EQ(*k256->Compute(AsBytes(case6)), *k256->Compute(AsBytes(case6)));
  for (HmacAlgorithm alg : {HmacAlgorithm::kSha1, HmacAlgorithm::kSha256, HmacAlgorithm::kSha512}) {
    SecretBytes key = Key(Bytes(40, 0x3c));
    HmacKey prepared = *HmacKey::Create(alg, key);
    for (std::string_view msg : {std::string_view(), std::string_view("a"), case6}) {
      Bytes tag = *Hmac(alg, key, AsBytes(msg));
      EXPECT_EQ(*prepared.Compute(AsBytes(msg)), tag);
      EXPECT_TRUE(prepared.Verify(AsBytes(msg), tag));
      Bytes flipped = tag;
      flipped.back() ^= 1;
      EXPECT_FALSE(prepared.Verify(AsBytes(msg), flipped));
      EXPECT_FALSE(prepared.Verify(AsBytes(msg), ByteView(tag).first(tag.size() - 1)));
    }
  }
}

TEST(HmacKeyTest, ShortKeyRefusedAndMovedFromIsInert) {
  EXPECT_EQ(HmacKey::Create(HmacAlgorithm::kSha256, Key(Bytes(15, 1))).error().code(),
            ErrorCode::kInvalidArgument);
  HmacKey a = *HmacKey::Create(HmacAlgorithm::kSha256, Key(Bytes(32, 1)));
  Bytes tag = *a.Compute(AsBytes("x"));
  HmacKey b = std::move(a);
  EXPECT_TRUE(b.Verify(AsBytes("x"), tag));
  EXPECT_FALSE(a.Verify(AsBytes("x"), tag));  // NOLINT(bugprone-use-after-move): defined as inert
  EXPECT_FALSE(a.Compute(AsBytes("x")).ok());
}

TEST(HmacTest, ShortKeysAreRefused) {
  SecretBytes short_key = Key(Bytes(15, 1));
  Result<Bytes> r = Hmac(HmacAlgorithm::kSha256, short_key, AsBytes("x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(HmacVerify(HmacAlgorithm::kSha256, short_key, AsBytes("x"), Bytes(32)));
  EXPECT_FALSE(Hmac(HmacAlgorithm::kSha256, SecretBytes(), AsBytes("x")).ok());
}

// RFC 5869 appendix A.1.
TEST(HkdfTest, Rfc5869Case1) {
  SecretBytes ikm = Key(Bytes(22, 0x0b));
  Bytes salt = *HexDecode("000102030405060708090a0b0c");
  std::string info(AsChars(*HexDecode("f0f1f2f3f4f5f6f7f8f9")));
  Result<SecretBytes> okm = HkdfSha256(ikm, salt, info, 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(HexEncode(okm->RevealBytes(InsecureSecretAccess())),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST(HkdfTest, InfoSeparatesKeys) {
  SecretBytes ikm = Key(Bytes(32, 1));
  SecretBytes a = *HkdfSha256(ikm, {}, "bulwark csrf v1", 32);
  SecretBytes b = *HkdfSha256(ikm, {}, "bulwark session v1", 32);
  EXPECT_FALSE(a.Equals(b));
}

TEST(HkdfTest, BadArguments) {
  EXPECT_FALSE(HkdfSha256(SecretBytes(), {}, "x", 32).ok());
  EXPECT_FALSE(HkdfSha256(Key(Bytes(32, 1)), {}, "x", 0).ok());
  EXPECT_FALSE(HkdfSha256(Key(Bytes(32, 1)), {}, "x", 255 * 32 + 1).ok());
  EXPECT_TRUE(HkdfSha256(Key(Bytes(32, 1)), {}, "x", 255 * 32).ok());
}

}  // namespace
}  // namespace bulwark::crypto
