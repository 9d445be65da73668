// Fuzzes the rule loader: any bytes as a rule/model YAML document must give
// a RuleSet or an error, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/review/review.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto rules = bulwark::review::RuleSet::FromYaml({{"fuzz.yaml", text}});
  if (rules.ok()) (void)rules->rule_count();
  return 0;
}
