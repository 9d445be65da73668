// Fuzzes backup decryption: arbitrary bytes must be refused cleanly (no
// crash, no output file left behind), never "restored".
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bulwark/crypto/aead.h"
#include "bulwark/crypto/keyset.h"
#include "bulwark/db/backup.h"

namespace {
const bulwark::crypto::Aead& FixedAead() {
  static const bulwark::crypto::Aead* aead = [] {
    auto keys = bulwark::crypto::Keyset::Generate(bulwark::crypto::KeyType::kAeadXChaCha20Poly1305);
    if (!keys.ok()) std::abort();
    auto a = bulwark::crypto::Aead::Create(*keys);
    if (!a.ok()) std::abort();
    return new bulwark::crypto::Aead(std::move(a).value());
  }();
  return *aead;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto in = dir / ("db_backup_fuzz_in." + std::to_string(::getpid()));
  const auto out = dir / ("db_backup_fuzz_out." + std::to_string(::getpid()));
  {
    std::ofstream f(in, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::filesystem::remove(out);
  for (auto kind : {bulwark::db::BackupKind::kSqliteFile, bulwark::db::BackupKind::kPgDumpCustom}) {
    auto r = bulwark::db::DecryptBackupFile(in, out, kind, FixedAead());
    // The key is random per process: no input can authenticate.
    if (r.ok()) std::abort();
    if (std::filesystem::exists(out)) std::abort();
  }
  std::filesystem::remove(in);
  return 0;
}
