// Validated request bodies: code that needs a checked body takes
// Valid<JsonValue>; a parsed-but-unchecked document or a raw value does not
// convert, and Checked<T> cannot be built from a bare value.
#include <string>

#include "bulwark/validate/json.h"
#include "bulwark/validate/schema.h"

using namespace bulwark::validate;
using bulwark::Untrusted;
using bulwark::Valid;

int CreateUser(const Valid<JsonValue>& body) { return body->is_object() ? 0 : 1; }
int UseName(const Valid<std::string>& name) { return static_cast<int>(name->size()); }

int main() {
  auto schema = Schema::Compile(Rule::Object({Field("name", Rule::String())}));
  if (!schema.ok()) return 1;
#if BULWARK_CF_CASE == 0
// expect: control
  Checked<Valid<JsonValue>> body = schema->ValidateBody(R"({"name":"x"})");
  if (!body.ok()) return 1;
  auto rule = StringRule::Create(StringRuleOptions{});
  if (!rule.ok()) return 1;
  auto name = rule->Check(Untrusted<std::string>(std::string("bob")));
  return CreateUser(body.value()) + (name.ok() ? UseName(name.value()) - 3 : 1);
#endif
#if BULWARK_CF_CASE == 1
// expect: invalid initialization|cannot convert|no matching|could not convert
  auto parsed = ParseJson(R"({"name":"x"})");
  return CreateUser(parsed.value());  // parsed is Untrusted, not Valid
#endif
#if BULWARK_CF_CASE == 2
// expect: invalid initialization|cannot convert|no matching|could not convert
  return CreateUser(JsonValue::Null());  // a bare value
#endif
#if BULWARK_CF_CASE == 3
// expect: invalid initialization|cannot convert|no matching|could not convert
  Checked<Valid<JsonValue>> body = schema->ValidateBody("{}");
  return CreateUser(body);  // must check ok() and take value()
#endif
#if BULWARK_CF_CASE == 4
// expect: private|no matching
  Checked<Valid<JsonValue>> forged(Valid<JsonValue>::UnsafeAssumeValid(JsonValue()));
  return forged.ok() ? 0 : 1;
#endif
#if BULWARK_CF_CASE == 5
// expect: invalid initialization|cannot convert|no matching|could not convert
  return UseName(std::string("raw"));
#endif
}
