#include "bulwark/db/backup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <random>

#include "test_support.h"

namespace bulwark::db {
namespace {

Bytes ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}
void WriteAll(const std::filesystem::path& p, const Bytes& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    keys_.emplace(crypto::Keyset::Generate(crypto::KeyType::kAeadXChaCha20Poly1305).value());
    aead_.emplace(crypto::Aead::Create(*keys_).value());
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
  std::optional<crypto::Keyset> keys_;
  std::optional<crypto::Aead> aead_;
};

TEST_F(BackupTest, StreamRoundTripsAtChunkBoundaries) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{65536}, std::size_t{65537},
                           std::size_t{200000}}) {
    Bytes data(size);
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i * 7 + size);
    const auto plain = dir_ / ("plain" + std::to_string(size));
    const auto sealed = dir_ / ("sealed" + std::to_string(size));
    const auto opened = dir_ / ("opened" + std::to_string(size));
    WriteAll(plain, data);
    ASSERT_OK(EncryptFileForBackup(plain, sealed, BackupKind::kSqliteFile, *aead_));
    struct stat st {};
    ASSERT_EQ(::stat(sealed.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_OK(DecryptBackupFile(sealed, opened, BackupKind::kSqliteFile, *aead_));
    EXPECT_EQ(ReadAll(opened), data) << size;
  }
}

TEST_F(BackupTest, TamperedTruncatedOrExtendedBackupsAreRefused) {
  Bytes data(150000, 0x41);
  WriteAll(dir_ / "plain", data);
  ASSERT_OK(EncryptFileForBackup(dir_ / "plain", dir_ / "sealed", BackupKind::kSqliteFile, *aead_));
  const Bytes sealed = ReadAll(dir_ / "sealed");
  int n = 0;
  auto expect_refused = [&](const Bytes& bad, ErrorCode code, const char* what) {
    const auto in = dir_ / ("bad" + std::to_string(++n));
    const auto out = dir_ / ("out" + std::to_string(n));
    WriteAll(in, bad);
    Result<void> r = DecryptBackupFile(in, out, BackupKind::kSqliteFile, *aead_);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.error().code(), code) << what << ": " << r.error().ToString();
    EXPECT_FALSE(std::filesystem::exists(out)) << what << ": partial output left behind";
  };
  for (std::size_t pos : {std::size_t{9}, std::size_t{30}, std::size_t{90}, sealed.size() / 2,
                          sealed.size() - 1}) {
    Bytes bad = sealed;
    bad[pos] ^= 0x01;
    expect_refused(bad, pos == 9 ? ErrorCode::kInvalidArgument : ErrorCode::kDataLoss, "bit flip");
  }
  // Cut off at the end of a chunk (the final chunk is missing) and mid-chunk.
  const std::size_t first_frame_end = 16 + 4 + (32 + crypto::Aead::kOverhead) + 24 + 4 + 65536 + 17;
  expect_refused(Bytes(sealed.begin(), sealed.begin() + static_cast<long>(first_frame_end)),
                 ErrorCode::kDataLoss, "truncated at chunk boundary");
  expect_refused(Bytes(sealed.begin(), sealed.end() - 5), ErrorCode::kDataLoss, "truncated");
  Bytes longer = sealed;
  longer.push_back(0);
  expect_refused(longer, ErrorCode::kDataLoss, "trailing data");
  expect_refused(Bytes{'n', 'o', 'p', 'e'}, ErrorCode::kInvalidArgument, "not a backup");

  // Another keyset cannot open it; another kind is refused.
  crypto::Keyset other = crypto::Keyset::Generate(crypto::KeyType::kAeadXChaCha20Poly1305).value();
  crypto::Aead other_aead = crypto::Aead::Create(other).value();
  EXPECT_FALSE(DecryptBackupFile(dir_ / "sealed", dir_ / "o1", BackupKind::kSqliteFile, other_aead).ok());
  EXPECT_EQ(DecryptBackupFile(dir_ / "sealed", dir_ / "o2", BackupKind::kPgDumpCustom, *aead_)
                .error()
                .code(),
            ErrorCode::kInvalidArgument);
  // An existing output is never overwritten.
  EXPECT_EQ(EncryptFileForBackup(dir_ / "plain", dir_ / "sealed", BackupKind::kSqliteFile, *aead_)
                .error()
                .code(),
            ErrorCode::kAlreadyExists);
}

TEST_F(BackupTest, SqliteBackupAndRestore) {
  SqliteOptions o;
  o.path = dir_ / "live" / "app.db";
  {
    Result<Database> db = Database::OpenSqlite(o);
    ASSERT_TRUE(db.ok());
    ASSERT_OK(db->Execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"));
    for (int i = 0; i < 100; ++i) {
      ASSERT_OK(db->Execute("INSERT INTO notes(id, body) VALUES (?, ?)", i, "note " + std::to_string(i)));
    }
    // Backup while the database is open and in WAL mode.
    ASSERT_OK(BackupSqlite(o.path, dir_ / "app.backup", *aead_));
    ASSERT_OK(db->Execute("DELETE FROM notes WHERE id >= ?", 50));
  }
  const Bytes sealed = ReadAll(dir_ / "app.backup");
  const std::string needle = "note 42";
  EXPECT_EQ(std::search(sealed.begin(), sealed.end(), needle.begin(), needle.end()), sealed.end());

  // A tampered backup leaves the target untouched.
  Bytes bad = sealed;
  bad[bad.size() / 2] ^= 0x80;
  WriteAll(dir_ / "bad.backup", bad);
  EXPECT_EQ(RestoreSqlite(dir_ / "bad.backup", o.path, *aead_).error().code(), ErrorCode::kDataLoss);
  {
    Result<Database> db = Database::OpenSqlite(o);
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(db->QueryRow("SELECT COUNT(*) FROM notes")->Get<int>(0).value(), 50);
  }
  ASSERT_OK(RestoreSqlite(dir_ / "app.backup", o.path, *aead_));
  Result<Database> db = Database::OpenSqlite(o);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db->QueryRow("SELECT COUNT(*) FROM notes")->Get<int>(0).value(), 100);

  // Restore into a new place creates a private file.
  SqliteOptions fresh;
  fresh.path = dir_ / "restored" / "copy.db";
  ASSERT_OK(RestoreSqlite(dir_ / "app.backup", fresh.path, *aead_));
  Result<Database> copy = Database::OpenSqlite(fresh);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->QueryRow("SELECT body FROM notes WHERE id = ?", 42)->Get<std::string>(0).value(),
            "note 42");
}

TEST_F(BackupTest, PostgresBackupAndRestore) {
  BULWARK_REQUIRE_POSTGRES();
  const std::string url = *testing::PostgresUrl();
  Result<Database> admin = Database::OpenPostgres(testing::PgOptionsFor(url));
  ASSERT_TRUE(admin.ok());
  std::random_device rd;
  const std::string suffix = std::to_string(rd() % 1000000);
  const std::string src_db = "bk_src_" + suffix;
  const std::string dst_db = "bk_dst_" + suffix;
  ASSERT_OK(admin->Execute(sql::UnsafeDynamic("CREATE DATABASE " + src_db)));
  ASSERT_OK(admin->Execute(sql::UnsafeDynamic("CREATE DATABASE " + dst_db)));
  auto url_for = [&](const std::string& db) {
    return url.substr(0, url.rfind('/') + 1) + db;
  };
  {
    Result<Database> src = Database::OpenPostgres(testing::PgOptionsFor(url_for(src_db)));
    ASSERT_TRUE(src.ok());
    ASSERT_OK(src->Execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)"));
    for (int i = 0; i < 20; ++i) {
      ASSERT_OK(src->Execute("INSERT INTO notes(id, body) VALUES (?, ?)", i, "note " + std::to_string(i)));
    }
  }
  const SecretString src_info = SecretString::CopyFrom(AsBytes(url_for(src_db) + "?sslmode=disable"));
  const SecretString dst_info = SecretString::CopyFrom(AsBytes(url_for(dst_db) + "?sslmode=disable"));
  ASSERT_OK(BackupPostgres(src_info, dir_ / "pg.backup", *aead_));

  Bytes bad = ReadAll(dir_ / "pg.backup");
  bad.resize(bad.size() - 3);
  WriteAll(dir_ / "bad.backup", bad);
  EXPECT_EQ(RestorePostgres(dir_ / "bad.backup", dst_info, *aead_).error().code(),
            ErrorCode::kDataLoss);
  {
    Result<Database> dst = Database::OpenPostgres(testing::PgOptionsFor(url_for(dst_db)));
    ASSERT_TRUE(dst.ok());
    EXPECT_FALSE(dst->Query("SELECT id FROM notes").ok());  // nothing restored
  }
  ASSERT_OK(RestorePostgres(dir_ / "pg.backup", dst_info, *aead_));
  {
    Result<Database> dst = Database::OpenPostgres(testing::PgOptionsFor(url_for(dst_db)));
    ASSERT_TRUE(dst.ok());
    EXPECT_EQ(dst->QueryRow("SELECT COUNT(*) FROM notes")->Get<int>(0).value(), 20);
    EXPECT_EQ(dst->QueryRow("SELECT body FROM notes WHERE id = ?", 7)->Get<std::string>(0).value(),
              "note 7");
  }
  (void)admin->Execute(sql::UnsafeDynamic("DROP DATABASE " + src_db + " WITH (FORCE)"));
  (void)admin->Execute(sql::UnsafeDynamic("DROP DATABASE " + dst_db + " WITH (FORCE)"));
}

}  // namespace
}  // namespace bulwark::db
