#include "glob.h"

#include <gtest/gtest.h>

namespace bulwark::review {
namespace {

TEST(GlobTest, StarSpansDots) {
  EXPECT_TRUE(GlobMatch("*.execute", "cursor.execute"));
  EXPECT_TRUE(GlobMatch("*.execute", "self.db.cursor.execute"));
  EXPECT_FALSE(GlobMatch("*.execute", "execute"));
  EXPECT_TRUE(GlobMatch("subprocess.*", "subprocess.run"));
  EXPECT_FALSE(GlobMatch("os.system", "os.systems"));
  EXPECT_TRUE(GlobMatch("*request.GET", "self.request.GET"));
}

TEST(GlobTest, LastSegment) {
  EXPECT_EQ(LastSegment("a.b.exec"), "exec");
  EXPECT_EQ(LastSegment("system"), "system");
  EXPECT_EQ(LastSegment("fs-extra.*"), "");
}

TEST(GlobTest, GitignorePaths) {
  EXPECT_TRUE(PathGlobMatch("*.o", "main.o"));
  EXPECT_FALSE(PathGlobMatch("*.o", "dir/main.o"));  // callers match basenames for slash-free patterns
  EXPECT_TRUE(PathGlobMatch("build/**", "build/a/b.c"));
  EXPECT_TRUE(PathGlobMatch("**/gen", "a/b/gen"));
  EXPECT_TRUE(PathGlobMatch("a/**/z.py", "a/z.py"));
  EXPECT_TRUE(PathGlobMatch("a/**/z.py", "a/b/c/z.py"));
  EXPECT_TRUE(PathGlobMatch("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(PathGlobMatch("file[!0-9].txt", "file7.txt"));
  // Pathological patterns terminate.
  EXPECT_FALSE(PathGlobMatch("*a*a*a*a*a*a*a*a*a*a*a*a*b", std::string(200, 'a')));
}

}  // namespace
}  // namespace bulwark::review
