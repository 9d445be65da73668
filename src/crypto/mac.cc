#include "bulwark/crypto/mac.h"

namespace bulwark::crypto {
namespace {

constexpr std::uint8_t kVersion = 0x01;
constexpr std::size_t kHeader = 1 + 4;

}  // namespace

Result<Mac> Mac::Create(const Keyset& keyset) {
  Mac mac;
  for (const KeyInfo& info : keyset.Keys()) {
    if (info.status != KeyStatus::kEnabled) continue;
    HmacAlgorithm algorithm;
    if (info.type == KeyType::kHmacSha256) {
      algorithm = HmacAlgorithm::kSha256;
    } else if (info.type == KeyType::kHmacSha512) {
      algorithm = HmacAlgorithm::kSha512;
    } else {
      continue;
    }
    const SecretBytes* material = keyset.EnabledMaterial(info.id, InsecureSecretAccess());
    mac.keys_.push_back(Key{info.id, algorithm, material->Clone(InsecureSecretAccess())});
  }
  mac.primary_id_ = keyset.primary_id();
  if (mac.Find(mac.primary_id_) == nullptr) {
    return Error(ErrorCode::kFailedPrecondition, "keyset's primary key is not an HMAC key");
  }
  return mac;
}

const Mac::Key* Mac::Find(std::uint32_t id) const noexcept {
  for (const Key& k : keys_) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

Result<Bytes> Mac::Compute(ByteView data) const {
  const Key* key = Find(primary_id_);
  BULWARK_ASSIGN_OR_RETURN(Bytes tag, Hmac(key->algorithm, key->material, data));
  Bytes out;
  out.reserve(kHeader + tag.size());
  out.push_back(kVersion);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(primary_id_ >> shift));
  }
  out.insert(out.end(), tag.begin(), tag.end());
  return out;
}

bool Mac::Verify(ByteView data, ByteView tag) const noexcept {
  if (tag.size() < kHeader || tag[0] != kVersion) return false;
  const std::uint32_t id = (std::uint32_t{tag[1]} << 24) | (std::uint32_t{tag[2]} << 16) |
                           (std::uint32_t{tag[3]} << 8) | std::uint32_t{tag[4]};
  const Key* key = Find(id);
  if (key == nullptr) return false;
  return HmacVerify(key->algorithm, key->material, data, tag.subspan(kHeader));
}

Result<Bytes> Mac::ComputeForLookup(ByteView data, std::uint32_t key_id) const {
  const Key* key = Find(key_id == 0 ? primary_id_ : key_id);
  if (key == nullptr) return Error(ErrorCode::kNotFound, "no enabled HMAC key with that id");
  return Hmac(key->algorithm, key->material, data);
}

std::vector<std::uint32_t> Mac::key_ids() const {
  std::vector<std::uint32_t> ids;
  for (const Key& k : keys_) ids.push_back(k.id);
  return ids;
}

}  // namespace bulwark::crypto
