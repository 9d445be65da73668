// Results must not be ignored.
#include "bulwark/core/result.h"

bulwark::Result<int> Parse(int v) {
  if (v < 0) return bulwark::Error(bulwark::ErrorCode::kInvalidArgument, "negative");
  return v;
}

int main() {
#if BULWARK_CF_CASE == 0
// expect: control
  bulwark::Result<int> r = Parse(1);
  return r.ok() ? 0 : 1;
#endif
#if BULWARK_CF_CASE == 1
// expect: nodiscard|ignoring return value
  Parse(1);  // an ignored Result is an ignored error
  return 0;
#endif
}
