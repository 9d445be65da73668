// Scanning real files: skip notes, suppressions, baselines, reporters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "bulwark/review/review.h"

namespace bulwark::review {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bulwark-review-test-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((dir_ / name).parent_path());
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  ScanResult Run() {
    auto rules = RuleSet::Load({});
    EXPECT_TRUE(rules.ok());
    ScanOptions options;
    options.paths = {dir_.string()};
    options.jobs = 2;
    options.max_file_bytes = 4096;
    auto r = Scan(*rules, options);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : ScanResult{};
  }
  fs::path dir_;
};

const char* kVuln = "import os\nfrom flask import request\ndef v():\n    os.system(request.args['c'])\n";

TEST_F(ScanTest, FindsAndSkips) {
  Write("app.py", kVuln);
  Write("bin.py", std::string("abc\0def", 7));
  Write("huge.py", std::string(10000, '#'));
  Write("broken.java", "class { { { ) ) ( void void ;;; }}}} int int int = = =");
  Write("ignored/gen.py", kVuln);
  Write(".gitignore", "ignored/\n");
  ScanResult r = Run();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "command-injection");
  EXPECT_EQ(r.findings[0].line, 4u);
  EXPECT_FALSE(r.findings[0].trace.empty());
  std::string notes;
  for (const Note& n : r.notes) notes += n.file + " " + n.message + "\n";
  EXPECT_THAT(notes, HasSubstr("binary"));
  EXPECT_THAT(notes, HasSubstr("larger than"));
  EXPECT_THAT(notes, HasSubstr("unparseable"));
}

TEST_F(ScanTest, SuppressionNeedsAReason) {
  Write("a.py", "import os\nfrom flask import request\ndef v():\n"
                "    # bulwark-ignore: command-injection the value is checked by the caller\n"
                "    os.system(request.args['c'])\n"
                "    # bulwark-ignore: command-injection\n"
                "    os.system(request.args['d'])\n");
  ScanResult r = Run();
  ApplySuppressions(r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].line, 7u);
}

TEST_F(ScanTest, BaselineSurvivesLineShifts) {
  Write("a.py", kVuln);
  ScanResult r = Run();
  ASSERT_EQ(r.findings.size(), 1u);
  std::string baseline = (dir_ / "baseline.json").string();
  ASSERT_TRUE(WriteBaseline(baseline, r.findings).ok());
  Write("a.py", std::string("\n\n# moved\n") + kVuln);
  ScanResult shifted = Run();
  ASSERT_EQ(shifted.findings.size(), 1u);
  EXPECT_EQ(shifted.findings[0].fingerprint, r.findings[0].fingerprint);
  auto known = ReadBaseline(baseline);
  ASSERT_TRUE(known.ok());
  DropBaselined(shifted, *known);
  EXPECT_TRUE(shifted.findings.empty());
  Write("bad.json", "{not json");
  EXPECT_FALSE(ReadBaseline((dir_ / "bad.json").string()).ok());
}

TEST_F(ScanTest, Reporters) {
  Write("a.py", kVuln);
  ScanResult r = Run();
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  std::string sarif = FormatSarif(r, *rules);
  EXPECT_THAT(sarif, HasSubstr("\"version\":\"2.1.0\""));
  EXPECT_THAT(sarif, HasSubstr("codeFlows"));
  EXPECT_THAT(sarif, HasSubstr("partialFingerprints"));
  EXPECT_THAT(sarif, HasSubstr("\"CWE-78\""));
  EXPECT_THAT(FormatJson(r), HasSubstr("\"rule\":\"command-injection\""));
  std::string text = FormatText(r, false);
  EXPECT_THAT(text, HasSubstr(":4:5: critical [command-injection]"));
  EXPECT_THAT(text, HasSubstr("secure alternative"));
}

// A minified file's one long line: the snippet and the text frame show a
// window around the finding, the fingerprint still covers the whole line.
TEST_F(ScanTest, LongLinesAreShownAroundTheFinding) {
  const std::string pad(1800, 'x');  // the test scan skips files over 4 KiB
  Write("min.py", "import os, sys\nv = '" + pad + "'; os.system(sys.argv[1]); w = '" + pad + "'\n");
  ScanResult r = Run();
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_LT(f.snippet.size(), 300u);
  EXPECT_THAT(f.snippet, HasSubstr("os.system(sys.argv[1])"));
  EXPECT_EQ(f.snippet.substr(0, 3), "...");
  std::string text = FormatText(r, false);
  EXPECT_LT(text.size(), 2000u);
  // The caret sits under the call.
  const std::size_t code = text.find("> ");
  ASSERT_NE(code, std::string::npos);
  const std::size_t line_end = text.find('\n', code);
  const std::size_t caret = text.find('^', line_end);
  ASSERT_NE(caret, std::string::npos);
  const std::size_t column_in_frame = caret - (line_end + 1);
  EXPECT_EQ(text.compare(code + column_in_frame, 9, "os.system"), 0);
  // The same line, shifted down: same fingerprint (computed on the whole line).
  Write("min.py", "import os, sys\n\nv = '" + pad + "'; os.system(sys.argv[1]); w = '" + pad + "'\n");
  ScanResult shifted = Run();
  ASSERT_EQ(shifted.findings.size(), 1u);
  EXPECT_EQ(shifted.findings[0].fingerprint, f.fingerprint);
  // Not every line with the same window gets the same fingerprint.
  Write("min.py", "import os, sys\nv = '" + pad + "'; os.system(sys.argv[1]); w = '" + pad + "y'\n");
  ScanResult other = Run();
  ASSERT_EQ(other.findings.size(), 1u);
  EXPECT_NE(other.findings[0].fingerprint, f.fingerprint);
}

TEST_F(ScanTest, MissingPathIsAnError) {
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  ScanOptions options;
  options.paths = {(dir_ / "nope").string()};
  EXPECT_FALSE(Scan(*rules, options).ok());
}

TEST_F(ScanTest, ConfigFile) {
  Write(".bulwark-review.toml", "exclude = [\"gen/\"]\ndisable = [\"xss\"]\nfail-on = \"high\"\n");
  auto c = LoadConfig(dir_.string());
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->found);
  EXPECT_EQ(c->exclude.size(), 1u);
  EXPECT_EQ(c->fail_on, "high");
  Write(".bulwark-review.toml", "colour = 1\n");
  EXPECT_FALSE(LoadConfig(dir_.string()).ok());
  Write(".bulwark-review.toml", "exclude = [\n");
  EXPECT_FALSE(LoadConfig(dir_.string()).ok());
}

// Results must not depend on how many workers run or which one analyzed
// which file first: mutually recursive helpers across many files (where a
// summary computed inside a recursion cycle depends on the call stack).
TEST_F(ScanTest, SameFindingsForAnyNumberOfJobs) {
  std::uint32_t seed = 7;
  auto next = [&seed](std::uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % n;
  };
  constexpr std::uint32_t kFiles = 40;
  for (std::uint32_t i = 0; i < kFiles; ++i) {
    std::string text = "import html\nimport os\nfrom flask import request\n";
    for (int k = 0; k < 3; ++k) {
      std::string callee = "f" + std::to_string(next(kFiles)) + "_" + std::to_string(next(3));
      std::string other = "f" + std::to_string(next(kFiles)) + "_" + std::to_string(next(3));
      text += "def f" + std::to_string(i) + "_" + std::to_string(k) + "(x, depth):\n";
      text += "    if depth > 3:\n        return 'const'\n";
      switch (next(4)) {
        case 0: text += "    return html.escape(" + callee + "(x, depth + 1))\n"; break;
        case 1:
          text += "    os.system('ls ' + " + callee + "(x, depth + 1))\n";
          text += "    return " + other + "('safe', depth + 1)\n";
          break;
        case 2: text += "    return " + callee + "(x, depth + 1) + " + other + "(x, depth + 1)\n"; break;
        default: text += "    os.popen(" + callee + "('k', depth + 1))\n    return x\n"; break;
      }
    }
    text += "def route" + std::to_string(i) + "():\n    os.system(f" + std::to_string(i) + "_0(request.args['v'], 0))\n";
    Write("m" + std::to_string(i) + ".py", text);
  }
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  auto run = [&](unsigned jobs) {
    ScanOptions options;
    options.paths = {dir_.string()};
    options.jobs = jobs;
    auto r = Scan(*rules, options);
    EXPECT_TRUE(r.ok());
    std::string out;
    if (!r.ok()) return out;
    for (const Finding& f : r->findings) {
      out += f.rule_id + " " + f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.col);
      for (const TraceStep& t : f.trace) out += " | " + t.file + ":" + std::to_string(t.line) + " " + t.note;
      out += "\n";
    }
    return out;
  };
  const std::string one = run(1);
  EXPECT_FALSE(one.empty());
  for (unsigned jobs : {2u, 3u, 4u, 2u, 3u, 4u}) EXPECT_EQ(run(jobs), one) << "jobs=" << jobs;
}

}  // namespace
}  // namespace bulwark::review
