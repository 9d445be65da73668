#include "bulwark/auth/otp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "test_util.h"

namespace bulwark::auth {
namespace {

using testing::Str;
using testing::Vector;
using ::testing::HasSubstr;
using ::testing::StartsWith;

SecretBytes Key(const std::string& ascii) { return SecretBytes::CopyFrom(AsBytes(ascii)); }
Untrusted<std::string_view> U(std::string_view s) { return Untrusted<std::string_view>(s); }

TEST(Hotp, Rfc4226AppendixD) {
  const auto& v = Vector("hotp_rfc4226_appendix_d");
  SecretBytes key = Key(Str(v.at("key_ascii")));
  const auto& codes = v.at("codes_by_counter").as_array();
  ASSERT_EQ(codes.size(), 10u);
  for (std::size_t counter = 0; counter < codes.size(); ++counter) {
    EXPECT_EQ(*HotpCode(key, counter, OtpHash::kSha1, 6), Str(codes[counter])) << counter;
  }
  EXPECT_FALSE(HotpCode(key, 0, OtpHash::kSha1, 5).ok());
  EXPECT_FALSE(HotpCode(key, 0, OtpHash::kSha1, 9).ok());
}

TEST(Totp, Rfc6238AppendixB) {
  const auto& v = Vector("totp_rfc6238_appendix_b");
  const auto& keys = v.at("keys_ascii").as_object();
  std::size_t checked = 0;
  for (const auto& c : v.at("cases").as_array()) {
    const std::int64_t t = c.at("unix_time").to_number<std::int64_t>();
    for (auto [name, hash] : {std::pair{"SHA1", OtpHash::kSha1}, std::pair{"SHA256", OtpHash::kSha256},
                              std::pair{"SHA512", OtpHash::kSha512}}) {
      TotpOptions options{.hash = hash, .digits = 8, .step = std::chrono::seconds(30)};
      EXPECT_EQ(*TotpCode(Key(Str(keys.at(name))), t, options), Str(c.at(name))) << name << " " << t;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 18u);
}

class TotpVerifierTest : public ::testing::Test {
 protected:
  TotpVerifierTest() : clock_(1'700'000'000), key_(GenerateTotpSecret()) {}
  TotpOptions Options() { return {.clock = &clock_}; }
  std::string CodeAt(std::int64_t t) { return *TotpCode(key_, t, Options()); }

  ManualClock clock_;
  SecretBytes key_;
  MemoryTotpReplayStore replay_;
  MemoryEventSink events_;
};

TEST_F(TotpVerifierTest, AcceptsWithinOneStepAndOnlyOnce) {
  auto verifier = *TotpVerifier::Create(Options(), replay_, events_);
  const std::int64_t now = clock_.NowUnixSeconds();
  Result<TotpMatch> ok = verifier.Verify("ann", key_, U(CodeAt(now)));
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->drift, 0);
  // Replay of the same code: refused, and reported.
  Result<TotpMatch> replay = verifier.Verify("ann", key_, U(CodeAt(now)));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().message(), "code already used");
  EXPECT_EQ(events_.Count(SecurityEventType::kMfaReplayBlocked), 1u);
  // The previous step's code is older than the accepted one: refused too.
  EXPECT_FALSE(verifier.Verify("ann", key_, U(CodeAt(now - 30))).ok());
  // Another account keeps its own record.
  EXPECT_TRUE(verifier.Verify("bob", key_, U(CodeAt(now - 30))).ok());
  // Next step: accepted (+1 drift means the client clock is ahead).
  EXPECT_EQ(verifier.Verify("ann", key_, U(CodeAt(now + 30)))->drift, 1);
}

TEST_F(TotpVerifierTest, RefusesOutsideTheWindowAndMalformed) {
  auto verifier = *TotpVerifier::Create(Options(), replay_, events_);
  const std::int64_t now = clock_.NowUnixSeconds();
  EXPECT_EQ(verifier.Verify("ann", key_, U(CodeAt(now - 60))).error().message(), "code is wrong");
  EXPECT_EQ(verifier.Verify("ann", key_, U(CodeAt(now + 60))).error().message(), "code is wrong");
  EXPECT_EQ(verifier.Verify("ann", key_, U("12345")).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(verifier.Verify("ann", key_, U("12345a")).error().code(), ErrorCode::kInvalidArgument);
  std::string spaced = CodeAt(now);
  spaced.insert(spaced.begin(), ' ');  // (not " " + ...: GCC 12 -Wrestrict false positive)
  EXPECT_EQ(verifier.Verify("ann", key_, U(spaced)).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(events_.Count(SecurityEventType::kMfaFailed), 5u);
  EXPECT_FALSE(TotpVerifier::Create({.window = 3}, replay_).ok());
  EXPECT_FALSE(TotpVerifier::Create({.digits = 9}, replay_).ok());
}

TEST_F(TotpVerifierTest, ConcurrentUseOfOneCodeSucceedsOnce) {
  auto verifier = *TotpVerifier::Create(Options(), replay_, events_);
  const std::string code = CodeAt(clock_.NowUnixSeconds());
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (verifier.Verify("ann", key_, U(code)).ok()) accepted.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
}

TEST(TotpEnrollment, UriAndQrCode) {
  SecretBytes key = Key("12345678901234567890");
  Result<TotpEnrollment> e = Enroll(key, "Acme Co", "ann@example.com");
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->uri,
            "otpauth://totp/Acme%20Co:ann%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Acme%20Co&algorithm=SHA1&digits=6&period=30");
  EXPECT_THAT(e->qr_svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(e->qr_svg, HasSubstr("h1v1h-1z"));
  EXPECT_FALSE(Enroll(key, "Evil:Issuer", "ann").ok());
  EXPECT_FALSE(Enroll(key, "", "ann").ok());
  EXPECT_EQ(Base32Encode(AsBytes("foobar")), "MZXW6YTBOI");  // RFC 4648 section 10
  EXPECT_EQ(GenerateTotpSecret(OtpHash::kSha256).size(), 32u);
}

TEST(BackupCodes, ShownOnceStoredHashedUsableOnce) {
  crypto::Keyset keyset = *crypto::Keyset::Generate(crypto::KeyType::kHmacSha256);
  MemoryBackupCodeStore store;
  MemoryEventSink events;
  auto codes = *BackupCodes::Create(keyset, store, {}, events);
  Result<std::vector<std::string>> plain = codes.Regenerate("ann");
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->size(), 10u);
  std::set<std::string> unique(plain->begin(), plain->end());
  EXPECT_EQ(unique.size(), 10u);
  EXPECT_THAT((*plain)[0], ::testing::MatchesRegex("[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}"));
  EXPECT_EQ(*codes.Remaining("ann"), 10u);

  // Case, spaces and dashes do not matter; each code works once.
  std::string typed = (*plain)[3];
  for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(codes.Redeem("ann", U(typed)).ok());
  EXPECT_EQ(codes.Redeem("ann", U((*plain)[3])).error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(*codes.Remaining("ann"), 9u);
  // Bound to the account.
  EXPECT_FALSE(codes.Redeem("bob", U((*plain)[4])).ok());
  EXPECT_EQ(codes.Redeem("ann", U("0000-0000-0000")).error().code(), ErrorCode::kInvalidArgument);
  // Regenerating invalidates the old set.
  auto fresh = *codes.Regenerate("ann");
  EXPECT_FALSE(codes.Redeem("ann", U((*plain)[5])).ok());
  EXPECT_TRUE(codes.Redeem("ann", U(fresh[0])).ok());
  // Codes survive HMAC key rotation while the old key is enabled.
  std::uint32_t new_key = *keyset.AddKey(crypto::KeyType::kHmacSha256);
  ASSERT_TRUE(keyset.Promote(new_key).ok());
  auto rotated = *BackupCodes::Create(keyset, store, {}, events);
  EXPECT_TRUE(rotated.Redeem("ann", U(fresh[1])).ok());
  EXPECT_EQ(events.Count(SecurityEventType::kBackupCodeUsed), 3u);
}

}  // namespace
}  // namespace bulwark::auth
