#include "bulwark/db/database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

namespace bulwark::db {
namespace {

using ::testing::HasSubstr;
using testing::BackendTest;

constexpr sql::Script kItemsSqlite(R"sql(
  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    score REAL,
    flag INTEGER,
    data BLOB,
    at INTEGER,
    note TEXT
  );
  CREATE TABLE tags (
    item_id INTEGER NOT NULL REFERENCES items(id),
    tag TEXT NOT NULL
  );
)sql");
constexpr sql::Script kItemsPostgres(R"sql(
  CREATE TABLE items (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    score DOUBLE PRECISION,
    flag BOOLEAN,
    data BYTEA,
    at BIGINT,
    note TEXT
  );
  CREATE TABLE tags (
    item_id BIGINT NOT NULL REFERENCES items(id),
    tag TEXT NOT NULL
  );
)sql");

class DatabaseTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Schema(kItemsSqlite, kItemsPostgres);
  }
  std::int64_t CountItems() {
    Result<Row> row = db_->QueryRow("SELECT COUNT(*) FROM items");
    EXPECT_TRUE(row.ok());
    if (!row.ok()) return -1;
    return row->Get<std::int64_t>(0).value_or(-1);
  }
};
BULWARK_INSTANTIATE_BACKENDS(DatabaseTest);

TEST_P(DatabaseTest, RoundTripsEveryType) {
  const Bytes blob = {0x00, 0xff, 0x10, 0x27, 0x5c, 0x78};  // includes NUL and "\x"
  const Timestamp at = Timestamp(std::chrono::microseconds(1'700'000'000'123'456));
  ASSERT_OK(db_->Execute(
      "INSERT INTO items(id, name, score, flag, data, at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
      std::int64_t{1} << 40, std::string("caf\xc3\xa9"), 2.5, true, blob, at,
      std::optional<std::string>()));
  Result<Row> row = db_->QueryRow(
      "SELECT id, name, score, flag, data, at, note FROM items WHERE id = ?", std::int64_t{1} << 40);
  ASSERT_TRUE(row.ok()) << row.error().ToString();
  EXPECT_EQ(row->Get<std::int64_t>(0).value(), std::int64_t{1} << 40);
  EXPECT_EQ(row->Get<std::string>("name").value(), "caf\xc3\xa9");
  EXPECT_EQ(row->Get<double>(2).value(), 2.5);
  EXPECT_EQ(row->Get<bool>(3).value(), true);
  EXPECT_EQ(row->Get<Bytes>(4).value(), blob);
  EXPECT_EQ(row->Get<Timestamp>(5).value(), at);
  EXPECT_EQ(row->Get<std::optional<std::string>>(6).value(), std::nullopt);
  EXPECT_EQ(row->Get<SecretString>(1).value().Reveal(InsecureSecretAccess()), "caf\xc3\xa9");
}

TEST_P(DatabaseTest, EmptyValuesAreNotNull) {
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, data, note) VALUES (?, ?, ?, ?)", 1, "",
                         Bytes{}, std::string()));
  Result<Row> row = db_->QueryRow("SELECT name, data, note FROM items WHERE id = ?", 1);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->Get<std::string>(0).value(), "");
  EXPECT_EQ(row->Get<Bytes>(1).value(), Bytes{});
  EXPECT_EQ(row->Get<std::optional<std::string>>(2).value(), std::optional<std::string>(""));
  // A default-constructed string_view (null data()) is an empty text too,
  // not NULL: `note <> ?` with it must match the non-empty notes.
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, note) VALUES (?, ?, ?)", 2, "second", std::string_view()));
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, note) VALUES (?, ?, ?)", 3, "third", "kept"));
  Result<Row> view = db_->QueryRow("SELECT note FROM items WHERE id = ?", 2);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->Get<std::optional<std::string>>(0).value(), std::optional<std::string>(""));
  Result<Row> other = db_->QueryRow("SELECT COUNT(*) FROM items WHERE note <> ?", std::string_view());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->Get<std::int64_t>(0).value(), 1);
}

TEST_P(DatabaseTest, InjectionStringsAreStoredAndReadBackVerbatim) {
  const std::vector<std::string> payloads = {
      "' OR '1'='1",
      "'; DROP TABLE items; --",
      "\"; DROP TABLE items; --",
      "1; DELETE FROM items",
      "Robert'); DROP TABLE tags;--",
      "?",
      "$1",
      "$$; DROP TABLE items; $$",
      ":name @name {} {x}",
      "/* comment */ -- comment",
      "\\'; SELECT pg_sleep(10); --",
      "' UNION SELECT name, name, name FROM items --",
      "%_\\%",
      "E'\\x00'",
      "x' AND 1=CAST((SELECT version()) AS INT) --",
      "\xe2\x80\x8b\xef\xbb\xbf zero-width and BOM",
      "multi\nline\r\ntext\t",
  };
  std::int64_t id = 0;
  for (const std::string& p : payloads) {
    ++id;
    ASSERT_OK(db_->Execute("INSERT INTO items(id, name, note) VALUES (?, ?, ?)", id,
                           std::to_string(id) + p, p));
    ASSERT_OK(db_->Execute("INSERT INTO tags(item_id, tag) VALUES (?, ?)", id, p));
  }
  id = 0;
  for (const std::string& p : payloads) {
    ++id;
    Result<Row> row = db_->QueryRow("SELECT name, note FROM items WHERE note = ? AND id = ?", p, id);
    ASSERT_TRUE(row.ok()) << "payload " << id << ": " << row.error().ToString();
    EXPECT_EQ(row->Get<std::string>(0).value(), std::to_string(id) + p);
    EXPECT_EQ(row->Get<std::string>(1).value(), p);
    Result<Row> tag = db_->QueryRow("SELECT tag FROM tags WHERE item_id = ?", id);
    ASSERT_TRUE(tag.ok());
    EXPECT_EQ(tag->Get<std::string>(0).value(), p);
  }
  EXPECT_EQ(CountItems(), static_cast<std::int64_t>(payloads.size()));
  // A payload used as a lookup key matches only itself.
  Result<Rows> none = db_->Query("SELECT id FROM items WHERE name = ?", std::string("' OR '1'='1"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(DatabaseTest, TypeMismatchErrorsNameTheColumnAndKinds) {
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, score) VALUES (?, ?, ?)", 1, "n", 1e300));
  Result<Row> row = db_->QueryRow("SELECT id, name, score, note FROM items");
  ASSERT_TRUE(row.ok());
  Result<std::int64_t> wrong = row->Get<std::int64_t>(1);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(wrong.error().message(), "column 1 (name): expected integer, got text");
  Result<std::string> null = row->Get<std::string>("note");
  ASSERT_FALSE(null.ok());
  EXPECT_THAT(null.error().message(), HasSubstr("is NULL: read it as std::optional"));
  EXPECT_FALSE(row->Get<std::int64_t>(2).ok());  // real is not an integer
  EXPECT_FALSE(row->Get<int>(9).ok());
  EXPECT_FALSE(row->Get<int>("missing").ok());
  ASSERT_OK(db_->Execute("UPDATE items SET at = ? WHERE id = ?", std::int64_t{1} << 40, 1));
  Result<Row> at = db_->QueryRow("SELECT at FROM items");
  ASSERT_TRUE(at.ok());
  Result<std::int32_t> narrow = at->Get<std::int32_t>(0);
  ASSERT_FALSE(narrow.ok());
  EXPECT_THAT(narrow.error().message(), HasSubstr("out of range"));
}

TEST_P(DatabaseTest, TakeMovesTextOutAndChecksKindsLikeGet) {
  const std::string long_text(100, 'y');  // beyond the small-string buffer
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, note) VALUES (?, ?, ?)", 1, long_text,
                         std::optional<std::string>()));
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, note) VALUES (?, ?, ?)", 2, "s", "short"));
  auto row = [&](int id) {
    Result<Row> r = db_->QueryRow("SELECT id, name, note FROM items WHERE id = ?", id);
    EXPECT_TRUE(r.ok());
    return std::move(r).value();
  };
  EXPECT_EQ(row(1).Take<std::string>(1).value(), long_text);
  EXPECT_EQ(row(1).Take<std::string>("name").value(), long_text);
  EXPECT_EQ(row(2).Take<std::string>("note").value(), "short");
  EXPECT_EQ(row(2).Take<std::optional<std::string>>(2).value(), std::optional<std::string>("short"));
  EXPECT_EQ(row(1).Take<std::optional<std::string>>(2).value(), std::nullopt);
  EXPECT_EQ(row(1).Take<std::int64_t>(0).value(), 1);
  // The other columns of the Row are still there after one is taken.
  Row taken = row(2);
  EXPECT_EQ(std::move(taken).Take<std::string>(1).value(), "s");
  EXPECT_EQ(taken.Get<std::int64_t>(0).value(), 2);         // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(taken.Get<std::string>(2).value(), "short");  // NOLINT(bugprone-use-after-move)

  // The same errors as Get: a kind mismatch names the column and both kinds,
  // NULL needs std::optional, and a missing column is refused.
  Result<std::string> mismatch = row(1).Take<std::string>(0);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(mismatch.error().message(), "column 0 (id): expected text, got integer");
  Result<std::int64_t> not_integer = row(1).Take<std::int64_t>(1);
  ASSERT_FALSE(not_integer.ok());
  EXPECT_EQ(not_integer.error().message(), "column 1 (name): expected integer, got text");
  Result<std::string> null = row(1).Take<std::string>("note");
  ASSERT_FALSE(null.ok());
  EXPECT_THAT(null.error().message(), HasSubstr("is NULL: read it as std::optional"));
  EXPECT_EQ(row(1).Take<std::string>(3).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(row(1).Take<std::string>("missing").error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(DatabaseTest, SortColumnComesFromAnAllowlistedEnum) {
  enum class ItemSort { kName, kScore };
  static constexpr sql::IdentifierMap<ItemSort, 2> kItemSort{
      {{{ItemSort::kName, "name"}, {ItemSort::kScore, "score"}}}};
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, score) VALUES (?, ?, ?)", 1, "b", 1.0));
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, score) VALUES (?, ?, ?)", 2, "a", 3.0));
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, score) VALUES (?, ?, ?)", 3, "c", 2.0));
  auto ids = [&](ItemSort sort, sql::SortDirection dir) {
    std::vector<std::int64_t> out;
    Result<Rows> rows = db_->Query("SELECT id FROM items ORDER BY {} {} LIMIT ?", kItemSort[sort],
                                   dir, 10);
    EXPECT_TRUE(rows.ok()) << rows.error().ToString();
    if (!rows.ok()) return out;
    for (const Row& r : *rows) out.push_back(r.Get<std::int64_t>(0).value());
    return out;
  };
  EXPECT_EQ(ids(ItemSort::kName, sql::SortDirection::kAscending), (std::vector<std::int64_t>{2, 1, 3}));
  EXPECT_EQ(ids(ItemSort::kScore, sql::SortDirection::kDescending),
            (std::vector<std::int64_t>{2, 3, 1}));
}

TEST_P(DatabaseTest, TransactionCommitsOnlyWhenAsked) {
  {
    Result<Transaction> tx = db_->Begin();
    ASSERT_TRUE(tx.ok()) << tx.error().ToString();
    ASSERT_OK(tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 1, "kept"));
    ASSERT_OK(tx->Commit());
    EXPECT_FALSE(tx->Commit().ok());  // already finished
  }
  {
    Result<Transaction> tx = db_->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_OK(tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 2, "dropped"));
    // Visible inside the transaction, not outside.
    EXPECT_EQ(tx->QueryRow("SELECT COUNT(*) FROM items")->Get<int>(0).value(), 2);
    EXPECT_EQ(CountItems(), 1);
  }  // destroyed without Commit: rolled back
  EXPECT_EQ(CountItems(), 1);
  {
    Result<Transaction> tx = db_->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_OK(tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 3, "x"));
    ASSERT_OK(tx->Rollback());
  }
  EXPECT_EQ(CountItems(), 1);
}

TEST_P(DatabaseTest, FailedStatementPoisonsTheTransaction) {
  Result<Transaction> tx = db_->Begin();
  ASSERT_TRUE(tx.ok());
  ASSERT_OK(tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 1, "first"));
  Result<std::int64_t> dup = tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 2, "first");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  Result<std::int64_t> after = tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 3, "third");
  EXPECT_EQ(after.error().code(), ErrorCode::kFailedPrecondition);
  Result<void> commit = tx->Commit();
  ASSERT_FALSE(commit.ok());
  EXPECT_EQ(commit.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(CountItems(), 0);  // no partial write
}

TEST_P(DatabaseTest, HostileParametersFailCleanlyWithoutPartialWrites) {
  Result<Transaction> tx = db_->Begin();
  ASSERT_TRUE(tx.ok());
  ASSERT_OK(tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 1, "ok"));
  Result<std::int64_t> bad_utf8 =
      tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 2, std::string("\xc3\x28"));
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_EQ(bad_utf8.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_utf8.error().message(),
            "parameter 2: text is not valid UTF-8 (bind bytes as a blob)");
  EXPECT_FALSE(tx->Commit().ok());
  EXPECT_EQ(CountItems(), 0);

  Result<std::int64_t> nul =
      db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 3, std::string("a\0b", 3));
  EXPECT_EQ(nul.error().code(), ErrorCode::kInvalidArgument);
  Result<std::int64_t> big = db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)",
                                          std::uint64_t{1} << 63, "big");
  EXPECT_EQ(big.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CountItems(), 0);
}

// The text check's fast path reads 16 bytes at a time: every length around
// its block sizes, with a NUL, a stray high byte or valid UTF-8 at every
// position.
TEST(TextCheck, FindsABadByteAtEveryLengthAndPosition) {
  for (std::size_t n = 0; n <= 200; ++n) {
    const std::string plain(n, 'a');
    EXPECT_EQ(internal::TextProblem(plain), nullptr) << n;
    for (std::size_t k = 0; k < n; ++k) {
      for (const char bad : {'\0', '\x80', '\xff', '\xc3'}) {
        std::string t = plain;
        t[k] = bad;
        EXPECT_NE(internal::TextProblem(t), nullptr) << n << " " << k << " " << int{bad};
      }
      if (k + 1 < n) {
        std::string utf8 = plain;
        utf8[k] = '\xc3';
        utf8[k + 1] = '\xa9';
        EXPECT_EQ(internal::TextProblem(utf8), nullptr) << n << " " << k;
      }
    }
  }
}

TEST_P(DatabaseTest, ConstraintViolationsMapToErrorCodes) {
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 1, "a"));
  Result<std::int64_t> unique = db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 2, "a");
  EXPECT_EQ(unique.error().code(), ErrorCode::kAlreadyExists);
  Result<std::int64_t> fk = db_->Execute("INSERT INTO tags(item_id, tag) VALUES (?, ?)", 99, "t");
  ASSERT_FALSE(fk.ok());
  EXPECT_EQ(fk.error().code(), ErrorCode::kFailedPrecondition) << fk.error().ToString();
  Result<std::int64_t> not_null =
      db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 3, std::nullopt);
  EXPECT_EQ(not_null.error().code(), ErrorCode::kInvalidArgument);
  // Error messages never echo values.
  Result<std::int64_t> secret_dup =
      db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 1, "s3cr3t-value");
  ASSERT_FALSE(secret_dup.ok());
  EXPECT_THAT(secret_dup.error().message(), ::testing::Not(HasSubstr("s3cr3t")));
}

TEST_P(DatabaseTest, QueryRowNeedsExactlyOneRow) {
  EXPECT_EQ(db_->QueryRow("SELECT id FROM items").error().code(), ErrorCode::kNotFound);
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 1, "a"));
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name) VALUES (?, ?)", 2, "b"));
  EXPECT_EQ(db_->QueryRow("SELECT id FROM items").error().code(), ErrorCode::kFailedPrecondition);
}

// More parameters than either backend keeps in place bind the same way.
TEST_P(DatabaseTest, ManyParametersBind) {
  Result<Row> row = db_->QueryRow("SELECT ? + ? + ? + ? + ? + ? + ? + ? + ? + ?, ?", 1, 2, 3, 4, 5, 6,
                                  7, 8, 9, 10, std::string("eleventh"));
  ASSERT_TRUE(row.ok()) << row.error().ToString();
  EXPECT_EQ(row->Get<std::int64_t>(0).value(), 55);
  EXPECT_EQ(row->Get<std::string>(1).value(), "eleventh");
}

TEST_P(DatabaseTest, AffectedRowsAreCounted) {
  for (int i = 1; i <= 3; ++i) {
    ASSERT_OK(db_->Execute("INSERT INTO items(id, name, score) VALUES (?, ?, ?)", i,
                           "n" + std::to_string(i), 1.0));
  }
  EXPECT_EQ(db_->Execute("UPDATE items SET score = ? WHERE id >= ?", 2.0, 2).value(), 2);
  EXPECT_EQ(db_->Execute("DELETE FROM items WHERE id = ?", 1).value(), 1);
  EXPECT_EQ(db_->Query("SELECT id FROM items")->affected(), 0);
  // Execute of a SELECT runs it and changes nothing; in a transaction too.
  EXPECT_EQ(db_->Execute("SELECT id FROM items WHERE id >= ?", 0).value(), 0);
  Result<Transaction> tx = db_->Begin();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(tx->Execute("UPDATE items SET score = ? WHERE id >= ?", 3.0, 0).value(), 2);
  EXPECT_EQ(tx->Execute("SELECT id FROM items").value(), 0);
  ASSERT_OK(tx->Commit());
  EXPECT_EQ(db_->Execute("DELETE FROM items WHERE id >= ?", 0).value(), 2);
}

TEST_P(DatabaseTest, UnsafeDynamicIsCheckedAtExecution) {
  const std::string table = "items";
  EXPECT_OK(db_->Query(sql::UnsafeDynamic("SELECT COUNT(*) FROM " + table + " WHERE id > ?"), 0));
  Result<Rows> wrong_count = db_->Query(sql::UnsafeDynamic("SELECT id FROM items WHERE id = ?"));
  EXPECT_EQ(wrong_count.error().code(), ErrorCode::kInvalidArgument);
  Result<Rows> stacked = db_->Query(sql::UnsafeDynamic("SELECT 1; DROP TABLE items"));
  EXPECT_EQ(stacked.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CountItems(), 0);  // table still there
}

TEST_P(DatabaseTest, LargeBlobRoundTrips) {
  Bytes big(1 << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 31 + 7);
  ASSERT_OK(db_->Execute("INSERT INTO items(id, name, data) VALUES (?, ?, ?)", 1, "big", big));
  EXPECT_EQ(db_->QueryRow("SELECT data FROM items")->Get<Bytes>(0).value(), big);
}

TEST_P(DatabaseTest, StatementCacheEvictsAndStaysCorrect) {
  for (int i = 0; i < 300; ++i) {
    // Distinct texts overflow the cache (64 / 128 entries).
    Result<Row> row = db_->QueryRow(sql::UnsafeDynamic("SELECT ? + " + std::to_string(i)), 1);
    ASSERT_TRUE(row.ok()) << row.error().ToString();
    EXPECT_EQ(row->Get<std::int64_t>(0).value(), i + 1);
  }
  for (int i = 0; i < 500; ++i) {
    ASSERT_OK(db_->QueryRow("SELECT COUNT(*) FROM items WHERE id > ?", i));
  }
}

TEST_P(DatabaseTest, PoolWaitIsBounded) {
  PoolOptions pool;
  pool.max_connections = 1;
  pool.acquire_timeout = std::chrono::milliseconds(100);
  Result<Database> small = OpenAnother(pool);
  ASSERT_TRUE(small.ok()) << small.error().ToString();
  Result<Transaction> held = small->Begin();
  ASSERT_TRUE(held.ok());
  const auto start = std::chrono::steady_clock::now();
  Result<Rows> waited = small->Query("SELECT 1");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_GE(elapsed, std::chrono::milliseconds(90));
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  ASSERT_OK(held->Commit());
  { Transaction released = std::move(held).value(); }
  EXPECT_OK(small->Query("SELECT 1"));
}

TEST_P(DatabaseTest, ConcurrentWritersThroughThePool) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int id = t * 1000 + i;
        Result<Transaction> tx = db_->Begin();
        if (!tx.ok() ||
            !tx->Execute("INSERT INTO items(id, name) VALUES (?, ?)", id, std::to_string(id)).ok() ||
            !tx->Commit().ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountItems(), kThreads * kPerThread);
}

TEST_P(DatabaseTest, PingAndStats) {
  ASSERT_OK(db_->Ping());
  const PoolStats stats = db_->Stats();
  EXPECT_GE(stats.open, 1u);
  EXPECT_GE(stats.created, 1u);
}

// ---- SQLite specifics

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir(); }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
};

mode_t ModeOf(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0);
  return st.st_mode & 0777;
}

TEST_F(SqliteTest, CreatesPrivateFileInPrivateDirectory) {
  SqliteOptions o;
  o.path = dir_ / "nested" / "deeper" / "app.db";
  Result<Database> db = Database::OpenSqlite(o);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_EQ(ModeOf(dir_ / "nested"), 0700u);
  EXPECT_EQ(ModeOf(dir_ / "nested" / "deeper"), 0700u);
  EXPECT_EQ(ModeOf(o.path), 0600u);
  ASSERT_OK(db->Execute("CREATE TABLE t(x INTEGER)"));
  ASSERT_OK(db->Execute("INSERT INTO t(x) VALUES (?)", 1));
  EXPECT_EQ(ModeOf(o.path.string() + "-wal"), 0600u);
}

TEST_F(SqliteTest, PragmasAreSecure) {
  SqliteOptions o;
  o.path = dir_ / "app.db";
  Result<Database> db = Database::OpenSqlite(o);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db->QueryRow("PRAGMA journal_mode")->Get<std::string>(0).value(), "wal");
  EXPECT_EQ(db->QueryRow("PRAGMA foreign_keys")->Get<int>(0).value(), 1);
  EXPECT_EQ(db->QueryRow("PRAGMA secure_delete")->Get<int>(0).value(), 1);
  EXPECT_EQ(db->QueryRow("PRAGMA busy_timeout")->Get<int>(0).value(), 5000);
  EXPECT_EQ(db->QueryRow("PRAGMA trusted_schema")->Get<int>(0).value(), 0);
  EXPECT_EQ(db->QueryRow("PRAGMA synchronous")->Get<int>(0).value(), 2);  // FULL
  // Double-quoted strings are identifiers only (as in PostgreSQL).
  EXPECT_FALSE(db->Query("SELECT \"no such column\"").ok());
  // No ATTACH of other files.
  EXPECT_FALSE(db->Execute("ATTACH DATABASE 'other.db' AS other").ok());
}

TEST_F(SqliteTest, RefusesFilesAndDirectoriesOthersCanReach) {
  const auto file = dir_ / "loose.db";
  std::ofstream(file).put('\0');
  ::chmod(file.c_str(), 0644);
  SqliteOptions o;
  o.path = file;
  Result<Database> loose = Database::OpenSqlite(o);
  ASSERT_FALSE(loose.ok());
  EXPECT_EQ(loose.error().code(), ErrorCode::kPermissionDenied);

  const auto shared_dir = dir_ / "shared";
  ASSERT_EQ(::mkdir(shared_dir.c_str(), 0777), 0);
  ::chmod(shared_dir.c_str(), 0777);
  o.path = shared_dir / "app.db";
  Result<Database> in_shared = Database::OpenSqlite(o);
  ASSERT_FALSE(in_shared.ok());
  EXPECT_EQ(in_shared.error().code(), ErrorCode::kPermissionDenied);

  const auto target = dir_ / "target.db";
  std::filesystem::create_symlink(target, dir_ / "link.db");
  o.path = dir_ / "link.db";
  EXPECT_FALSE(Database::OpenSqlite(o).ok());

  o.path = dir_ / "missing.db";
  o.create = false;
  EXPECT_EQ(Database::OpenSqlite(o).error().code(), ErrorCode::kNotFound);
  o.path = ":memory:";
  EXPECT_EQ(Database::OpenSqlite(o).error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SqliteTest, StatementTimeoutInterruptsLongQueries) {
  SqliteOptions o;
  o.path = dir_ / "app.db";
  o.statement_timeout = std::chrono::milliseconds(50);
  Result<Database> db = Database::OpenSqlite(o);
  ASSERT_TRUE(db.ok());
  Result<Rows> slow = db->Query(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c");
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code(), ErrorCode::kDeadlineExceeded);
  EXPECT_OK(db->Query("SELECT 1"));  // the connection is still usable
}

TEST_F(SqliteTest, MaxRowsIsEnforced) {
  SqliteOptions o;
  o.path = dir_ / "app.db";
  o.max_rows = 10;
  Result<Database> db = Database::OpenSqlite(o);
  ASSERT_TRUE(db.ok());
  Result<Rows> many = db->Query(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 11) SELECT x FROM c");
  EXPECT_EQ(many.error().code(), ErrorCode::kResourceExhausted);
  // Execute does not keep the rows but still counts them against max_rows,
  // in a transaction too (where the failure poisons it).
  Result<std::int64_t> executed = db->Execute(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 11) SELECT x FROM c");
  EXPECT_EQ(executed.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(db->Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) "
                        "SELECT x FROM c")
                .value(),
            0);
  Result<Transaction> tx = db->Begin();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(tx->Execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 11) "
                        "SELECT x FROM c")
                .error()
                .code(),
            ErrorCode::kResourceExhausted);
  EXPECT_FALSE(tx->active());
  EXPECT_EQ(tx->Commit().error().code(), ErrorCode::kFailedPrecondition);
}

// QueryRow skips SQLite's step to the end only where the schema proves one
// row at most (a lookup by the whole primary key). Everywhere else, and
// after the schema changes, a second row is still found and refused.
TEST_F(SqliteTest, QueryRowFindsSecondRowsUnlessTheKeyRulesThemOut) {
  SqliteOptions o;
  o.path = dir_ / "app.db";
  o.pool.max_connections = 1;  // one connection: its statement cache and temp tables
  Result<Database> opened = Database::OpenSqlite(o);
  ASSERT_TRUE(opened.ok());
  Database& db = *opened;
  ASSERT_OK(db.ExecuteScript(sql::Script(R"sql(
    CREATE TABLE k (id INTEGER PRIMARY KEY, name TEXT, v INTEGER);
    CREATE TABLE pair (a INTEGER, b INTEGER, v INTEGER, PRIMARY KEY (a, b));
    CREATE TABLE coll (k TEXT COLLATE NOCASE, v INTEGER, PRIMARY KEY (k COLLATE BINARY));
    CREATE TABLE tk (k TEXT PRIMARY KEY, v INTEGER);
    CREATE TABLE wr (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID;
    CREATE TABLE later (k INTEGER PRIMARY KEY, v INTEGER);
    CREATE VIEW twice AS SELECT id, v FROM k UNION ALL SELECT id, v FROM k;
    INSERT INTO k VALUES (1, 'a', 10), (2, 'a', 20);
    INSERT INTO pair VALUES (1, 1, 10), (1, 2, 20);
    INSERT INTO coll VALUES ('a', 10), ('A', 20);
    INSERT INTO tk VALUES (NULL, 10), (NULL, 20), ('x', 30);
    INSERT INTO wr VALUES ('x', 30);
    INSERT INTO later VALUES (1, 10);
  )sql")));
  // Lookups by the key: one row, or none.
  for (int round = 0; round < 2; ++round) {  // the second round runs the cached statements
    EXPECT_EQ(db.QueryRow("SELECT v FROM k WHERE id = ?", 2)->Get<int>(0).value(), 20);
    EXPECT_EQ(db.QueryRow("SELECT * FROM k WHERE id = ?", 3).error().code(), ErrorCode::kNotFound);
    EXPECT_EQ(db.QueryRow("select v from tk where K = ?;", "x")->Get<int>(0).value(), 30);
    EXPECT_EQ(db.QueryRow("SELECT v FROM tk WHERE k = ?", std::optional<std::string>()).error().code(),
              ErrorCode::kNotFound);  // NULL keys equal nothing
    EXPECT_EQ(db.QueryRow("SELECT v FROM wr WHERE k = ?", "x")->Get<int>(0).value(), 30);
    EXPECT_EQ(db.QueryRow("SELECT v FROM later WHERE k = ?", 1)->Get<int>(0).value(), 10);
  }
  // Same shape, no proof: a column that is not the key, part of a key, a
  // key under another collation than the comparison, a view.
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(db.QueryRow("SELECT v FROM k WHERE name = ?", "a").error().code(),
              ErrorCode::kFailedPrecondition);
    EXPECT_EQ(db.QueryRow("SELECT v FROM pair WHERE a = ?", 1).error().code(),
              ErrorCode::kFailedPrecondition);
    EXPECT_EQ(db.QueryRow("SELECT v FROM coll WHERE k = ?", "a").error().code(),
              ErrorCode::kFailedPrecondition);
    EXPECT_EQ(db.QueryRow("SELECT v FROM twice WHERE id = ?", 1).error().code(),
              ErrorCode::kFailedPrecondition);
  }
  // A temp table of the same name comes first, as SQLite resolves the name.
  ASSERT_OK(db.ExecuteScript(sql::Script(
      "CREATE TEMP TABLE wr (k TEXT, v INTEGER); INSERT INTO wr VALUES ('x', 1), ('x', 2);")));
  EXPECT_EQ(db.QueryRow("SELECT v FROM wr WHERE k = ?", "x").error().code(),
            ErrorCode::kFailedPrecondition);
  // The schema changes under a cached, proven statement: the key is gone.
  ASSERT_OK(db.ExecuteScript(sql::Script(
      "DROP TABLE later; CREATE TABLE later (k INTEGER, v INTEGER);"
      "INSERT INTO later VALUES (1, 10), (1, 20);")));
  EXPECT_EQ(db.QueryRow("SELECT v FROM later WHERE k = ?", 1).error().code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(db.QueryRow("SELECT v FROM later WHERE k = ?", 1).error().code(),
            ErrorCode::kFailedPrecondition);
  // And back to a key: one row again.
  ASSERT_OK(db.ExecuteScript(sql::Script(
      "DROP TABLE later; CREATE TABLE later (k INTEGER PRIMARY KEY, v INTEGER);"
      "INSERT INTO later VALUES (1, 10), (2, 20);")));
  EXPECT_EQ(db.QueryRow("SELECT v FROM later WHERE k = ?", 2)->Get<int>(0).value(), 20);
  EXPECT_EQ(db.QueryRow("SELECT v FROM later WHERE k = ?", 2)->Get<int>(0).value(), 20);
}

// A cached `SELECT *` after the table changes: SQLite re-prepares it, and
// the rows carry the new columns with their new names.
TEST_F(SqliteTest, CachedStatementsFollowSchemaChanges) {
  SqliteOptions o;
  o.path = dir_ / "app.db";
  o.pool.max_connections = 1;  // one connection, one statement cache
  Result<Database> opened = Database::OpenSqlite(o);
  ASSERT_TRUE(opened.ok());
  Database& db = *opened;
  ASSERT_OK(db.ExecuteScript(sql::Script(
      "CREATE TABLE s (id INTEGER PRIMARY KEY, b INTEGER); INSERT INTO s VALUES (1, 2);")));
  auto names = [](const Rows& rows) { return rows.columns(); };
  Result<Rows> before = db.Query("SELECT * FROM s");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(names(*before), (std::vector<std::string>{"id", "b"}));
  ASSERT_OK(db.QueryRow("SELECT * FROM s WHERE id = ?", 1));

  ASSERT_OK(db.Execute("ALTER TABLE s ADD COLUMN c INTEGER DEFAULT 3"));
  Result<Rows> added = db.Query("SELECT * FROM s");
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(names(*added), (std::vector<std::string>{"id", "b", "c"}));
  ASSERT_EQ((*added)[0].size(), 3u);
  EXPECT_EQ((*added)[0].Get<int>(2).value(), 3);
  EXPECT_EQ((*added)[0].column_name(2), "c");
  Result<Row> one = db.QueryRow("SELECT * FROM s WHERE id = ?", 1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 3u);
  EXPECT_EQ(one->Get<int>("c").value(), 3);

  ASSERT_OK(db.Execute("ALTER TABLE s RENAME COLUMN b TO bee"));
  Result<Rows> renamed = db.Query("SELECT * FROM s");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(names(*renamed), (std::vector<std::string>{"id", "bee", "c"}));
  EXPECT_EQ((*renamed)[0].Get<int>("bee").value(), 2);
  EXPECT_FALSE((*renamed)[0].Get<int>("b").ok());
  one = db.QueryRow("SELECT * FROM s WHERE id = ?", 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->Get<int>("bee").value(), 2);
}

// ---- PostgreSQL specifics

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override { BULWARK_REQUIRE_POSTGRES(); }
};

TEST_F(PostgresTest, SetsApplicationNameAndStatementTimeout) {
  PostgresOptions o = testing::PgOptionsFor(*testing::PostgresUrl());
  o.application_name = "bulwark-app";
  o.statement_timeout = std::chrono::milliseconds(100);
  Result<Database> db = Database::OpenPostgres(std::move(o));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_EQ(db->QueryRow("SELECT current_setting('application_name')")->Get<std::string>(0).value(),
            "bulwark-app");
  Result<Rows> slow = db->Query("SELECT pg_sleep(?)", 2.0);
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().code(), ErrorCode::kDeadlineExceeded) << slow.error().ToString();
  EXPECT_OK(db->Query("SELECT 1"));
}

TEST_F(PostgresTest, SslDisableOnlyForLoopback) {
  PostgresOptions o;
  o.conninfo = SecretString::CopyFrom(AsBytes("host=db.example.com dbname=app user=app"));
  o.ssl_mode = SslMode::kDisable;
  Result<Database> db = Database::OpenPostgres(std::move(o));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(PostgresTest, VerifyFullIsEnforced) {
  // The default is verify-full: a server without a certificate the client
  // trusts is refused.
  PostgresOptions o = testing::PgOptionsFor(*testing::PostgresUrl());
  o.ssl_mode = SslMode::kVerifyFull;
  o.ssl_root_cert = "/nonexistent/root.crt";
  Result<Database> refused = Database::OpenPostgres(std::move(o));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnavailable);

  const char* root = std::getenv("BULWARK_TEST_PG_SSL_ROOT_CERT");
  if (root == nullptr || *root == '\0') {
    GTEST_SKIP() << "BULWARK_TEST_PG_SSL_ROOT_CERT not set: verify-full success path not tested";
  }
  PostgresOptions ok = testing::PgOptionsFor(*testing::PostgresUrl());
  ok.ssl_mode = SslMode::kVerifyFull;
  ok.ssl_root_cert = root;
  Result<Database> db = Database::OpenPostgres(std::move(ok));
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  EXPECT_TRUE(db->QueryRow("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                  ->Get<bool>(0)
                  .value());
}

TEST_F(PostgresTest, HealthCheckReplacesDeadConnections) {
  PostgresOptions o = testing::PgOptionsFor(*testing::PostgresUrl());
  o.pool.max_connections = 1;
  o.pool.health_check_after_idle = std::chrono::milliseconds(0);
  Result<Database> db = Database::OpenPostgres(std::move(o));
  ASSERT_TRUE(db.ok());
  const std::int64_t pid = db->QueryRow("SELECT pg_backend_pid()")->Get<std::int64_t>(0).value();
  Result<Database> admin = Database::OpenPostgres(testing::PgOptionsFor(*testing::PostgresUrl()));
  ASSERT_TRUE(admin.ok());
  ASSERT_OK(admin->Query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", pid));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  Result<Row> again = db->QueryRow("SELECT pg_backend_pid()");
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_NE(again->Get<std::int64_t>(0).value(), pid);
  EXPECT_GE(db->Stats().discarded, 1u);
}

TEST_F(PostgresTest, RejectsBadOptions) {
  PostgresOptions o = testing::PgOptionsFor(*testing::PostgresUrl(), "public; DROP TABLE x");
  EXPECT_EQ(Database::OpenPostgres(std::move(o)).error().code(), ErrorCode::kInvalidArgument);
  PostgresOptions bad;
  bad.conninfo = SecretString::CopyFrom(AsBytes("host='unterminated"));
  EXPECT_EQ(Database::OpenPostgres(std::move(bad)).error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::db
