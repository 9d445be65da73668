#pragma once
// The dataflow engine: abstract interpretation of each IR function with
// constant folding, dead-branch pruning, access paths (fields and constant
// map keys), list shapes (constant indices), and per-function summaries used
// across functions, classes and files of the scanned project.
//
// Thread-safety: one Engine per worker thread. The Program and RuleSetData it
// reads are immutable and shared.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "bulwark/review/review.h"
#include "ir.h"
#include "language.h"
#include "rules.h"

namespace bulwark::review {

struct FuncRef {
  std::uint32_t module = 0;
  std::uint32_t func = 0;
};

// All lowered modules of one scan, and a name index for call resolution.
struct Program {
  std::vector<std::unique_ptr<ir::Module>> modules;  // null: not parsed
  std::unordered_map<std::string, std::vector<FuncRef>> by_name;
  // Class -> its bases, from every module (the first definition of a name
  // wins), per link family: a Python and a Java class may share a name.
  // Keyed by BasesKey.
  std::unordered_map<std::string, std::vector<std::string>> class_bases;
  static std::string BasesKey(Language language, const std::string& cls) {
    return std::to_string(LinkFamily(language)) + ":" + cls;
  }
  // Java .properties files of the scanned tree by file name
  // ("benchmark.properties"): key -> value, nullopt where two files of that
  // name disagree.
  std::unordered_map<std::string, std::unordered_map<std::string, std::optional<std::string>>> properties;
  void AddProperties(const std::string& path, std::string_view text);
  void Index();
  // The program's C/C++ globals and constants (engine.cc): computed by the
  // first engine that asks, once for all engines of the scan.
  struct CGlobalFacts;
  mutable std::once_flag c_facts_once;
  mutable std::shared_ptr<const CGlobalFacts> c_facts;
};

struct RawFinding {
  int rule = -1;
  std::uint32_t module = 0;
  std::uint32_t line = 0, col = 0, stmt_line = 0, stmt_end_line = 0;
  std::vector<TraceStep> trace;  // file left empty: filled from module ids by the caller
  std::vector<std::uint32_t> trace_modules;
};

// Of two findings at the same rule and place, whether `a`'s trace is the one
// to report: the shorter, then the first by (file index, line, column, note)
// step by step. A fixed choice, so which worker found a place first (or in
// which order) does not change the output.
bool PreferredTrace(const RawFinding& a, const RawFinding& b);

class Engine {
 public:
  Engine(const RuleSetData& rules, const Program& program);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Analyzes every function of the module (and, through summaries, whatever
  // they call). Findings accumulate; duplicates are dropped.
  void AnalyzeModule(std::uint32_t module);
  std::vector<RawFinding> TakeFindings();
  // Trace steps the engine holds (they live as long as it does); for tests.
  std::size_t StepCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::review
