#include "bulwark/db/migrate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "test_support.h"

namespace bulwark::db {
namespace {

using ::testing::HasSubstr;
using testing::BackendTest;

constexpr Migration kV1[] = {
    {1, "create_users", "CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL);"},
    {2, "create_notes",
     "CREATE TABLE notes (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id),"
     " body TEXT NOT NULL); CREATE INDEX notes_user ON notes(user_id);"},
};

class MigrateTest : public BackendTest {};
BULWARK_INSTANTIATE_BACKENDS(MigrateTest);

TEST_P(MigrateTest, AppliesInOrderOnceAndRecordsChecksums) {
  EXPECT_EQ(CurrentSchemaVersion(*db_).value(), 0);
  Result<MigrationReport> first = Migrate(*db_, kV1);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->applied, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(first->current_version, 2);
  ASSERT_OK(db_->Execute("INSERT INTO users(id, email) VALUES (?, ?)", 1, "a@example.com"));

  Result<MigrationReport> again = Migrate(*db_, kV1);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->applied.empty());
  Result<Row> row = db_->QueryRow("SELECT checksum FROM bulwark_schema_migrations WHERE version = ?", 2);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->Get<std::string>(0).value(), MigrationChecksum(kV1[1]));
  EXPECT_OK(VerifyMigrated(*db_, kV1));
}

TEST_P(MigrateTest, RefusesAChangedOldMigration) {
  ASSERT_OK(Migrate(*db_, kV1));
  constexpr Migration kEdited[] = {
      {1, "create_users",
       "CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL, admin BIGINT);"},
      kV1[1],
  };
  Result<MigrationReport> r = Migrate(*db_, kEdited);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kDataLoss);
  EXPECT_THAT(r.error().message(), HasSubstr("migration 1 (create_users) changed"));
  EXPECT_EQ(VerifyMigrated(*db_, kEdited).error().code(), ErrorCode::kDataLoss);
}

TEST_P(MigrateTest, RefusesADatabaseNewerThanTheProgram) {
  ASSERT_OK(Migrate(*db_, kV1));
  Result<MigrationReport> r = Migrate(*db_, std::span<const Migration>(kV1, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_P(MigrateTest, AFailingMigrationRollsBackCompletely) {
  constexpr Migration kBroken[] = {
      kV1[0],
      kV1[1],
      {3, "half_broken",
       "CREATE TABLE audit (id BIGINT PRIMARY KEY); INSERT INTO users(id, email) VALUES (7, 'x');"
       " CREATE TABLE broken (id BIGINT PRIMARY KEY, x NO_SUCH_TYPE REFERENCES nowhere(id) !!);"},
  };
  Result<MigrationReport> r = Migrate(*db_, kBroken);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr("migration 3 (half_broken) failed and was rolled back"));
  EXPECT_EQ(CurrentSchemaVersion(*db_).value(), 2);
  // Neither the table nor the row of the failed migration exist.
  EXPECT_FALSE(db_->Query("SELECT id FROM audit").ok());
  EXPECT_EQ(db_->QueryRow("SELECT COUNT(*) FROM users")->Get<int>(0).value(), 0);
  EXPECT_EQ(VerifyMigrated(*db_, kBroken).error().code(), ErrorCode::kFailedPrecondition);
}

TEST_P(MigrateTest, RejectsBadVersionOrder) {
  constexpr Migration kBackwards[] = {kV1[1], kV1[0]};
  EXPECT_EQ(Migrate(*db_, kBackwards).error().code(), ErrorCode::kInvalidArgument);
  constexpr Migration kZero[] = {{0, "zero", "CREATE TABLE z (id BIGINT);"}};
  EXPECT_EQ(Migrate(*db_, kZero).error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(MigrateTest, ConcurrentMigratorsApplyEachVersionOnce) {
  Result<Database> other = OpenAnother();
  ASSERT_TRUE(other.ok());
  Result<MigrationReport> a = Error(ErrorCode::kInternal, "");
  Result<MigrationReport> b = Error(ErrorCode::kInternal, "");
  std::thread t1([&] { a = Migrate(*db_, kV1); });
  std::thread t2([&] { b = Migrate(*other, kV1); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ(a->applied.size() + b->applied.size(), 2u);
  EXPECT_EQ(db_->QueryRow("SELECT COUNT(*) FROM bulwark_schema_migrations")->Get<int>(0).value(), 2);
}

TEST_P(MigrateTest, ScriptsKeepFunctionAndTriggerBodiesIntact) {
  constexpr Migration kSqlite[] = {
      {1, "audit_trigger",
       "CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
       "CREATE TABLE t_log (id BIGINT NOT NULL, note TEXT NOT NULL);"
       "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN"
       "  INSERT INTO t_log(id, note) VALUES (NEW.id, 'a;b');"
       "  INSERT INTO t_log(id, note) VALUES (NEW.id, 'second');"
       "END;"},
  };
  constexpr Migration kPostgres[] = {
      {1, "audit_trigger",
       "CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
       "CREATE TABLE t_log (id BIGINT NOT NULL, note TEXT NOT NULL);"
       "CREATE FUNCTION t_ins() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN"
       "  INSERT INTO t_log(id, note) VALUES (NEW.id, 'a;b');"
       "  INSERT INTO t_log(id, note) VALUES (NEW.id, 'second'); RETURN NEW;"
       " END $body$;"
       "CREATE TRIGGER t_ins AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION t_ins();"},
  };
  ASSERT_OK(Migrate(*db_, backend() == Backend::kSqlite ? std::span<const Migration>(kSqlite)
                                                        : std::span<const Migration>(kPostgres)));
  ASSERT_OK(db_->Execute("INSERT INTO t(id, n) VALUES (?, ?)", 1, 2));
  EXPECT_EQ(db_->QueryRow("SELECT COUNT(*) FROM t_log WHERE note = ?", "a;b")->Get<int>(0).value(), 1);
  EXPECT_EQ(db_->QueryRow("SELECT COUNT(*) FROM t_log")->Get<int>(0).value(), 2);
}

TEST_P(MigrateTest, LoadsOperatorFiles) {
  const auto dir = testing::MakeTempDir();
  std::ofstream(dir / "1_create_users.sql") << kV1[0].script.text();
  std::ofstream(dir / "2_create_notes.sql") << kV1[1].script.text();
  std::ofstream(dir / "README.md") << "ignored";
  Result<MigrationFiles> files = MigrationFiles::Load(dir);
  ASSERT_TRUE(files.ok()) << files.error().ToString();
  ASSERT_EQ(files->migrations().size(), 2u);
  // The same text and name give the same checksums as compiled-in migrations.
  EXPECT_EQ(MigrationChecksum(files->migrations()[1]), MigrationChecksum(kV1[1]));
  ASSERT_OK(Migrate(*db_, files->migrations()));
  EXPECT_OK(VerifyMigrated(*db_, kV1));

  std::ofstream(dir / "3_bad.sql") << "CREATE TABLE x (a TEXT DEFAULT 'unterminated);";
  Result<MigrationFiles> bad = MigrationFiles::Load(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message(), HasSubstr("unterminated string literal"));
  std::filesystem::remove(dir / "3_bad.sql");
  std::ofstream(dir / "x_bad.sql") << "SELECT 1;";
  EXPECT_EQ(MigrationFiles::Load(dir).error().code(), ErrorCode::kInvalidArgument);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::db
