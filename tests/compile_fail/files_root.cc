// files::Root takes names from outside only as Untrusted<std::string>, so a
// raw string cannot reach the file system by accident, and File descriptors
// cannot be copied (no double close).
#include <string>
#include <utility>

#include "bulwark/files/root.h"

int main() {
#if BULWARK_CF_CASE == 0
// expect: control
  auto root = bulwark::files::Root::Open("/tmp");
  if (!root.ok()) return 1;
  auto f = root->OpenForRead(bulwark::Untrusted<std::string>("x"));
  return f.ok() ? 0 : 0;
#endif
#if BULWARK_CF_CASE == 1
// expect: no matching function|cannot convert|invalid initialization
  auto root = bulwark::files::Root::Open("/tmp");
  std::string name = "../etc/passwd";
  auto f = root->OpenForRead(name);
  return 0;
#endif
#if BULWARK_CF_CASE == 2
// expect: use of deleted function
  auto root = bulwark::files::Root::Open("/tmp");
  auto f = root->OpenForRead(bulwark::Untrusted<std::string>("x"));
  bulwark::files::File copy = *f;
  return 0;
#endif
#if BULWARK_CF_CASE == 3
// expect: use of deleted function
  auto root = bulwark::files::Root::Open("/tmp");
  bulwark::files::Root copy = *root;
  return 0;
#endif
}
