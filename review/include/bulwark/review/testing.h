#pragma once
// Test-only entry points (fuzzers, unit tests): review one in-memory source
// with the built-in rules, no file system involved.

#include <string>
#include <vector>

#include "bulwark/review/review.h"

namespace bulwark::review {

// Parses, lowers and analyzes `text` as if it were file `name` (the
// extension picks the language). Returns "rule-id:line" strings, sorted.
// Unknown extensions and unparseable text give an empty list.
std::vector<std::string> ReviewSourceForTest(const std::string& name, const std::string& text);
// Same, with the given rule set and several files analyzed together
// (cross-file summaries). Files named *.properties are configuration that
// Java code may load.
std::vector<std::string> ReviewSourcesForTest(const RuleSet& rules,
                                              const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace bulwark::review
