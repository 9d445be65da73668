// Parse + schema validation on arbitrary bodies: never crashes; any accepted
// document serializes to JSON that parses back to the same value; accepted
// bodies satisfy the schema's invariants.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/validate/schema.h"

namespace {

using namespace bulwark::validate;

const Schema& TheSchema() {
  static const Schema schema = Schema::Compile(Rule::Object({
      Field("email", Rule::String().WithFormat(Format::kEmail)),
      Field("name", Rule::String().Length(1, 16)).Optional(),
      Field("user", Rule::String().WithNormalization(Normalization::kNfkcCasefold)
                        .WithFormat(Format::kIdentifier)).Optional(),
      Field("age", Rule::Integer().Range(0, 200)).Optional(),
      Field("ratio", Rule::Number().Range(-1.0, 1.0)).Optional(),
      Field("ok", Rule::Boolean()).Optional(),
      Field("tags", Rule::Array(Rule::String().Pattern("[a-z]{1,8}")).Items(0, 4)).Optional(),
      Field("when", Rule::String().WithFormat(Format::kTimestamp).Nullable()).Optional(),
      Field("site", Rule::String().WithFormat(Format::kUrl)).Optional(),
      Field("nested", Rule::Object({Field("k", Rule::String().OneOf({"a", "b"}))}))
          .Optional(),
      Field("any", Rule::Object({}).AllowUnknownFields()).Optional(),
  })).value();
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  JsonLimits limits;
  limits.max_depth = 16;
  auto parsed = ParseJson(body, limits);
  if (parsed.ok()) {
    const JsonValue& v = parsed.value().UnvalidatedValue();
    auto again = ParseJson(v.Serialize());
    if (!again.ok() || !(again.value().UnvalidatedValue() == v)) std::abort();
  }
  auto checked = TheSchema().ValidateBody(body, limits);
  if (!checked.ok()) {
    const ValidationReport& r = checked.report();
    if (r.empty() || r.violations().size() > ValidationReport::kMaxViolations) std::abort();
    (void)r.ToProblemJson();
    return 0;
  }
  const JsonValue& doc = checked.value().value();
  if (!doc.is_object() || doc.Find("email") == nullptr) std::abort();
  if (const JsonValue* age = doc.Find("age")) {
    if (!age->is_int() || age->AsInt() < 0 || age->AsInt() > 200) std::abort();
  }
  if (const JsonValue* name = doc.Find("name")) {
    ViolationCode code;
    if (!IsValidUtf8(name->AsString()) || !CheckCharacters(name->AsString(), {}, &code)) std::abort();
    const std::size_t n = CountCodePoints(name->AsString());
    if (n < 1 || n > 16) std::abort();
  }
  return 0;
}
