#include "bulwark/core/untrusted.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace bulwark {
namespace {

static_assert(!std::is_convertible_v<Untrusted<std::string>, Valid<std::string>>);
static_assert(!std::is_constructible_v<Valid<std::string>, Untrusted<std::string>>);
static_assert(!std::is_constructible_v<Valid<std::string>, std::string>);

Result<std::string> LowerAscii(const std::string& s) {
  if (s.empty() || s.size() > 16) return Error(ErrorCode::kInvalidArgument, "bad length");
  std::string out;
  for (char c : s) {
    if (c < 'A' || (c > 'Z' && c < 'a') || c > 'z') {
      return Error(ErrorCode::kInvalidArgument, "letters only");
    }
    out += static_cast<char>(c | 0x20);
  }
  return out;
}

TEST(UntrustedTest, ValidateNormalizes) {
  Result<Valid<std::string>> v = Validate(Untrusted<std::string>("HeLLo"), LowerAscii);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value(), "hello");
}

TEST(UntrustedTest, ValidateRejects) {
  Result<Valid<std::string>> v = Validate(Untrusted<std::string>("he<script>"), LowerAscii);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message(), "letters only");
}

TEST(UntrustedTest, VoidCheckKeepsInput) {
  auto positive = [](const int& x) -> Result<void> {
    if (x > 0) return Ok();
    return Error(ErrorCode::kInvalidArgument, "not positive");
  };
  EXPECT_EQ(Validate(Untrusted<int>(5), positive)->value(), 5);
  EXPECT_FALSE(Validate(Untrusted<int>(-5), positive).ok());
}

TEST(UntrustedTest, UnsafeAssumeValidIsExplicit) {
  Valid<int> v = Valid<int>::UnsafeAssumeValid(42);
  EXPECT_EQ(*v, 42);
}

}  // namespace
}  // namespace bulwark
