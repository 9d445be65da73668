#include <bulwark/core/encoding.h>
#include <bulwark/crypto/aead.h>
#include <bulwark/crypto/password.h>
#include <bulwark/secrets/secrets.h>

#include <cstdio>

int main() {
  using namespace bulwark;
  auto keyset = crypto::Keyset::Generate(crypto::KeyType::kAeadXChaCha20Poly1305);
  auto aead = crypto::Aead::Create(*keyset);
  auto sealed = aead->Encrypt(AsBytes("hello"), AsBytes("ad"));
  auto opened = aead->Decrypt(*sealed, AsBytes("ad"));
  auto hasher = crypto::PasswordHasher::Create({});
  auto phc = hasher->Hash(SecretString::Adopt(std::string("consumer pw")));
  auto source = secrets::SecretSource::Parse("env:X");
  if (!opened.ok() || AsChars(*opened) != "hello" || !phc.ok() || !source.ok()) return 1;
  std::puts("consumer ok");
  return 0;
}
