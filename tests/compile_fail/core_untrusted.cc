// Untrusted<T> cannot stand in where Valid<T> is required.
#include <string>

#include "bulwark/core/untrusted.h"

using bulwark::Untrusted;
using bulwark::Valid;

// A sink that demands validated input.
int StoreEmail(const Valid<std::string>& email) { return static_cast<int>(email->size()); }

int main() {
  Untrusted<std::string> raw("alice@example.com");
#if BULWARK_CF_CASE == 0
// expect: control
  auto check = [](const std::string& s) -> bulwark::Result<void> {
    if (s.find('@') == std::string::npos) {
      return bulwark::Error(bulwark::ErrorCode::kInvalidArgument, "not an email");
    }
    return bulwark::Ok();
  };
  bulwark::Result<Valid<std::string>> valid = bulwark::Validate(std::move(raw), check);
  return valid.ok() ? StoreEmail(*valid) - 17 : 1;
#endif
#if BULWARK_CF_CASE == 1
// expect: invalid initialization|cannot convert|no matching
  return StoreEmail(raw);  // unvalidated input into a validated sink
#endif
#if BULWARK_CF_CASE == 2
// expect: private|no matching
  Valid<std::string> forged(std::string("x"));  // minting Valid without a check
  return StoreEmail(forged);
#endif
#if BULWARK_CF_CASE == 3
// expect: invalid initialization|cannot convert|no matching
  return StoreEmail(std::string("alice@example.com"));  // a plain string is not Valid
#endif
#if BULWARK_CF_CASE == 4
// expect: static assertion|Result<T> or Result<void>
  auto wrong = [](const std::string& s) { return !s.empty(); };  // bool is not a verdict
  auto v = bulwark::Validate(std::move(raw), wrong);
#endif
}
