#include "bulwark/crypto/password.h"

#include <argon2.h>
#include <gtest/gtest.h>

#include <string>

#include "bulwark/core/encoding.h"
#include "test_vectors.h"

namespace bulwark::crypto {
namespace {

SecretString Pw(std::string s) { return SecretString::Adopt(std::move(s)); }

PasswordHasher DefaultHasher() { return *PasswordHasher::Create({}); }

// RFC 9106 section 5 vectors, computed with the reference implementation
// (libargon2): confirms the reference we cross-check libsodium against.
TEST(Argon2ConformanceTest, Rfc9106Vectors) {
  const auto& v = testing::Vectors().at("argon2_rfc9106_section5").as_object();
  Bytes password = testing::Hex(v.at("password_hex"));
  Bytes salt = testing::Hex(v.at("salt_hex"));
  Bytes secret = testing::Hex(v.at("secret_hex"));
  Bytes ad = testing::Hex(v.at("associated_data_hex"));
  struct Case {
    argon2_type type;
    const char* field;
  } cases[] = {{Argon2_d, "argon2d_tag_hex"}, {Argon2_i, "argon2i_tag_hex"},
               {Argon2_id, "argon2id_tag_hex"}};
  for (const Case& c : cases) {
    Bytes out(static_cast<std::size_t>(v.at("tag_length").as_int64()));
    argon2_context ctx{};
    ctx.out = out.data();
    ctx.outlen = static_cast<uint32_t>(out.size());
    ctx.pwd = password.data();
    ctx.pwdlen = static_cast<uint32_t>(password.size());
    ctx.salt = salt.data();
    ctx.saltlen = static_cast<uint32_t>(salt.size());
    ctx.secret = secret.data();
    ctx.secretlen = static_cast<uint32_t>(secret.size());
    ctx.ad = ad.data();
    ctx.adlen = static_cast<uint32_t>(ad.size());
    ctx.t_cost = static_cast<uint32_t>(v.at("passes").as_int64());
    ctx.m_cost = static_cast<uint32_t>(v.at("memory_kib").as_int64());
    ctx.lanes = static_cast<uint32_t>(v.at("lanes").as_int64());
    ctx.threads = ctx.lanes;
    ctx.version = static_cast<uint32_t>(v.at("version").as_int64());
    ASSERT_EQ(argon2_ctx(&ctx, c.type), ARGON2_OK) << c.field;
    EXPECT_EQ(HexEncode(out), testing::Str(v.at(c.field))) << c.field;
  }
}

// libsodium makes our hashes; the reference implementation must accept them.
TEST(Argon2ConformanceTest, LibsodiumHashesVerifyWithReference) {
  PasswordHasher hasher = DefaultHasher();
  for (std::string password : {"correct horse battery staple", "pässwörd", ""}) {
    std::string phc = *hasher.Hash(Pw(password));
    EXPECT_EQ(argon2id_verify(phc.c_str(), password.data(), password.size()), ARGON2_OK) << phc;
    EXPECT_NE(argon2id_verify(phc.c_str(), "wrong", 5), ARGON2_OK);
  }
}

// And reference-made hashes (t=3, m=32 MiB) verify here.
TEST(Argon2ConformanceTest, ReferenceHashesVerifyHere) {
  const char password[] = "migrated password";
  const Bytes salt(16, 0x42);
  char encoded[256];
  ASSERT_EQ(argon2id_hash_encoded(3, 32 * 1024, 1, password, sizeof(password) - 1, salt.data(),
                                  salt.size(), 32, encoded, sizeof(encoded)),
            ARGON2_OK);
  PasswordHasher hasher = DefaultHasher();
  PasswordVerification v = *hasher.Verify(Pw(password), encoded);
  EXPECT_TRUE(v.matched);
  EXPECT_TRUE(v.needs_rehash);  // parameters differ from the current preset
  EXPECT_FALSE(hasher.Verify(Pw("other"), encoded)->matched);
}

TEST(PasswordHasherTest, HashFormatAndVerify) {
  PasswordHasher hasher = DefaultHasher();
  std::string phc = *hasher.Hash(Pw("hunter2hunter2"));
  EXPECT_TRUE(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << phc;
  PasswordVerification ok = *hasher.Verify(Pw("hunter2hunter2"), phc);
  EXPECT_TRUE(ok.matched);
  EXPECT_FALSE(ok.needs_rehash);
  EXPECT_FALSE(hasher.Verify(Pw("hunter2hunter3"), phc)->matched);
  EXPECT_FALSE(hasher.Verify(Pw(""), phc)->matched);
  EXPECT_NE(phc, *hasher.Hash(Pw("hunter2hunter2")));  // random salt
}

TEST(PasswordHasherTest, NoTruncationAndLongPasswords) {
  PasswordHasher hasher = DefaultHasher();
  std::string long_pw(1000, 'a');
  std::string phc = *hasher.Hash(Pw(long_pw));
  EXPECT_TRUE(hasher.Verify(Pw(long_pw), phc)->matched);
  EXPECT_FALSE(hasher.Verify(Pw(std::string(999, 'a')), phc)->matched);
  EXPECT_FALSE(hasher.Verify(Pw(long_pw + "b"), phc)->matched);
  Result<std::string> too_long = hasher.Hash(Pw(std::string(5000, 'a')));
  EXPECT_EQ(too_long.error().code(), ErrorCode::kInvalidArgument);
}

TEST(PasswordHasherTest, NormalizesUnicode) {
  PasswordHasher hasher = DefaultHasher();
  // "é" precomposed (U+00E9) and decomposed (e + U+0301) are one password.
  std::string phc = *hasher.Hash(Pw("caf\xC3\xA9 au lait"));
  EXPECT_TRUE(hasher.Verify(Pw("cafe\xCC\x81 au lait"), phc)->matched);
  // NFKC: the fullwidth "Ａ" (U+FF21) is "A".
  std::string phc2 = *hasher.Hash(Pw("\xEF\xBC\xA1pple pie!"));
  EXPECT_TRUE(hasher.Verify(Pw("Apple pie!"), phc2)->matched);
  EXPECT_EQ(hasher.Hash(Pw("bad \xC0\xAF utf8")).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(hasher.Hash(Pw("lone \xED\xA0\x80 surrogate")).error().code(),
            ErrorCode::kInvalidArgument);
}

TEST(PasswordHasherTest, NeedsRehashWhenParametersChange) {
  PasswordHasher weak = DefaultHasher();
  std::string phc = *weak.Hash(Pw("pw"));
  PasswordHasher strong = *PasswordHasher::Create({.params = {32 * 1024, 3}});
  PasswordVerification v = *strong.Verify(Pw("pw"), phc);
  EXPECT_TRUE(v.matched);
  EXPECT_TRUE(v.needs_rehash);
  EXPECT_TRUE(strong.NeedsRehash(phc));
  EXPECT_FALSE(weak.NeedsRehash(phc));
}

TEST(PasswordHasherTest, RejectsWeakParameters) {
  EXPECT_FALSE(PasswordHasher::Create({.params = {8 * 1024, 2}}).ok());
  EXPECT_FALSE(PasswordHasher::Create({.params = {64 * 1024, 1}}).ok());
  EXPECT_FALSE(PasswordHasher::Create({.params = {4 * 1024 * 1024, 2}}).ok());
}

TEST(PasswordHasherTest, Pepper) {
  PasswordHasherOptions opts;
  opts.pepper = Pepper{"p1", SecretBytes::CopyFrom(Bytes(32, 9))};
  PasswordHasher peppered = *PasswordHasher::Create(std::move(opts));
  std::string phc = *peppered.Hash(Pw("peppered pw"));
  EXPECT_TRUE(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1,keyid=p1$")) << phc;
  PasswordVerification v = *peppered.Verify(Pw("peppered pw"), phc);
  EXPECT_TRUE(v.matched);
  EXPECT_FALSE(v.needs_rehash);
  EXPECT_FALSE(peppered.Verify(Pw("peppered pX"), phc)->matched);

  // Without the pepper the hash cannot be checked at all (a stolen database
  // alone is not enough).
  EXPECT_EQ(DefaultHasher().Verify(Pw("peppered pw"), phc).error().code(),
            ErrorCode::kFailedPrecondition);
  // The reference implementation cannot verify it without the pepper either.
  EXPECT_NE(argon2id_verify(phc.c_str(), "peppered pw", 11), ARGON2_OK);

  // Rotation: the old pepper still verifies and asks for a rehash.
  PasswordHasherOptions rotated_opts;
  rotated_opts.pepper = Pepper{"p2", SecretBytes::CopyFrom(Bytes(32, 10))};
  rotated_opts.old_peppers.push_back(Pepper{"p1", SecretBytes::CopyFrom(Bytes(32, 9))});
  PasswordHasher rotated = *PasswordHasher::Create(std::move(rotated_opts));
  PasswordVerification r = *rotated.Verify(Pw("peppered pw"), phc);
  EXPECT_TRUE(r.matched);
  EXPECT_TRUE(r.needs_rehash);
  // An unpeppered hash under a peppered hasher also needs a rehash.
  std::string plain = *DefaultHasher().Hash(Pw("x"));
  EXPECT_TRUE(rotated.Verify(Pw("x"), plain)->needs_rehash);

  PasswordHasherOptions bad;
  bad.pepper = Pepper{"bad id!", SecretBytes::CopyFrom(Bytes(32, 1))};
  EXPECT_FALSE(PasswordHasher::Create(std::move(bad)).ok());
  PasswordHasherOptions short_key;
  short_key.pepper = Pepper{"k", SecretBytes::CopyFrom(Bytes(16, 1))};
  EXPECT_FALSE(PasswordHasher::Create(std::move(short_key)).ok());
}

TEST(PasswordHasherTest, LegacyBcryptVector) {
  const auto& cases =
      testing::Vectors().at("bcrypt_openwall_crypt_blowfish").as_object().at("cases").as_array();
  PasswordHasher hasher = DefaultHasher();
  for (const auto& c : cases) {
    std::string hash = testing::Str(c.at("hash"));
    PasswordVerification v = *hasher.Verify(Pw(testing::Str(c.at("password"))), hash);
    EXPECT_TRUE(v.matched) << hash;
    EXPECT_TRUE(v.needs_rehash);
    EXPECT_FALSE(hasher.Verify(Pw("U*V"), hash)->matched);
    EXPECT_TRUE(hasher.NeedsRehash(hash));
    std::string as_2b = hash;
    as_2b[2] = 'b';
    EXPECT_TRUE(hasher.Verify(Pw(testing::Str(c.at("password"))), as_2b)->matched);
  }
}

TEST(PasswordHasherTest, LegacyPbkdf2) {
  PasswordHasher hasher = DefaultHasher();
  // Django's format (computed with Python's hashlib.pbkdf2_hmac).
  const std::string django =
      "pbkdf2_sha256$10000$c2Vhc2FsdA$kwDj/1nGY/mdyXWRexS99rrLewMAm2PoTrXdkozhh2k=";
  PasswordVerification d = *hasher.Verify(Pw("correct horse"), django);
  EXPECT_TRUE(d.matched);
  EXPECT_TRUE(d.needs_rehash);
  EXPECT_FALSE(hasher.Verify(Pw("correct horsE"), django)->matched);
  // passlib's format.
  const std::string passlib =
      "$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$oQniwjLkYbajNGr0RGSng8udgXKplgpN15LZNV56KTQ";
  EXPECT_TRUE(hasher.Verify(Pw("password"), passlib)->matched);
  EXPECT_FALSE(hasher.Verify(Pw("Password"), passlib)->matched);
}

TEST(PasswordHasherTest, MalformedAndHostileStoredHashes) {
  PasswordHasher hasher = DefaultHasher();
  const char* malformed[] = {
      "",
      "plaintext",
      "$argon2id$",
      "$argon2id$v=19$m=19456,t=2,p=1$",
      "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$t=2,m=19456,p=1$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$m=019456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$m=19456,t=2,p=1,keyid=$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$m=19456,t=2,p=1,data=x$c2FsdHNhbHQ$aGFzaA",
      "$argon2x$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
      "$2b$05$short",
      "$2b$x5$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "pbkdf2_sha256$abc$salt$aGFzaA==",
      "pbkdf2_sha256$1000$salt$not base64",
      "$pbkdf2-sha256$1000$$",
  };
  for (const char* stored : malformed) {
    Result<PasswordVerification> r = hasher.Verify(Pw("pw"), stored);
    ASSERT_FALSE(r.ok()) << stored;
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss) << stored;
    if (*stored != '\0') {
      EXPECT_EQ(r.error().message().find(stored), std::string::npos);
    }
  }
  // Parameters that would make one check cost gigabytes or minutes.
  const char* hostile[] = {
      "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$m=19456,t=100000,p=1$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$m=19456,t=2,p=64$c2FsdHNhbHQ$aGFzaA",
      "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "pbkdf2_sha256$2000000000$salt$kwDj/1nGY/mdyXWRexS99rrLewMAm2PoTrXdkozhh2k=",
  };
  for (const char* stored : hostile) {
    Result<PasswordVerification> r = hasher.Verify(Pw("pw"), stored);
    ASSERT_FALSE(r.ok()) << stored;
    EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss) << stored;
  }
  EXPECT_FALSE(hasher.Verify(Pw("pw"), std::string(10000, '$')).ok());
}

TEST(PasswordPolicyTest, NistRules) {
  PasswordPolicy policy = *PasswordPolicy::Create({});
  auto check = [&](std::string pw, std::vector<std::string> ctx = {}) {
    return policy.Check(Pw(std::move(pw)), ctx);
  };
  EXPECT_EQ(check("short"), PasswordProblem::kTooShort);
  // Length counts code points: 8 two-byte characters are 8, not 16.
  EXPECT_EQ(check("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"),
            PasswordProblem::kTooShort);
  EXPECT_EQ(check(std::string(129, 'x')), PasswordProblem::kTooLong);
  EXPECT_EQ(check("password"), PasswordProblem::kCommon);
  EXPECT_EQ(check("iloveyou"), PasswordProblem::kCommon);
  EXPECT_EQ(check("Password"), PasswordProblem::kCommon);
  // Well-known passwords are in zxcvbn's lists.
  EXPECT_EQ(check("12345678"), PasswordProblem::kCommon);
  EXPECT_EQ(check("qwertyuiop"), PasswordProblem::kCommon);
  // Not a listed password, but made of guessable parts: repeats, sequences,
  // a common word plus digits.
  EXPECT_EQ(check("zzzzzzzzzzzzzz"), PasswordProblem::kTooGuessable);
  EXPECT_EQ(check("abcdefghijk"), PasswordProblem::kTooGuessable);
  EXPECT_EQ(check("Password123"), PasswordProblem::kTooGuessable);
  EXPECT_EQ(check("password1"), PasswordProblem::kTooGuessable);
  EXPECT_EQ(check("bad \xC0\xAF utf8 pass"), PasswordProblem::kInvalidUtf8);
  EXPECT_EQ(check("alicewonder", {"alicewonder@example.com"}), PasswordProblem::kContainsContext);
  // No composition rules: a long passphrase of lower-case words is fine.
  EXPECT_EQ(check("correct horse battery staple"), std::nullopt);
  EXPECT_EQ(check("tr0ub4dor&3-lighthouse"), std::nullopt);
  // 64 code points must be allowed.
  EXPECT_EQ(check("Zq8!mNv2#Lp5^Rt7&Wx1*Yb4(Hc6)Jd9-Kf3=Gs0+Ua2~Ie5;Ol8:Pn1<Mv3>Bq"), std::nullopt);
}

TEST(PasswordPolicyTest, OptionsAreChecked) {
  EXPECT_FALSE(PasswordPolicy::Create({.max_code_points = 32}).ok());
  EXPECT_FALSE(PasswordPolicy::Create({.min_code_points = 0}).ok());
  EXPECT_EQ(PasswordProblemCode(PasswordProblem::kCommon), "common");
}

}  // namespace
}  // namespace bulwark::crypto
