// Reporters: human text with a code frame and the dataflow path, JSON, and
// SARIF 2.1.0 (rules with CWE tags and a CWE taxonomy, codeFlows for taint
// paths, partialFingerprints for baselines, percent-encoded URIs relative to
// %SRCROOT%, UTF-16 columns, skipped files as tool notifications).
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "bulwark/review/review.h"
#include "bulwark/core/utf8.h"
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
  // Snippets of Latin-1 sources and odd file names carry bytes that are not
  // UTF-8; JSON text must be. Outside strings everything is ASCII, so this
  // only ever replaces bytes inside a string (with U+FFFD).
  return ToValidUtf8(boost::json::serialize(root)) + "\n";
}

namespace {

// SARIF text must be valid UTF-8 (the log is JSON), but file names and
// identifiers come from scanned files as raw bytes.

// Length of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  char32_t cp = 0;
  return DecodeUtf8(s, i, &cp);
}

// Findings carry 1-based byte columns; SARIF columns count UTF-16 code units
// unless run.columnKind says otherwise (we state "utf16CodeUnits").
std::uint32_t Utf16Column(std::string_view line, std::uint32_t byte_col) {
  const std::size_t end = std::min<std::size_t>(byte_col > 0 ? byte_col - 1 : 0, line.size());
  std::uint32_t units = 0;
  for (std::size_t i = 0; i < end;) {
    const std::size_t n = Utf8SequenceLength(line, i);
    units += n == 4 ? 2 : 1;  // a supplementary character is a surrogate pair
    i += n ? n : 1;           // an invalid byte shows as one U+FFFD
  }
  return units + 1;
}

// RFC 3986: every byte of a path except unreserved characters and '/' is
// percent-encoded, so ' ', '#', '?', '%', ':' and non-ASCII names survive.
std::string PercentEncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

constexpr const char* kSrcRoot = "%SRCROOT%";

std::string FileUri(const std::filesystem::path& absolute) {
  return "file://" + PercentEncodePath(absolute.generic_string());
}

// A file under the working directory (the checkout a CI job scans) is a
// relative URI against %SRCROOT%, which is how GitHub code scanning matches
// it to the repository; anything else is an absolute file URI.
boost::json::object ArtifactLocation(const std::string& file, const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  fs::path p(file);
  if (!root.empty()) {
    const fs::path absolute = (p.is_absolute() ? p : root / p).lexically_normal();
    const fs::path relative = absolute.lexically_relative(root);
    if (!relative.empty() && *relative.begin() != ".." && relative != ".") {
      return boost::json::object{{"uri", PercentEncodePath(relative.generic_string())}, {"uriBaseId", kSrcRoot}};
    }
    return boost::json::object{{"uri", FileUri(absolute)}};
  }
  if (p.is_absolute()) return boost::json::object{{"uri", FileUri(p.lexically_normal())}};
  return boost::json::object{{"uri", PercentEncodePath(p.lexically_normal().generic_string())}};
}

// A Markdown code fence longer than any run of backticks inside `code`.
std::string Fence(const std::string& code) {
  std::size_t longest = 0, run = 0;
  for (char c : code) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

// reportingDescriptor.name: a friendly name as one PascalCase identifier
// ("Weak hash algorithm" -> "WeakHashAlgorithm"), as SARIF validators ask;
// the title itself is the shortDescription.
std::string PascalName(const std::string& title, const std::string& id) {
  for (const std::string* source : {&title, &id}) {
    std::string name;
    bool word_start = true;
    for (char c : *source) {
      const unsigned char u = static_cast<unsigned char>(c);
      if (u >= 0x80 || std::isalnum(u) == 0) {
        word_start = true;
        continue;
      }
      if (name.empty() && std::isdigit(u) != 0) continue;  // an identifier starts with a letter
      name.push_back(word_start ? static_cast<char>(std::toupper(u)) : c);
      word_start = false;
    }
    if (!name.empty()) return name;
  }
  return "Rule";
}

std::string TrimNewlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::string FormatSarif(const ScanResult& result, const RuleSet& rules) {
  namespace json = boost::json;
  const RuleSetData& d = rules.data();
  std::error_code ec;
  std::filesystem::path root = std::filesystem::current_path(ec);
  if (ec) root.clear();
  std::vector<const Rule*> enabled;
  std::set<std::string> cwes;
  for (const Rule& r : d.rules) {
    if (r.disabled) continue;
    enabled.push_back(&r);
    cwes.insert(r.cwe);
  }
  // Taxa are referenced by index as well as id, so consumers that resolve
  // only one of them find the same CWE.
  std::map<std::string, std::size_t> taxon_index;
  json::array taxa;
  for (const std::string& c : cwes) {
    taxon_index[c] = taxa.size();
    taxa.push_back(json::object{{"id", c.substr(4)},
                                {"name", c},
                                {"helpUri", "https://cwe.mitre.org/data/definitions/" + c.substr(4) + ".html"}});
  }
  auto level = [](Severity s) { return s >= Severity::kHigh ? "error" : s == Severity::kMedium ? "warning" : "note"; };
  // GitHub code scanning reads this as a CVSS-like score (a string).
  auto security_severity = [](Severity s) {
    switch (s) {
      case Severity::kCritical: return "9.5";
      case Severity::kHigh: return "8.0";
      case Severity::kMedium: return "5.5";
      case Severity::kLow: return "3.0";
    }
    return "3.0";
  };
  json::array sarif_rules;
  std::map<std::string, std::size_t> rule_index;
  for (const Rule* rp : enabled) {
    const Rule& r = *rp;
    rule_index[r.id] = sarif_rules.size();
    const std::string why = TrimNewlines(r.why);
    std::string help_text = why + "\n\nSecure alternative:\n";
    std::string help_md = why + "\n\n**Secure alternative**\n";
    for (const auto& [lang, code] : r.fix) {
      const std::string body = TrimNewlines(code);
      const std::string fence = Fence(body);
      help_text += "\n" + lang + ":\n" + body + "\n";
      help_md += "\n" + lang + ":\n\n" + fence + lang + "\n" + body + "\n" + fence + "\n";
    }
    if (!r.references.empty()) {
      help_text += "\nReferences:\n";
      help_md += "\n**References**\n\n";
      for (const std::string& ref : r.references) {
        help_text += "- " + ref + "\n";
        help_md += "- <" + ref + ">\n";
      }
    }
    std::string cwe_tag = "external/cwe/cwe-" + r.cwe.substr(4);
    json::object descriptor{
        {"id", r.id},
        {"name", PascalName(r.title, r.id)},
        {"shortDescription", json::object{{"text", ToValidUtf8(r.title)}}},
        {"fullDescription", json::object{{"text", ToValidUtf8(r.message)}}},
        {"help", json::object{{"text", ToValidUtf8(help_text)}, {"markdown", ToValidUtf8(help_md)}}},
        {"defaultConfiguration", json::object{{"level", level(r.severity)}}},
        {"properties", json::object{{"tags", json::array{json::string("security"), json::string(r.cwe),
                                                         json::string(std::move(cwe_tag))}},
                                    {"precision", r.precision},
                                    {"security-severity", security_severity(r.severity)},
                                    {"owasp", ToValidUtf8(r.owasp)}}},
        {"relationships",
         json::array{json::object{
             {"target", json::object{{"id", r.cwe.substr(4)},
                                     {"index", taxon_index.at(r.cwe)},
                                     {"toolComponent", json::object{{"name", "CWE"}, {"index", 0}}}}},
             {"kinds", json::array{json::string("superset")}}}}}};
    // helpUri must be an absolute URI; a reference that is not one stays in help.
    for (const std::string& ref : r.references) {
      if (ref.starts_with("https://") || ref.starts_with("http://")) {
        descriptor["helpUri"] = ref;
        break;
      }
    }
    sarif_rules.push_back(std::move(descriptor));
  }

  std::map<std::string, std::vector<std::string>> lines_cache;
  auto location = [&](const std::string& file, std::uint32_t line, std::uint32_t col) {
    auto it = lines_cache.find(file);
    if (it == lines_cache.end()) it = lines_cache.emplace(file, FileLines(file)).first;
    const std::uint32_t start_line = line ? line : 1;
    std::uint32_t start_col = col ? col : 1;
    if (line && line <= it->second.size()) start_col = Utf16Column(it->second[line - 1], start_col);
    return json::object{
        {"physicalLocation",
         json::object{{"artifactLocation", ArtifactLocation(file, root)},
                      {"region", json::object{{"startLine", start_line}, {"startColumn", start_col}}}}}};
  };
  json::array results;
  for (const Finding& f : result.findings) {
    json::object res{{"ruleId", f.rule_id},
                     {"level", level(f.severity)},
                     {"message", json::object{{"text", ToValidUtf8(f.message)}}},
                     {"locations", json::array{location(f.file, f.line, f.col)}},
                     {"partialFingerprints", json::object{{"bulwarkFingerprint/v1", f.fingerprint}}}};
    if (auto it = rule_index.find(f.rule_id); it != rule_index.end()) res["ruleIndex"] = it->second;
    if (!f.trace.empty()) {
      json::array locs;
      for (const TraceStep& s : f.trace) {
        json::object l = location(s.file, s.line, s.col);
        l["message"] = json::object{{"text", ToValidUtf8(s.note)}};
        locs.push_back(json::object{{"location", std::move(l)}});
      }
      res["codeFlows"] =
          json::array{json::object{{"threadFlows", json::array{json::object{{"locations", std::move(locs)}}}}}};
    }
    results.push_back(std::move(res));
  }

  // Skipped and unparseable files, so a consumer can tell "no findings" from
  // "not analysed". A suppression note names "file:line".
  json::array notifications;
  for (const Note& n : result.notes) {
    json::object notification{{"level", n.message.starts_with("skipped:") ? "note" : "warning"},
                              {"message", json::object{{"text", ToValidUtf8(n.file + ": " + n.message)}}}};
    if (!n.file.empty()) {
      std::string file = n.file;
      std::uint32_t line = 0;
      const std::size_t colon = file.rfind(':');
      if (colon != std::string::npos && colon > 0 && colon + 1 < file.size() && colon + 10 > file.size() &&
          file.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
        line = static_cast<std::uint32_t>(std::stoul(file.substr(colon + 1)));
        file.resize(colon);
      }
      json::object physical{{"artifactLocation", ArtifactLocation(file, root)}};
      if (line > 0) physical["region"] = json::object{{"startLine", line}};
      notification["locations"] = json::array{json::object{{"physicalLocation", std::move(physical)}}};
    }
    notifications.push_back(std::move(notification));
  }

  json::object run{
      {"tool",
       json::object{{"driver", json::object{{"name", "bulwark review"},
                                            {"version", "0.1.0"},
                                            {"semanticVersion", "0.1.0"},
                                            {"rules", std::move(sarif_rules)},
                                            {"supportedTaxonomies",
                                             json::array{json::object{{"name", "CWE"}, {"index", 0}}}}}}}},
      {"invocations", json::array{json::object{{"executionSuccessful", true},
                                               {"toolExecutionNotifications", std::move(notifications)}}}},
      {"taxonomies", json::array{json::object{{"name", "CWE"},
                                              {"organization", "MITRE"},
                                              {"shortDescription", json::object{{"text", "Common Weakness Enumeration"}}},
                                              {"informationUri", "https://cwe.mitre.org/"},
                                              {"isComprehensive", false},
                                              {"taxa", std::move(taxa)}}}},
      {"columnKind", "utf16CodeUnits"},
      {"results", std::move(results)}};
  if (!root.empty()) {
    std::string base = FileUri(root);
    if (base.back() != '/') base.push_back('/');
    run["originalUriBaseIds"] = json::object{{kSrcRoot, json::object{{"uri", std::move(base)}}}};
  }
  json::object root_object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                           {"version", "2.1.0"},
                           {"runs", json::array{std::move(run)}}};
  return json::serialize(root_object) + "\n";
}

}  // namespace bulwark::review
