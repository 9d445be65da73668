#include "regex_risk.h"

#include <gtest/gtest.h>

namespace bulwark::review {
namespace {

TEST(RegexRiskTest, NestedRepetitionsBacktrackExponentially) {
  EXPECT_TRUE(ExponentialBacktracking("(a+)+"));
  EXPECT_TRUE(ExponentialBacktracking("^(a+)+$"));
  EXPECT_TRUE(ExponentialBacktracking("(a*)*b"));
  EXPECT_TRUE(ExponentialBacktracking("^(\\w+\\s?)*$"));
  EXPECT_TRUE(ExponentialBacktracking("(\\s*\\w+)*x"));
  EXPECT_TRUE(ExponentialBacktracking("^((ab)+)*$"));
  EXPECT_TRUE(ExponentialBacktracking("(?:x+)+y"));
  EXPECT_TRUE(ExponentialBacktracking("^(?<word>[a-z]+)+$"));
  EXPECT_TRUE(ExponentialBacktracking("(a+b?){2,}"));
  EXPECT_TRUE(ExponentialBacktracking("(a|a)+$"));
  EXPECT_TRUE(ExponentialBacktracking("^(([a-z])+.)+[A-Z]([a-z])+$"));
  EXPECT_TRUE(ExponentialBacktracking("(x+x+)+y"));
  EXPECT_TRUE(ExponentialBacktracking("^(\\d+\\.?)+$"));
  EXPECT_TRUE(ExponentialBacktracking("(.+,)+$"));
  // The email check that took down sites: an optional separator.
  EXPECT_TRUE(ExponentialBacktracking("^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}[a-z]{2,3}$"));
  // Lazy quantifiers still backtrack.
  EXPECT_TRUE(ExponentialBacktracking("(a+?)+?c"));
  // Inside a lookahead the engine backtracks just the same.
  EXPECT_TRUE(ExponentialBacktracking("(?=(a+)+b)"));
}

TEST(RegexRiskTest, SeparatedOrBoundedRepetitionsAreFine) {
  EXPECT_FALSE(ExponentialBacktracking("^[a-z0-9]+$"));
  EXPECT_FALSE(ExponentialBacktracking("([a-z0-9]+\\.)+[a-z]{2,}"));
  EXPECT_FALSE(ExponentialBacktracking("^(\\d+,)*\\d+$"));
  EXPECT_FALSE(ExponentialBacktracking("(?:\\s*,\\s*\\w+)*"));
  EXPECT_FALSE(ExponentialBacktracking("^(https?://)?[^/]+$"));
  EXPECT_FALSE(ExponentialBacktracking("(a+){3}"));  // bounded outer
  EXPECT_FALSE(ExponentialBacktracking("(ab|cd)+"));
  EXPECT_FALSE(ExponentialBacktracking("(\\w+\\s)+"));
  EXPECT_FALSE(ExponentialBacktracking("^(\\d+,\\d+;)*$"));
  EXPECT_FALSE(ExponentialBacktracking("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$"));
  EXPECT_FALSE(ExponentialBacktracking("([^,]+,)+"));
  EXPECT_FALSE(ExponentialBacktracking("[(a+)+]"));  // a class, not groups
  EXPECT_FALSE(ExponentialBacktracking("\\(a+\\)+"));  // escaped parentheses
  // No backtracking into atomic groups or possessive quantifiers (Java).
  EXPECT_FALSE(ExponentialBacktracking("(?>a+)+b"));
  EXPECT_FALSE(ExponentialBacktracking("(a++)+b"));
  EXPECT_FALSE(ExponentialBacktracking("(a+)++b"));
}

TEST(RegexRiskTest, MalformedOrHugePatternsAreNotJudged) {
  EXPECT_FALSE(ExponentialBacktracking(""));
  EXPECT_FALSE(ExponentialBacktracking("(a+"));
  EXPECT_FALSE(ExponentialBacktracking("a+)+"));
  EXPECT_FALSE(ExponentialBacktracking("*a"));
  EXPECT_FALSE(ExponentialBacktracking("[abc"));
  EXPECT_FALSE(ExponentialBacktracking("\\"));
  std::string deep(200, '(');
  deep += "a+";
  deep += std::string(200, ')');
  deep += "+";
  EXPECT_FALSE(ExponentialBacktracking(deep));  // deeper than the parser goes
  std::string long_pattern = "(a+)+" + std::string(5000, 'x');
  EXPECT_FALSE(ExponentialBacktracking(long_pattern));
}

}  // namespace
}  // namespace bulwark::review
