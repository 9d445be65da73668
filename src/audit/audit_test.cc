#include "bulwark/audit/audit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/random.h"

namespace bulwark::audit {
namespace {

namespace fs = std::filesystem;

// The same suite runs on SQLite and, when the test environment provides one,
// on PostgreSQL (each test in its own schema).
class AuditTest : public ::testing::TestWithParam<db::Backend> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bulwark-audit-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    if (GetParam() == db::Backend::kSqlite) {
      Result<db::Database> opened = db::Database::OpenSqlite({.path = dir_ + "/db/audit.db"});
      ASSERT_TRUE(opened.ok()) << opened.error().ToString();
      db_.emplace(std::move(opened).value());
    } else {
      const char* url = std::getenv("BULWARK_TEST_PG_URL");
      if (url == nullptr) {
        if (std::getenv("CI") != nullptr) FAIL() << "CI must provide BULWARK_TEST_PG_URL";
        GTEST_SKIP() << "BULWARK_TEST_PG_URL not set (scripts/test.sh starts PostgreSQL)";
      }
      schema_ = "audit_" + crypto::RandomToken(16);
      for (char& c : schema_) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
      db::PostgresOptions admin{.conninfo = SecretString::Adopt(std::string(url)),
                                .ssl_mode = db::SslMode::kDisable};
      Result<db::Database> setup = db::Database::OpenPostgres(std::move(admin));
      ASSERT_TRUE(setup.ok()) << setup.error().ToString();
      ASSERT_TRUE(setup->Execute(db::sql::UnsafeDynamic("CREATE SCHEMA " + schema_)).ok());
      Result<db::Database> opened = db::Database::OpenPostgres(
          {.conninfo = SecretString::Adopt(std::string(url)),
           .ssl_mode = db::SslMode::kDisable,
           .search_path = schema_});
      ASSERT_TRUE(opened.ok()) << opened.error().ToString();
      db_.emplace(std::move(opened).value());
    }
    const db::Migration migrations[] = {{1, SchemaName(), Schema(db_->backend())},
                                        {2, GuardsName(), AppendOnlyGuards(db_->backend())}};
    Result<db::MigrationReport> migrated = db::Migrate(*db_, migrations);
    ASSERT_TRUE(migrated.ok()) << migrated.error().ToString();
    keyset_.emplace(*crypto::Keyset::Generate(crypto::KeyType::kHmacSha256));
    mac_.emplace(*crypto::Mac::Create(*keyset_));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<AuditLog> NewLog(AuditLogOptions options = {}) {
    Result<std::unique_ptr<AuditLog>> log = AuditLog::Create(*db_, *keyset_, options, clock_);
    EXPECT_TRUE(log.ok());
    return std::move(log).value();
  }
  void AppendN(AuditLog& log, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(log.Append({.actor = "user:" + std::to_string(i % 3),
                              .action = i % 2 ? "login.failed" : "login.succeeded",
                              .target = "account",
                              .outcome = std::string(i % 2 ? kFailure : kSuccess),
                              .request_id = "req-" + std::to_string(i),
                              .client_address = "192.0.2.1"})
                      .ok());
      clock_.Advance(std::chrono::seconds(1));
    }
  }
  // Tampering as an attacker with database access would (around the
  // append-only triggers).
  void Tamper(std::initializer_list<std::string_view> statements) {
    if (db_->backend() == db::Backend::kPostgres) {
      ASSERT_TRUE(db_->Execute("ALTER TABLE bulwark_audit_log DISABLE TRIGGER USER").ok());
    } else {
      ASSERT_TRUE(db_->Execute("DROP TRIGGER bulwark_audit_log_no_update").ok());
      ASSERT_TRUE(db_->Execute("DROP TRIGGER bulwark_audit_log_no_delete").ok());
    }
    for (std::string_view sql : statements) {
      Result<std::int64_t> r = db_->Execute(db::sql::UnsafeDynamic(std::string(sql)));
      ASSERT_TRUE(r.ok()) << r.error().ToString();
    }
  }

  std::string dir_;
  std::string schema_;
  ManualClock clock_{1'700'000'000};
  std::optional<db::Database> db_;
  std::optional<crypto::Keyset> keyset_;
  std::optional<crypto::Mac> mac_;
};

TEST_P(AuditTest, IntactChainVerifies) {
  auto log = NewLog();
  AppendN(*log, 25);
  Result<VerifyReport> r = VerifyChain(*db_, *mac_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->records, 25);
  EXPECT_EQ(log->Head()->seq, 25);
}

TEST_P(AuditTest, EmptyLogVerifies) {
  Result<VerifyReport> r = VerifyChain(*db_, *mac_);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->records, 0);
}

TEST_P(AuditTest, TriggersRefuseUpdateAndDelete) {
  auto log = NewLog();
  AppendN(*log, 2);
  EXPECT_FALSE(db_->Execute("UPDATE bulwark_audit_log SET outcome = 'success' WHERE seq = 2").ok());
  EXPECT_FALSE(db_->Execute("DELETE FROM bulwark_audit_log WHERE seq = 1").ok());
  EXPECT_FALSE(db_->Execute("DELETE FROM bulwark_audit_log").ok());
  Result<db::Row> count = db_->QueryRow("SELECT COUNT(*) FROM bulwark_audit_log");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->Get<std::int64_t>(0).value(), 2);
  // Appending (which updates the head row) still works.
  AppendN(*log, 1);
  EXPECT_TRUE(VerifyChain(*db_, *mac_)->ok);
}

TEST_P(AuditTest, AlteredRecordIsFound) {
  auto log = NewLog();
  AppendN(*log, 10);
  Tamper({"UPDATE bulwark_audit_log SET outcome = 'success' WHERE seq = 6"});
  VerifyReport r = *VerifyChain(*db_, *mac_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6);
  EXPECT_EQ(r.problem, ChainProblem::kAltered);
  EXPECT_EQ(r.records, 5);
}

TEST_P(AuditTest, DeletedRecordIsFound) {
  auto log = NewLog();
  AppendN(*log, 10);
  Tamper({"DELETE FROM bulwark_audit_log WHERE seq = 4"});
  VerifyReport r = *VerifyChain(*db_, *mac_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
  EXPECT_EQ(r.problem, ChainProblem::kMissing);
}

TEST_P(AuditTest, ReorderedRecordsAreFound) {
  auto log = NewLog();
  AppendN(*log, 10);
  // Swap records 3 and 7 (their contents move, their seq numbers stay).
  Tamper({"UPDATE bulwark_audit_log SET seq = CASE seq WHEN 3 THEN 7 WHEN 7 THEN 3 END + 100 "
          "WHERE seq IN (3, 7)",
          "UPDATE bulwark_audit_log SET seq = seq - 100 WHERE seq > 100"});
  VerifyReport r = *VerifyChain(*db_, *mac_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3);
  EXPECT_EQ(r.problem, ChainProblem::kAltered);
}

TEST_P(AuditTest, TruncatedTailIsFoundByHeadAndAnchors) {
  const std::string anchors = dir_ + "/anchors";
  auto log = NewLog({.anchor_every = 5, .anchor_file = anchors});
  AppendN(*log, 12);
  Tamper({"DELETE FROM bulwark_audit_log WHERE seq > 8"});
  VerifyReport r = *VerifyChain(*db_, *mac_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem, ChainProblem::kHeadMismatch);
  EXPECT_EQ(r.first_bad_seq, 9);

  // The attacker also rewrites the head to the new last record: the chain
  // alone now looks whole, but the external anchor at 10 catches it.
  Result<db::Row> last = db_->QueryRow("SELECT mac FROM bulwark_audit_log WHERE seq = 8");
  ASSERT_TRUE(last.ok());
  const std::string mac8 = Base64UrlEncode(*last->Get<Bytes>(0));
  ASSERT_TRUE(db_->Execute("UPDATE bulwark_audit_head SET seq = 8, mac = ? WHERE id = 1", mac8).ok());
  EXPECT_TRUE(VerifyChain(*db_, *mac_)->ok);
  std::vector<Anchor> read = *ReadAnchors(anchors);
  ASSERT_EQ(read.size(), 2u);  // at 5 and 10
  VerifyReport with_anchors = *VerifyChain(*db_, *mac_, read);
  EXPECT_FALSE(with_anchors.ok);
  EXPECT_EQ(with_anchors.problem, ChainProblem::kAnchorMismatch);
  EXPECT_EQ(with_anchors.first_bad_seq, 10);
}

TEST_P(AuditTest, ForeignKeyCannotForge) {
  auto log = NewLog();
  AppendN(*log, 3);
  crypto::Mac other = *crypto::Mac::Create(*crypto::Keyset::Generate(crypto::KeyType::kHmacSha256));
  VerifyReport r = *VerifyChain(*db_, other);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 1);
}

TEST_P(AuditTest, KeyRotationKeepsOldRecordsVerifiable) {
  auto log = NewLog();
  AppendN(*log, 3);
  const std::uint32_t next = *keyset_->AddKey(crypto::KeyType::kHmacSha256);
  ASSERT_TRUE(keyset_->Promote(next).ok());
  auto rotated = NewLog();
  AppendN(*rotated, 3);
  EXPECT_TRUE(VerifyChain(*db_, *crypto::Mac::Create(*keyset_))->ok);
}

TEST_P(AuditTest, ConcurrentAppendsKeepOneChain) {
  auto log = NewLog();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 15; ++i) {
        Result<std::int64_t> seq = log->Append({.actor = "user:" + std::to_string(t),
                                                .action = "session.created",
                                                .outcome = std::string(kSuccess)});
        EXPECT_TRUE(seq.ok()) << seq.error().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  VerifyReport r = *VerifyChain(*db_, *mac_);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.records, 60);
}

TEST_P(AuditTest, QueryFiltersAndPages) {
  auto log = NewLog();
  AppendN(*log, 12);
  std::vector<AuditRecord> page = *log->Query({.limit = 5});
  ASSERT_EQ(page.size(), 5u);
  EXPECT_EQ(page.front().seq, 12);
  std::vector<AuditRecord> next = *log->Query({.before_seq = page.back().seq, .limit = 5});
  EXPECT_EQ(next.front().seq, 7);
  std::vector<AuditRecord> failed = *log->Query({.action = std::string("login.failed"), .limit = 100});
  EXPECT_EQ(failed.size(), 6u);
  for (const AuditRecord& r : failed) EXPECT_EQ(r.entry.outcome, kFailure);
  std::vector<AuditRecord> user0 = *log->Query({.actor = std::string("user:0"), .limit = 100});
  EXPECT_EQ(user0.size(), 4u);
  std::vector<AuditRecord> window = *log->Query(
      {.since_ms = 1'700'000'002'000, .until_ms = 1'700'000'004'000, .limit = 100});
  EXPECT_EQ(window.size(), 3u);
  EXPECT_FALSE(log->Query({.limit = 0}).ok());
  EXPECT_FALSE(log->Query({.limit = 501}).ok());
  // Injection strings in filters are just values.
  EXPECT_TRUE(log->Query({.actor = std::string("' OR 1=1 --"), .limit = 10})->empty());
}

TEST_P(AuditTest, RecordsAreSanitizedAndNeverHoldSecrets) {
  auto log = NewLog();
  const std::string jwt =
      "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl";
  ASSERT_TRUE(log->Append({.actor = "user:1\r\n2026-01-01 admin login.succeeded",
                           .action = "login.failed",
                           .target = jwt,
                           .outcome = std::string(kFailure),
                           .request_id = "r\xE2\x80\xAE" "dneirf",  // bidi override
                           .client_address = "bad \xC0\xAF utf8",
                           .details = {{"password", "hunter2"},
                                       {"Refresh_Token", "abc"},
                                       {"totp_code", "123456"},
                                       {"reason", "bad password"},
                                       {"note", std::string(64, 'A')},
                                       {"bad key!", "dropped"}}})
                  .ok());
  AuditRecord r = log->Query({.limit = 1})->front();
  EXPECT_EQ(r.entry.actor.find('\n'), std::string::npos);
  EXPECT_EQ(r.entry.actor.find('\r'), std::string::npos);
  EXPECT_NE(r.entry.actor.find("\\u{d}\\u{a}"), std::string::npos);
  EXPECT_EQ(r.entry.target, "[redacted]");
  EXPECT_EQ(r.entry.request_id.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_NE(r.entry.client_address.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(r.details_json.find("hunter2"), std::string::npos);
  EXPECT_EQ(r.details_json.find("123456"), std::string::npos);
  EXPECT_EQ(r.details_json.find("\"abc\""), std::string::npos);
  EXPECT_EQ(r.details_json.find(std::string(64, 'A')), std::string::npos);
  EXPECT_NE(r.details_json.find("\"reason\":\"bad password\""), std::string::npos);
  EXPECT_EQ(r.details_json.find("dropped"), std::string::npos);
  EXPECT_TRUE(VerifyChain(*db_, *mac_)->ok);
}

TEST_P(AuditTest, BadEntriesAreRefusedWithoutPartialWrites) {
  auto log = NewLog();
  EXPECT_FALSE(log->Append({.action = "Login Failed", .outcome = std::string(kFailure)}).ok());
  EXPECT_FALSE(log->Append({.action = "", .outcome = std::string(kFailure)}).ok());
  EXPECT_FALSE(log->Append({.action = "login.failed", .outcome = "maybe"}).ok());
  EXPECT_EQ(log->Head()->seq, 0);
  EXPECT_EQ(VerifyChain(*db_, *mac_)->records, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTest,
                         ::testing::Values(db::Backend::kSqlite, db::Backend::kPostgres),
                         [](const auto& param_info) { return std::string(db::BackendName(param_info.param)); });

TEST(AuditSanitizeTest, Fields) {
  EXPECT_EQ(SanitizeField("plain text", 64), "plain text");
  EXPECT_EQ(SanitizeField("a\nb", 64), "a\\u{a}b");
  EXPECT_EQ(SanitizeField("back\\slash", 64), "back\\\\slash");
  EXPECT_EQ(SanitizeField(std::string(100, 'x'), 10).size(), 10u);
  // Cut at a character boundary, never inside a UTF-8 sequence.
  std::string cut = SanitizeField("\xC3\xA9\xC3\xA9\xC3\xA9", 5);
  EXPECT_EQ(cut, "\xC3\xA9\xC3\xA9");
  EXPECT_EQ(SanitizeField("\xED\xA0\x80", 64), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(SanitizeField("\xE0\x80\xAF", 64).find('/'), std::string::npos);  // overlong '/'
}

TEST(AuditAnchorTest, FileRoundTripAndMalformed) {
  char tmpl[] = "/tmp/bulwark-anchor-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string path = std::string(tmpl) + "/anchors";
  ASSERT_TRUE(AppendAnchor(path, {3, "AAAA", 1000}).ok());
  ASSERT_TRUE(AppendAnchor(path, {6, "BBBB", 2000}).ok());
  std::vector<Anchor> read = *ReadAnchors(path);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[1].seq, 6);
  EXPECT_EQ(read[1].mac, "BBBB");
  const std::string bad = std::string(tmpl) + "/bad";
  FILE* f = std::fopen(bad.c_str(), "w");
  std::fputs("3 AAAA 1000\nnot an anchor\n", f);
  std::fclose(f);
  Result<std::vector<Anchor>> r = ReadAnchors(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ReadAnchors(std::string(tmpl) + "/missing").ok());
  fs::remove_all(tmpl);
}

}  // namespace
}  // namespace bulwark::audit
