#include "bulwark/core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace bulwark {
namespace {

Result<int> ParsePositive(int v) {
  if (v <= 0) return Error(ErrorCode::kInvalidArgument, "must be positive");
  return v;
}

Result<int> Doubled(int v) {
  BULWARK_ASSIGN_OR_RETURN(int x, ParsePositive(v));
  return x * 2;
}

Result<void> CheckBoth(int a, int b) {
  BULWARK_RETURN_IF_ERROR(ParsePositive(a));
  BULWARK_RETURN_IF_ERROR(ParsePositive(b));
  return Ok();
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> good = ParsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  Result<int> bad = ParsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().ToString(), "invalid_argument: must be positive");
  EXPECT_EQ(bad.value_or(7), 7);
}

TEST(ResultTest, MacrosPropagate) {
  EXPECT_EQ(*Doubled(4), 8);
  EXPECT_FALSE(Doubled(0).ok());
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  Result<void> r = CheckBoth(1, -2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "must be positive");
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(ResultTest, ErrorCodeNamesAreStable) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kResourceExhausted), "resource_exhausted");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kDataLoss), "data_loss");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnauthenticated), "unauthenticated");
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> bad = ParsePositive(0);
  EXPECT_DEATH((void)bad.value(), "invariant violated");
  Result<int> good = ParsePositive(1);
  EXPECT_DEATH((void)good.error(), "invariant violated");
}

}  // namespace
}  // namespace bulwark
