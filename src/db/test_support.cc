#include "test_support.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <string>

namespace bulwark::db::testing {

std::filesystem::path MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "bulwark-db-test.XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  if (made == nullptr) return {};
  return std::filesystem::path(made);
}

std::optional<std::string> PostgresUrl() {
  const char* url = std::getenv("BULWARK_TEST_PG_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

PostgresOptions PgOptionsFor(const std::string& url, const std::string& search_path) {
  PostgresOptions o;
  o.conninfo = SecretString::CopyFrom(AsBytes(url));
  o.ssl_mode = SslMode::kDisable;  // the test server listens on 127.0.0.1 only
  o.application_name = "bulwark-db-test";
  o.search_path = search_path;
  o.pool.max_connections = 4;
  return o;
}

std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

namespace {
std::string RandomSuffix() {
  std::random_device rd;
  std::string s;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 12; ++i) s += hex[rd() % 16];
  return s;
}
}  // namespace

void BackendTest::SetUp() {
  if (backend() == Backend::kSqlite) {
    dir_ = MakeTempDir();
    ASSERT_FALSE(dir_.empty());
    SqliteOptions o;
    o.path = dir_ / "test.db";
    Result<Database> db = Database::OpenSqlite(std::move(o));
    ASSERT_TRUE(db.ok()) << db.error().ToString();
    db_.emplace(std::move(db).value());
    return;
  }
  BULWARK_REQUIRE_POSTGRES();
  schema_ = "t_" + RandomSuffix();
  Result<Database> admin = Database::OpenPostgres(PgOptionsFor(*PostgresUrl()));
  ASSERT_TRUE(admin.ok()) << admin.error().ToString();
  ASSERT_OK(admin->Execute(sql::UnsafeDynamic("CREATE SCHEMA " + schema_)));
  Result<Database> db = Database::OpenPostgres(PgOptionsFor(*PostgresUrl(), schema_));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  db_.emplace(std::move(db).value());
}

void BackendTest::TearDown() {
  db_.reset();
  if (!schema_.empty()) {
    Result<Database> admin = Database::OpenPostgres(PgOptionsFor(*PostgresUrl()));
    if (admin.ok()) {
      (void)admin->Execute(sql::UnsafeDynamic("DROP SCHEMA " + schema_ + " CASCADE"));
    }
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void BackendTest::Schema(const sql::Script& sqlite, const sql::Script& postgres) {
  ASSERT_TRUE(db_.has_value());
  ASSERT_OK(db_->ExecuteScript(backend() == Backend::kSqlite ? sqlite : postgres));
}

Result<Database> BackendTest::OpenAnother(PoolOptions pool) {
  if (backend() == Backend::kSqlite) {
    SqliteOptions o;
    o.path = dir_ / "test.db";
    o.pool = pool;
    return Database::OpenSqlite(std::move(o));
  }
  PostgresOptions o = PgOptionsFor(*PostgresUrl(), schema_);
  o.pool = pool;
  return Database::OpenPostgres(std::move(o));
}

}  // namespace bulwark::db::testing
