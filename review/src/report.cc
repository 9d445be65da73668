// Reporters: human text with a code frame and the dataflow path, JSON, and
// SARIF 2.1.0 (rules with CWE tags and a CWE taxonomy, codeFlows for taint
// paths, partialFingerprints for baselines).
#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "bulwark/review/review.h"
#include "files.h"
#include "rules.h"

namespace bulwark::review {
namespace {

constexpr std::size_t kFrameWidth = 160;  // bytes of a long source line shown around a finding

std::vector<std::string> FileLines(const std::string& path) {
  std::vector<std::string> lines;
  std::string text, why;
  if (!ReadSource(path, 64u << 20, text, why)) return lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Terminal output must not carry control characters from scanned files.
std::string Printable(const std::string& s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\t') out += "    ";
    else if (u < 0x20 || u == 0x7f) out += '?';
    else out.push_back(c);
  }
  return out;
}

std::string Indent(const std::string& text, const std::string& pad) {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += pad + line + "\n";
  return out;
}

}  // namespace

std::string FormatText(const ScanResult& result, bool color) {
  const char* bold = color ? "\x1b[1m" : "";
  const char* red = color ? "\x1b[31m" : "";
  const char* yellow = color ? "\x1b[33m" : "";
  const char* dim = color ? "\x1b[2m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  std::ostringstream out;
  std::map<std::string, std::vector<std::string>> cache;
  for (const Finding& f : result.findings) {
    auto it = cache.find(f.file);
    if (it == cache.end()) it = cache.emplace(f.file, FileLines(f.file)).first;
    const auto& lines = it->second;
    const char* sev_color = f.severity >= Severity::kHigh ? red : yellow;
    out << bold << f.file << ":" << f.line << ":" << f.col << reset << ": " << sev_color
        << SeverityName(f.severity) << reset << " [" << f.rule_id << "] " << f.title << " (" << f.cwe << ")\n";
    out << "  " << f.message << "\n";
    for (std::uint32_t l = f.line > 2 ? f.line - 2 : 1; l <= f.line + 2 && l <= lines.size(); ++l) {
      std::string num = std::to_string(l);
      // Long (minified) lines are shown as a window around the finding's column.
      std::size_t caret = 0;
      const std::string shown = ClipLine(lines[l - 1], f.col, kFrameWidth, &caret);
      out << dim << (l == f.line ? "> " : "  ") << std::string(num.size() < 5 ? 5 - num.size() : 0, ' ') << num
          << " | " << reset << Printable(shown) << "\n";
      if (l == f.line) {
        out << "        | " << std::string(Printable(shown.substr(0, caret)).size(), ' ') << sev_color << "^" << reset
            << "\n";
      }
    }
    if (!f.trace.empty()) {
      out << "  dataflow:\n";
      for (const TraceStep& s : f.trace) {
        out << "    " << (s.file == f.file ? "" : s.file + ":") << s.line << ":" << s.col << "  "
            << Printable(s.note) << "\n";
      }
    }
    out << "  why: " << Indent(f.why, "       ").substr(7);
    if (!f.fix.empty()) out << "  secure alternative:\n" << Indent(f.fix, "    ");
    if (!f.references.empty()) out << "  see: " << f.references.front() << "\n";
    out << "\n";
  }
  for (const Note& n : result.notes) out << dim << "note: " << n.file << ": " << n.message << reset << "\n";
  std::map<Severity, int> counts;
  for (const Finding& f : result.findings) ++counts[f.severity];
  out << bold << result.findings.size() << " finding(s)" << reset;
  if (!result.findings.empty()) {
    out << " (";
    bool first = true;
    for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
      out << (first ? "" : ", ") << it->second << " " << SeverityName(it->first);
      first = false;
    }
    out << ")";
  }
  out << " in " << result.files_scanned << " file(s), " << result.lines_scanned << " lines\n";
  return out.str();
}

namespace {

boost::json::object FindingJson(const Finding& f) {
  boost::json::array trace;
  for (const TraceStep& s : f.trace) {
    trace.push_back(boost::json::object{{"file", s.file}, {"line", s.line}, {"column", s.col}, {"note", s.note}});
  }
  boost::json::array refs;
  for (const std::string& r : f.references) refs.push_back(boost::json::string(r));
  return boost::json::object{{"rule", f.rule_id},      {"title", f.title},
                             {"cwe", f.cwe},           {"owasp", f.owasp},
                             {"severity", SeverityName(f.severity)},
                             {"precision", f.precision}, {"message", f.message},
                             {"file", f.file},         {"line", f.line},
                             {"column", f.col},        {"snippet", f.snippet},
                             {"fingerprint", f.fingerprint}, {"trace", std::move(trace)},
                             {"why", f.why},           {"fix", f.fix},
                             {"references", std::move(refs)}};
}

}  // namespace

std::string FormatJson(const ScanResult& result) {
  boost::json::array findings;
  for (const Finding& f : result.findings) findings.push_back(FindingJson(f));
  boost::json::array notes;
  for (const Note& n : result.notes) notes.push_back(boost::json::object{{"file", n.file}, {"message", n.message}});
  boost::json::object root{{"version", 1},
                           {"tool", "bulwark review"},
                           {"files_scanned", result.files_scanned},
                           {"lines_scanned", result.lines_scanned},
                           {"findings", std::move(findings)},
                           {"notes", std::move(notes)}};
  return boost::json::serialize(root) + "\n";
}

std::string FormatSarif(const ScanResult& result, const RuleSet& rules) {
  const RuleSetData& d = rules.data();
  boost::json::array sarif_rules;
  std::map<std::string, std::size_t> rule_index;
  std::set<std::string> cwes;
  auto level = [](Severity s) { return s >= Severity::kHigh ? "error" : s == Severity::kMedium ? "warning" : "note"; };
  auto security_severity = [](Severity s) {
    switch (s) {
      case Severity::kCritical: return "9.5";
      case Severity::kHigh: return "8.0";
      case Severity::kMedium: return "5.5";
      case Severity::kLow: return "3.0";
    }
    return "3.0";
  };
  for (const Rule& r : d.rules) {
    if (r.disabled) continue;
    rule_index[r.id] = sarif_rules.size();
    cwes.insert(r.cwe);
    std::string help = r.why + "\n\nSecure alternative:\n";
    for (const auto& [lang, code] : r.fix) help += "\n" + lang + ":\n" + code;
    boost::json::array tags{boost::json::string("security"), boost::json::string(r.cwe),
                            boost::json::string("external/cwe/" + [&] {
                              std::string s = r.cwe;
                              for (char& c : s) c = static_cast<char>(c == 'C' ? 'c' : c == 'W' ? 'w' : c == 'E' ? 'e' : c);
                              return s;
                            }())};
    sarif_rules.push_back(boost::json::object{
        {"id", r.id},
        {"name", r.title},
        {"shortDescription", boost::json::object{{"text", r.title}}},
        {"fullDescription", boost::json::object{{"text", r.message}}},
        {"help", boost::json::object{{"text", help}}},
        {"helpUri", r.references.empty() ? std::string() : r.references.front()},
        {"defaultConfiguration", boost::json::object{{"level", level(r.severity)}}},
        {"properties", boost::json::object{{"tags", std::move(tags)},
                                           {"precision", r.precision},
                                           {"security-severity", security_severity(r.severity)},
                                           {"owasp", r.owasp}}},
        {"relationships",
         boost::json::array{boost::json::object{
             {"target", boost::json::object{{"id", r.cwe.substr(4)},
                                            {"toolComponent", boost::json::object{{"name", "CWE"}}}}},
             {"kinds", boost::json::array{boost::json::string("superset")}}}}}});
  }
  boost::json::array taxa;
  for (const std::string& c : cwes) {
    taxa.push_back(boost::json::object{{"id", c.substr(4)}, {"name", c}});
  }
  boost::json::array results;
  auto location = [](const std::string& file, std::uint32_t line, std::uint32_t col) {
    return boost::json::object{
        {"physicalLocation",
         boost::json::object{{"artifactLocation", boost::json::object{{"uri", file}}},
                             {"region", boost::json::object{{"startLine", line}, {"startColumn", col ? col : 1}}}}}};
  };
  for (const Finding& f : result.findings) {
    boost::json::object res{{"ruleId", f.rule_id},
                            {"level", level(f.severity)},
                            {"message", boost::json::object{{"text", f.message}}},
                            {"locations", boost::json::array{location(f.file, f.line, f.col)}},
                            {"partialFingerprints", boost::json::object{{"bulwarkFingerprint/v1", f.fingerprint}}}};
    if (auto it = rule_index.find(f.rule_id); it != rule_index.end()) res["ruleIndex"] = it->second;
    if (!f.trace.empty()) {
      boost::json::array locs;
      for (const TraceStep& s : f.trace) {
        boost::json::object l = location(s.file, s.line, s.col);
        l["message"] = boost::json::object{{"text", s.note}};
        locs.push_back(boost::json::object{{"location", std::move(l)}});
      }
      res["codeFlows"] = boost::json::array{boost::json::object{
          {"threadFlows", boost::json::array{boost::json::object{{"locations", std::move(locs)}}}}}};
    }
    results.push_back(std::move(res));
  }
  boost::json::object run{
      {"tool",
       boost::json::object{
           {"driver", boost::json::object{{"name", "bulwark review"},
                                          {"informationUri", "https://cwe.mitre.org/"},
                                          {"version", "0.1.0"},
                                          {"rules", std::move(sarif_rules)},
                                          {"supportedTaxonomies",
                                           boost::json::array{boost::json::object{{"name", "CWE"}}}}}}}},
      {"taxonomies", boost::json::array{boost::json::object{{"name", "CWE"},
                                                            {"organization", "MITRE"},
                                                            {"informationUri", "https://cwe.mitre.org/"},
                                                            {"taxa", std::move(taxa)}}}},
      {"results", std::move(results)}};
  boost::json::object root{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                           {"version", "2.1.0"},
                           {"runs", boost::json::array{std::move(run)}}};
  return boost::json::serialize(root) + "\n";
}

}  // namespace bulwark::review
