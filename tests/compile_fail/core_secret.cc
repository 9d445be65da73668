// Secret<T> must not be printable, formattable, copyable or ==-comparable.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>
#include <sstream>
#include <string>

#include "bulwark/core/secret.h"

using bulwark::SecretString;

int main() {
  SecretString a = SecretString::Adopt(std::string("hunter2"));
  SecretString b = SecretString::Adopt(std::string("hunter2"));
#if BULWARK_CF_CASE == 0
// expect: control
  // The allowed ways: explicit access, constant-time Equals, explicit Clone.
  std::string_view shown = a.Reveal(bulwark::InsecureSecretAccess());
  SecretString c = a.Clone(bulwark::InsecureSecretAccess());
  return (a.Equals(b) && !shown.empty() && c.size() == 7) ? 0 : 1;
#endif
#if BULWARK_CF_CASE == 1
// expect: deleted
  std::cout << a;  // streaming a secret
#endif
#if BULWARK_CF_CASE == 2
// expect: deleted|formatter|static assertion|cannot be formatted
  std::string s = fmt::format("{}", a);  // formatting a secret
#endif
#if BULWARK_CF_CASE == 3
// expect: deleted
  SecretString copy = a;  // copying a secret
#endif
#if BULWARK_CF_CASE == 4
// expect: deleted
  bool same = (a == b);  // non-constant-time comparison
#endif
#if BULWARK_CF_CASE == 5
// expect: private|SecretAccess
  bulwark::SecretAccess forged;  // forging the access token
  (void)a.Reveal(forged);
#endif
#if BULWARK_CF_CASE == 6
// expect: no matching|candidate
  (void)a.Reveal();  // reading without the token
#endif
#if BULWARK_CF_CASE == 7
// expect: deleted
  std::ostringstream out;
  out << b;
#endif
#if BULWARK_CF_CASE == 8
// expect: deleted
  SecretString d;
  d = b;  // copy assignment
#endif
}
