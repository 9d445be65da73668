#include "bulwark/db/encrypted.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "bulwark/core/clock.h"
#include "bulwark/db/change_log.h"
#include "test_support.h"

namespace bulwark::db {
namespace {

using ::testing::HasSubstr;
using testing::BackendTest;

constexpr EncryptedColumn kEmail("users", "email", "id", "email_index");
constexpr EncryptedColumn kPhone("users", "phone", "id");

constexpr sql::Script kUsersSqlite(R"sql(
  CREATE TABLE users (id INTEGER PRIMARY KEY, email BLOB NOT NULL, email_index BLOB NOT NULL,
                      phone BLOB, name TEXT);
)sql");
constexpr sql::Script kUsersPostgres(R"sql(
  CREATE TABLE users (id BIGINT PRIMARY KEY, email BYTEA NOT NULL, email_index BYTEA NOT NULL,
                      phone BYTEA, name TEXT);
)sql");

class EncryptedTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Schema(kUsersSqlite, kUsersPostgres);
    aead_keys_.emplace(crypto::Keyset::Generate(crypto::KeyType::kAeadXChaCha20Poly1305).value());
    mac_keys_.emplace(crypto::Keyset::Generate(crypto::KeyType::kHmacSha256).value());
    Rebuild();
  }
  void Rebuild() {
    Result<FieldCipher> c = FieldCipher::Create(*aead_keys_, &*mac_keys_);
    ASSERT_TRUE(c.ok()) << c.error().ToString();
    cipher_.emplace(std::move(c).value());
  }
  void Insert(std::int64_t id, const std::string& email) {
    ASSERT_OK(db_->Execute("INSERT INTO users(id, email, email_index, phone) VALUES (?, ?, ?, ?)", id,
                           cipher_->Seal(kEmail, id, email), cipher_->BlindIndex(kEmail, email),
                           cipher_->SealOptional(kPhone, id, std::optional<std::string>())));
  }
  std::optional<crypto::Keyset> aead_keys_;
  std::optional<crypto::Keyset> mac_keys_;
  std::optional<FieldCipher> cipher_;
};
BULWARK_INSTANTIATE_BACKENDS(EncryptedTest);

TEST_P(EncryptedTest, StoresCiphertextAndReadsPlaintextBack) {
  Insert(1, "alice@example.com");
  Result<Row> row = db_->QueryRow("SELECT id, email, phone FROM users WHERE id = ?", 1);
  ASSERT_TRUE(row.ok());
  const Bytes stored = row->Get<Bytes>(1).value();
  EXPECT_EQ(std::search(stored.begin(), stored.end(), std::begin("alice"), std::end("alice") - 1),
            stored.end());
  EXPECT_EQ(stored.size(), std::string("alice@example.com").size() + crypto::Aead::kOverhead);
  EXPECT_EQ(cipher_->Open<std::string>(*row, 1, kEmail, 1).value(), "alice@example.com");
  EXPECT_EQ(cipher_->Open<SecretString>(*row, 1, kEmail, 1).value().Reveal(InsecureSecretAccess()),
            "alice@example.com");
  EXPECT_EQ(cipher_->Open<std::optional<std::string>>(*row, 2, kPhone, 1).value(), std::nullopt);
}

TEST_P(EncryptedTest, CiphertextMovedToAnotherRowOrColumnDoesNotDecrypt) {
  Insert(1, "alice@example.com");
  Insert(2, "mallory@example.com");
  // An attacker with write access copies Alice's ciphertext into their row.
  ASSERT_OK(db_->Execute("UPDATE users SET email = (SELECT email FROM users WHERE id = ?) WHERE id = ?",
                         1, 2));
  Result<Row> row = db_->QueryRow("SELECT email FROM users WHERE id = ?", 2);
  ASSERT_TRUE(row.ok());
  Result<std::string> moved = cipher_->Open<std::string>(*row, 0, kEmail, 2);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code(), ErrorCode::kDataLoss);
  // ... and into another column of the same row.
  const Bytes alice = db_->QueryRow("SELECT email FROM users WHERE id = ?", 1)->Get<Bytes>(0).value();
  EXPECT_EQ(cipher_->Decrypt(kPhone, 1, alice).error().code(), ErrorCode::kDataLoss);
  // A flipped bit is refused too.
  Bytes tampered = alice;
  tampered.back() ^= 1;
  EXPECT_EQ(cipher_->Decrypt(kEmail, 1, tampered).error().code(), ErrorCode::kDataLoss);
}

TEST_P(EncryptedTest, BlindIndexFindsEqualValuesOnly) {
  Insert(1, "alice@example.com");
  Insert(2, "bob@example.com");
  Result<Row> found = db_->QueryRow("SELECT id FROM users WHERE email_index = ?",
                                    cipher_->BlindIndex(kEmail, "bob@example.com"));
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->Get<std::int64_t>(0).value(), 2);
  EXPECT_TRUE(db_->Query("SELECT id FROM users WHERE email_index = ?",
                         cipher_->BlindIndex(kEmail, "Bob@example.com"))
                  ->empty());
  // Indexes are separated per column: the same value indexes differently.
  EXPECT_NE(cipher_->ComputeBlindIndex(kEmail, AsBytes("x")).value(),
            cipher_->ComputeBlindIndex(kPhone, AsBytes("x")).value());
}

TEST_P(EncryptedTest, RotationKeepsOldRowsReadableAndReencryptRewritesThem) {
  for (int id = 1; id <= 7; ++id) Insert(id, "user" + std::to_string(id) + "@example.com");
  const std::uint32_t old_key = aead_keys_->primary_id();
  const std::uint32_t new_key = aead_keys_->AddKey(crypto::KeyType::kAeadXChaCha20Poly1305).value();
  ASSERT_OK(aead_keys_->Promote(new_key));
  const std::uint32_t new_mac = mac_keys_->AddKey(crypto::KeyType::kHmacSha256).value();
  ASSERT_OK(mac_keys_->Promote(new_mac));
  Rebuild();
  Insert(8, "user8@example.com");

  // Old rows still decrypt under the rotated keyset.
  Result<Row> old_row = db_->QueryRow("SELECT email FROM users WHERE id = ?", 3);
  EXPECT_EQ(cipher_->Open<std::string>(*old_row, 0, kEmail, 3).value(), "user3@example.com");
  // During MAC rotation, lookups try every enabled key.
  const auto candidates =
      cipher_->BlindIndexCandidates(kEmail, AsBytes("user3@example.com")).value();
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_TRUE(db_->QueryRow("SELECT id FROM users WHERE email_index = ?", candidates[1]).ok());

  Result<ReencryptReport> report = ReencryptColumn(*db_, *cipher_, kEmail, {.batch_size = 3});
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->scanned, 8u);
  EXPECT_EQ(report->reencrypted, 7u);
  EXPECT_EQ(report->reindexed, 7u);
  Result<ReencryptReport> again = ReencryptColumn(*db_, *cipher_, kEmail);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reencrypted, 0u);

  Result<Rows> rows = db_->Query("SELECT id, email FROM users ORDER BY id");
  ASSERT_TRUE(rows.ok());
  for (const Row& row : *rows) {
    EXPECT_EQ(crypto::Aead::KeyIdOf(row.Get<Bytes>(1).value()).value(), new_key);
  }
  // The old key can now be retired: everything still opens.
  ASSERT_OK(aead_keys_->Disable(old_key));
  Rebuild();
  for (const Row& row : *rows) {
    const std::int64_t id = row.Get<std::int64_t>(0).value();
    EXPECT_EQ(cipher_->Open<std::string>(row, 1, kEmail, id).value(),
              "user" + std::to_string(id) + "@example.com");
  }
  EXPECT_TRUE(db_->QueryRow("SELECT id FROM users WHERE email_index = ?",
                            cipher_->BlindIndex(kEmail, "user3@example.com"))
                  .ok());
}

TEST_P(EncryptedTest, EncryptionErrorsSurfaceFromExecute) {
  Result<FieldCipher> no_mac = FieldCipher::Create(*aead_keys_);
  ASSERT_TRUE(no_mac.ok());
  Result<std::int64_t> r = db_->Execute(
      "INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)", 1,
      no_mac->Seal(kEmail, 1, "a@example.com"), no_mac->BlindIndex(kEmail, "a@example.com"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(db_->QueryRow("SELECT COUNT(*) FROM users")->Get<int>(0).value(), 0);
}

class ChangeLogTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const Migration migrations[] = {
        {1, "users", backend() == Backend::kSqlite ? kUsersSqlite : kUsersPostgres},
        ChangeLogMigration(backend(), 2),
    };
    ASSERT_OK(Migrate(*db_, migrations));
  }
};
BULWARK_INSTANTIATE_BACKENDS(ChangeLogTest);

TEST_P(ChangeLogTest, RecordsWhoWhenWhatInTheSameTransaction) {
  ManualClock clock(1'700'000'000);
  {
    Result<Transaction> tx = db_->Begin();
    ASSERT_TRUE(tx.ok());
    ASSERT_OK(tx->Execute("INSERT INTO users(id, email, email_index, name) VALUES (?, ?, ?, ?)", 5,
                          Bytes{1}, Bytes{2}, "secret-name"));
    ASSERT_OK(RecordChange(*tx,
                           {.actor = "admin:1", .table = "users", .row_key = 5,
                            .action = ChangeAction::kInsert, .columns = {"email", "name"},
                            .request_id = "req-1"},
                           clock));
    ASSERT_OK(tx->Commit());
  }
  {
    Result<Transaction> tx = db_->Begin();
    ASSERT_TRUE(tx.ok());
    Result<std::int64_t> changed = TrackedExecute(
        *tx, {.actor = "user:5", .table = "users", .row_key = 5, .columns = {"name"}},
        "UPDATE users SET name = ? WHERE id = ?", "other-secret", 5);
    ASSERT_TRUE(changed.ok()) << changed.error().ToString();
    EXPECT_EQ(*changed, 1);
    // Not committed: the change and its record both roll back.
  }
  Result<std::vector<ChangeRecord>> records = ChangesFor(*db_, "users", 5);
  ASSERT_TRUE(records.ok()) << records.error().ToString();
  ASSERT_EQ(records->size(), 1u);
  const ChangeRecord& r = records->front();
  EXPECT_EQ(r.actor, "admin:1");
  EXPECT_EQ(r.action, ChangeAction::kInsert);
  EXPECT_EQ(r.columns, (std::vector<std::string>{"email", "name"}));
  EXPECT_EQ(r.at, Timestamp(std::chrono::seconds(1'700'000'000)));
  EXPECT_EQ(r.request_id, "req-1");
  EXPECT_EQ(db_->QueryRow("SELECT name FROM users WHERE id = ?", 5)->Get<std::string>(0).value(),
            "secret-name");
  // Values never reach the log.
  EXPECT_TRUE(db_->Query("SELECT id FROM bulwark_change_log WHERE columns LIKE ? OR actor LIKE ?",
                         "%secret%", "%secret%")
                  ->empty());

  Result<Transaction> tx = db_->Begin();
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(RecordChange(*tx, {.actor = "x", .table = "users; DROP TABLE users", .row_key = 1})
                .error()
                .code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::db
