// The .properties reader follows java.util.Properties.load(InputStream).
#include "properties.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "bulwark/review/testing.h"

namespace bulwark::review {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(PropertiesTest, SeparatorsCommentsAndBlanks) {
  EXPECT_THAT(ParseProperties("# comment\n! also\n\n  a=1\nb : 2\nc 3\nd\te = 4\nf\n  g=\n"),
              ElementsAre(Pair("a", "1"), Pair("b", "2"), Pair("c", "3"), Pair("d", "e = 4"), Pair("f", ""),
                          Pair("g", "")));
  // Only the first separator splits; later ones belong to the value.
  EXPECT_THAT(ParseProperties("url=http://h:8080/a=b\n"), ElementsAre(Pair("url", "http://h:8080/a=b")));
  // A comment marker inside a line is text.
  EXPECT_THAT(ParseProperties("k = v # not a comment\n"), ElementsAre(Pair("k", "v # not a comment")));
}

TEST(PropertiesTest, LineEndingsAndContinuations) {
  EXPECT_THAT(ParseProperties("a=1\r\nb=2\rc=3\nd=4"),
              ElementsAre(Pair("a", "1"), Pair("b", "2"), Pair("c", "3"), Pair("d", "4")));
  EXPECT_THAT(ParseProperties("alg = DES\\\n      ede/ECB\\\r\n   /PKCS5Padding\nnext=x\n"),
              ElementsAre(Pair("alg", "DESede/ECB/PKCS5Padding"), Pair("next", "x")));
  // An even number of backslashes is an escaped backslash, not a continuation.
  EXPECT_THAT(ParseProperties("a=x\\\\\nb=y\n"), ElementsAre(Pair("a", "x\\"), Pair("b", "y")));
  // A continuation at the end of the file ends the entry.
  EXPECT_THAT(ParseProperties("a=x\\"), ElementsAre(Pair("a", "x")));
  // A comment line ending in a backslash does not swallow the next line.
  EXPECT_THAT(ParseProperties("# note \\\nb=1\n"), ElementsAre(Pair("b", "1")));
}

TEST(PropertiesTest, Escapes) {
  EXPECT_THAT(ParseProperties("a\\=b\\:c\\ d=e\\tf\\ng\\u0041\\q\n"), ElementsAre(Pair("a=b:c d", "e\tf\ngAq")));
  // \u escapes become UTF-8; a lone surrogate becomes U+FFFD.
  EXPECT_THAT(ParseProperties("k=\\u00e9\\u20ac\\uD800\n"), ElementsAre(Pair("k", "\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBD")));
  // A malformed \u escape drops its entry (Java's load throws), not the file.
  EXPECT_THAT(ParseProperties("bad=\\u12G4\nshort=\\u12\nok=1\n"), ElementsAre(Pair("ok", "1")));
}

TEST(PropertiesTest, BytesAreLatin1) {
  EXPECT_THAT(ParseProperties("caf\xE9=\xFF\n"), ElementsAre(Pair("caf\xC3\xA9", "\xC3\xBF")));
}

TEST(PropertiesTest, HostileInputIsBounded) {
  std::string many;
  for (int i = 0; i < 20000; ++i) {
    many += 'k';
    many += std::to_string(i);
    many += "=v\n";
  }
  EXPECT_EQ(ParseProperties(many).size(), 10000u);
  EXPECT_EQ(ParseProperties(many, 5).size(), 5u);
  // 100001 backslashes: a continuation at the end, then 50000 escaped ones.
  EXPECT_THAT(ParseProperties(std::string(100001, '\\')), ElementsAre(Pair(std::string(50000, '\\'), "")));
  std::string nul("a=1\0b\n", 6);
  EXPECT_THAT(ParseProperties(nul), ElementsAre(Pair("a", std::string("1\0b", 3))));
  EXPECT_TRUE(ParseProperties("").empty());
  EXPECT_TRUE(ParseProperties("\n\r\n   \t\f\n").empty());
}

TEST(PropertiesTest, ConfiguredValuesDecideAlgorithms) {
  static const auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  const std::string java =
      "import java.security.MessageDigest;\n"
      "import java.util.Properties;\n"
      "class A {\n"
      "  void f() throws Exception {\n"
      "    Properties p = new Properties();\n"
      "    p.load(getClass().getClassLoader().getResourceAsStream(\"conf/app.properties\"));\n"
      "    MessageDigest.getInstance(p.getProperty(\"weak\", \"SHA-512\"));\n"
      "    MessageDigest.getInstance(p.getProperty(\"strong\", \"MD5\"));\n"
      "    MessageDigest.getInstance(p.getProperty(\"absent\", \"MD5\"));\n"
      "    MessageDigest.getInstance(p.getProperty(\"split\", \"SHA-256\"));\n"
      "  }\n"
      "}\n";
  // Two files of the same name agree on weak/strong and disagree on split:
  // split is unknown, so nothing is claimed for it either way.
  auto found = ReviewSourcesForTest(*rules, {{"main/app.properties", "weak=MD5\nstrong=SHA-256\nsplit=MD5\n"},
                                             {"test/app.properties", "weak=MD5\nsplit=SHA-256\n"},
                                             {"A.java", java}});
  EXPECT_THAT(found, ElementsAre("weak-hash:7", "weak-hash:9"));
  // Without the file, the in-source defaults are not trusted either way.
  EXPECT_THAT(ReviewSourcesForTest(*rules, {{"A.java", java}}), ElementsAre());
}

}  // namespace
}  // namespace bulwark::review
