#include "bulwark/db/roles.h"

#include <gtest/gtest.h>

#include <random>

#include "bulwark/db/change_log.h"
#include "bulwark/db/migrate.h"
#include "test_support.h"

namespace bulwark::db {
namespace {

class RolesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BULWARK_REQUIRE_POSTGRES();
    url_ = *testing::PostgresUrl();
    std::random_device rd;
    suffix_ = std::to_string(rd() % 100000000);
    dbname_ = "roles_" + suffix_;
    Result<Database> admin = Database::OpenPostgres(testing::PgOptionsFor(url_));
    ASSERT_TRUE(admin.ok());
    ASSERT_OK(admin->Execute(sql::UnsafeDynamic("CREATE DATABASE " + dbname_)));
    created_ = true;
  }
  void TearDown() override {
    if (!created_) return;
    Result<Database> admin = Database::OpenPostgres(testing::PgOptionsFor(url_));
    if (!admin.ok()) return;
    (void)admin->Execute(sql::UnsafeDynamic("DROP DATABASE " + dbname_ + " WITH (FORCE)"));
    (void)admin->Execute(sql::UnsafeDynamic("DROP ROLE IF EXISTS owner_" + suffix_));
    (void)admin->Execute(sql::UnsafeDynamic("DROP ROLE IF EXISTS app_" + suffix_));
  }
  // URL of the test database, as the superuser or as `user`.
  std::string Url(const std::string& user = "", const std::string& password = "") const {
    std::string rest = url_.substr(url_.find('@'));
    rest = rest.substr(0, rest.rfind('/') + 1) + dbname_;
    if (user.empty()) return url_.substr(0, url_.find('@')) + rest;
    return "postgresql://" + user + ":" + password + rest;
  }
  Result<Database> Open(const std::string& url) {
    return Database::OpenPostgres(testing::PgOptionsFor(url));
  }

  std::string url_, suffix_, dbname_;
  bool created_ = false;
};

TEST_F(RolesTest, AppRoleCanUseRowsButCannotChangeTheSchema) {
  const std::string owner_pw = "owner-" + suffix_ + "-Pa55word!";
  const std::string app_pw = "app-" + suffix_ + "-Pa55word!!";
  RoleOptions o;
  o.owner_role = "owner_" + suffix_;
  o.app_role = "app_" + suffix_;
  o.owner_password = SecretString::CopyFrom(AsBytes(owner_pw));
  o.app_password = SecretString::CopyFrom(AsBytes(app_pw));
  o.schema = "app";
  {
    Result<Database> admin = Open(Url());
    ASSERT_TRUE(admin.ok());
    ASSERT_OK(SetupPostgresRoles(*admin, o));
    ASSERT_OK(SetupPostgresRoles(*admin, o));  // idempotent
  }
  // The owner runs the migrations.
  {
    Result<Database> owner = Open(Url(o.owner_role, owner_pw));
    ASSERT_TRUE(owner.ok()) << owner.error().ToString();
    const Migration migrations[] = {
        {1, "notes", "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL);"},
        ChangeLogMigration(Backend::kPostgres, 2),
    };
    ASSERT_OK(Migrate(*owner, migrations));
    EXPECT_EQ(owner->QueryRow("SELECT current_schema()")->Get<std::string>(0).value(), "app");
  }
  {
    Result<Database> admin = Open(Url());
    ASSERT_TRUE(admin.ok());
    ASSERT_OK(SetupPostgresRoles(*admin, o));  // append-only rules for the new tables
  }
  Result<Database> app = Open(Url(o.app_role, app_pw));
  ASSERT_TRUE(app.ok()) << app.error().ToString();
  // DML works.
  ASSERT_OK(app->Execute("INSERT INTO notes(id, body) VALUES (?, ?)", 1, "hello"));
  ASSERT_OK(app->Execute("UPDATE notes SET body = ? WHERE id = ?", "edited", 1));
  EXPECT_EQ(app->QueryRow("SELECT body FROM notes")->Get<std::string>(0).value(), "edited");
  // DDL does not.
  for (const auto& attempt : {app->Execute("CREATE TABLE evil (id BIGINT)"),
                              app->Execute("DROP TABLE notes"),
                              app->Execute("ALTER TABLE notes ADD COLUMN x TEXT"),
                              app->Execute("TRUNCATE notes"),
                              app->Execute("CREATE TEMPORARY TABLE scratch (id BIGINT)"),
                              app->Execute("CREATE TABLE public.evil (id BIGINT)"),
                              app->Execute("CREATE SCHEMA evil")}) {
    ASSERT_FALSE(attempt.ok());
    EXPECT_EQ(attempt.error().code(), ErrorCode::kPermissionDenied) << attempt.error().ToString();
  }
  // The audit trail is append-only for the app, and it cannot forge history.
  {
    Result<Transaction> tx = app->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_OK(RecordChange(*tx, {.actor = "user:1", .table = "notes", .row_key = 1}));
    ASSERT_OK(tx->Commit());
  }
  EXPECT_EQ(app->Execute("DELETE FROM bulwark_change_log").error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(app->Execute("UPDATE bulwark_change_log SET actor = ?", "someone").error().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(app->Execute("DELETE FROM bulwark_schema_migrations").error().code(),
            ErrorCode::kPermissionDenied);
  // The role attributes themselves.
  Result<Database> admin = Open(Url());
  ASSERT_TRUE(admin.ok());
  Result<Row> attrs = admin->QueryRow(
      "SELECT rolsuper, rolcreatedb, rolcreaterole, rolinherit FROM pg_roles WHERE rolname = ?",
      o.app_role);
  ASSERT_TRUE(attrs.ok());
  EXPECT_FALSE(attrs->Get<bool>(0).value());
  EXPECT_FALSE(attrs->Get<bool>(1).value());
  EXPECT_FALSE(attrs->Get<bool>(2).value());
  EXPECT_FALSE(attrs->Get<bool>(3).value());
  // Wrong password is refused (SCRAM verifier is real).
  EXPECT_FALSE(Open(Url(o.app_role, "wrong-password-0000")).ok());
}

TEST_F(RolesTest, RejectsBadNamesAndWeakPasswords) {
  Result<Database> admin = Open(Url());
  ASSERT_TRUE(admin.ok());
  RoleOptions o;
  o.owner_role = "owner\"; DROP ROLE postgres; --";
  o.owner_password = SecretString::CopyFrom(AsBytes("0123456789abcdef"));
  o.app_password = SecretString::CopyFrom(AsBytes("0123456789abcdef"));
  EXPECT_EQ(SetupPostgresRoles(*admin, o).error().code(), ErrorCode::kInvalidArgument);
  o.owner_role = "owner_ok";
  o.app_password = SecretString::CopyFrom(AsBytes("short"));
  EXPECT_EQ(SetupPostgresRoles(*admin, o).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::db
