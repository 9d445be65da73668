#include "bulwark/validate/report.h"

#include <algorithm>

#include "json_write.h"

namespace bulwark::validate {

std::string_view ViolationCodeName(ViolationCode code) noexcept {
  switch (code) {
    case ViolationCode::kBodyTooLarge: return "body_too_large";
    case ViolationCode::kMalformedJson: return "malformed_json";
    case ViolationCode::kTooDeep: return "too_deep";
    case ViolationCode::kTooManyElements: return "too_many_elements";
    case ViolationCode::kDuplicateKey: return "duplicate_key";
    case ViolationCode::kInvalidUtf8: return "invalid_utf8";
    case ViolationCode::kNumberOutOfRange: return "number_out_of_range";
    case ViolationCode::kStringTooLong: return "string_too_long";
    case ViolationCode::kWrongType: return "wrong_type";
    case ViolationCode::kRequired: return "required";
    case ViolationCode::kUnknownField: return "unknown_field";
    case ViolationCode::kTooShort: return "too_short";
    case ViolationCode::kTooLong: return "too_long";
    case ViolationCode::kTooSmall: return "too_small";
    case ViolationCode::kTooLarge: return "too_large";
    case ViolationCode::kNotAnInteger: return "not_an_integer";
    case ViolationCode::kNotAllowedValue: return "not_allowed_value";
    case ViolationCode::kPatternMismatch: return "pattern_mismatch";
    case ViolationCode::kInvalidFormat: return "invalid_format";
    case ViolationCode::kControlCharacter: return "control_character";
    case ViolationCode::kBidiControl: return "bidi_control";
    case ViolationCode::kInvisibleCharacter: return "invisible_character";
    case ViolationCode::kDisallowedCharacter: return "disallowed_character";
    case ViolationCode::kTooFewItems: return "too_few_items";
    case ViolationCode::kTooManyItems: return "too_many_items";
  }
  return "unknown";
}

bool IsParseCode(ViolationCode code) noexcept {
  return code <= ViolationCode::kStringTooLong;
}

void ValidationReport::Add(std::string path, ViolationCode code, std::string safe_message) {
  if (violations_.size() >= kMaxViolations) {
    truncated_ = true;
    return;
  }
  violations_.push_back(Violation{std::move(path), code, std::move(safe_message)});
}

bool ValidationReport::Has(ViolationCode code) const noexcept {
  return std::any_of(violations_.begin(), violations_.end(),
                     [&](const Violation& v) { return v.code == code; });
}

bool ValidationReport::Has(std::string_view path, ViolationCode code) const noexcept {
  return std::any_of(violations_.begin(), violations_.end(),
                     [&](const Violation& v) { return v.code == code && v.path == path; });
}

int ValidationReport::HttpStatus() const noexcept {
  if (Has(ViolationCode::kBodyTooLarge)) return 413;
  for (const Violation& v : violations_) {
    if (IsParseCode(v.code)) return 400;
  }
  return 422;
}

std::string ValidationReport::ToProblemJson() const {
  const int status = HttpStatus();
  std::string out = "{\"type\":\"about:blank\",\"title\":";
  internal::AppendJsonString(&out, status == 413   ? "Content Too Large"
                                   : status == 400 ? "Bad Request"
                                                   : "Unprocessable Content");
  out += ",\"status\":" + std::to_string(status) + ",\"detail\":";
  internal::AppendJsonString(&out, status == 422 ? "The request body failed validation."
                                                 : "The request body is not acceptable JSON.");
  out += ",\"errors\":[";
  bool first = true;
  for (const Violation& v : violations_) {
    if (!first) out.push_back(',');
    first = false;
    out += "{\"pointer\":";
    internal::AppendJsonString(&out, v.path);
    out += ",\"code\":";
    internal::AppendJsonString(&out, ViolationCodeName(v.code));
    out += ",\"detail\":";
    internal::AppendJsonString(&out, v.message);
    out.push_back('}');
  }
  out += "]";
  if (truncated_) out += ",\"errors_truncated\":true";
  out += "}";
  return out;
}

Error ValidationReport::ToError() const {
  if (violations_.empty()) return Error(ErrorCode::kInternal, "empty validation report");
  const Violation& v = violations_.front();
  std::string message(ViolationCodeName(v.code));
  if (!v.path.empty()) message += " at " + v.path;
  message += ": " + v.message;
  return Error(HttpStatus() == 413 ? ErrorCode::kResourceExhausted : ErrorCode::kInvalidArgument,
               std::move(message));
}

}  // namespace bulwark::validate
