// The same session, refresh-token, API-key, TOTP-replay and backup-code
// tests on every store: in memory, SQLite, and PostgreSQL (from
// BULWARK_TEST_PG_URL; skipped with a reason when unset, failed under CI=true).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <thread>

#include "bulwark/auth/api_key.h"
#include "bulwark/auth/otp.h"
#include "bulwark/auth/refresh.h"
#include "bulwark/auth/session.h"
#include "bulwark/auth/sql_stores.h"
#include "bulwark/db/database.h"

namespace bulwark::auth {
namespace {

enum class Backend { kMemory, kSqlite, kPostgres };

std::optional<std::string> PgUrl() {
  const char* url = std::getenv("BULWARK_TEST_PG_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}
bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}
db::PostgresOptions PgOptions(const std::string& search_path) {
  db::PostgresOptions o;
  o.conninfo = SecretString::CopyFrom(AsBytes(*PgUrl()));
  o.ssl_mode = db::SslMode::kDisable;  // the test cluster listens on 127.0.0.1 only
  o.application_name = "bulwark-auth-test";
  o.search_path = search_path;
  o.pool.max_connections = 8;
  return o;
}

Untrusted<std::string_view> U(const SecretString& s) {
  return Untrusted<std::string_view>(s.Reveal(InsecureSecretAccess()));
}
Untrusted<std::string_view> U(std::string_view s) { return Untrusted<std::string_view>(s); }

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Backend::kMemory:
        sessions_ = std::make_unique<MemorySessionStore>();
        refresh_ = std::make_unique<MemoryRefreshTokenStore>();
        api_keys_ = std::make_unique<MemoryApiKeyStore>();
        totp_ = std::make_unique<MemoryTotpReplayStore>();
        backup_ = std::make_unique<MemoryBackupCodeStore>();
        return;
      case Backend::kSqlite: {
        char tmpl[] = "/tmp/bulwark-auth-test.XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        db::SqliteOptions o;
        o.path = dir_ / "auth.db";
        o.pool.max_connections = 8;
        Result<db::Database> d = db::Database::OpenSqlite(std::move(o));
        ASSERT_TRUE(d.ok()) << d.error().ToString();
        db_ = std::make_unique<db::Database>(std::move(d).value());
        break;
      }
      case Backend::kPostgres: {
        if (!PgUrl()) {
          if (InCi()) FAIL() << "CI=true but BULWARK_TEST_PG_URL is not set";
          GTEST_SKIP() << "PostgreSQL not configured: set BULWARK_TEST_PG_URL (scripts/test.sh "
                          "starts a throwaway cluster through scripts/testenv/postgres.sh)";
        }
        std::random_device rd;
        schema_ = "auth_t_" + std::to_string(rd()) + std::to_string(rd());
        Result<db::Database> admin = db::Database::OpenPostgres(PgOptions(""));
        ASSERT_TRUE(admin.ok()) << admin.error().ToString();
        ASSERT_TRUE(admin->Execute(db::sql::UnsafeDynamic("CREATE SCHEMA " + schema_)).ok());
        Result<db::Database> d = db::Database::OpenPostgres(PgOptions(schema_));
        ASSERT_TRUE(d.ok()) << d.error().ToString();
        db_ = std::make_unique<db::Database>(std::move(d).value());
        break;
      }
    }
    Result<void> created = CreateAuthTables(*db_);
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    ASSERT_TRUE(CreateAuthTables(*db_).ok());  // idempotent
    sessions_ = std::make_unique<SqlSessionStore>(*db_);
    refresh_ = std::make_unique<SqlRefreshTokenStore>(*db_);
    api_keys_ = std::make_unique<SqlApiKeyStore>(*db_);
    totp_ = std::make_unique<SqlTotpReplayStore>(*db_);
    backup_ = std::make_unique<SqlBackupCodeStore>(*db_);
  }

  void TearDown() override {
    sessions_.reset();
    refresh_.reset();
    api_keys_.reset();
    totp_.reset();
    backup_.reset();
    db_.reset();
    if (!schema_.empty()) {
      Result<db::Database> admin = db::Database::OpenPostgres(PgOptions(""));
      if (admin.ok()) {
        (void)admin->Execute(db::sql::UnsafeDynamic("DROP SCHEMA " + schema_ + " CASCADE"));
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  SessionManager Sessions(SessionOptions options = {}) {
    return *SessionManager::Create(*sessions_, options, events_, clock_);
  }
  RefreshTokenService Refresh(RefreshOptions options = {}) {
    return *RefreshTokenService::Create(hmac_, *refresh_, options, events_, clock_);
  }

  ManualClock clock_{1'700'000'000};
  MemoryEventSink events_;
  crypto::Keyset hmac_ = *crypto::Keyset::Generate(crypto::KeyType::kHmacSha256);
  std::filesystem::path dir_;
  std::string schema_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<RefreshTokenStore> refresh_;
  std::unique_ptr<ApiKeyStore> api_keys_;
  std::unique_ptr<TotpReplayStore> totp_;
  std::unique_ptr<BackupCodeStore> backup_;
};

// ---- Sessions -----------------------------------------------------------------

TEST_P(StoreTest, SessionIdsAreRandomAndStoredHashed) {
  SessionManager sessions = Sessions();
  NewSession s = *sessions.Start("ann", 1, "Firefox");
  const std::string& id = s.id.Reveal(InsecureSecretAccess());
  EXPECT_EQ(id.size(), 43u);  // 256 bits
  Result<SessionInfo> info = sessions.Validate(U(s.id));
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ(info->user_id, "ann");
  EXPECT_EQ(info->auth_level, 1u);
  EXPECT_FALSE((*sessions_->Find(id)).has_value());  // the raw id is not a key
  EXPECT_TRUE((*sessions_->Find(TokenHash(id))).has_value());
  EXPECT_EQ(sessions.Validate(U("short")).error().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(sessions.Validate(U(std::string(43, 'A'))).error().message(),
            "session is invalid or expired");
  EXPECT_EQ(events_.Count(SecurityEventType::kSessionCreated), 1u);
}

TEST_P(StoreTest, RotationDefeatsFixation) {
  SessionManager sessions = Sessions();
  NewSession planted = *sessions.Start("ann", 0);
  Result<NewSession> rotated = sessions.Rotate(U(planted.id), 2);
  ASSERT_TRUE(rotated.ok()) << rotated.error().ToString();
  EXPECT_FALSE(sessions.Validate(U(planted.id)).ok());
  Result<SessionInfo> info = sessions.Validate(U(rotated->id));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->auth_level, 2u);
  EXPECT_EQ(info->handle, planted.info.handle);
  EXPECT_FALSE(sessions.Rotate(U(planted.id), 2).ok());
}

TEST_P(StoreTest, IdleAndAbsoluteTimeouts) {
  SessionManager sessions = Sessions({.idle_timeout = std::chrono::minutes(30),
                                      .absolute_timeout = std::chrono::hours(2)});
  NewSession s = *sessions.Start("ann", 1);
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_TRUE(sessions.Validate(U(s.id)).ok());  // activity extends the idle window
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_TRUE(sessions.Validate(U(s.id)).ok());
  clock_.Advance(std::chrono::minutes(31));
  EXPECT_FALSE(sessions.Validate(U(s.id)).ok());  // idle
  NewSession t = *sessions.Start("ann", 1);
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(std::chrono::minutes(25));
    EXPECT_TRUE(sessions.Validate(U(t.id)).ok()) << i;
  }
  clock_.Advance(std::chrono::minutes(21));
  EXPECT_FALSE(sessions.Validate(U(t.id)).ok());  // absolute (2 h)
}

TEST_P(StoreTest, ConcurrentSessionLimitPolicies) {
  SessionManager evict = Sessions({.max_sessions_per_user = 2});
  NewSession a = *evict.Start("ann", 1);
  clock_.Advance(std::chrono::minutes(2));
  NewSession b = *evict.Start("ann", 1);
  clock_.Advance(std::chrono::minutes(2));
  ASSERT_TRUE(evict.Validate(U(a.id)).ok());  // a is now the most recently used
  NewSession c = *evict.Start("ann", 1);
  EXPECT_FALSE(evict.Validate(U(b.id)).ok());  // least recently used, evicted
  EXPECT_TRUE(evict.Validate(U(a.id)).ok());
  EXPECT_TRUE(evict.Validate(U(c.id)).ok());
  EXPECT_EQ(events_.Count(SecurityEventType::kSessionEvicted), 1u);
  EXPECT_TRUE(evict.Start("bob", 1).ok());  // per user

  SessionManager refuse =
      Sessions({.max_sessions_per_user = 2, .limit_policy = SessionLimitPolicy::kRefuseNew});
  EXPECT_EQ(refuse.Start("ann", 1).error().code(), ErrorCode::kResourceExhausted);

  // Parallel logins never exceed the limit.
  SessionManager limited = Sessions({.max_sessions_per_user = 3});
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&] { (void)limited.Start("carol", 1); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(limited.List("carol")->size(), 3u);
}

TEST_P(StoreTest, ListAndRevoke) {
  SessionManager sessions = Sessions();
  NewSession a = *sessions.Start("ann", 1, "laptop");
  NewSession b = *sessions.Start("ann", 1, "phone");
  NewSession c = *sessions.Start("ann", 1, "tablet");
  NewSession other = *sessions.Start("bob", 1);
  EXPECT_EQ(sessions.List("ann")->size(), 3u);
  ASSERT_TRUE(sessions.RevokeByHandle("ann", b.info.handle).ok());
  EXPECT_FALSE(sessions.Validate(U(b.id)).ok());
  EXPECT_EQ(sessions.RevokeByHandle("bob", a.info.handle).error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(*sessions.RevokeAllExcept("ann", U(a.id)), 1u);
  EXPECT_TRUE(sessions.Validate(U(a.id)).ok());
  EXPECT_FALSE(sessions.Validate(U(c.id)).ok());
  ASSERT_TRUE(sessions.Revoke(U(a.id)).ok());
  EXPECT_FALSE(sessions.Validate(U(a.id)).ok());
  NewSession d = *sessions.Start("ann", 1);
  EXPECT_EQ(*sessions.OnPasswordChanged("ann"), 1u);
  EXPECT_FALSE(sessions.Validate(U(d.id)).ok());
  EXPECT_TRUE(sessions.Validate(U(other.id)).ok());
}

// ---- Refresh tokens -----------------------------------------------------------

TEST_P(StoreTest, RefreshRotatesWithinAFamily) {
  RefreshTokenService refresh = Refresh();
  IssuedRefreshToken first = *refresh.Issue("ann");
  EXPECT_TRUE(first.token.Reveal(InsecureSecretAccess()).starts_with("rt1."));
  EXPECT_FALSE((*refresh_->FindToken(first.token.Reveal(InsecureSecretAccess()))).has_value());
  Result<IssuedRefreshToken> second = refresh.Rotate(U(first.token));
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(second->family_id, first.family_id);
  EXPECT_EQ(second->generation, 1u);
  clock_.Advance(std::chrono::minutes(5));
  Result<IssuedRefreshToken> third = refresh.Rotate(U(second->token));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->generation, 2u);
  EXPECT_EQ(refresh.Rotate(U("rt1.bogus")).error().code(), ErrorCode::kUnauthenticated);
}

TEST_P(StoreTest, ReuseAfterGraceRevokesTheFamily) {
  RefreshTokenService refresh = Refresh();
  IssuedRefreshToken first = *refresh.Issue("ann");
  IssuedRefreshToken second = *refresh.Rotate(U(first.token));
  clock_.Advance(std::chrono::seconds(11));  // past the 10 s grace
  Result<IssuedRefreshToken> stolen = refresh.Rotate(U(first.token));
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.error().message(), "refresh token reuse detected; family revoked");
  EXPECT_EQ(events_.Count(SecurityEventType::kRefreshReuseDetected), 1u);
  // The legitimate holder's token is dead too: the family is revoked.
  EXPECT_EQ(refresh.Rotate(U(second.token)).error().message(), "refresh token is revoked");
  EXPECT_NE((*refresh_->FindFamily(first.family_id))->revoked_at, 0);
}

TEST_P(StoreTest, GraceRetryReturnsTheSameSuccessorUntilItIsUsed) {
  RefreshTokenService refresh = Refresh();
  IssuedRefreshToken first = *refresh.Issue("ann");
  IssuedRefreshToken a = *refresh.Rotate(U(first.token));
  clock_.Advance(std::chrono::seconds(3));
  Result<IssuedRefreshToken> b = refresh.Rotate(U(first.token));  // the lost-response retry
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_TRUE(a.token.Equals(b->token));
  EXPECT_EQ(events_.Count(SecurityEventType::kRefreshReuseDetected), 0u);
  // The client uses the successor: rotation is now observed, so the old
  // token is dead even inside the grace period.
  IssuedRefreshToken next = *refresh.Rotate(U(a.token));
  Result<IssuedRefreshToken> replay = refresh.Rotate(U(first.token));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(events_.Count(SecurityEventType::kRefreshReuseDetected), 1u);
  EXPECT_FALSE(refresh.Rotate(U(next.token)).ok());
}

TEST_P(StoreTest, FamilyLifetimeAndRevocation) {
  RefreshTokenService refresh = Refresh({.family_lifetime = std::chrono::hours(1)});
  IssuedRefreshToken t = *refresh.Issue("ann");
  clock_.Advance(std::chrono::minutes(50));
  IssuedRefreshToken u = *refresh.Rotate(U(t.token));
  clock_.Advance(std::chrono::minutes(11));
  EXPECT_EQ(refresh.Rotate(U(u.token)).error().message(), "refresh token family has expired");

  IssuedRefreshToken v = *refresh.Issue("ann");
  ASSERT_TRUE(refresh.Revoke(U(v.token)).ok());
  EXPECT_FALSE(refresh.Rotate(U(v.token)).ok());
  IssuedRefreshToken w1 = *refresh.Issue("bob");
  IssuedRefreshToken w2 = *refresh.Issue("bob");
  EXPECT_EQ(*refresh.RevokeAllForUser("bob"), 2u);
  EXPECT_FALSE(refresh.Rotate(U(w1.token)).ok());
  EXPECT_FALSE(refresh.Rotate(U(w2.token)).ok());
  clock_.Advance(std::chrono::hours(2));
  EXPECT_GE(*refresh_->DeleteExpired(clock_.NowUnixSeconds()), 3u);
}

// Two (or more) requests rotate the same token at the same moment, on real
// connections to a real database: exactly one rotation happens, and every
// request gets the same successor (no second valid token, no revocation).
TEST_P(StoreTest, ConcurrentRotationOfOneTokenIsSafe) {
  for (int round = 0; round < 5; ++round) {
    RefreshTokenService refresh = Refresh();
    IssuedRefreshToken first = *refresh.Issue("ann");
    const std::string token = first.token.Reveal(InsecureSecretAccess());
    constexpr int kRequests = 4;
    std::vector<std::optional<std::string>> results(kRequests);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kRequests; ++i) {
      threads.emplace_back([&, i] {
        ready.fetch_add(1);
        while (ready.load() < kRequests) std::this_thread::yield();
        Result<IssuedRefreshToken> r = refresh.Rotate(U(token));
        if (r.ok()) results[static_cast<std::size_t>(i)] = r->token.Reveal(InsecureSecretAccess());
      });
    }
    for (auto& t : threads) t.join();
    for (int i = 0; i < kRequests; ++i) {
      ASSERT_TRUE(results[static_cast<std::size_t>(i)].has_value()) << "round " << round;
      EXPECT_EQ(*results[static_cast<std::size_t>(i)], *results[0]);
    }
    EXPECT_EQ((*refresh_->FindFamily(first.family_id))->revoked_at, 0);
    // Exactly one successor exists, and it works once.
    EXPECT_TRUE(refresh.Rotate(U(*results[0])).ok());
  }
  EXPECT_EQ(events_.Count(SecurityEventType::kRefreshReuseDetected), 0u);

  // Without a grace period the race is reuse: one request wins, the others
  // revoke the family, so nobody ends up with a live token.
  RefreshTokenService strict = Refresh({.reuse_grace = std::chrono::seconds(0)});
  IssuedRefreshToken first = *strict.Issue("bob");
  const std::string token = first.token.Reveal(InsecureSecretAccess());
  std::atomic<int> ok{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      if (strict.Rotate(U(token)).ok()) ok.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_NE((*refresh_->FindFamily(first.family_id))->revoked_at, 0);
}

// ---- API keys -------------------------------------------------------------------

TEST_P(StoreTest, ApiKeys) {
  auto keys = *ApiKeyService::Create(hmac_, *api_keys_, {}, events_, clock_);
  NewApiKey k = *keys.CreateKey({.owner = "svc", .name = "ci", .scopes = {"doc:read", "doc:write"}});
  const std::string& full = k.key.Reveal(InsecureSecretAccess());
  EXPECT_TRUE(full.starts_with("bwk_" + k.record.prefix + "_"));
  EXPECT_EQ(full.size(), 4u + 12 + 1 + 43);
  EXPECT_EQ(full.find(k.record.hash), std::string::npos);
  Result<ApiKeyRecord> r = keys.Verify(U(k.key));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->owner, "svc");
  EXPECT_EQ(r->scopes, (std::vector<std::string>{"doc:read", "doc:write"}));
  EXPECT_EQ((*api_keys_->Find(k.record.prefix))->last_used_at, clock_.NowUnixSeconds());
  // Wrong secret with a valid prefix.
  std::string wrong = full;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(keys.Verify(U(wrong)).error().message(), "API key is invalid");
  EXPECT_FALSE(keys.Verify(U("bwk_nope")).ok());
  EXPECT_EQ(keys.List("svc")->size(), 1u);
  // Expiry (90 days by default) and revocation.
  clock_.Advance(std::chrono::hours(24 * 91));
  EXPECT_FALSE(keys.Verify(U(k.key)).ok());
  NewApiKey k2 = *keys.CreateKey({.owner = "svc", .name = "deploy"});
  ASSERT_TRUE(keys.Revoke("svc", k2.record.prefix).ok());
  EXPECT_FALSE(keys.Verify(U(k2.key)).ok());
  EXPECT_EQ(keys.Revoke("other", k.record.prefix).error().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(keys.CreateKey({.owner = "svc", .no_expiry = true}).ok());
  EXPECT_FALSE(keys.CreateKey({.owner = "svc", .scopes = {"Bad Scope"}}).ok());
  EXPECT_EQ(events_.Count(SecurityEventType::kApiKeyRejected), 3u);
}

// ---- TOTP replay and backup codes ---------------------------------------------------

TEST_P(StoreTest, TotpStepsOnlyAdvance) {
  EXPECT_TRUE(*totp_->TryAdvance("ann", 100));
  EXPECT_FALSE(*totp_->TryAdvance("ann", 100));
  EXPECT_FALSE(*totp_->TryAdvance("ann", 99));
  EXPECT_TRUE(*totp_->TryAdvance("ann", 101));
  EXPECT_TRUE(*totp_->TryAdvance("bob", 100));
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      Result<bool> r = totp_->TryAdvance("carol", 500);
      if (r.ok() && *r) wins.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
}

TEST_P(StoreTest, BackupCodesThroughTheStore) {
  auto codes = *BackupCodes::Create(hmac_, *backup_, {}, events_, clock_);
  std::vector<std::string> plain = *codes.Regenerate("ann");
  EXPECT_EQ(*codes.Remaining("ann"), 10u);
  EXPECT_TRUE(codes.Redeem("ann", U(plain[0])).ok());
  EXPECT_FALSE(codes.Redeem("ann", U(plain[0])).ok());
  EXPECT_EQ(*codes.Remaining("ann"), 9u);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest,
                         ::testing::Values(Backend::kMemory, Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& param) {
                           switch (param.param) {
                             case Backend::kMemory: return std::string("Memory");
                             case Backend::kSqlite: return std::string("Sqlite");
                             case Backend::kPostgres: return std::string("Postgres");
                           }
                           return std::string("Unknown");
                         });

}  // namespace
}  // namespace bulwark::auth
