#pragma once
// JSON documents from outside: a strict, bounded parser and the value type it
// produces.
//
// ParseJson accepts exactly RFC 8259 JSON and additionally rejects, as errors
// with stable codes: bodies over JsonLimits::max_body_bytes, nesting deeper
// than max_depth, more than max_elements values, strings longer than
// max_string_bytes, objects with a duplicate key (the same key twice is how
// parsers that disagree on "first or last wins" get tricked), invalid UTF-8
// anywhere (including escaped lone surrogates), and integers that do not fit
// in a signed 64-bit value. Numbers written with a fraction or an exponent
// stay doubles: the parser never turns 1.0 or 1e2 into an integer.
//
// Thread-safety: ParseJson may be called concurrently (it keeps one parser
// per thread). JsonValue is a value type; distinct objects may be used
// concurrently, one object may be read concurrently.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bulwark/core/untrusted.h"
#include "bulwark/validate/report.h"

namespace bulwark::validate {

struct JsonLimits {
  std::size_t max_body_bytes = 1 << 20;     // 1 MiB
  std::size_t max_depth = 32;               // arrays and objects nested
  std::size_t max_elements = 100'000;       // values in the whole document
  std::size_t max_string_bytes = 1 << 16;   // one string or key, after unescaping
  std::size_t max_members = 1'000;          // members of one object
};

struct JsonMember;

class JsonValue {
 public:
  enum class Kind : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  using Array = std::vector<JsonValue>;
  using Object = std::vector<JsonMember>;  // in document order, keys unique

  JsonValue();  // null
  static JsonValue Null();
  static JsonValue Bool(bool b);
  static JsonValue Int(std::int64_t i);
  // REQUIRES: `d` is finite.
  static JsonValue Double(double d);
  static JsonValue String(std::string s);
  static JsonValue MakeArray(Array items);
  // REQUIRES: keys are unique.
  static JsonValue MakeObject(Object members);

  Kind kind() const noexcept { return static_cast<Kind>(data_.index()); }
  bool is_null() const noexcept { return kind() == Kind::kNull; }
  bool is_bool() const noexcept { return kind() == Kind::kBool; }
  bool is_int() const noexcept { return kind() == Kind::kInt; }
  bool is_double() const noexcept { return kind() == Kind::kDouble; }
  bool is_number() const noexcept { return is_int() || is_double(); }
  bool is_string() const noexcept { return kind() == Kind::kString; }
  bool is_array() const noexcept { return kind() == Kind::kArray; }
  bool is_object() const noexcept { return kind() == Kind::kObject; }

  // Accessors. REQUIRES: the value has that kind (checked; aborts otherwise).
  bool AsBool() const;
  std::int64_t AsInt() const;
  double AsDouble() const;  // also for kInt (converted)
  const std::string& AsString() const;
  const Array& AsArray() const;
  const Object& AsObject() const;

  // The member named `key` of an object, or nullptr (also for non-objects).
  const JsonValue* Find(std::string_view key) const noexcept;

  // Compact JSON text. Strings are escaped so the output is also safe inside
  // an HTML <script> element (<, >, &, U+2028 and U+2029 are \u-escaped).
  std::string Serialize() const;

  friend bool operator==(const JsonValue&, const JsonValue&);

 private:
  friend struct JsonParserAccess;  // the parser builds objects it checked itself
  using Data = std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object>;
  explicit JsonValue(Data d);
  Data data_;
};

struct JsonMember {
  std::string key;
  JsonValue value;
  friend bool operator==(const JsonMember&, const JsonMember&) = default;
};

// Defined here, where JsonMember is complete (Object holds it by value).
inline JsonValue::JsonValue(Data d) : data_(std::move(d)) {}
inline JsonValue::JsonValue() : data_() {}
inline JsonValue JsonValue::Null() { return JsonValue(); }
inline JsonValue JsonValue::Bool(bool b) { return JsonValue(Data(std::in_place_index<1>, b)); }
inline JsonValue JsonValue::Int(std::int64_t i) { return JsonValue(Data(std::in_place_index<2>, i)); }
inline JsonValue JsonValue::String(std::string s) {
  return JsonValue(Data(std::in_place_index<4>, std::move(s)));
}
inline JsonValue JsonValue::MakeArray(Array items) {
  return JsonValue(Data(std::in_place_index<5>, std::move(items)));
}

// Parses `body`. On failure the report holds one violation at path "" (or at
// the path where the problem was found) with a parse code (see
// IsParseCode): kBodyTooLarge, kMalformedJson, kTooDeep, kTooManyElements,
// kDuplicateKey, kInvalidUtf8, kNumberOutOfRange, kStringTooLong.
// The result is Untrusted: it is well-formed JSON, not yet checked data.
Checked<Untrusted<JsonValue>> ParseJson(std::string_view body, const JsonLimits& limits = {});

}  // namespace bulwark::validate
