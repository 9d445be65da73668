#pragma once
// sql::Query: SQL text that is a compile-time literal, so values can reach the
// database only as bound parameters and never as text.
//
//   db.Execute("INSERT INTO users(id, email) VALUES (?, ?)", id, email);
//   constexpr sql::Query kFindUser("SELECT id, email FROM users WHERE id = ?");
//   db.QueryRow(kFindUser, id);
//
// The one placeholder syntax is `?` on every backend; PostgreSQL receives `$1`,
// `$2`, ... (translated inside bulwark). At compile time the text is scanned:
//   - string literals ('..', E'..'), quoted identifiers ("..", `..`),
//     dollar-quoted bodies ($tag$..$tag$) and comments are skipped;
//   - `?` outside them is a placeholder and is counted;
//   - `$1`, `:name`, `@name` and `$name` placeholders are refused (one syntax);
//   - `{}` is an identifier slot, filled only from a sql::IdentifierMap or a
//     sql::SortDirection (an allowlisted enum, never free text);
//   - an unterminated literal or comment, a nested block comment, a NUL byte,
//     a stray brace, or a second statement after `;` is refused.
// Every refusal is a compile error that names the problem, as is a number of
// arguments that differs from the placeholders (sql::QueryFor).
//
// There is no operator+, no constructor from std::string or const char*, and
// no way to build a Query at run time. Truly dynamic SQL goes through
// sql::UnsafeDynamic, which is checked the same way at run time and easy to grep.
//
// Limitation: PostgreSQL's jsonb `?`, `?|`, `?&` operators read as placeholders;
// use jsonb_exists()/jsonb_exists_any()/jsonb_exists_all() instead.
//
// Thread-safety: all types here are immutable values.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "bulwark/core/check.h"
#include "bulwark/core/result.h"

namespace bulwark::db::sql {

enum class ScanError : std::uint8_t {
  kNone,
  kEmpty,
  kUnterminatedString,
  kUnterminatedIdentifier,
  kUnterminatedComment,
  kNestedComment,
  kNumberedPlaceholder,  // $1 / ?1: use `?`
  kNamedPlaceholder,     // :name, @name, $name: use `?`
  kStrayBrace,           // `{` or `}` that is not an identifier slot `{}`
  kMultipleStatements,   // text after `;` (sql::Query holds one statement)
  kNulCharacter,
  kTooManyPlaceholders,
};

// A program-owned description of a scan error ("unterminated string literal").
std::string_view ScanErrorName(ScanError error) noexcept;

enum class ScanEvent : std::uint8_t {
  kPlaceholder,   // a `?` at `offset`
  kSlot,          // a `{}` at `offset`
  kStatementEnd,  // a `;` at `offset`, or the end of the text (offset == size)
};

struct ScanResult {
  ScanError error = ScanError::kNone;
  std::size_t error_offset = 0;
  std::size_t placeholders = 0;
  std::size_t slots = 0;
  std::size_t statements = 0;  // non-empty statements
};

inline constexpr std::size_t kMaxPlaceholders = 32767;

namespace internal {

constexpr bool IsIdentStart(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
constexpr bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool IsIdentChar(char c) noexcept { return IsIdentStart(c) || IsDigit(c) || c == '$'; }
constexpr bool IsSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace internal

// Scans `text` and reports placeholders, slots and statement ends to
// `on_event(ScanEvent, std::size_t offset)`. With `single_statement`, any
// token after the first `;` is kMultipleStatements. Usable at compile time.
template <class OnEvent>
constexpr ScanResult ScanSql(std::string_view text, bool single_statement, OnEvent&& on_event) {
  using internal::IsDigit;
  using internal::IsIdentChar;
  using internal::IsIdentStart;
  using internal::IsSpace;
  ScanResult r;
  const std::size_t n = text.size();
  bool statement_has_tokens = false;
  bool after_semicolon = false;
  auto fail = [&](ScanError e, std::size_t at) {
    r.error = e;
    r.error_offset = at;
    return r;
  };
  auto token = [&](std::size_t at) -> bool {
    if (after_semicolon && single_statement) {
      r.error = ScanError::kMultipleStatements;
      r.error_offset = at;
      return false;
    }
    statement_has_tokens = true;
    return true;
  };
  std::size_t i = 0;
  while (i < n) {
    const char c = text[i];
    if (c == '\0') return fail(ScanError::kNulCharacter, i);
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    // Comments.
    if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      while (i < n && text[i] != '\n') {
        if (text[i] == '\0') return fail(ScanError::kNulCharacter, i);
        ++i;
      }
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      const std::size_t start = i;
      i += 2;
      bool closed = false;
      while (i < n) {
        if (text[i] == '\0') return fail(ScanError::kNulCharacter, i);
        if (text[i] == '/' && i + 1 < n && text[i + 1] == '*') {
          // PostgreSQL nests block comments, SQLite does not: refuse both readings.
          return fail(ScanError::kNestedComment, i);
        }
        if (text[i] == '*' && i + 1 < n && text[i + 1] == '/') {
          i += 2;
          closed = true;
          break;
        }
        ++i;
      }
      if (!closed) return fail(ScanError::kUnterminatedComment, start);
      continue;
    }
    if (!token(i)) return r;
    if (c == ';') {
      on_event(ScanEvent::kStatementEnd, i);
      if (statement_has_tokens) ++r.statements;
      statement_has_tokens = false;
      after_semicolon = true;
      ++i;
      continue;
    }
    if (c == '\'') {
      // E'..' strings (PostgreSQL) take backslash escapes.
      const bool escapes = i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e') &&
                           (i < 2 || !IsIdentChar(text[i - 2]));
      const std::size_t start = i;
      ++i;
      bool closed = false;
      while (i < n) {
        if (text[i] == '\0') return fail(ScanError::kNulCharacter, i);
        if (escapes && text[i] == '\\') {
          i += 2;
          continue;
        }
        if (text[i] == '\'') {
          if (i + 1 < n && text[i + 1] == '\'') {
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        ++i;
      }
      if (!closed) return fail(ScanError::kUnterminatedString, start);
      continue;
    }
    if (c == '"' || c == '`') {
      const std::size_t start = i;
      ++i;
      bool closed = false;
      while (i < n) {
        if (text[i] == '\0') return fail(ScanError::kNulCharacter, i);
        if (text[i] == c) {
          if (i + 1 < n && text[i + 1] == c) {
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        ++i;
      }
      if (!closed) return fail(ScanError::kUnterminatedIdentifier, start);
      continue;
    }
    if (c == '$') {
      if (i > 0 && IsIdentChar(text[i - 1])) {  // a$b is one identifier in PostgreSQL
        ++i;
        continue;
      }
      if (i + 1 < n && IsDigit(text[i + 1])) return fail(ScanError::kNumberedPlaceholder, i);
      // $tag$ ... $tag$ (tag may be empty).
      std::size_t j = i + 1;
      while (j < n && IsIdentChar(text[j]) && text[j] != '$') ++j;
      if (j < n && text[j] == '$') {
        const std::string_view tag = text.substr(i, j - i + 1);
        const std::size_t body = j + 1;
        const std::size_t close = text.find(tag, body);
        if (close == std::string_view::npos) return fail(ScanError::kUnterminatedString, i);
        for (std::size_t k = body; k < close; ++k) {
          if (text[k] == '\0') return fail(ScanError::kNulCharacter, k);
        }
        i = close + tag.size();
        continue;
      }
      return fail(ScanError::kNamedPlaceholder, i);
    }
    if (c == '?') {
      if (i + 1 < n && IsDigit(text[i + 1])) return fail(ScanError::kNumberedPlaceholder, i);
      if (r.placeholders >= kMaxPlaceholders) return fail(ScanError::kTooManyPlaceholders, i);
      on_event(ScanEvent::kPlaceholder, i);
      ++r.placeholders;
      ++i;
      continue;
    }
    if (c == ':') {
      if (i + 1 < n && text[i + 1] == ':') {  // a PostgreSQL cast
        i += 2;
        continue;
      }
      if (i + 1 < n && IsIdentStart(text[i + 1])) return fail(ScanError::kNamedPlaceholder, i);
      ++i;
      continue;
    }
    if (c == '@') {
      if (i + 1 < n && IsIdentStart(text[i + 1])) return fail(ScanError::kNamedPlaceholder, i);
      ++i;
      continue;
    }
    if (c == '{') {
      if (i + 1 < n && text[i + 1] == '}') {
        on_event(ScanEvent::kSlot, i);
        ++r.slots;
        i += 2;
        continue;
      }
      return fail(ScanError::kStrayBrace, i);
    }
    if (c == '}') return fail(ScanError::kStrayBrace, i);
    if (IsIdentChar(c)) {
      while (i < n && IsIdentChar(text[i])) ++i;
      continue;
    }
    ++i;
  }
  if (statement_has_tokens) ++r.statements;
  on_event(ScanEvent::kStatementEnd, n);
  if (r.statements == 0) return fail(ScanError::kEmpty, 0);
  return r;
}

constexpr ScanResult ScanSql(std::string_view text, bool single_statement) {
  return ScanSql(text, single_statement, [](ScanEvent, std::size_t) {});
}

namespace compile_error {
// Not constexpr on purpose: calling one during constant evaluation makes the
// compiler print its name as the error.
inline void sql_is_empty() {}
inline void sql_has_unterminated_string_literal() {}
inline void sql_has_unterminated_quoted_identifier() {}
inline void sql_has_unterminated_comment() {}
inline void sql_has_nested_block_comment() {}
inline void sql_numbered_placeholder_use_question_mark() {}
inline void sql_named_placeholder_use_question_mark() {}
inline void sql_stray_brace_identifier_slots_are_written_as_braces_pair() {}
inline void sql_query_holds_one_statement_use_sql_Script() {}
inline void sql_contains_nul_character() {}
inline void sql_has_too_many_placeholders() {}
inline void placeholder_count_does_not_match_argument_count() {}
inline void identifier_slot_count_does_not_match_identifier_arguments() {}
inline void sql_Script_takes_no_placeholders() {}

consteval void Raise(ScanError e) {
  switch (e) {
    case ScanError::kNone: return;
    case ScanError::kEmpty: sql_is_empty(); return;
    case ScanError::kUnterminatedString: sql_has_unterminated_string_literal(); return;
    case ScanError::kUnterminatedIdentifier: sql_has_unterminated_quoted_identifier(); return;
    case ScanError::kUnterminatedComment: sql_has_unterminated_comment(); return;
    case ScanError::kNestedComment: sql_has_nested_block_comment(); return;
    case ScanError::kNumberedPlaceholder: sql_numbered_placeholder_use_question_mark(); return;
    case ScanError::kNamedPlaceholder: sql_named_placeholder_use_question_mark(); return;
    case ScanError::kStrayBrace:
      sql_stray_brace_identifier_slots_are_written_as_braces_pair();
      return;
    case ScanError::kMultipleStatements: sql_query_holds_one_statement_use_sql_Script(); return;
    case ScanError::kNulCharacter: sql_contains_nul_character(); return;
    case ScanError::kTooManyPlaceholders: sql_has_too_many_placeholders(); return;
  }
}
}  // namespace compile_error

class UnsafeDynamic;
class Script;

// One SQL statement, from a string literal. See the file comment.
class Query {
 public:
  template <std::size_t N>
  consteval Query(const char (&text)[N])  // NOLINT(google-explicit-constructor)
      : text_(text, N - 1) {
    if (text[N - 1] != '\0') compile_error::sql_contains_nul_character();
    const ScanResult r = ScanSql(text_, /*single_statement=*/true);
    compile_error::Raise(r.error);
    params_ = r.placeholders;
    slots_ = r.slots;
  }

  constexpr std::string_view text() const noexcept { return text_; }
  // Number of `?` placeholders, and of `{}` identifier slots.
  constexpr std::size_t param_count() const noexcept { return params_; }
  constexpr std::size_t slot_count() const noexcept { return slots_; }

 private:
  friend class UnsafeDynamic;
  friend class Script;
  constexpr Query(std::string_view text, std::size_t params, std::size_t slots) noexcept
      : text_(text), params_(params), slots_(slots) {}

  std::string_view text_;
  std::size_t params_ = 0;
  std::size_t slots_ = 0;
};

// Identifier text that may fill a `{}` slot. Only an IdentifierMap and
// SortDirection make one, from compile-time-checked names.
class Ident {
 public:
  constexpr std::string_view text() const noexcept { return text_; }

 private:
  template <class E, std::size_t N>
  friend class IdentifierMap;
  friend constexpr Ident SortKeyword(bool) noexcept;
  constexpr explicit Ident(std::string_view text) noexcept : text_(text) {}
  std::string_view text_;
};

enum class SortDirection : std::uint8_t { kAscending, kDescending };

constexpr Ident SortKeyword(bool descending) noexcept {
  return Ident(descending ? std::string_view("DESC") : std::string_view("ASC"));
}

namespace compile_error {
inline void identifier_must_be_letters_digits_underscore_dot() {}
inline void identifier_map_has_duplicate_enum_value() {}
}  // namespace compile_error

// An allowlist from an enum to column (or table) names, for the identifiers a
// caller may choose at run time, such as the sort column:
//
//   enum class UserSort { kEmail, kCreated };
//   constexpr sql::IdentifierMap<UserSort, 2> kUserSort{{{
//       {UserSort::kEmail, "email"}, {UserSort::kCreated, "created_at"}}}};
//   db.Query("SELECT id FROM users ORDER BY {} {} LIMIT ?",
//            kUserSort[sort], sql::SortDirection::kDescending, limit);
//
// Names are checked at compile time: [A-Za-z_][A-Za-z0-9_]* parts joined by '.'.
template <class E, std::size_t N>
class IdentifierMap {
  static_assert(std::is_enum_v<E>, "IdentifierMap maps an enum to identifiers");

 public:
  struct Entry {
    E key;
    std::string_view name;
  };
  consteval IdentifierMap(const std::array<Entry, N>& entries)  // NOLINT
      : entries_(entries) {
    for (std::size_t i = 0; i < N; ++i) {
      if (!ValidName(entries_[i].name)) {
        compile_error::identifier_must_be_letters_digits_underscore_dot();
      }
      for (std::size_t j = i + 1; j < N; ++j) {
        if (entries_[i].key == entries_[j].key) {
          compile_error::identifier_map_has_duplicate_enum_value();
        }
      }
    }
  }

  // REQUIRES: `key` is one of the mapped values (an unmapped enum value is a
  // programming error and aborts).
  constexpr Ident operator[](E key) const noexcept {
    for (const Entry& e : entries_) {
      if (e.key == key) return Ident(e.name);
    }
    ::bulwark::internal::CheckFailed(__FILE__, __LINE__, "IdentifierMap key is mapped");
  }

  static constexpr bool ValidName(std::string_view name) noexcept {
    if (name.empty() || name.size() > 63 * 2 + 1) return false;
    bool part_start = true;
    for (char c : name) {
      if (c == '.') {
        if (part_start) return false;
        part_start = true;
        continue;
      }
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      const bool digit = c >= '0' && c <= '9';
      if (part_start ? !letter : !(letter || digit)) return false;
      part_start = false;
    }
    return !part_start;
  }

 private:
  std::array<Entry, N> entries_;
};

// Whether an argument type fills a `{}` slot rather than a `?` placeholder.
template <class T>
inline constexpr bool kIsIdentifierArg =
    std::is_same_v<std::remove_cvref_t<T>, Ident> ||
    std::is_same_v<std::remove_cvref_t<T>, SortDirection>;

// A Query whose placeholder and slot counts are checked against the argument
// types at compile time (like fmt::format_string). Executor methods take it;
// callers pass a literal or a constexpr sql::Query.
template <class... Args>
class QueryFor {
 public:
  template <std::size_t N>
  consteval QueryFor(const char (&text)[N]) : query_(text) {  // NOLINT
    Check();
  }
  consteval QueryFor(const Query& query) : query_(query) {  // NOLINT
    Check();
  }

  constexpr const Query& query() const noexcept { return query_; }

 private:
  consteval void Check() const {
    constexpr std::size_t kSlots = (std::size_t{0} + ... + (kIsIdentifierArg<Args> ? 1 : 0));
    constexpr std::size_t kParams = sizeof...(Args) - kSlots;
    if (query_.param_count() != kParams) {
      compile_error::placeholder_count_does_not_match_argument_count();
    }
    if (query_.slot_count() != kSlots) {
      compile_error::identifier_slot_count_does_not_match_identifier_arguments();
    }
  }
  Query query_;
};

// Several statements without placeholders, for migrations and schema setup.
// From a literal (checked at compile time) or, for operator-supplied files,
// through Script::UnsafeFromOperatorText (checked at run time).
class Script {
 public:
  template <std::size_t N>
  consteval Script(const char (&text)[N]) : text_(text, N - 1) {  // NOLINT
    if (text[N - 1] != '\0') compile_error::sql_contains_nul_character();
    const ScanResult r = ScanSql(text_, /*single_statement=*/false);
    compile_error::Raise(r.error);
    if (r.placeholders != 0 || r.slots != 0) compile_error::sql_Script_takes_no_placeholders();
  }

  // Text from a trusted operator (a migration file on disk). The returned
  // Script views `text`, which must outlive it. Errors name the problem and
  // its byte offset, never the text.
  // The name is the escape hatch: grep for it.
  static Result<Script> UnsafeFromOperatorText(std::string_view text);

  constexpr std::string_view text() const noexcept { return text_; }

 private:
  struct RuntimeTag {};
  constexpr Script(std::string_view text, RuntimeTag) noexcept : text_(text) {}
  std::string_view text_;
};

// The escape hatch for SQL text that only exists at run time. It is checked
// like a literal (at run time): an invalid text makes every execution fail
// with kInvalidArgument. Placeholder counts are checked against the bound
// arguments at execution. Grep for UnsafeDynamic in review.
class UnsafeDynamic {
 public:
  explicit UnsafeDynamic(std::string text);

  const std::string& text() const noexcept { return text_; }
  ScanError error() const noexcept { return scan_.error; }
  std::size_t param_count() const noexcept { return scan_.placeholders; }
  std::size_t slot_count() const noexcept { return scan_.slots; }

 private:
  std::string text_;
  ScanResult scan_;
};

}  // namespace bulwark::db::sql
