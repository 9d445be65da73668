// `bulwark review --test DIR`: rule samples carry `ruleid: <id>` and
// `ok: <id>` comments on the line before the code they describe. Every
// finding must be expected, every expectation met, and every rule must have
// both kinds of sample.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "bulwark/review/review.h"
#include "files.h"

namespace bulwark::review {
namespace {

struct Expect {
  std::string file;
  std::uint32_t annotation_line = 0;
  std::uint32_t target_line = 0;
  std::string rule;
  bool must_match = true;
};

bool IsAnnotationOnly(const std::string& line) {
  std::size_t b = line.find_first_not_of(" \t");
  if (b == std::string::npos) return false;
  bool comment = line.compare(b, 2, "//") == 0 || line[b] == '#' || line.compare(b, 2, "/*") == 0 ||
                 line.compare(b, 1, "*") == 0;
  return comment && (line.find("ruleid:") != std::string::npos || line.find("ok:") != std::string::npos);
}

void ParseIds(const std::string& rest, std::vector<std::string>& ids) {
  std::string cur;
  for (char c : rest) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.') {
      cur.push_back(c);
    } else if (c == ',' || c == ' ') {
      if (!cur.empty()) ids.push_back(cur);
      cur.clear();
      if (c == ' ' && !ids.empty()) {
        // "ruleid: a, b" continues after commas; a space ends the list.
      }
    } else {
      break;
    }
  }
  if (!cur.empty()) ids.push_back(cur);
}

std::vector<Expect> ParseExpectations(const std::string& file, const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) lines.push_back(l);
  std::vector<Expect> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!IsAnnotationOnly(lines[i])) continue;
    std::size_t target = i + 1;
    while (target < lines.size() &&
           (IsAnnotationOnly(lines[target]) || lines[target].find_first_not_of(" \t\r") == std::string::npos)) {
      ++target;
    }
    for (const char* tag : {"ruleid:", "ok:"}) {
      std::size_t at = lines[i].find(tag);
      if (at == std::string::npos) continue;
      std::vector<std::string> ids;
      ParseIds(lines[i].substr(at + std::char_traits<char>::length(tag) + 1), ids);
      for (const std::string& id : ids) {
        out.push_back({file, static_cast<std::uint32_t>(i + 1), static_cast<std::uint32_t>(target + 1), id,
                       std::string_view(tag) == "ruleid:"});
      }
    }
  }
  return out;
}

}  // namespace

Result<RuleTestOutcome> RunRuleTests(const std::string& dir) {
  BULWARK_ASSIGN_OR_RETURN(RuleSet rules, RuleSet::Load({dir}, /*include_builtin=*/false));
  ScanOptions options;
  options.paths = {dir};
  options.respect_gitignore = false;
  BULWARK_ASSIGN_OR_RETURN(ScanResult result, Scan(rules, options));
  RuleTestOutcome outcome;
  std::ostringstream report;
  std::vector<Expect> expects;
  std::set<std::string> files;
  std::vector<Note> notes;
  auto collected = CollectFiles(options, notes);
  if (!collected.ok()) return collected.error();
  for (const auto& f : *collected) {
    std::string text, why;
    if (!ReadSource(f.path, options.max_file_bytes, text, why)) continue;
    files.insert(f.path);
    auto e = ParseExpectations(f.path, text);
    expects.insert(expects.end(), e.begin(), e.end());
  }
  for (const Note& n : result.notes) {
    report << "FAIL " << n.file << ": " << n.message << "\n";
    ++outcome.failures;
  }
  std::set<std::string> known_ids;
  for (const std::string& id : rules.RuleIds()) known_ids.insert(id);
  std::map<std::string, std::pair<int, int>> coverage;  // id -> (ruleid, ok)
  std::set<std::tuple<std::string, std::uint32_t, std::string>> expected_hits;
  for (const Expect& e : expects) {
    if (!known_ids.count(e.rule)) {
      report << "FAIL " << e.file << ":" << e.annotation_line << ": annotation names unknown rule '" << e.rule << "'\n";
      ++outcome.failures;
      continue;
    }
    ++outcome.expectations;
    (e.must_match ? coverage[e.rule].first : coverage[e.rule].second)++;
    bool found = std::any_of(result.findings.begin(), result.findings.end(), [&](const Finding& f) {
      return f.file == e.file && f.rule_id == e.rule && f.line == e.target_line;
    });
    if (e.must_match) expected_hits.insert({e.file, e.target_line, e.rule});
    if (found != e.must_match) {
      report << "FAIL " << e.file << ":" << e.target_line << ": " << (e.must_match ? "expected " : "unexpected ")
             << e.rule << (e.must_match ? " not reported" : " reported (marked ok)") << "\n";
      ++outcome.failures;
    }
  }
  for (const Finding& f : result.findings) {
    if (!expected_hits.count({f.file, f.line, f.rule_id})) {
      bool marked_ok = std::any_of(expects.begin(), expects.end(), [&](const Expect& e) {
        return !e.must_match && e.file == f.file && e.target_line == f.line && e.rule == f.rule_id;
      });
      if (!marked_ok) {
        report << "FAIL " << f.file << ":" << f.line << ": unannotated finding " << f.rule_id << "\n";
        ++outcome.failures;
      }
    }
  }
  for (const std::string& id : known_ids) {
    auto c = coverage[id];
    if (c.first == 0 || c.second == 0) {
      report << "FAIL rule " << id << " lacks " << (c.first == 0 ? "a ruleid:" : "an ok:") << " sample\n";
      ++outcome.failures;
    }
  }
  outcome.files = files.size();
  report << (outcome.failures ? "FAILED: " : "passed: ") << known_ids.size() << " rules, " << outcome.files
         << " sample files, " << outcome.expectations << " expectations, " << outcome.failures << " failure(s)\n";
  outcome.report = report.str();
  return outcome;
}

}  // namespace bulwark::review
