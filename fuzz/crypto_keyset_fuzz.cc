// Keyset parsing (unsealed binary form and sealed text) and AEAD decryption
// of arbitrary bytes: errors only, never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bulwark/crypto/aead.h"
#include "bulwark/crypto/keyset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bulwark;
  using namespace bulwark::crypto;
  ByteView bytes(data, size);
  if (Result<Keyset> ks = Keyset::ParseUnsealed(bytes); ks.ok()) {
    // Whatever parses must serialize back to the same bytes.
    if (*ks->SerializeForSealing(InsecureSecretAccess()) != Bytes(bytes.begin(), bytes.end())) {
      std::abort();
    }
  }
  static const SecretBytes master = SecretBytes::CopyFrom(Bytes(32, 0x5a));
  (void)Keyset::Open(std::string_view(reinterpret_cast<const char*>(data), size), master);
  static const Aead aead = *Aead::Create(*Keyset::Generate(KeyType::kAeadXChaCha20Poly1305));
  if (aead.Decrypt(bytes, {}).ok()) std::abort();  // forgery
  return 0;
}
