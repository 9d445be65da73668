#include "bulwark/db/query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bulwark/db/database.h"

namespace bulwark::db::sql {
namespace {

// Compile-time checks: these hold or the test does not build.
static_assert(Query("SELECT 1").param_count() == 0);
static_assert(Query("SELECT a FROM t WHERE b = ? AND c = ?").param_count() == 2);
static_assert(Query("SELECT '?', \"?\", `?` -- ?\n /* ? */ FROM t WHERE x = ?").param_count() == 1);
static_assert(Query("SELECT $$ ? $$, $tag$ it's ? $tag$ WHERE a = ?").param_count() == 1);
static_assert(Query("SELECT E'\\' ?' WHERE a = ?").param_count() == 1);
static_assert(Query("SELECT 'it''s ?' WHERE a = ?").param_count() == 1);
static_assert(Query("SELECT a::text FROM t WHERE b = ?;").param_count() == 1);
static_assert(Query("SELECT a FROM t ORDER BY {} {} LIMIT ?").slot_count() == 2);
static_assert(Query("SELECT a$b FROM t").param_count() == 0);

constexpr ScanError ErrorOf(std::string_view s, bool single = true) {
  return ScanSql(s, single).error;
}
static_assert(ErrorOf("SELECT 'abc") == ScanError::kUnterminatedString);
static_assert(ErrorOf("SELECT \"abc") == ScanError::kUnterminatedIdentifier);
static_assert(ErrorOf("SELECT 1 /* x") == ScanError::kUnterminatedComment);
static_assert(ErrorOf("SELECT 1 /* /* */ */") == ScanError::kNestedComment);
static_assert(ErrorOf("SELECT $1") == ScanError::kNumberedPlaceholder);
static_assert(ErrorOf("SELECT ?1") == ScanError::kNumberedPlaceholder);
static_assert(ErrorOf("SELECT :name") == ScanError::kNamedPlaceholder);
static_assert(ErrorOf("SELECT @name") == ScanError::kNamedPlaceholder);
static_assert(ErrorOf("SELECT $name") == ScanError::kNamedPlaceholder);
static_assert(ErrorOf("SELECT 1; DROP TABLE users") == ScanError::kMultipleStatements);
static_assert(ErrorOf("SELECT 1; DROP TABLE users", false) == ScanError::kNone);
static_assert(ErrorOf("SELECT {x}") == ScanError::kStrayBrace);
static_assert(ErrorOf("  -- only a comment\n") == ScanError::kEmpty);
static_assert(ErrorOf("SELECT $a$ unterminated") == ScanError::kUnterminatedString);

enum class Sort { kName, kCreated, kUnmapped };
constexpr IdentifierMap<Sort, 2> kSort{{{{Sort::kName, "name"}, {Sort::kCreated, "u.created_at"}}}};
static_assert(kSort[Sort::kCreated].text() == "u.created_at");
static_assert(IdentifierMap<Sort, 1>::ValidName("a_b.c1"));
static_assert(!IdentifierMap<Sort, 1>::ValidName("a b"));
static_assert(!IdentifierMap<Sort, 1>::ValidName("a;b"));
static_assert(!IdentifierMap<Sort, 1>::ValidName("1a"));
static_assert(!IdentifierMap<Sort, 1>::ValidName("a."));

TEST(QueryTest, ReportsStatementEndsForScripts) {
  std::vector<std::size_t> ends;
  const std::string_view text = "CREATE TABLE a(x TEXT DEFAULT ';'); -- ;\nCREATE TABLE b(y INT);";
  ScanResult r = ScanSql(text, false, [&](ScanEvent e, std::size_t at) {
    if (e == ScanEvent::kStatementEnd) ends.push_back(at);
  });
  EXPECT_EQ(r.error, ScanError::kNone);
  EXPECT_EQ(r.statements, 2u);
  ASSERT_EQ(ends.size(), 3u);
  EXPECT_EQ(text[ends[0]], ';');
}

TEST(QueryTest, UnsafeDynamicIsCheckedAtRunTime) {
  UnsafeDynamic ok("SELECT a FROM t WHERE b = ?");
  EXPECT_EQ(ok.error(), ScanError::kNone);
  EXPECT_EQ(ok.param_count(), 1u);
  UnsafeDynamic stacked("SELECT 1; DROP TABLE t");
  EXPECT_EQ(stacked.error(), ScanError::kMultipleStatements);
  UnsafeDynamic numbered("SELECT $1");
  EXPECT_EQ(numbered.error(), ScanError::kNumberedPlaceholder);
  UnsafeDynamic nul(std::string("SELECT '\0'", 11));
  EXPECT_EQ(nul.error(), ScanError::kNulCharacter);
}

TEST(QueryTest, ScriptFromOperatorTextIsChecked) {
  EXPECT_TRUE(Script::UnsafeFromOperatorText("CREATE TABLE a(x INT); CREATE TABLE b(y INT);").ok());
  Result<Script> bad = Script::UnsafeFromOperatorText("CREATE TABLE a(x TEXT DEFAULT 'x);");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("unterminated string literal"), std::string::npos);
  EXPECT_FALSE(Script::UnsafeFromOperatorText("DELETE FROM a WHERE x = ?").ok());
}

TEST(QueryTest, FillSlotsUsesOnlyAllowlistedIdentifiers) {
  const Query q("SELECT id FROM users ORDER BY {} {} LIMIT ?");
  const std::string_view idents[] = {kSort[Sort::kName].text(), SortKeyword(true).text()};
  Result<std::string> filled = db::internal::FillSlots(q.text(), idents);
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(*filled, "SELECT id FROM users ORDER BY name DESC LIMIT ?");
}

TEST(QueryDeathTest, UnmappedEnumAborts) {
  EXPECT_DEATH((void)kSort[Sort::kUnmapped], "");
}

TEST(ValueTest, TextMustBeUtf8WithoutNul) {
  EXPECT_TRUE(CheckText("plain ascii").ok());
  EXPECT_TRUE(CheckText("\xc3\xa9t\xc3\xa9 \xf0\x9f\x94\x92").ok());
  EXPECT_FALSE(CheckText(std::string("a\0b", 3)).ok());
  EXPECT_FALSE(CheckText("\xc3").ok());
  EXPECT_FALSE(CheckText("\xc0\xaf").ok());          // overlong '/'
  EXPECT_FALSE(CheckText("\xed\xa0\x80").ok());      // surrogate
  EXPECT_FALSE(CheckText("\xf4\x90\x80\x80").ok());  // above U+10FFFF
  EXPECT_FALSE(CheckText("\xff").ok());
}

// Every length and position around the 8-, 16-, 32- and 64-byte fast paths
// and the overlapping 16-byte tails: one bad byte anywhere is found.
TEST(ValueTest, TextCheckFindsABadByteAtEveryPosition) {
  for (std::size_t n = 1; n <= 140; ++n) {
    std::string text(n, 'x');
    EXPECT_TRUE(CheckText(text).ok()) << n;
    for (std::size_t at = 0; at < n; ++at) {
      for (char bad : {'\0', '\xff', '\xc3'}) {
        std::string t = text;
        t[at] = bad;
        EXPECT_FALSE(CheckText(t).ok()) << n << " " << at << " " << int(bad);
      }
      // A valid two-byte character at the end of the text, and anywhere.
      if (at + 2 <= n) {
        std::string t = text;
        t[at] = '\xc3';
        t[at + 1] = '\xa9';
        EXPECT_TRUE(CheckText(t).ok()) << n << " " << at;
      }
    }
  }
}

TEST(ValueTest, SensitiveValuesSurviveCopiesAndMoves) {
  Value v = Value::SensitiveText("hunter2-but-longer-than-sso-buffer");
  Value copy = v;
  Value moved = std::move(v);
  EXPECT_EQ(copy.text(), "hunter2-but-longer-than-sso-buffer");
  EXPECT_EQ(moved.text(), "hunter2-but-longer-than-sso-buffer");
}

}  // namespace
}  // namespace bulwark::db::sql
