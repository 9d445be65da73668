// Fuzzes the .properties reader and the lookups built on it: the input is a
// properties file that a fixed Java class loads and reads. Hostile files
// must give findings or nothing, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/review/review.h"
#include "bulwark/review/testing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bulwark::Result<bulwark::review::RuleSet> rules = bulwark::review::RuleSet::Load({});
  static const std::string kJava =
      "import java.security.MessageDigest;\n"
      "import javax.crypto.Cipher;\n"
      "import java.util.Properties;\n"
      "class A {\n"
      "  void f() throws Exception {\n"
      "    Properties p = new Properties();\n"
      "    p.load(getClass().getResourceAsStream(\"app.properties\"));\n"
      "    MessageDigest.getInstance(p.getProperty(\"hash\", \"SHA-256\"));\n"
      "    Cipher.getInstance(p.getProperty(\"cipher\"));\n"
      "    Runtime.getRuntime().exec(p.getProperty(\"cmd\", \"ls\"));\n"
      "  }\n"
      "}\n";
  if (!rules.ok()) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)bulwark::review::ReviewSourcesForTest(*rules, {{"app.properties", text}, {"A.java", kJava}});
  return 0;
}
