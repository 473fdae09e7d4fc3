// SecretBytes: key material and decrypted secrets, wiped when freed (STYLE.md §5.4.5).
// No implicit conversion to std::string and no operator<<: the bytes come out only through
// data()/size() or the greppable InsecureString().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace md {

// Calls OPENSSL_cleanse before freeing, so buffers are wiped even when a vector grows.
template <typename T>
struct ZeroingAllocator {
  using value_type = T;
  ZeroingAllocator() = default;
  template <typename U>
  ZeroingAllocator(const ZeroingAllocator<U>&) {}  // NOLINT
  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n);
  template <typename U>
  bool operator==(const ZeroingAllocator<U>&) const { return true; }
};

void CleanseMemory(void* p, std::size_t n);

template <typename T>
void ZeroingAllocator<T>::deallocate(T* p, std::size_t n) {
  CleanseMemory(p, n * sizeof(T));
  std::allocator<T>().deallocate(p, n);
}

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(ByteView bytes) : bytes_(bytes.begin(), bytes.end()) {}
  explicit SecretBytes(std::string_view text) : bytes_(text.begin(), text.end()) {}
  explicit SecretBytes(std::size_t size) : bytes_(size, 0) {}

  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  ByteView view() const { return ByteView(bytes_.data(), bytes_.size()); }
  void resize(std::size_t n) { bytes_.resize(n); }

  // The bytes as a std::string, which is NOT wiped. Every use is a place where a secret leaves
  // protected memory (e.g. handed to a database driver or an HTTP client); keep them few.
  std::string InsecureString() const { return std::string(bytes_.begin(), bytes_.end()); }

  // Constant-time comparison.
  bool Equals(const SecretBytes& other) const;

 private:
  std::vector<uint8_t, ZeroingAllocator<uint8_t>> bytes_;
};

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsString(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace md
