// Misuses of sql::Query that must not compile (see cmake/RunCompileFail.cmake).
#include <cstdint>
#include <string>

#include "bulwark/core/secret.h"
#include "bulwark/db/database.h"

namespace sql = bulwark::db::sql;
using bulwark::db::Executor;

enum class Sort { kName, kCreated };
constexpr sql::IdentifierMap<Sort, 2> kSort{{{{Sort::kName, "name"}, {Sort::kCreated, "created_at"}}}};

void Use(Executor& db, const std::string& name, std::int64_t id, Sort sort) {
  // The control: literals, constexpr queries, bound values, allowlisted identifiers.
  constexpr sql::Query kFind("SELECT id FROM users WHERE name = ? AND id > ?");
  (void)db.Query(kFind, name, id);
  (void)db.Execute("INSERT INTO users(id, name) VALUES (?, ?)", id, name);
  (void)db.Query("SELECT id FROM users ORDER BY {} {} LIMIT ?", kSort[sort],
                 sql::SortDirection::kAscending, 10);
  (void)db.Query(sql::UnsafeDynamic("SELECT id FROM users WHERE id = ?"), id);
  (void)sort;

#if BULWARK_CF_CASE == 0
// expect: .*
#endif

#if BULWARK_CF_CASE == 1
// expect: no matching function|could not convert|cannot convert
  // A runtime string is not a query.
  std::string text = "SELECT id FROM users WHERE name = '" + name + "'";
  (void)db.Query(text);
#endif

#if BULWARK_CF_CASE == 2
// expect: no match for|invalid operands
  // Queries do not concatenate.
  constexpr sql::Query kBase("SELECT id FROM users WHERE name = ");
  (void)db.Query(kBase + name);
#endif

#if BULWARK_CF_CASE == 3
// expect: placeholder_count_does_not_match_argument_count
  // Two placeholders, one argument.
  (void)db.Execute("INSERT INTO users(id, name) VALUES (?, ?)", id);
#endif

#if BULWARK_CF_CASE == 4
// expect: placeholder_count_does_not_match_argument_count
  // One placeholder, two arguments.
  (void)db.Query("SELECT id FROM users WHERE id = ?", id, name);
#endif

#if BULWARK_CF_CASE == 5
// expect: not a constant expression|is not a constant expression|not usable in a constant expression
  // A char array filled at run time is not a literal.
  char buffer[64] = "SELECT 1";
  buffer[7] = name.empty() ? '2' : '3';
  sql::Query q(buffer);
  (void)q;
#endif

#if BULWARK_CF_CASE == 6
// expect: no matching function|could not convert|cannot convert
  // A const char* is not a literal either.
  const char* text = name.c_str();
  (void)db.Query(text);
#endif

#if BULWARK_CF_CASE == 7
// expect: sql_numbered_placeholder_use_question_mark
  (void)db.Query("SELECT id FROM users WHERE id = $1", id);
#endif

#if BULWARK_CF_CASE == 8
// expect: sql_query_holds_one_statement_use_sql_Script
  (void)db.Query("SELECT id FROM users; DROP TABLE users");
#endif

#if BULWARK_CF_CASE == 9
// expect: sql_has_unterminated_string_literal
  (void)db.Query("SELECT id FROM users WHERE name = 'x");
#endif

#if BULWARK_CF_CASE == 10
// expect: a Secret does not bind
  bulwark::SecretString password = bulwark::SecretString::CopyFrom(bulwark::AsBytes("pw"));
  (void)db.Execute("INSERT INTO users(password) VALUES (?)", password);
#endif

#if BULWARK_CF_CASE == 11
// expect: identifier_slot_count_does_not_match_identifier_arguments|placeholder_count_does_not_match
  // An identifier slot takes only allowlisted identifiers, never a string.
  (void)db.Query("SELECT id FROM users ORDER BY {}", name);
#endif

#if BULWARK_CF_CASE == 12
// expect: identifier_must_be_letters_digits_underscore_dot
  constexpr sql::IdentifierMap<Sort, 1> kBad{{{{Sort::kName, "name; DROP TABLE users"}}}};
  (void)kBad;
#endif

#if BULWARK_CF_CASE == 13
// expect: not usable in a constant expression|not a constant expression
  // A runtime sql::Query copy cannot be executed either (the count check is
  // at compile time).
  sql::Query copy = name.empty() ? sql::Query("SELECT 1") : sql::Query("SELECT 2");
  (void)db.Query(copy);
#endif
}
