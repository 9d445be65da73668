#include "bulwark/validate/schema.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace bulwark::validate {
namespace {

Schema RegistrationSchema() {
  auto schema = Schema::Compile(Rule::Object({
      Field("email", Rule::String().WithFormat(Format::kEmail).MaxLength(254)),
      Field("password", Rule::String().Length(12, 128).WithNormalization(Normalization::kNone)),
      Field("username", Rule::String()
                            .WithNormalization(Normalization::kNfkcCasefold)
                            .WithFormat(Format::kIdentifier)
                            .Length(3, 32)),
      Field("display_name", Rule::String().Length(1, 64)).Optional(),
      Field("age", Rule::Integer().Range(13, 150)).Optional(),
      Field("score", Rule::Number().Range(0.0, 1.0)).Optional(),
      Field("newsletter", Rule::Boolean()).Optional(),
      Field("role", Rule::String().OneOf({"reader", "writer"})).Optional(),
      Field("tags", Rule::Array(Rule::String().Length(1, 16)).Items(0, 3)).Optional(),
      Field("website", Rule::String().WithFormat(Format::kUrl).Nullable()).Optional(),
      Field("address", Rule::Object({
                           Field("city", Rule::String().Length(1, 64)),
                           Field("postal_code", Rule::String().Pattern("[0-9]{5}")),
                       }))
          .Optional(),
  }));
  BULWARK_CHECK(schema.ok());
  return std::move(schema).value();
}

const char* kGood = R"({
  "email": "Alice@Example.COM",
  "password": "correct horse battery",
  "username": "Alice_1",
  "display_name": "Zoe\u0308",
  "age": 30,
  "score": 0.5,
  "newsletter": true,
  "role": "writer",
  "tags": ["a", "b"],
  "website": null,
  "address": {"city": "Berlin", "postal_code": "10115"}
})";

TEST(Schema, AcceptsAndNormalizes) {
  Schema schema = RegistrationSchema();
  auto body = schema.ValidateBody(kGood);
  ASSERT_TRUE(body.ok()) << body.report().ToProblemJson();
  const JsonValue& doc = body.value().value();
  EXPECT_EQ(doc.Find("email")->AsString(), "Alice@example.com");
  EXPECT_EQ(doc.Find("username")->AsString(), "alice_1");
  EXPECT_EQ(doc.Find("display_name")->AsString(), "Zo\xC3\xAB");  // NFC
  EXPECT_EQ(doc.Find("age")->AsInt(), 30);
  EXPECT_TRUE(doc.Find("website")->is_null());
}

TEST(Schema, RejectsUnknownFieldsWithoutEchoingThem) {
  Schema schema = RegistrationSchema();
  auto body = schema.ValidateBody(
      R"({"email":"a@example.com","password":"123456789012","username":"abc","is_admin":true})");
  ASSERT_FALSE(body.ok());
  EXPECT_TRUE(body.report().Has("", ViolationCode::kUnknownField));
  EXPECT_EQ(body.report().ToProblemJson().find("is_admin"), std::string::npos);
  EXPECT_EQ(body.report().HttpStatus(), 422);
  // Nested too.
  auto nested = schema.ValidateBody(
      R"({"email":"a@example.com","password":"123456789012","username":"abc",)"
      R"("address":{"city":"x","postal_code":"12345","owner_id":7}})");
  ASSERT_FALSE(nested.ok());
  EXPECT_TRUE(nested.report().Has("/address", ViolationCode::kUnknownField));
}

TEST(Schema, ReportsEveryFieldWithPathsAndCodes) {
  Schema schema = RegistrationSchema();
  auto body = schema.ValidateBody(R"({
    "email": "not-an-email",
    "password": "short",
    "age": 12,
    "score": 1.5,
    "newsletter": "yes",
    "role": "admin",
    "tags": ["ok", "", "x", "y"],
    "address": {"city": "", "postal_code": "1234a"}
  })");
  ASSERT_FALSE(body.ok());
  const ValidationReport& r = body.report();
  EXPECT_TRUE(r.Has("/email", ViolationCode::kInvalidFormat));
  EXPECT_TRUE(r.Has("/password", ViolationCode::kTooShort));
  EXPECT_TRUE(r.Has("/username", ViolationCode::kRequired));
  EXPECT_TRUE(r.Has("/age", ViolationCode::kTooSmall));
  EXPECT_TRUE(r.Has("/score", ViolationCode::kTooLarge));
  EXPECT_TRUE(r.Has("/newsletter", ViolationCode::kWrongType));
  EXPECT_TRUE(r.Has("/role", ViolationCode::kNotAllowedValue));
  EXPECT_TRUE(r.Has("/tags", ViolationCode::kTooManyItems));
  EXPECT_TRUE(r.Has("/address/city", ViolationCode::kTooShort));
  EXPECT_TRUE(r.Has("/address/postal_code", ViolationCode::kPatternMismatch));
  for (const Violation& v : r.violations()) {
    EXPECT_EQ(v.message.find("not-an-email"), std::string::npos);
    EXPECT_EQ(v.message.find("admin"), std::string::npos);
  }
}

TEST(Schema, ArrayItemPaths) {
  Schema schema = RegistrationSchema();
  auto body = schema.ValidateBody(
      R"({"email":"a@example.com","password":"123456789012","username":"abc","tags":["ok",""]})");
  ASSERT_FALSE(body.ok());
  EXPECT_TRUE(body.report().Has("/tags/1", ViolationCode::kTooShort));
}

TEST(Schema, NoSilentFloatToInt) {
  Schema schema = RegistrationSchema();
  for (const char* age : {"30.0", "3e1", "30.5"}) {
    std::string body = R"({"email":"a@example.com","password":"123456789012","username":"abc","age":)" +
                       std::string(age) + "}";
    auto r = schema.ValidateBody(body);
    ASSERT_FALSE(r.ok()) << age;
    EXPECT_TRUE(r.report().Has("/age", ViolationCode::kNotAnInteger)) << age;
  }
  // A number field accepts integers.
  auto ok = schema.ValidateBody(
      R"({"email":"a@example.com","password":"123456789012","username":"abc","score":1})");
  EXPECT_TRUE(ok.ok());
}

TEST(Schema, WrongTypesEverywhere) {
  Schema schema = RegistrationSchema();
  for (const char* body : {"[]", "\"x\"", "1", "null", "true"}) {
    auto r = schema.ValidateBody(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_TRUE(r.report().Has("", ViolationCode::kWrongType)) << body;
  }
  auto r = schema.ValidateBody(
      R"({"email":1,"password":["x"],"username":{},"tags":"a","address":[]})");
  ASSERT_FALSE(r.ok());
  for (const char* path : {"/email", "/password", "/username", "/tags", "/address"}) {
    EXPECT_TRUE(r.report().Has(path, ViolationCode::kWrongType)) << path;
  }
  // null only where Nullable.
  auto null_email = schema.ValidateBody(
      R"({"email":null,"password":"123456789012","username":"abc"})");
  ASSERT_FALSE(null_email.ok());
  EXPECT_TRUE(null_email.report().Has("/email", ViolationCode::kWrongType));
}

TEST(Schema, HostileStrings) {
  Schema schema = RegistrationSchema();
  auto with_name = [&](const std::string& json_string) {
    return schema.ValidateBody(
        R"({"email":"a@example.com","password":"123456789012","username":"abc","display_name":)" +
        json_string + "}");
  };
  EXPECT_TRUE(with_name(R"("normal")").ok());
  auto bidi = with_name(R"("evil\u202Etxt.exe")");
  ASSERT_FALSE(bidi.ok());
  EXPECT_TRUE(bidi.report().Has("/display_name", ViolationCode::kBidiControl));
  auto zwsp = with_name(R"("ad\u200Bmin")");
  ASSERT_FALSE(zwsp.ok());
  EXPECT_TRUE(zwsp.report().Has("/display_name", ViolationCode::kInvisibleCharacter));
  auto nul = with_name(R"("a\u0000b")");
  ASSERT_FALSE(nul.ok());
  EXPECT_TRUE(nul.report().Has("/display_name", ViolationCode::kControlCharacter));
  auto newline = with_name(R"("a\nb")");
  ASSERT_FALSE(newline.ok());
  auto lone = with_name(R"("\ud800")");
  ASSERT_FALSE(lone.ok());
  EXPECT_EQ(lone.report().HttpStatus(), 400);
  // Code points, not bytes: 64 four-byte emoji are within the limit.
  std::string emoji64;
  for (int i = 0; i < 64; ++i) emoji64 += "\xF0\x9F\x98\x80";
  EXPECT_TRUE(with_name("\"" + emoji64 + "\"").ok());
  EXPECT_FALSE(with_name("\"" + emoji64 + "x\"").ok());
}

TEST(Schema, ConfusableUsernameIsFolded) {
  Schema schema = RegistrationSchema();
  auto r = schema.ValidateBody(
      "{\"email\":\"a@example.com\",\"password\":\"123456789012\",\"username\":\"\xEF\xBC\xA1"
      "dmin\"}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()->Find("username")->AsString(), "admin");
}

TEST(Schema, ParseErrorsFlowThrough) {
  Schema schema = RegistrationSchema();
  auto dup = schema.ValidateBody(
      R"({"email":"a@example.com","email":"b@example.com","password":"123456789012","username":"abc"})");
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(dup.report().Has(ViolationCode::kDuplicateKey));
  EXPECT_EQ(dup.report().HttpStatus(), 400);
  JsonLimits small;
  small.max_body_bytes = 16;
  auto big = schema.ValidateBody(kGood, small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.report().HttpStatus(), 413);
}

TEST(Schema, AllowUnknownFieldsKeepsThem) {
  auto schema = Schema::Compile(
      Rule::Object({Field("a", Rule::Integer())}).AllowUnknownFields());
  ASSERT_TRUE(schema.ok());
  auto r = schema->ValidateBody(R"({"a":1,"extra":{"x":[1]}})");
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.value()->Find("extra"), nullptr);
}

TEST(Schema, IntegerBoundaries) {
  auto schema = Schema::Compile(Rule::Object({Field("n", Rule::Integer().Range(-5, 5))}));
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->ValidateBody(R"({"n":-5})").ok());
  EXPECT_TRUE(schema->ValidateBody(R"({"n":5})").ok());
  EXPECT_FALSE(schema->ValidateBody(R"({"n":-6})").ok());
  EXPECT_FALSE(schema->ValidateBody(R"({"n":6})").ok());
  auto full = Schema::Compile(Rule::Object({Field("n", Rule::Integer())}));
  ASSERT_TRUE(full.ok());
  EXPECT_TRUE(full->ValidateBody(R"({"n":9223372036854775807})").ok());
  EXPECT_TRUE(full->ValidateBody(R"({"n":-9223372036854775808})").ok());
  EXPECT_FALSE(full->ValidateBody(R"({"n":9223372036854775808})").ok());
}

TEST(Schema, CompileRejectsMistakes) {
  EXPECT_FALSE(Schema::Compile(Rule::Integer().Length(1, 2)).ok());
  EXPECT_FALSE(Schema::Compile(Rule::String().Range(1, 2)).ok());
  EXPECT_FALSE(Schema::Compile(Rule::Integer().Range(5, 1)).ok());
  EXPECT_FALSE(Schema::Compile(Rule::Number().Range(1.0, 0.0)).ok());
  EXPECT_FALSE(Schema::Compile(Rule::String().Length(5, 1)).ok());
  EXPECT_FALSE(Schema::Compile(Rule::String().Pattern("(")).ok());
  EXPECT_FALSE(Schema::Compile(Rule::Array(Rule::String()).Items(3, 1)).ok());
  EXPECT_FALSE(
      Schema::Compile(Rule::Object({Field("a", Rule::String()), Field("a", Rule::Integer())})).ok());
  EXPECT_FALSE(Schema::Compile(Rule::Object({Field("", Rule::String())})).ok());
  Rule deep = Rule::Integer();
  for (int i = 0; i < 40; ++i) deep = Rule::Array(deep);
  EXPECT_FALSE(Schema::Compile(deep).ok());
}

TEST(Schema, EmitsJsonSchema) {
  Schema schema = RegistrationSchema();
  std::string js = schema.ToJsonSchema(true);
  auto parsed = ParseJson(js);
  ASSERT_TRUE(parsed.ok()) << js;
  const JsonValue& root = parsed.value().UnvalidatedValue();
  EXPECT_EQ(root.Find("type")->AsString(), "object");
  EXPECT_FALSE(root.Find("additionalProperties")->AsBool());
  const JsonValue* props = root.Find("properties");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(props->Find("email")->Find("format")->AsString(), "email");
  EXPECT_EQ(props->Find("age")->Find("minimum")->AsInt(), 13);
  EXPECT_EQ(props->Find("tags")->Find("maxItems")->AsInt(), 3);
  EXPECT_EQ(props->Find("role")->Find("enum")->AsArray().size(), 2u);
  EXPECT_EQ(props->Find("address")->Find("properties")->Find("postal_code")->Find("pattern")->AsString(),
            "^(?:[0-9]{5})$");
  EXPECT_EQ(props->Find("website")->Find("type")->AsArray().size(), 2u);
  const auto& required = root.Find("required")->AsArray();
  EXPECT_EQ(required.size(), 3u);
}

// Property test: random mutations of a valid body never crash, and whatever
// is accepted satisfies the schema's invariants.
TEST(Schema, RandomMutationsProperty) {
  Schema schema = RegistrationSchema();
  std::mt19937 rng(12345);
  const std::string base = kGood;
  const std::string alphabet = "{}[]\",:0123456789.eE-+ \\uanltrfs\x80\xC3\xE2\xED";
  for (int i = 0; i < 3000; ++i) {
    std::string body = base;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      std::size_t pos = rng() % body.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0: body[pos] = c; break;
        case 1: body.insert(body.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
        default: body.erase(pos, 1); break;
      }
    }
    auto r = schema.ValidateBody(body);
    if (!r.ok()) {
      ASSERT_FALSE(r.report().empty());
      continue;
    }
    const JsonValue& doc = r.value().value();
    ASSERT_TRUE(doc.is_object());
    for (const JsonMember& m : doc.AsObject()) {
      if (m.value.is_string()) {
        ASSERT_TRUE(IsValidUtf8(m.value.AsString()));
        ViolationCode code;
        ASSERT_TRUE(CheckCharacters(m.value.AsString(), {}, &code));
      }
    }
    if (const JsonValue* age = doc.Find("age")) {
      ASSERT_TRUE(age->is_int());
      ASSERT_GE(age->AsInt(), 13);
      ASSERT_LE(age->AsInt(), 150);
    }
  }
}

}  // namespace
}  // namespace bulwark::validate
