#include "bulwark/validate/json.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::validate {
namespace {

ViolationCode ParseCode(std::string_view body, const JsonLimits& limits = {}) {
  auto parsed = ParseJson(body, limits);
  EXPECT_FALSE(parsed.ok()) << body;
  if (parsed.ok()) return ViolationCode::kWrongType;
  EXPECT_EQ(parsed.report().violations().size(), 1u);
  return parsed.report().violations()[0].code;
}

TEST(ParseJson, AcceptsPlainDocument) {
  auto parsed = ParseJson(R"({"a":1,"b":[true,null,"x"],"c":{"d":-2.5}})");
  ASSERT_TRUE(parsed.ok());
  const JsonValue& v = parsed.value().UnvalidatedValue();
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.Find("a")->AsInt(), 1);
  EXPECT_EQ(v.Find("b")->AsArray().size(), 3u);
  EXPECT_DOUBLE_EQ(v.Find("c")->Find("d")->AsDouble(), -2.5);
  EXPECT_EQ(v.Find("zz"), nullptr);
}

TEST(ParseJson, KeepsFloatsAsDoubles) {
  auto parsed = ParseJson(R"([1, 1.0, 1e2, -0])");
  ASSERT_TRUE(parsed.ok());
  const auto& a = parsed.value().UnvalidatedValue().AsArray();
  EXPECT_TRUE(a[0].is_int());
  EXPECT_TRUE(a[1].is_double());
  EXPECT_TRUE(a[2].is_double());
  EXPECT_TRUE(a[3].is_int());
}

TEST(ParseJson, RejectsMalformed) {
  for (std::string_view body : {"", "{", "{\"a\":}", "[1,]", "{'a':1}", "nul", "[1] [2]",
                                "{\"a\":1,}", "01", "NaN", "Infinity", "\"\\x41\"", "[\"a\nb\"]"}) {
    auto parsed = ParseJson(body);
    EXPECT_FALSE(parsed.ok()) << body;
    if (!parsed.ok()) {
      EXPECT_TRUE(IsParseCode(parsed.report().violations()[0].code));
    }
  }
}

TEST(ParseJson, RejectsDuplicateKeys) {
  EXPECT_EQ(ParseCode(R"({"a":1,"a":2})"), ViolationCode::kDuplicateKey);
  EXPECT_EQ(ParseCode(R"({"x":{"role":"user","role":"admin"}})"), ViolationCode::kDuplicateKey);
  // The same key after unescaping is the same key.
  EXPECT_EQ(ParseCode(R"({"role":1,"r\u006fle":2})"), ViolationCode::kDuplicateKey);
  // Many keys (sorted path).
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i) + "\":1,";
  many += "\"k17\":2}";
  EXPECT_EQ(ParseCode(many), ViolationCode::kDuplicateKey);
}

TEST(ParseJson, DepthLimit) {
  JsonLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(ParseJson("[[[[1]]]]", limits).ok());
  EXPECT_EQ(ParseCode("[[[[[1]]]]]", limits), ViolationCode::kTooDeep);
  EXPECT_EQ(ParseCode(R"({"a":{"b":{"c":{"d":{}}}}})", limits), ViolationCode::kTooDeep);
  // Very deep input with default limits: no stack overflow, a clean error.
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  EXPECT_EQ(ParseCode(deep), ViolationCode::kTooDeep);
}

TEST(ParseJson, SizeAndCountLimits) {
  JsonLimits limits;
  limits.max_body_bytes = 10;
  EXPECT_EQ(ParseCode("[1,2,3,4,5,6]", limits), ViolationCode::kBodyTooLarge);
  limits = JsonLimits{};
  limits.max_elements = 5;
  EXPECT_TRUE(ParseJson("[1,2,3,4]", limits).ok());
  EXPECT_EQ(ParseCode("[1,2,3,4,5]", limits), ViolationCode::kTooManyElements);
  limits = JsonLimits{};
  limits.max_string_bytes = 4;
  EXPECT_TRUE(ParseJson(R"(["abcd"])", limits).ok());
  EXPECT_EQ(ParseCode(R"(["abcde"])", limits), ViolationCode::kStringTooLong);
  EXPECT_EQ(ParseCode(R"({"abcde":1})", limits), ViolationCode::kStringTooLong);
  limits = JsonLimits{};
  limits.max_members = 2;
  EXPECT_EQ(ParseCode(R"({"a":1,"b":2,"c":3})", limits), ViolationCode::kTooManyElements);
}

TEST(ParseJson, RejectsInvalidUtf8) {
  EXPECT_EQ(ParseCode("[\"\xC0\xAF\"]"), ViolationCode::kInvalidUtf8);          // overlong '/'
  EXPECT_EQ(ParseCode("[\"\xE0\x80\xAF\"]"), ViolationCode::kInvalidUtf8);      // overlong
  EXPECT_EQ(ParseCode("[\"\xED\xA0\x80\"]"), ViolationCode::kInvalidUtf8);      // raw surrogate
  EXPECT_EQ(ParseCode("[\"\xF4\x90\x80\x80\"]"), ViolationCode::kInvalidUtf8);  // > U+10FFFF
  EXPECT_EQ(ParseCode("[\"\xFF\"]"), ViolationCode::kInvalidUtf8);
  EXPECT_EQ(ParseCode("{\"\x80\":1}"), ViolationCode::kInvalidUtf8);
  // Escaped lone surrogates.
  auto lone_high = ParseJson(R"(["\ud800"])");
  EXPECT_FALSE(lone_high.ok());
  auto lone_low = ParseJson(R"(["\udc00x"])");
  EXPECT_FALSE(lone_low.ok());
  // A proper pair is fine.
  auto pair = ParseJson(R"(["\ud83d\ude00"])");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair.value().UnvalidatedValue().AsArray()[0].AsString(), "\xF0\x9F\x98\x80");
}

TEST(ParseJson, HugeNumbers) {
  EXPECT_TRUE(ParseJson("[9223372036854775807]").ok());
  EXPECT_TRUE(ParseJson("[-9223372036854775808]").ok());
  EXPECT_EQ(ParseCode("[9223372036854775808]"), ViolationCode::kNumberOutOfRange);
  EXPECT_EQ(ParseCode("[18446744073709551616]"), ViolationCode::kNumberOutOfRange);
  EXPECT_EQ(ParseCode("[123456789012345678901234567890]"), ViolationCode::kNumberOutOfRange);
  EXPECT_EQ(ParseCode("[1e400]"), ViolationCode::kNumberOutOfRange);
  EXPECT_EQ(ParseCode("[-1e400]"), ViolationCode::kNumberOutOfRange);
  auto tiny = ParseJson("[1e-400]");  // underflows to 0: finite, accepted
  EXPECT_TRUE(tiny.ok());
}

TEST(ParseJson, ErrorsDoNotEchoInput) {
  auto parsed = ParseJson(R"({"<script>":1,"<script>":2})");
  ASSERT_FALSE(parsed.ok());
  for (const Violation& v : parsed.report().violations()) {
    EXPECT_EQ(v.message.find("script"), std::string::npos);
    EXPECT_EQ(v.path.find("script"), std::string::npos);
  }
  EXPECT_EQ(parsed.report().ToProblemJson().find("script"), std::string::npos);
}

TEST(JsonValue, SerializeRoundTrips) {
  const std::string body =
      R"({"a":[1,-2,3.5,true,false,null],"s":"q\"\\\n\t\u0001<\/>&\u2028é","o":{}})";
  auto parsed = ParseJson(body);
  ASSERT_TRUE(parsed.ok());
  std::string text = parsed.value().UnvalidatedValue().Serialize();
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  auto again = ParseJson(text);
  ASSERT_TRUE(again.ok()) << text;
  EXPECT_EQ(again.value().UnvalidatedValue(), parsed.value().UnvalidatedValue());
  EXPECT_EQ(JsonValue::Double(2).Serialize(), "2.0");
}

TEST(ValidationReport, HttpStatusAndProblemJson) {
  ValidationReport r;
  r.Add("/email", ViolationCode::kInvalidFormat, "must be an email address");
  EXPECT_EQ(r.HttpStatus(), 422);
  std::string problem = r.ToProblemJson();
  EXPECT_NE(problem.find(R"("status":422)"), std::string::npos);
  EXPECT_NE(problem.find(R"({"pointer":"/email","code":"invalid_format","detail":"must be an email address"})"),
            std::string::npos);
  auto reparsed = ParseJson(problem);
  EXPECT_TRUE(reparsed.ok());
  ValidationReport parse;
  parse.Add("", ViolationCode::kMalformedJson, "x");
  EXPECT_EQ(parse.HttpStatus(), 400);
  ValidationReport big;
  big.Add("", ViolationCode::kBodyTooLarge, "x");
  EXPECT_EQ(big.HttpStatus(), 413);
  EXPECT_EQ(big.ToError().code(), ErrorCode::kResourceExhausted);
  ValidationReport many;
  for (int i = 0; i < 100; ++i) many.Add("/a", ViolationCode::kRequired, "is required");
  EXPECT_EQ(many.violations().size(), ValidationReport::kMaxViolations);
  EXPECT_TRUE(many.truncated());
}

TEST(ViolationCodeName, StableNames) {
  EXPECT_EQ(ViolationCodeName(ViolationCode::kUnknownField), "unknown_field");
  EXPECT_EQ(ViolationCodeName(ViolationCode::kDuplicateKey), "duplicate_key");
  EXPECT_EQ(ViolationCodeName(ViolationCode::kNotAnInteger), "not_an_integer");
  EXPECT_TRUE(IsParseCode(ViolationCode::kStringTooLong));
  EXPECT_FALSE(IsParseCode(ViolationCode::kWrongType));
}

}  // namespace
}  // namespace bulwark::validate
