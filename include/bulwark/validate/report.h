#pragma once
// Validation reports: what was wrong with a request, as a list of field
// paths (RFC 6901 JSON Pointers, built only from the schema's own field names
// and array indexes) with stable codes and safe messages. Neither the path
// nor the message ever contains text from the input: an unknown field is
// reported at its parent object's path, and messages describe the rule
// ("must be at most 64 characters"), not the value.
//
// A report maps directly onto an RFC 9457 problem+json response: the http
// layer answers 413 for kBodyTooLarge, 400 for the other parse codes and 422
// for everything else (HttpStatus() says which).
//
// Thread-safety: value types.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulwark/core/check.h"
#include "bulwark/core/error.h"

namespace bulwark::validate {

enum class ViolationCode : std::uint8_t {
  // Parse codes: the body is not acceptable JSON.
  kBodyTooLarge,
  kMalformedJson,
  kTooDeep,
  kTooManyElements,
  kDuplicateKey,
  kInvalidUtf8,
  kNumberOutOfRange,
  kStringTooLong,
  // Schema codes: the JSON does not match the schema.
  kWrongType,
  kRequired,
  kUnknownField,
  kTooShort,
  kTooLong,
  kTooSmall,
  kTooLarge,
  kNotAnInteger,
  kNotAllowedValue,
  kPatternMismatch,
  kInvalidFormat,
  kControlCharacter,
  kBidiControl,
  kInvisibleCharacter,
  kDisallowedCharacter,
  kTooFewItems,
  kTooManyItems,
};

// A stable snake_case name ("too_long"); part of the API contract.
std::string_view ViolationCodeName(ViolationCode code) noexcept;
// True for the codes that mean "not acceptable JSON" rather than "wrong data".
bool IsParseCode(ViolationCode code) noexcept;

struct Violation {
  std::string path;     // JSON Pointer; "" is the whole document
  ViolationCode code;
  std::string message;  // safe to show to the client
  friend bool operator==(const Violation&, const Violation&) = default;
};

class ValidationReport {
 public:
  // Reports stop growing at this many violations (a hostile body cannot make
  // the error response large); truncated() then says so.
  static constexpr std::size_t kMaxViolations = 32;

  void Add(std::string path, ViolationCode code, std::string safe_message);

  bool empty() const noexcept { return violations_.empty(); }
  const std::vector<Violation>& violations() const noexcept { return violations_; }
  bool truncated() const noexcept { return truncated_; }
  // True if any violation has this code (at any path).
  bool Has(ViolationCode code) const noexcept;
  // True if any violation has this code at exactly `path`.
  bool Has(std::string_view path, ViolationCode code) const noexcept;

  // 413 (body too large), 400 (other parse codes) or 422.
  int HttpStatus() const noexcept;

  // The problem+json members for this report:
  //   {"type":"about:blank","title":...,"status":422,
  //    "errors":[{"pointer":"/email","code":"invalid_format","detail":"..."}]}
  // The http layer may add instance/request id members.
  std::string ToProblemJson() const;

  // One Error summarising the report (kInvalidArgument or kResourceExhausted),
  // for callers that only propagate Result<T>.
  Error ToError() const;

 private:
  std::vector<Violation> violations_;
  bool truncated_ = false;
};

// Checked<T>: a T, or the report that explains why there is none. Like
// Result<T>, but the failure carries every violation, not one Error.
template <class T>
class [[nodiscard]] Checked {
 public:
  static Checked Success(T value) { return Checked(std::move(value)); }
  // REQUIRES: !report.empty().
  static Checked Failure(ValidationReport report) {
    BULWARK_CHECK(!report.empty());
    return Checked(std::move(report));
  }

  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  // REQUIRES: ok() (checked).
  T& value() & {
    BULWARK_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    BULWARK_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    BULWARK_CHECK(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok() (checked).
  const ValidationReport& report() const& {
    BULWARK_CHECK(!ok());
    return report_;
  }
  ValidationReport report() && {
    BULWARK_CHECK(!ok());
    return std::move(report_);
  }

 private:
  explicit Checked(T value) : value_(std::move(value)) {}
  explicit Checked(ValidationReport report) : report_(std::move(report)) {}
  std::optional<T> value_;
  ValidationReport report_;
};

}  // namespace bulwark::validate
