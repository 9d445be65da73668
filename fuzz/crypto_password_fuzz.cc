// Stored-hash parsing and the password policy on arbitrary input. Only the
// cheap paths run here (parsing, legacy formats with small costs, policy):
// the expensive hash itself is bounded by the parser's parameter limits.
#include <cstdint>
#include <string>
#include <string_view>

#include "bulwark/crypto/password.h"
#include "bulwark/secrets/secrets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  using namespace bulwark::crypto;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const PasswordHasher hasher = *PasswordHasher::Create({});
  (void)hasher.NeedsRehash(text);
  if (text.starts_with("$2") && text.size() == 60 && text.substr(4, 2) == "04") {
    (void)hasher.Verify(SecretString::Adopt(std::string("pw")), text);
  }
  static const PasswordPolicy policy = *PasswordPolicy::Create({});
  (void)policy.Check(SecretString::Adopt(std::string(text.substr(0, 600))),
                     {std::string(text.substr(0, 40))});
  (void)secrets::SecretSource::Parse(text);
  return 0;
}
