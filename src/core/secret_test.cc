#include "bulwark/core/secret.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <type_traits>

namespace bulwark {
namespace {

static_assert(!std::is_copy_constructible_v<SecretString>);
static_assert(!std::is_copy_assignable_v<SecretString>);
static_assert(std::is_nothrow_move_constructible_v<SecretString>);

TEST(SecretTest, AdoptWipesTheSource) {
  std::string source = "short pw";  // fits in the small-string buffer
  const char* buffer = source.data();
  SecretString s = SecretString::Adopt(std::move(source));
  EXPECT_EQ(s.Reveal(InsecureSecretAccess()), "short pw");
  // The moved-from buffer must not still hold the password.
  EXPECT_EQ(std::string_view(buffer, 8).find("short"), std::string_view::npos);
}

TEST(SecretTest, EqualsIsByContent) {
  SecretBytes a = SecretBytes::CopyFrom(AsBytes("key material"));
  SecretBytes b = SecretBytes::CopyFrom(AsBytes("key material"));
  SecretBytes c = SecretBytes::CopyFrom(AsBytes("key materiaL"));
  SecretBytes d = SecretBytes::CopyFrom(AsBytes("key"));
  EXPECT_TRUE(a.Equals(b));
  EXPECT_FALSE(a.Equals(c));
  EXPECT_FALSE(a.Equals(d));
  EXPECT_TRUE(SecretBytes().Equals(SecretBytes()));
}

TEST(SecretTest, MoveLeavesAnEmptySecret) {
  SecretString a = SecretString::Adopt(std::string(100, 'x'));
  SecretString b = std::move(a);
  EXPECT_EQ(b.size(), 100u);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): defined state
  EXPECT_FALSE(a.Equals(b));
}

TEST(SecretTest, CloneIsIndependent) {
  SecretString a = SecretString::Adopt(std::string("abc"));
  SecretString b = a.Clone(InsecureSecretAccess());
  b.RevealMutable(InsecureSecretAccess())[0] = 'z';
  EXPECT_EQ(a.Reveal(InsecureSecretAccess()), "abc");
  EXPECT_EQ(b.Reveal(InsecureSecretAccess()), "zbc");
}

TEST(SecretTest, WipeZeroesTheBuffer) {
  std::string value(64, 'k');
  SecureWipe(value.data(), value.size());
  EXPECT_EQ(value, std::string(64, '\0'));
}

TEST(SecretDeathTest, RevealAfterMoveAborts) {
  SecretString a = SecretString::Adopt(std::string("abc"));
  SecretString b = std::move(a);
  EXPECT_DEATH((void)a.Reveal(InsecureSecretAccess()), "invariant violated");  // NOLINT
}

}  // namespace
}  // namespace bulwark
