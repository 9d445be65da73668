// Scanning real files: skip notes, suppressions, baselines, reporters.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

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

// --- SARIF: structure that consumers (GitHub code scanning, viewers) rely on.

namespace json = boost::json;

// Overloads for objects and values: passing an object where a value is
// expected would copy it into a temporary and return a dangling reference.
const json::object& Obj(const json::object& o, const char* key) { return o.at(key).as_object(); }
const json::array& Arr(const json::object& o, const char* key) { return o.at(key).as_array(); }
std::string Str(const json::object& o, const char* key) { return std::string(o.at(key).as_string()); }
const json::object& Obj(const json::value& v, const char* key) { return Obj(v.as_object(), key); }
const json::array& Arr(const json::value& v, const char* key) { return Arr(v.as_object(), key); }
std::string Str(const json::value& v, const char* key) { return Str(v.as_object(), key); }

// What we emit in a URI: unreserved characters, '/', and well-formed %XX.
bool IsEncodedPath(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        return false;
      }
      i += 2;
    } else if (!(std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')) {
      return false;
    }
  }
  return true;
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The local path an artifactLocation names: a file:// URI, or a relative one
// resolved against run.originalUriBaseIds. Checks the encoding on the way.
std::string LocalPath(const json::object& artifact, const json::object& run) {
  std::string uri = Str(artifact, "uri");
  if (artifact.contains("uriBaseId")) {
    EXPECT_EQ(Str(artifact, "uriBaseId"), "%SRCROOT%");
    EXPECT_FALSE(uri.starts_with("/") || uri.starts_with("./") || uri.starts_with("../")) << uri;
    const std::string base = Str(Obj(Obj(run, "originalUriBaseIds"), "%SRCROOT%"), "uri");
    EXPECT_TRUE(base.ends_with("/")) << base;  // SARIF 3.14.14
    uri = base + uri;
  }
  EXPECT_TRUE(uri.starts_with("file:///")) << uri;
  if (!uri.starts_with("file://")) return "";
  uri = uri.substr(7);
  EXPECT_TRUE(IsEncodedPath(uri)) << uri;
  return PercentDecode(uri);
}

struct LocationFacts {
  std::string path;
  std::int64_t line = 0, column = 0;
};

LocationFacts CheckLocation(const json::value& location, const json::object& run) {
  const json::object& physical = Obj(location, "physicalLocation");
  LocationFacts facts;
  facts.path = LocalPath(Obj(physical, "artifactLocation"), run);
  const json::object& region = Obj(physical, "region");
  facts.line = region.at("startLine").as_int64();
  facts.column = region.at("startColumn").as_int64();
  EXPECT_GE(facts.line, 1);
  EXPECT_GE(facts.column, 1);
  return facts;
}

std::string Absolute(const std::string& file) {
  return fs::absolute(fs::path(file)).lexically_normal().string();
}

// Every rule, result, code flow, taxon reference and notification of `log`
// against the SARIF rules consumers enforce. Returns the run.
const json::object& CheckSarif(const json::value& log, const ScanResult& scanned) {
  EXPECT_EQ(Str(log, "version"), "2.1.0");
  EXPECT_TRUE(Str(log, "$schema").starts_with("https://"));
  const json::array& runs = Arr(log, "runs");
  EXPECT_EQ(runs.size(), 1u);
  const json::object& run = runs.at(0).as_object();
  EXPECT_EQ(Str(run, "columnKind"), "utf16CodeUnits");
  const json::object& driver = Obj(Obj(run, "tool"), "driver");
  EXPECT_FALSE(Str(driver, "name").empty());
  EXPECT_FALSE(Str(driver, "version").empty());
  if (driver.contains("informationUri")) {
    EXPECT_TRUE(Str(driver, "informationUri").starts_with("https://"));
  }

  // Taxonomies: what supportedTaxonomies and rule relationships point at.
  const json::array& taxonomies = Arr(run, "taxonomies");
  for (const json::value& t : Arr(driver, "supportedTaxonomies")) {
    const std::int64_t index = t.as_object().at("index").as_int64();
    EXPECT_EQ(Str(taxonomies.at(static_cast<std::size_t>(index)), "name"), Str(t, "name"));
  }
  std::set<std::string> levels{"none", "note", "warning", "error"};
  std::set<std::string> rule_ids;
  const json::array& rules = Arr(driver, "rules");
  EXPECT_FALSE(rules.empty());
  for (const json::value& r : rules) {
    const std::string id = Str(r, "id");
    EXPECT_TRUE(rule_ids.insert(id).second) << "duplicate rule " << id;
    const std::string name = Str(r, "name");  // one PascalCase identifier
    EXPECT_FALSE(name.empty()) << id;
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(name[0]))) << id << " " << name;
    for (char c : name) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id << " " << name;
    EXPECT_FALSE(Str(Obj(r, "shortDescription"), "text").empty()) << id;
    EXPECT_FALSE(Str(Obj(r, "fullDescription"), "text").empty()) << id;
    EXPECT_FALSE(Str(Obj(r, "help"), "text").empty()) << id;
    EXPECT_THAT(Str(Obj(r, "help"), "markdown"), HasSubstr("```")) << id;
    EXPECT_TRUE(levels.contains(Str(Obj(r, "defaultConfiguration"), "level"))) << id;
    if (r.as_object().contains("helpUri")) {
      const std::string uri = Str(r, "helpUri");
      EXPECT_TRUE(uri.starts_with("https://") || uri.starts_with("http://")) << id << " " << uri;
    }
    const json::object& props = Obj(r, "properties");
    // GitHub: a string holding a number from 0.0 to 10.0.
    const std::string sev = std::string(props.at("security-severity").as_string());
    EXPECT_TRUE(sev.size() == 3 && std::isdigit(static_cast<unsigned char>(sev[0])) && sev[1] == '.' &&
                std::isdigit(static_cast<unsigned char>(sev[2])))
        << id << " " << sev;
    std::set<std::string> tags;
    for (const json::value& t : props.at("tags").as_array()) {
      EXPECT_TRUE(tags.insert(std::string(t.as_string())).second) << id << " repeats a tag";
    }
    EXPECT_TRUE(tags.contains("security")) << id;
    for (const json::value& rel : Arr(r, "relationships")) {
      const json::object& target = Obj(rel, "target");
      const json::object& component = Obj(target, "toolComponent");
      const json::value& taxonomy = taxonomies.at(static_cast<std::size_t>(component.at("index").as_int64()));
      EXPECT_EQ(Str(taxonomy, "name"), std::string(component.at("name").as_string()));
      const json::value& taxon =
          Arr(taxonomy, "taxa").at(static_cast<std::size_t>(target.at("index").as_int64()));
      EXPECT_EQ(Str(taxon, "id"), Str(target, "id")) << id;
      EXPECT_TRUE(tags.contains("external/cwe/cwe-" + Str(taxon, "id"))) << id;
    }
  }

  const json::array& results = Arr(run, "results");
  EXPECT_EQ(results.size(), scanned.findings.size());
  for (std::size_t i = 0; i < results.size() && i < scanned.findings.size(); ++i) {
    const json::value& res = results[i];
    const Finding& f = scanned.findings[i];
    const std::string id = Str(res, "ruleId");
    EXPECT_EQ(id, f.rule_id);
    const auto index = static_cast<std::size_t>(res.as_object().at("ruleIndex").as_int64());
    EXPECT_LT(index, rules.size()) << id;
    if (index < rules.size()) {
      EXPECT_EQ(Str(rules[index], "id"), id);
    }
    EXPECT_TRUE(levels.contains(Str(res, "level")));
    EXPECT_FALSE(Str(Obj(res, "message"), "text").empty());
    EXPECT_FALSE(Obj(res, "partialFingerprints").empty());
    for (const auto& fp : Obj(res, "partialFingerprints")) EXPECT_FALSE(fp.value().as_string().empty());
    const json::array& locations = Arr(res, "locations");
    EXPECT_EQ(locations.size(), 1u);
    const LocationFacts at = CheckLocation(locations.at(0), run);
    EXPECT_EQ(at.path, Absolute(f.file));
    EXPECT_EQ(at.line, static_cast<std::int64_t>(f.line));
    if (!res.as_object().contains("codeFlows")) {
      EXPECT_TRUE(f.trace.empty());
      continue;
    }
    const json::array& flows = Arr(res, "codeFlows");
    EXPECT_EQ(flows.size(), 1u);
    for (const json::value& flow : flows) {
      const json::array& threads = Arr(flow, "threadFlows");
      EXPECT_EQ(threads.size(), 1u);
      for (const json::value& thread : threads) {
        const json::array& steps = Arr(thread, "locations");
        EXPECT_EQ(steps.size(), f.trace.size());
        for (std::size_t k = 0; k < steps.size() && k < f.trace.size(); ++k) {
          const json::value& step = steps[k].as_object().at("location");
          EXPECT_FALSE(Str(Obj(step, "message"), "text").empty());
          const LocationFacts s = CheckLocation(step, run);
          EXPECT_EQ(s.path, Absolute(f.trace[k].file));
        }
      }
    }
  }

  const json::array& invocations = Arr(run, "invocations");
  EXPECT_EQ(invocations.size(), 1u);
  EXPECT_TRUE(invocations.at(0).as_object().at("executionSuccessful").as_bool());
  const json::array& notifications = Arr(invocations.at(0), "toolExecutionNotifications");
  EXPECT_EQ(notifications.size(), scanned.notes.size());
  for (const json::value& n : notifications) {
    EXPECT_TRUE(levels.contains(Str(n, "level")));
    EXPECT_FALSE(Str(Obj(n, "message"), "text").empty());
    for (const json::value& l : Arr(n, "locations")) {
      const json::object& physical = Obj(l, "physicalLocation");
      EXPECT_FALSE(LocalPath(Obj(physical, "artifactLocation"), run).empty());
      if (physical.contains("region")) {
        EXPECT_GE(Obj(physical, "region").at("startLine").as_int64(), 1);
      }
    }
  }
  return run;
}

// A Latin-1 source file (and its name) still gives a JSON report that
// parses: bytes that are not UTF-8 show as U+FFFD.
TEST_F(ScanTest, JsonStaysUtf8ForLatin1Sources) {
  Write("caf\xe9.py", "import os\nfrom flask import request\ndef v():\n    os.system(request.args['c'])  # r\xe9sum\xe9\n");
  ScanResult r = Run();
  ASSERT_EQ(r.findings.size(), 1u);
  const std::string text = FormatJson(r);
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  ASSERT_FALSE(ec) << ec.message();
  const auto& f = v.at("findings").as_array().at(0).as_object();
  EXPECT_THAT(std::string(f.at("snippet").as_string()), HasSubstr("# r\xef\xbf\xbdsum\xef\xbf\xbd"));
  EXPECT_THAT(std::string(f.at("file").as_string()), HasSubstr("caf\xef\xbf\xbd.py"));
}

TEST_F(ScanTest, SarifFollowsTheSpecOnAwkwardPaths) {
  Write("my dir/a b.py", kVuln);
  Write("h#sh/p%20q/x?.py", kVuln);
  Write("\xc3\xbcn\xc3\xaf/\xc3\xa9.py", kVuln);  // UTF-8 names
  Write("f\xe9.py", kVuln);                         // a Latin-1 name: not UTF-8
  // A non-ASCII string before the sink: byte column 21, UTF-16 column 17.
  Write("cols.py", "import os\nfrom flask import request\ndef v():\n"
                   "    s = '\xc3\xa9\xc3\xa9\xf0\x9f\x98\x80'; os.system(request.args['c'])\n");
  Write("nr.py", "import os\nfrom flask import request\ndef v():\n"
                 "    # bulwark-ignore: command-injection\n    os.system(request.args['d'])\n");
  Write("bin.py", std::string("abc\0def", 7));
  Write("broken.java", "class { { { ) ) ( void void ;;; }}}} int int int = = =");
  ScanResult r = Run();
  ApplySuppressions(r);
  ASSERT_EQ(r.findings.size(), 6u);
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  const std::string sarif = FormatSarif(r, *rules);
  boost::system::error_code ec;
  const json::value log = json::parse(sarif, ec);  // also rejects text that is not UTF-8
  ASSERT_FALSE(ec) << ec.message();
  const json::object& run = CheckSarif(log, r);
  const json::array& results = Arr(run, "results");
  bool saw_cols = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const std::string uri = Str(Obj(Obj(Arr(results[i], "locations").at(0), "physicalLocation"), "artifactLocation"), "uri");
    EXPECT_EQ(uri.find_first_of(" #?"), std::string::npos) << uri;
    if (r.findings[i].file.ends_with("cols.py")) {
      saw_cols = true;
      EXPECT_EQ(r.findings[i].col, 21u);
      const json::object& region = Obj(Obj(Arr(results[i], "locations").at(0), "physicalLocation"), "region");
      EXPECT_EQ(region.at("startColumn").as_int64(), 17);
    }
  }
  EXPECT_TRUE(saw_cols);
  EXPECT_THAT(sarif, HasSubstr("h%23sh/p%2520q/x%3F.py"));
  EXPECT_THAT(sarif, HasSubstr("my%20dir/a%20b.py"));
  EXPECT_THAT(sarif, HasSubstr("%C3%BCn%C3%AF/%C3%A9.py"));
  EXPECT_THAT(sarif, HasSubstr("f%E9.py"));
  // Skipped, unparseable, and a suppression without a reason (at its line).
  std::string notified;
  for (const json::value& n : Arr(Arr(run, "invocations").at(0), "toolExecutionNotifications")) {
    notified += Str(n, "level") + " " + Str(Obj(n, "message"), "text") + "\n";
    const json::object& physical = Obj(Arr(n, "locations").at(0), "physicalLocation");
    if (Str(Obj(n, "message"), "text").find("no reason") != std::string::npos) {
      EXPECT_THAT(Str(Obj(physical, "artifactLocation"), "uri"), ::testing::EndsWith("nr.py"));
      EXPECT_EQ(Obj(physical, "region").at("startLine").as_int64(), 4);
    }
  }
  EXPECT_THAT(notified, HasSubstr("note "));
  EXPECT_THAT(notified, HasSubstr("binary"));
  EXPECT_THAT(notified, HasSubstr("warning "));
  EXPECT_THAT(notified, HasSubstr("unparseable"));
  EXPECT_THAT(notified, HasSubstr("no reason"));
}

// Paths relative to the working directory (how CI runs `bulwark review .`)
// become relative URIs against %SRCROOT%; the rest are file:// URIs. Also
// an empty scan, a finding without a known rule, and line/column 0.
TEST_F(ScanTest, SarifRelativeUrisAndEdgeCases) {
  auto rules = RuleSet::Load({});
  ASSERT_TRUE(rules.ok());
  const std::string empty = FormatSarif(ScanResult{}, *rules);
  const json::value empty_log = json::parse(empty);
  const json::object& empty_run = CheckSarif(empty_log, ScanResult{});
  EXPECT_TRUE(Arr(empty_run, "results").empty());  // present: this was a scan

  ScanResult r;
  Finding f;
  f.rule_id = "command-injection";
  f.message = "m";
  f.fingerprint = "00";
  f.severity = Severity::kCritical;
  f.file = "src/a b#1%.py";
  f.line = 3;
  f.col = 2;
  f.trace = {TraceStep{"../up/c d.py", 0, 0, "source"}, TraceStep{"./src/./a b#1%.py", 3, 2, "sink"}};
  r.findings.push_back(f);
  const std::string sarif = FormatSarif(r, *rules);
  const json::value log = json::parse(sarif);
  const json::object& run = CheckSarif(log, r);
  const json::object& res = Arr(run, "results").at(0).as_object();
  const json::object& artifact = Obj(Obj(Arr(res, "locations").at(0), "physicalLocation"), "artifactLocation");
  EXPECT_EQ(Str(artifact, "uri"), "src/a%20b%231%25.py");
  EXPECT_EQ(Str(artifact, "uriBaseId"), "%SRCROOT%");
  const json::array& steps = Arr(Arr(Arr(res, "codeFlows").at(0), "threadFlows").at(0), "locations");
  const json::object& up = Obj(Obj(steps.at(0), "location"), "physicalLocation");
  EXPECT_TRUE(Str(Obj(up, "artifactLocation"), "uri").starts_with("file:///"));
  EXPECT_FALSE(Obj(up, "artifactLocation").contains("uriBaseId"));
  EXPECT_EQ(Obj(up, "region").at("startLine").as_int64(), 1);
  EXPECT_EQ(Obj(up, "region").at("startColumn").as_int64(), 1);
  EXPECT_EQ(Str(Obj(Obj(Obj(steps.at(1), "location"), "physicalLocation"), "artifactLocation"), "uri"),
            "src/a%20b%231%25.py");

  // A rule that is not in the rule set gets no ruleIndex rather than a wrong one.
  r.findings[0].rule_id = "no-such-rule";
  const json::value unknown = json::parse(FormatSarif(r, *rules));
  EXPECT_FALSE(Arr(Arr(unknown, "runs").at(0), "results").at(0).as_object().contains("ruleIndex"));
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
