#include "crypto/secure_random.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/openssl_util.h"

namespace md::crypto {
namespace {

constexpr std::size_t kKeySize = 32;
constexpr std::size_t kBlockSize = 1024;
constexpr uint64_t kReseedAfterBytes = 1 << 20;

class ThreadGenerator {
 public:
  ~ThreadGenerator() {
    OPENSSL_cleanse(key_.data(), key_.size());
    OPENSSL_cleanse(block_.data(), block_.size());
  }

  Status Fill(std::span<uint8_t> out) {
    while (!out.empty()) {
      if (pos_ == block_.size() || NeedsReseed()) {
        if (Status s = Refill(); !s.ok()) return s;
      }
      std::size_t n = std::min(out.size(), block_.size() - pos_);
      std::memcpy(out.data(), block_.data() + pos_, n);
      OPENSSL_cleanse(block_.data() + pos_, n);
      pos_ += n;
      out = out.subspan(n);
    }
    return OkStatus();
  }

 private:
  bool NeedsReseed() const { return !seeded_ || pid_ != getpid() || since_seed_ >= kReseedAfterBytes; }

  Status Reseed() {
    if (!ctx_) {
      ctx_ = NewCipherCtx();
      if (EVP_EncryptInit_ex(ctx_.get(), EVP_chacha20(), nullptr, nullptr, nullptr) != 1) {
        return OpenSslError("ChaCha20 setup");
      }
    }
    if (RAND_bytes(key_.data(), static_cast<int>(key_.size())) != 1) {
      return OpenSslError("seeding the per-thread generator from the OS");
    }
    pid_ = getpid();
    since_seed_ = 0;
    seeded_ = true;
    return OkStatus();
  }

  // One keystream block under the current key; its first 32 bytes become the next key.
  Status Refill() {
    pos_ = block_.size();  // nothing is handed out unless the refill succeeds
    if (NeedsReseed()) {
      if (Status s = Reseed(); !s.ok()) return s;
    }
    static constexpr std::array<uint8_t, 16> kZeroIv{};
    block_.fill(0);
    int len = 0;
    if (EVP_EncryptInit_ex(ctx_.get(), nullptr, nullptr, key_.data(), kZeroIv.data()) != 1 ||
        EVP_EncryptUpdate(ctx_.get(), block_.data(), &len, block_.data(),
                          static_cast<int>(block_.size())) != 1) {
      seeded_ = false;
      return OpenSslError("ChaCha20 keystream");
    }
    std::memcpy(key_.data(), block_.data(), kKeySize);
    OPENSSL_cleanse(block_.data(), kKeySize);
    pos_ = kKeySize;
    since_seed_ += block_.size();
    return OkStatus();
  }

  CipherCtxPtr ctx_;
  std::array<uint8_t, kKeySize> key_{};
  std::array<uint8_t, kBlockSize> block_{};
  std::size_t pos_ = kBlockSize;
  uint64_t since_seed_ = 0;
  pid_t pid_ = 0;
  bool seeded_ = false;
};

ThreadGenerator& Generator() {
  thread_local ThreadGenerator generator;
  return generator;
}

}  // namespace

Status SecureRandomBytes(std::span<uint8_t> out) {
  Status s = Generator().Fill(out);
  if (!s.ok()) OPENSSL_cleanse(out.data(), out.size());
  return s;
}

Status RandomAlphanumeric(std::span<uint8_t> out) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::size_t filled = 0;
  while (filled < out.size()) {
    std::array<uint8_t, 16> raw;
    if (Status s = SecureRandomBytes(raw); !s.ok()) return s;
    for (uint8_t b : raw) {
      if (b < 248 && filled < out.size()) out[filled++] = static_cast<uint8_t>(kAlphabet[b % 62]);
    }
  }
  return OkStatus();
}

}  // namespace md::crypto
