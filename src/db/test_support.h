#pragma once
// Test support: the same tests run on SQLite and on PostgreSQL.
// PostgreSQL comes from BULWARK_TEST_PG_URL (scripts/testenv/postgres.sh).
// Without it, PostgreSQL tests are SKIPPED with a reason, except under CI
// (CI=true), where a missing PostgreSQL is a failure.

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

#include "bulwark/db/database.h"

namespace bulwark::db::testing {

// Path of a fresh private (0700) temporary directory; removed by the fixture.
std::filesystem::path MakeTempDir();

// The superuser URL, or nullopt (the caller skips or fails, see above).
std::optional<std::string> PostgresUrl();
bool InCi();
inline constexpr const char* kNoPostgresReason =
    "PostgreSQL not configured: set BULWARK_TEST_PG_URL (scripts/test.sh starts a "
    "throwaway cluster through scripts/testenv/postgres.sh)";

// Skips the test (or fails it under CI=true) when PostgreSQL is not configured.
#define BULWARK_REQUIRE_POSTGRES()                                                  \
  do {                                                                              \
    if (!::bulwark::db::testing::PostgresUrl()) {                                   \
      if (::bulwark::db::testing::InCi()) {                                         \
        FAIL() << "CI=true but " << ::bulwark::db::testing::kNoPostgresReason;      \
      }                                                                             \
      GTEST_SKIP() << ::bulwark::db::testing::kNoPostgresReason;                    \
    }                                                                               \
  } while (false)

PostgresOptions PgOptionsFor(const std::string& url, const std::string& search_path = "");

class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  Backend backend() const { return GetParam(); }
  // Runs the script matching the backend (DDL differs: BLOB/BYTEA, ...).
  void Schema(const sql::Script& sqlite, const sql::Script& postgres);
  // Opens another Database on the same store (same file / same schema).
  Result<Database> OpenAnother(PoolOptions pool = {});

  std::optional<Database> db_;
  std::filesystem::path dir_;
  std::string schema_;  // PostgreSQL: per-test schema
};

std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info);

#define BULWARK_INSTANTIATE_BACKENDS(Suite)                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                           \
                           ::testing::Values(::bulwark::db::Backend::kSqlite,         \
                                             ::bulwark::db::Backend::kPostgres),      \
                           ::bulwark::db::testing::BackendParamName)

#define ASSERT_OK(expr)                                              \
  do {                                                               \
    auto bulwark_r_ = (expr);                                        \
    ASSERT_TRUE(bulwark_r_.ok()) << bulwark_r_.error().ToString();   \
  } while (false)
#define EXPECT_OK(expr)                                              \
  do {                                                               \
    auto bulwark_r_ = (expr);                                        \
    EXPECT_TRUE(bulwark_r_.ok()) << bulwark_r_.error().ToString();   \
  } while (false)

}  // namespace bulwark::db::testing
