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
using ::testing::Not;
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

// db_ is the storage as it is (what an attacker with SQL access, or a
// backup, sees); enc_ is the application's Database with encrypted columns.
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
    Result<Database> another = OpenAnother();
    ASSERT_TRUE(another.ok()) << another.error().ToString();
    Result<Database> enc =
        EncryptColumns(std::move(another).value(), std::move(c).value(), {kEmail, kPhone});
    ASSERT_TRUE(enc.ok()) << enc.error().ToString();
    enc_.reset();
    enc_.emplace(std::move(enc).value());
  }
  void Insert(std::int64_t id, const std::string& email) {
    ASSERT_OK(enc_->Execute("INSERT INTO users(id, email, email_index, phone) VALUES (?, ?, ?, ?)",
                            id, Encrypted(kEmail, id, email), BlindIndex(kEmail, email),
                            Encrypted(kPhone, id, std::optional<std::string>())));
  }
  Bytes Stored(std::string_view column_is_email_or_phone, std::int64_t id) {
    Result<Row> row = column_is_email_or_phone == "email"
                          ? db_->QueryRow("SELECT email FROM users WHERE id = ?", id)
                          : db_->QueryRow("SELECT phone FROM users WHERE id = ?", id);
    EXPECT_TRUE(row.ok());
    return row.ok() ? row->Get<Bytes>(0).value() : Bytes();
  }
  void TearDown() override {
    enc_.reset();
    BackendTest::TearDown();
  }
  std::optional<crypto::Keyset> aead_keys_;
  std::optional<crypto::Keyset> mac_keys_;
  std::optional<Database> enc_;
};
BULWARK_INSTANTIATE_BACKENDS(EncryptedTest);

TEST_P(EncryptedTest, ReadsAndWritesAreTransparent) {
  Insert(1, "alice@example.com");
  // The storage holds ciphertext only.
  const Bytes stored = Stored("email", 1);
  EXPECT_EQ(std::search(stored.begin(), stored.end(), std::begin("alice"), std::end("alice") - 1),
            stored.end());
  EXPECT_EQ(stored.size(), std::string("alice@example.com").size() + 1 + crypto::Aead::kOverhead);

  // The application reads plaintext, by index or name, as text or a secret.
  Result<Row> row = enc_->QueryRow("SELECT id, email, phone FROM users WHERE id = ?", 1);
  ASSERT_TRUE(row.ok()) << row.error().ToString();
  EXPECT_EQ(row->Get<std::string>(1).value(), "alice@example.com");
  EXPECT_EQ(row->Get<std::string>("email").value(), "alice@example.com");
  EXPECT_EQ(row->Get<SecretString>(1).value().Reveal(InsecureSecretAccess()), "alice@example.com");
  EXPECT_EQ(row->Get<std::optional<std::string>>(2).value(), std::nullopt);
  // Take reads decrypted text too (copied: the Row still wipes its copy).
  EXPECT_EQ(std::move(*row).Take<std::string>(1).value(), "alice@example.com");
  EXPECT_EQ(enc_->QueryRow("SELECT id, email FROM users WHERE id = ?", 1)
                .value()
                .Take<std::optional<std::string>>("email")
                .value(),
            std::optional<std::string>("alice@example.com"));
  // Aliases, SELECT * and subqueries in FROM are recognised too.
  EXPECT_EQ(enc_->QueryRow("SELECT u.id AS k, u.email AS e FROM users u WHERE u.id = ?", 1)
                ->Get<std::string>("e")
                .value(),
            "alice@example.com");
  EXPECT_EQ(enc_->QueryRow("SELECT * FROM users WHERE id = ?", 1)->Get<std::string>("email").value(),
            "alice@example.com");
  EXPECT_EQ(enc_->QueryRow("SELECT s.k, s.e FROM (SELECT id AS k, email AS e FROM users) s "
                           "WHERE s.k = ?",
                           1)
                ->Get<std::string>(1)
                .value(),
            "alice@example.com");
  Result<Rows> rows = enc_->Query("SELECT id, email FROM users ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  EXPECT_EQ((*rows)[0].Get<std::string>(1).value(), "alice@example.com");

  // Inside a transaction, and bytes come back as bytes.
  Result<Transaction> tx = enc_->Begin();
  ASSERT_TRUE(tx.ok());
  const Bytes raw_phone{0x00, 0xff, 0x10};
  ASSERT_OK(tx->Execute("UPDATE users SET phone = ? WHERE id = ?", Encrypted(kPhone, 1, raw_phone), 1));
  Result<Row> in_tx = tx->QueryRow("SELECT id, phone FROM users WHERE id = ?", 1);
  ASSERT_TRUE(in_tx.ok()) << in_tx.error().ToString();
  EXPECT_EQ(in_tx->Get<Bytes>(1).value(), raw_phone);
  EXPECT_EQ(in_tx->Get<std::string>(1).error().code(), ErrorCode::kInvalidArgument);
  ASSERT_OK(tx->Commit());
}

TEST_P(EncryptedTest, HostileTextIsStoredAndReadVerbatim) {
  const std::string hostile[] = {"Robert'); DROP TABLE users;--", "' OR '1'='1", "a\\'\"`$1?:x",
                                 "\xc3\xa9t\xc3\xa9 \xf0\x9f\x94\x91"};
  std::int64_t id = 0;
  for (const std::string& text : hostile) {
    ++id;
    ASSERT_OK(enc_->Execute("INSERT INTO users(id, email, email_index, name) VALUES (?, ?, ?, ?)", id,
                            Encrypted(kEmail, id, text), BlindIndex(kEmail, text), text));
  }
  id = 0;
  for (const std::string& text : hostile) {
    ++id;
    Result<Row> row = enc_->QueryRow("SELECT id, email, name FROM users WHERE email_index = ?",
                                     BlindIndex(kEmail, text));
    ASSERT_TRUE(row.ok()) << row.error().ToString();
    EXPECT_EQ(row->Get<std::int64_t>(0).value(), id);
    EXPECT_EQ(row->Get<std::string>(1).value(), text);
    EXPECT_EQ(row->Get<std::string>(2).value(), text);
  }
  EXPECT_EQ(enc_->QueryRow("SELECT COUNT(*) FROM users")->Get<int>(0).value(), 4);
}

TEST_P(EncryptedTest, EncryptedColumnWithoutItsRowKeyIsRefused) {
  Insert(1, "alice@example.com");
  Result<Row> row = enc_->QueryRow("SELECT email FROM users WHERE id = ?", 1);
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(row.error().message(), HasSubstr("without its row key users.id"));
  EXPECT_EQ(enc_->Query("SELECT email AS e FROM users").error().code(),
            ErrorCode::kFailedPrecondition);
  // A self-join holds two different keys for one value: refused, not guessed.
  Insert(2, "bob@example.com");
  Result<Rows> joined =
      enc_->Query("SELECT a.id, a.email, b.id FROM users a JOIN users b ON b.id <> a.id");
  ASSERT_FALSE(joined.ok());
  EXPECT_THAT(joined.error().message(), HasSubstr("several different row keys"));
}

TEST_P(EncryptedTest, CiphertextMovedToAnotherRowOrColumnDoesNotDecrypt) {
  Insert(1, "alice@example.com");
  Insert(2, "mallory@example.com");
  // An attacker with write access copies Alice's ciphertext into their row ...
  ASSERT_OK(db_->Execute("UPDATE users SET email = (SELECT email FROM users WHERE id = ?) WHERE id = ?",
                         1, 2));
  Result<Row> moved = enc_->QueryRow("SELECT id, email FROM users WHERE id = ?", 2);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().code(), ErrorCode::kDataLoss);
  EXPECT_THAT(moved.error().message(), Not(HasSubstr("alice")));
  // ... and into another column of the same row.
  ASSERT_OK(db_->Execute("UPDATE users SET phone = email WHERE id = ?", 1));
  Result<Row> other_column = enc_->QueryRow("SELECT id, phone FROM users WHERE id = ?", 1);
  ASSERT_FALSE(other_column.ok());
  EXPECT_EQ(other_column.error().code(), ErrorCode::kDataLoss);
  // A whole result fails: no row of it comes back.
  EXPECT_EQ(enc_->Query("SELECT id, email FROM users ORDER BY id").error().code(),
            ErrorCode::kDataLoss);
}

TEST_P(EncryptedTest, TamperedCiphertextIsRefused) {
  Insert(1, "alice@example.com");
  Bytes tampered = Stored("email", 1);
  tampered.back() ^= 1;
  ASSERT_OK(db_->Execute("UPDATE users SET email = ? WHERE id = ?", tampered, 1));
  Result<Row> row = enc_->QueryRow("SELECT id, email FROM users WHERE id = ?", 1);
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.error().code(), ErrorCode::kDataLoss);
  EXPECT_THAT(row.error().message(), HasSubstr("users.email"));
  // Not a ciphertext at all.
  ASSERT_OK(db_->Execute("UPDATE users SET email = ? WHERE id = ?", "plain text", 1));
  EXPECT_EQ(enc_->QueryRow("SELECT id, email FROM users WHERE id = ?", 1).error().code(),
            ErrorCode::kDataLoss);
}

TEST_P(EncryptedTest, ComputedColumnsCannotCarryCiphertextOut) {
  Insert(1, "alice@example.com");
  // An expression is not a column: its value would be ciphertext posing as data.
  Result<Row> coalesced = enc_->QueryRow("SELECT id, COALESCE(email, email) AS e FROM users");
  ASSERT_FALSE(coalesced.ok());
  EXPECT_EQ(coalesced.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(coalesced.error().message(), HasSubstr("not a plain selection"));
  EXPECT_EQ(enc_->QueryRow("SELECT id, CASE WHEN id > 0 THEN email END FROM users").error().code(),
            ErrorCode::kFailedPrecondition);
  // Expressions that do not carry the ciphertext are plain results.
  EXPECT_EQ(enc_->QueryRow("SELECT COUNT(email) FROM users")->Get<int>(0).value(), 1);
}

TEST_P(EncryptedTest, EncryptedValuesBindOnlyThroughTheirDatabase) {
  // A Database without EncryptColumns stores nothing (never plaintext).
  Result<std::int64_t> raw = db_->Execute(
      "INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)", 1,
      Encrypted(kEmail, 1, "a@example.com"), BlindIndex(kEmail, "a@example.com"));
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(raw.error().message(), HasSubstr("EncryptColumns"));
  // An unregistered column, or one described differently, is refused too.
  constexpr EncryptedColumn kName("users", "name", "id");
  constexpr EncryptedColumn kEmailOtherKey("users", "email", "name");
  EXPECT_EQ(enc_->Execute("UPDATE users SET name = ? WHERE id = ?", Encrypted(kName, 1, "x"), 1)
                .error()
                .code(),
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(enc_->Execute("INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)", 1,
                          Encrypted(kEmailOtherKey, 1, "a@example.com"), Bytes{1})
                .error()
                .code(),
            ErrorCode::kInvalidArgument);
  // Invalid UTF-8 text is refused before anything is stored.
  EXPECT_EQ(enc_->Execute("INSERT INTO users(id, email, email_index) VALUES (?, ?, ?)", 1,
                          Encrypted(kEmail, 1, std::string_view("\xff")), Bytes{1})
                .error()
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db_->QueryRow("SELECT COUNT(*) FROM users")->Get<int>(0).value(), 0);

  // Registration errors.
  Result<FieldCipher> no_mac = FieldCipher::Create(*aead_keys_);
  ASSERT_TRUE(no_mac.ok());
  Result<Database> without_mac = EncryptColumns(OpenAnother().value(), std::move(*no_mac), {kEmail});
  EXPECT_EQ(without_mac.error().code(), ErrorCode::kFailedPrecondition);
  Result<Database> twice = EncryptColumns(
      OpenAnother().value(), FieldCipher::Create(*aead_keys_, &*mac_keys_).value(), {kEmail, kEmail});
  EXPECT_EQ(twice.error().code(), ErrorCode::kInvalidArgument);
  constexpr EncryptedColumn kIdAsValue("users", "id", "email");
  Result<Database> overlapping =
      EncryptColumns(OpenAnother().value(), FieldCipher::Create(*aead_keys_, &*mac_keys_).value(),
                     {kEmail, kIdAsValue});
  EXPECT_EQ(overlapping.error().code(), ErrorCode::kInvalidArgument);
}

TEST_P(EncryptedTest, BlindIndexFindsEqualValuesOnly) {
  Insert(1, "alice@example.com");
  Insert(2, "bob@example.com");
  Result<Row> found = enc_->QueryRow("SELECT id, email FROM users WHERE email_index = ?",
                                     BlindIndex(kEmail, "bob@example.com"));
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(found->Get<std::int64_t>(0).value(), 2);
  EXPECT_EQ(found->Get<std::string>(1).value(), "bob@example.com");
  EXPECT_TRUE(enc_->Query("SELECT id FROM users WHERE email_index = ?",
                          BlindIndex(kEmail, "Bob@example.com"))
                  ->empty());
  // A column without a blind index has none to bind.
  EXPECT_EQ(enc_->Query("SELECT id FROM users WHERE phone = ?", BlindIndex(kPhone, "x"))
                .error()
                .code(),
            ErrorCode::kFailedPrecondition);
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
  EXPECT_EQ(enc_->QueryRow("SELECT id, email FROM users WHERE id = ?", 3)->Get<std::string>(1).value(),
            "user3@example.com");
  // During MAC rotation, lookups try every enabled key; past the last, NULL.
  constexpr sql::Query kByIndex("SELECT id FROM users WHERE email_index IN (?, ?, ?)");
  const std::string three = "user3@example.com";
  Result<Row> by_old_index = enc_->QueryRow(kByIndex, BlindIndex(kEmail, three, 0),
                                            BlindIndex(kEmail, three, 1), BlindIndex(kEmail, three, 2));
  ASSERT_TRUE(by_old_index.ok()) << by_old_index.error().ToString();
  EXPECT_EQ(by_old_index->Get<int>(0).value(), 3);

  // The storage view cannot re-encrypt: it has no keys.
  EXPECT_EQ(ReencryptColumn(*db_, kEmail).error().code(), ErrorCode::kFailedPrecondition);
  Result<ReencryptReport> report = ReencryptColumn(*enc_, kEmail, {.batch_size = 3});
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->scanned, 8u);
  EXPECT_EQ(report->reencrypted, 7u);
  EXPECT_EQ(report->reindexed, 7u);
  Result<ReencryptReport> again = ReencryptColumn(*enc_, kEmail);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reencrypted, 0u);
  EXPECT_EQ(again->reindexed, 0u);

  Result<Rows> stored = db_->Query("SELECT id, email FROM users ORDER BY id");
  ASSERT_TRUE(stored.ok());
  for (const Row& row : *stored) {
    EXPECT_EQ(crypto::Aead::KeyIdOf(row.Get<Bytes>(1).value()).value(), new_key);
  }
  // The old key can now be retired: everything still opens, and the
  // primary-key index finds old rows.
  ASSERT_OK(aead_keys_->Disable(old_key));
  Rebuild();
  Result<Rows> rows = enc_->Query("SELECT id, email FROM users ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 8u);
  for (const Row& row : *rows) {
    EXPECT_EQ(row.Get<std::string>(1).value(),
              "user" + std::to_string(row.Get<std::int64_t>(0).value()) + "@example.com");
  }
  EXPECT_TRUE(enc_->QueryRow("SELECT id FROM users WHERE email_index = ?", BlindIndex(kEmail, three))
                  .ok());
}

TEST_P(EncryptedTest, AValueUnderADisabledKeyIsRefusedNotReturned) {
  Insert(1, "alice@example.com");
  const std::uint32_t old_key = aead_keys_->primary_id();
  ASSERT_OK(aead_keys_->Promote(aead_keys_->AddKey(crypto::KeyType::kAeadXChaCha20Poly1305).value()));
  ASSERT_OK(aead_keys_->Disable(old_key));
  Rebuild();
  Result<Row> row = enc_->QueryRow("SELECT id, email FROM users WHERE id = ?", 1);
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.error().code(), ErrorCode::kNotFound);
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
