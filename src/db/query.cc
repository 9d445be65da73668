#include "bulwark/db/query.h"

#include <string>
#include <utility>
#include <vector>

#include "bulwark/db/database.h"

namespace bulwark::db {
namespace sql {

std::string_view ScanErrorName(ScanError error) noexcept {
  switch (error) {
    case ScanError::kNone: return "no error";
    case ScanError::kEmpty: return "empty statement";
    case ScanError::kUnterminatedString: return "unterminated string literal";
    case ScanError::kUnterminatedIdentifier: return "unterminated quoted identifier";
    case ScanError::kUnterminatedComment: return "unterminated comment";
    case ScanError::kNestedComment: return "nested block comment";
    case ScanError::kNumberedPlaceholder: return "numbered placeholder (use ?)";
    case ScanError::kNamedPlaceholder: return "named placeholder (use ?)";
    case ScanError::kStrayBrace: return "stray brace (identifier slots are {})";
    case ScanError::kMultipleStatements: return "more than one statement";
    case ScanError::kNulCharacter: return "NUL character";
    case ScanError::kTooManyPlaceholders: return "too many placeholders";
  }
  return "unknown scan error";
}

Result<Script> Script::UnsafeFromOperatorText(std::string_view text) {
  const ScanResult r = ScanSql(text, /*single_statement=*/false);
  if (r.error != ScanError::kNone) {
    return Error(ErrorCode::kInvalidArgument, "SQL script: " + std::string(ScanErrorName(r.error)) +
                                                  " at byte " + std::to_string(r.error_offset));
  }
  if (r.placeholders != 0 || r.slots != 0) {
    return Error(ErrorCode::kInvalidArgument, "SQL script: placeholders are not allowed in scripts");
  }
  return Script(text, RuntimeTag{});
}

UnsafeDynamic::UnsafeDynamic(std::string text)
    : text_(std::move(text)), scan_(ScanSql(text_, /*single_statement=*/true)) {}

}  // namespace sql

namespace internal {

Result<std::string> FillSlots(std::string_view text, std::span<const std::string_view> idents) {
  std::vector<std::size_t> slots;
  const sql::ScanResult r = sql::ScanSql(text, true, [&](sql::ScanEvent e, std::size_t at) {
    if (e == sql::ScanEvent::kSlot) slots.push_back(at);
  });
  if (r.error != sql::ScanError::kNone || slots.size() != idents.size()) {
    return Error(ErrorCode::kInternal, "identifier slots do not match identifier arguments");
  }
  std::string out;
  out.reserve(text.size() + 32);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    out.append(text.substr(pos, slots[i] - pos));
    out.append(idents[i]);
    pos = slots[i] + 2;
  }
  out.append(text.substr(pos));
  return out;
}

Error ParamError(std::size_t position, const Error& error) {
  return Error(error.code(), "parameter " + std::to_string(position) + ": " + error.message());
}

Error DynamicQueryError(const sql::UnsafeDynamic& query, std::size_t params, std::size_t slots) {
  if (query.error() != sql::ScanError::kNone) {
    return Error(ErrorCode::kInvalidArgument,
                 "dynamic SQL: " + std::string(sql::ScanErrorName(query.error())));
  }
  if (query.slot_count() != slots) {
    return Error(ErrorCode::kInvalidArgument, "dynamic SQL: identifier slots are not supported");
  }
  return Error(ErrorCode::kInvalidArgument,
               "dynamic SQL: " + std::to_string(query.param_count()) + " placeholders but " +
                   std::to_string(params) + " arguments");
}

}  // namespace internal
}  // namespace bulwark::db
