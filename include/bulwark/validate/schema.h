#pragma once
// Object schemas for JSON request bodies, declared once in C++ and used both
// to validate and to document (ToJsonSchema, for the OpenAPI document).
//
//   const Schema kRegister = Schema::Compile(Rule::Object({
//       Field("email", Rule::String().WithFormat(Format::kEmail)),
//       Field("password", Rule::String().Length(12, 128)),
//       Field("name", Rule::String().Length(1, 64)).Optional(),
//       Field("age", Rule::Integer().Range(13, 150)).Optional(),
//   })).value();
//   Checked<Valid<JsonValue>> body = kRegister.ValidateBody(request_body);
//   if (!body.ok()) return Problem(body.report());   // 400/413/422
//   const std::string& email = body.value()->Find("email")->AsString();
//
// Rules, all enforced by default:
// - Objects reject unknown fields (mass assignment) unless AllowUnknownFields().
//   Fields are required unless Optional(). JSON null is a wrong type unless
//   the rule is Nullable().
// - Integers must be written as integers: 1.0 and 1e2 are kNotAnInteger, never
//   converted. Numbers accept both and must be finite and within range.
// - Strings: valid UTF-8, normalized (NFC unless said otherwise), no control,
//   bidi-override, invisible or noncharacter code points unless allowed,
//   length in code points (default at most 1024), then enum, format and RE2
//   pattern. The validated document holds the normalized strings.
// - Arrays: item rule and length bounds (default at most 256 items).
// - Schemas nest at most kMaxSchemaDepth objects/arrays deep.
//
// Thread-safety: Rule and Field are plain builders (not shared). A compiled
// Schema is immutable; Validate* may be called concurrently. Copies share the
// compiled form.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulwark/core/result.h"
#include "bulwark/core/untrusted.h"
#include "bulwark/validate/json.h"
#include "bulwark/validate/report.h"
#include "bulwark/validate/strings.h"

namespace bulwark::validate {

class Field;
class SchemaCompiler;

// A description of what one JSON value must look like. Builder methods return
// a modified copy; a method that does not apply to the rule's type (Length on
// an Integer) makes Schema::Compile fail.
class Rule {
 public:
  enum class Type : std::uint8_t { kString, kInteger, kNumber, kBoolean, kArray, kObject };

  static Rule String();
  static Rule Integer();
  static Rule Number();
  static Rule Boolean();
  static Rule Array(Rule items);
  static Rule Object(std::vector<Field> fields);

  // Any type.
  Rule Describe(std::string description) const;  // for the JSON Schema
  Rule Nullable() const;

  // Strings.
  Rule Length(std::size_t min_code_points, std::size_t max_code_points) const;
  Rule MaxLength(std::size_t max_code_points) const;
  Rule WithNormalization(Normalization form) const;
  Rule WithFormat(Format format) const;
  Rule WithUrlPolicy(UrlPolicy policy) const;  // for Format::kUrl
  Rule Pattern(std::string re2_pattern) const;  // full match, RE2 syntax
  Rule OneOf(std::vector<std::string> allowed) const;  // an enum
  Rule AllowNewlines() const;
  Rule AllowBidi() const;
  Rule AllowInvisible() const;

  // Integers and numbers (inclusive bounds).
  // Integer rules take integer bounds, number rules double bounds.
  template <std::integral I>
  Rule Range(I min, I max) const {
    return IntegerRange(static_cast<std::int64_t>(min), static_cast<std::int64_t>(max));
  }
  Rule Range(double min, double max) const;

  // Arrays.
  Rule Items(std::size_t min_items, std::size_t max_items) const;

  // Objects.
  Rule AllowUnknownFields() const;  // kept as they are, unvalidated

  Type type() const noexcept { return type_; }

 private:
  friend class SchemaCompiler;
  friend class Field;
  explicit Rule(Type type);
  Rule Misuse(const char* what) const;
  Rule IntegerRange(std::int64_t min, std::int64_t max) const;

  Type type_;
  bool nullable_ = false;
  std::string description_;
  const char* misuse_ = nullptr;  // first builder method used on the wrong type
  // Strings.
  StringRuleOptions string_;
  // Integers / numbers.
  std::int64_t int_min_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t int_max_ = std::numeric_limits<std::int64_t>::max();
  double num_min_ = -std::numeric_limits<double>::max();
  double num_max_ = std::numeric_limits<double>::max();
  bool range_set_ = false;
  // Arrays.
  std::shared_ptr<const Rule> items_;
  std::size_t min_items_ = 0;
  std::size_t max_items_ = 256;
  // Objects.
  std::vector<Field> fields_;
  bool allow_unknown_ = false;
};

// One member of an object rule.
class Field {
 public:
  Field(std::string name, Rule rule) : name_(std::move(name)), rule_(std::move(rule)) {}
  Field Optional() const {
    Field f = *this;
    f.required_ = false;
    return f;
  }
  const std::string& name() const noexcept { return name_; }
  bool required() const noexcept { return required_; }
  const Rule& rule() const noexcept { return rule_; }

 private:
  std::string name_;
  Rule rule_;
  bool required_ = true;
};

class Schema {
 public:
  static constexpr std::size_t kMaxSchemaDepth = 32;

  // Checks the rule tree (ranges ordered, field names unique, valid UTF-8
  // and normalized enum values, patterns that compile, methods used on the
  // right types, depth) and compiles it. kInvalidArgument names the problem.
  static Result<Schema> Compile(const Rule& root);

  // Parses `body` with `limits` and validates it: the http entry point.
  // REQUIRES: nothing; any byte sequence is acceptable input.
  Checked<Valid<JsonValue>> ValidateBody(std::string_view body,
                                         const JsonLimits& limits = {}) const;

  // Validates an already parsed document. The result holds normalized
  // strings; unknown fields (where allowed) are copied unchanged.
  Checked<Valid<JsonValue>> Validate(Untrusted<JsonValue> document) const;

  // The schema as JSON Schema (draft 2020-12 / OpenAPI 3.1 compatible
  // keywords; also understood by draft-07 validators). With
  // `include_dollar_schema` it carries a "$schema" member naming draft-07.
  std::string ToJsonSchema(bool include_dollar_schema = false) const;

  struct Node;  // compiled form (opaque)

 private:
  explicit Schema(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const Node> root_;
};

}  // namespace bulwark::validate
