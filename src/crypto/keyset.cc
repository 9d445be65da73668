#include "bulwark/crypto/keyset.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>

#include <algorithm>
#include <memory>

#include "bulwark/core/encoding.h"
#include "bulwark/crypto/random.h"
#include "sodium_init.h"

namespace bulwark::crypto {
namespace {

constexpr std::string_view kSealPrefix = "bulwark-keyset.v1.";
constexpr std::uint8_t kMagic[4] = {'B', 'K', 'S', '1'};
constexpr std::size_t kMaxKeys = 1024;
constexpr std::size_t kFingerprintSize = 8;

// Fixed material size of a type; 0 for PKCS#8 types (checked by parsing).
std::size_t MaterialSize(KeyType type) noexcept {
  switch (type) {
    case KeyType::kAeadXChaCha20Poly1305: return 32;
    case KeyType::kHmacSha256: return 32;
    case KeyType::kHmacSha512: return 64;
    case KeyType::kEd25519: return 32;
    case KeyType::kEcdsaP256:
    case KeyType::kRsaPkcs1Sha256:
    case KeyType::kRsaPssSha256: return 0;
  }
  return 0;
}

bool KnownType(std::uint8_t value) noexcept { return value >= 1 && value <= 7; }

bool IsPkcs8Type(KeyType type) noexcept {
  return type == KeyType::kEcdsaP256 || type == KeyType::kRsaPkcs1Sha256 ||
         type == KeyType::kRsaPssSha256;
}

struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct P8Free {
  void operator()(PKCS8_PRIV_KEY_INFO* info) const noexcept { PKCS8_PRIV_KEY_INFO_free(info); }
};

// True when `der` is exactly one PKCS#8 private key of the kind `type` needs:
// a P-256 EC key, or an RSA key of 2048-4096 bits.
bool Pkcs8Matches(KeyType type, ByteView der) noexcept {
  if (der.empty() || der.size() > 8192) return false;
  const unsigned char* p = der.data();
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Free> info(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info || p != der.data() + der.size()) return false;
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_PKCS82PKEY(info.get()));
  if (!key) return false;
  if (type == KeyType::kEcdsaP256) {
    char group[32] = {0};
    std::size_t group_len = 0;
    return EVP_PKEY_is_a(key.get(), "EC") == 1 &&
           EVP_PKEY_get_group_name(key.get(), group, sizeof(group), &group_len) == 1 &&
           std::string_view(group, group_len) == "prime256v1";
  }
  const int bits = EVP_PKEY_get_bits(key.get());
  return EVP_PKEY_is_a(key.get(), "RSA") == 1 && bits >= 2048 && bits <= 4096;
}

bool MaterialOk(KeyType type, ByteView material) noexcept {
  if (IsPkcs8Type(type)) return Pkcs8Matches(type, material);
  const std::size_t size = MaterialSize(type);
  return size != 0 && material.size() == size;
}

// A new private key of `type` as PKCS#8 DER (OpenSSL's generator).
Result<SecretBytes> GeneratePkcs8(KeyType type) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      type == KeyType::kEcdsaP256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                  : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
  if (!key) return Error(ErrorCode::kInternal, "key generation failed");
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Free> info(EVP_PKEY2PKCS8(key.get()));
  if (!info) return Error(ErrorCode::kInternal, "key encoding failed");
  const int len = i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr);
  if (len <= 0) return Error(ErrorCode::kInternal, "key encoding failed");
  SecretBytes der = SecretBytes::Adopt(Bytes(static_cast<std::size_t>(len)));
  unsigned char* out = der.RevealMutable(InsecureSecretAccess()).data();
  if (i2d_PKCS8_PRIV_KEY_INFO(info.get(), &out) != len) {
    return Error(ErrorCode::kInternal, "key encoding failed");
  }
  return der;
}

void PutU16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
void PutU32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void PutI64(Bytes& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(u >> shift));
}

// Bounds-checked big-endian reader.
class Reader {
 public:
  explicit Reader(ByteView data) : data_(data) {}
  bool Read(std::size_t n, ByteView* out) {
    if (data_.size() - pos_ < n) return false;
    *out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  template <class T>
  bool ReadInt(T* out) {
    ByteView raw;
    if (!Read(sizeof(T), &raw)) return false;
    std::uint64_t v = 0;
    for (std::uint8_t b : raw) v = (v << 8) | b;
    *out = static_cast<T>(v);
    return true;
  }
  bool done() const { return pos_ == data_.size(); }

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

std::string Fingerprint(const SecretBytes& master_key) {
  static constexpr std::string_view kLabel = "bulwark master key fingerprint v1";
  std::uint8_t fp[kFingerprintSize];
  ByteView key = master_key.RevealBytes(InsecureSecretAccess());
  crypto_generichash(fp, sizeof(fp), reinterpret_cast<const std::uint8_t*>(kLabel.data()),
                     kLabel.size(), key.data(), key.size());
  return Base64UrlEncode(fp);
}

Result<void> CheckMasterKey(const SecretBytes& master_key) {
  if (master_key.size() != kMasterKeySize) {
    return Error(ErrorCode::kInvalidArgument, "master key must be 32 bytes");
  }
  return Ok();
}

}  // namespace

std::string_view KeyTypeName(KeyType type) noexcept {
  switch (type) {
    case KeyType::kAeadXChaCha20Poly1305: return "aead-xchacha20poly1305";
    case KeyType::kHmacSha256: return "hmac-sha256";
    case KeyType::kHmacSha512: return "hmac-sha512";
    case KeyType::kEd25519: return "ed25519";
    case KeyType::kEcdsaP256: return "ecdsa-p256";
    case KeyType::kRsaPkcs1Sha256: return "rsa-pkcs1-sha256";
    case KeyType::kRsaPssSha256: return "rsa-pss-sha256";
  }
  return "unknown";
}

Result<KeyType> ParseKeyType(std::string_view name) {
  for (KeyType t : {KeyType::kAeadXChaCha20Poly1305, KeyType::kHmacSha256, KeyType::kHmacSha512,
                    KeyType::kEd25519, KeyType::kEcdsaP256, KeyType::kRsaPkcs1Sha256,
                    KeyType::kRsaPssSha256}) {
    if (KeyTypeName(t) == name) return t;
  }
  return Error(ErrorCode::kInvalidArgument,
               "unknown key type (expected aead-xchacha20poly1305, hmac-sha256, hmac-sha512, "
               "ed25519, ecdsa-p256, rsa-pkcs1-sha256 or rsa-pss-sha256)");
}

SecretBytes GenerateMasterKey() { return RandomSecretBytes(kMasterKeySize); }

Result<Keyset> Keyset::Generate(KeyType type, const Clock& clock) {
  Keyset keyset;
  BULWARK_ASSIGN_OR_RETURN(std::uint32_t id, keyset.AddKey(type, clock));
  keyset.primary_id_ = id;
  return keyset;
}

Result<Keyset> Keyset::FromMaterial(KeyType type, SecretBytes material, const Clock& clock) {
  Keyset keyset;
  BULWARK_ASSIGN_OR_RETURN(std::uint32_t id, keyset.ImportKey(type, std::move(material), clock));
  keyset.primary_id_ = id;
  return keyset;
}

Result<std::uint32_t> Keyset::AddKey(KeyType type, const Clock& clock) {
  if (IsPkcs8Type(type)) {
    BULWARK_ASSIGN_OR_RETURN(SecretBytes der, GeneratePkcs8(type));
    return AddMaterial(type, std::move(der), clock);
  }
  const std::size_t size = MaterialSize(type);
  if (size == 0) return Error(ErrorCode::kInvalidArgument, "unknown key type");
  return AddMaterial(type, RandomSecretBytes(size), clock);
}

Result<std::uint32_t> Keyset::ImportKey(KeyType type, SecretBytes material, const Clock& clock) {
  if (!KnownType(static_cast<std::uint8_t>(type)) ||
      !MaterialOk(type, material.RevealBytes(InsecureSecretAccess()))) {
    return Error(ErrorCode::kInvalidArgument, "key material has the wrong size for its type");
  }
  BULWARK_ASSIGN_OR_RETURN(std::uint32_t id, AddMaterial(type, std::move(material), clock));
  if (primary_id_ == 0) primary_id_ = id;
  return id;
}

Result<std::uint32_t> Keyset::AddMaterial(KeyType type, SecretBytes material, const Clock& clock) {
  if (keys_.size() >= kMaxKeys) {
    return Error(ErrorCode::kResourceExhausted, "keyset is full; destroy retired keys first");
  }
  std::uint32_t id = 0;
  do {
    Bytes raw = RandomBytes(4);
    id = (std::uint32_t{raw[0]} << 24) | (std::uint32_t{raw[1]} << 16) |
         (std::uint32_t{raw[2]} << 8) | raw[3];
  } while (id == 0 || Find(id) != nullptr);
  Key key;
  key.info = KeyInfo{id, type, KeyStatus::kEnabled, false, clock.NowUnixSeconds()};
  key.material = std::move(material);
  keys_.push_back(std::move(key));
  return id;
}

Keyset::Key* Keyset::Find(std::uint32_t id) noexcept {
  for (Key& k : keys_) {
    if (k.info.id == id) return &k;
  }
  return nullptr;
}

const Keyset::Key* Keyset::Find(std::uint32_t id) const noexcept {
  for (const Key& k : keys_) {
    if (k.info.id == id) return &k;
  }
  return nullptr;
}

Result<void> Keyset::Promote(std::uint32_t id) {
  const Key* key = Find(id);
  if (key == nullptr) return Error(ErrorCode::kNotFound, "no key with that id");
  if (key->info.status != KeyStatus::kEnabled) {
    return Error(ErrorCode::kFailedPrecondition, "only an enabled key can become primary");
  }
  primary_id_ = id;
  return Ok();
}

Result<void> Keyset::Disable(std::uint32_t id) {
  Key* key = Find(id);
  if (key == nullptr) return Error(ErrorCode::kNotFound, "no key with that id");
  if (id == primary_id_) {
    return Error(ErrorCode::kFailedPrecondition, "the primary key cannot be disabled");
  }
  key->info.status = KeyStatus::kDisabled;
  return Ok();
}

Result<void> Keyset::Enable(std::uint32_t id) {
  Key* key = Find(id);
  if (key == nullptr) return Error(ErrorCode::kNotFound, "no key with that id");
  key->info.status = KeyStatus::kEnabled;
  return Ok();
}

Result<void> Keyset::Destroy(std::uint32_t id) {
  const Key* key = Find(id);
  if (key == nullptr) return Error(ErrorCode::kNotFound, "no key with that id");
  if (key->info.status != KeyStatus::kDisabled) {
    return Error(ErrorCode::kFailedPrecondition, "disable a key before destroying it");
  }
  std::erase_if(keys_, [id](const Key& k) { return k.info.id == id; });
  return Ok();
}

std::vector<KeyInfo> Keyset::Keys() const {
  std::vector<KeyInfo> out;
  out.reserve(keys_.size());
  for (const Key& k : keys_) {
    KeyInfo info = k.info;
    info.primary = info.id == primary_id_;
    out.push_back(info);
  }
  return out;
}

Result<KeyInfo> Keyset::Info(std::uint32_t id) const {
  const Key* key = Find(id);
  if (key == nullptr) return Error(ErrorCode::kNotFound, "no key with that id");
  KeyInfo info = key->info;
  info.primary = id == primary_id_;
  return info;
}

const SecretBytes* Keyset::EnabledMaterial(std::uint32_t id, SecretAccess) const noexcept {
  const Key* key = Find(id);
  if (key == nullptr || key->info.status != KeyStatus::kEnabled) return nullptr;
  return &key->material;
}

Keyset Keyset::Clone(SecretAccess access) const {
  Keyset copy;
  copy.primary_id_ = primary_id_;
  for (const Key& k : keys_) {
    Key key;
    key.info = k.info;
    key.material = k.material.Clone(access);
    copy.keys_.push_back(std::move(key));
  }
  return copy;
}

Result<Bytes> Keyset::SerializeForSealing(SecretAccess access) const {
  Bytes out(std::begin(kMagic), std::end(kMagic));
  PutU32(out, primary_id_);
  PutU16(out, static_cast<std::uint16_t>(keys_.size()));
  for (const Key& k : keys_) {
    PutU32(out, k.info.id);
    out.push_back(static_cast<std::uint8_t>(k.info.type));
    out.push_back(static_cast<std::uint8_t>(k.info.status));
    PutI64(out, k.info.created_unix);
    ByteView material = k.material.RevealBytes(access);
    PutU16(out, static_cast<std::uint16_t>(material.size()));
    out.insert(out.end(), material.begin(), material.end());
  }
  return out;
}

Result<Keyset> Keyset::ParseUnsealed(ByteView data) {
  const Error malformed(ErrorCode::kDataLoss, "malformed keyset");
  Reader reader(data);
  ByteView magic;
  std::uint32_t primary = 0;
  std::uint16_t count = 0;
  if (!reader.Read(4, &magic) || !std::equal(magic.begin(), magic.end(), kMagic) ||
      !reader.ReadInt(&primary) || !reader.ReadInt(&count) || count == 0 || count > kMaxKeys) {
    return malformed;
  }
  Keyset keyset;
  for (std::uint16_t i = 0; i < count; ++i) {
    std::uint32_t id = 0;
    std::uint8_t type = 0;
    std::uint8_t status = 0;
    std::int64_t created = 0;
    std::uint16_t size = 0;
    ByteView material;
    if (!reader.ReadInt(&id) || !reader.ReadInt(&type) || !reader.ReadInt(&status) ||
        !reader.ReadInt(&created) || !reader.ReadInt(&size) || !reader.Read(size, &material)) {
      return malformed;
    }
    if (id == 0 || keyset.Find(id) != nullptr || !KnownType(type) ||
        (status != static_cast<std::uint8_t>(KeyStatus::kEnabled) &&
         status != static_cast<std::uint8_t>(KeyStatus::kDisabled)) ||
        !MaterialOk(static_cast<KeyType>(type), material)) {
      return malformed;
    }
    Key key;
    key.info = KeyInfo{id, static_cast<KeyType>(type), static_cast<KeyStatus>(status), false,
                       created};
    key.material = SecretBytes::CopyFrom(material);
    keyset.keys_.push_back(std::move(key));
  }
  const Key* primary_key = keyset.Find(primary);
  if (!reader.done() || primary_key == nullptr ||
      primary_key->info.status != KeyStatus::kEnabled) {
    return malformed;
  }
  keyset.primary_id_ = primary;
  return keyset;
}

Result<std::string> Keyset::Seal(const SecretBytes& master_key) const {
  BULWARK_RETURN_IF_ERROR(CheckMasterKey(master_key));
  internal::EnsureSodium();
  BULWARK_ASSIGN_OR_RETURN(Bytes plain, SerializeForSealing(InsecureSecretAccess()));
  SecretBytes plain_secret = SecretBytes::Adopt(std::move(plain));
  ByteView plain_view = plain_secret.RevealBytes(InsecureSecretAccess());

  const std::string header = std::string(kSealPrefix) + Fingerprint(master_key);
  Bytes sealed(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain_view.size() +
               crypto_aead_xchacha20poly1305_ietf_ABYTES);
  RandomFill(std::span(sealed.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES));
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      sealed.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written, plain_view.data(),
      plain_view.size(), reinterpret_cast<const std::uint8_t*>(header.data()), header.size(),
      nullptr, sealed.data(), master_key.RevealBytes(InsecureSecretAccess()).data());
  return header + "." + Base64UrlEncode(sealed);
}

Result<Keyset> Keyset::Open(std::string_view sealed, const SecretBytes& master_key) {
  BULWARK_RETURN_IF_ERROR(CheckMasterKey(master_key));
  internal::EnsureSodium();
  // Tolerate one trailing newline: sealed keysets live in text files.
  if (!sealed.empty() && sealed.back() == '\n') sealed.remove_suffix(1);
  const Error not_keyset(ErrorCode::kInvalidArgument, "not a sealed bulwark keyset");
  if (sealed.size() > (std::size_t{1} << 20) || !sealed.starts_with(kSealPrefix)) {
    return not_keyset;
  }
  const std::size_t dot = sealed.find('.', kSealPrefix.size());
  if (dot == std::string_view::npos) return not_keyset;
  const std::string_view header = sealed.substr(0, dot);
  const std::string_view fingerprint = header.substr(kSealPrefix.size());
  if (fingerprint != Fingerprint(master_key)) {
    return Error(ErrorCode::kPermissionDenied, "keyset is sealed under a different master key");
  }
  Result<Bytes> blob = Base64UrlDecode(sealed.substr(dot + 1));
  if (!blob.ok()) return not_keyset;
  constexpr std::size_t kMin =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (blob->size() < kMin) return Error(ErrorCode::kDataLoss, "sealed keyset is truncated");
  SecretBytes plain = SecretBytes::Adopt(Bytes(blob->size() - kMin));
  Bytes& plain_bytes = plain.RevealMutable(InsecureSecretAccess());
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plain_bytes.data(), &written, nullptr,
          blob->data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          blob->size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
          reinterpret_cast<const std::uint8_t*>(header.data()), header.size(), blob->data(),
          master_key.RevealBytes(InsecureSecretAccess()).data()) != 0) {
    return Error(ErrorCode::kDataLoss, "sealed keyset failed authentication (tampered)");
  }
  return ParseUnsealed(plain_bytes);
}

}  // namespace bulwark::crypto
