// Legacy-cipher throughput (docs/benchmarks.md, crypto section). 32-byte secrets throughout.
//   *CachedKey*     values written by this process: salt reused, key derived once.
//   *ForeignSalt*   values each with its own salt (written elsewhere): PBKDF2 per value.
//   Baseline*       what Grafana does: one PBKDF2 (and fresh RAND_bytes/EVP context) per value.
#include <benchmark/benchmark.h>

#include <openssl/rand.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "crypto/aes_modes.h"
#include "crypto/encryption_service.h"
#include "crypto/legacy_payload.h"
#include "crypto/pbkdf2.h"

namespace md::crypto {
namespace {

const SecretBytes& Secret() {
  static const SecretBytes secret(std::string_view("bench-secret-key-0123456789abcde"));
  return secret;
}
const Bytes& Plaintext() {
  static const Bytes plain(32, 0x5a);
  return plain;
}

// Shared across benchmark threads, as in the server.
EncryptionService& Service(Algorithm algorithm) {
  static EncryptionService cfb(Algorithm::kAesCfb), gcm(Algorithm::kAesGcm);
  return algorithm == Algorithm::kAesGcm ? gcm : cfb;
}

const std::vector<Bytes>& WrittenHere(Algorithm algorithm) {
  static std::vector<Bytes> values[2];
  static std::once_flag once[2];
  int i = static_cast<int>(algorithm);
  std::call_once(once[i], [&] {
    for (int n = 0; n < 1024; ++n) values[i].push_back(*Service(algorithm).Encrypt(Plaintext(), Secret()));
  });
  return values[i];
}

// Values with their own salts: each written by a fresh service (a fresh salt each).
const std::vector<Bytes>& ForeignValues() {
  static const std::vector<Bytes> values = [] {
    std::vector<Bytes> out;
    for (int n = 0; n < 64; ++n) out.push_back(*EncryptionService(Algorithm::kAesCfb).Encrypt(Plaintext(), Secret()));
    return out;
  }();
  return values;
}

void BM_EncryptCachedKey(benchmark::State& state) {
  auto algorithm = static_cast<Algorithm>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(Service(algorithm).Encrypt(Plaintext(), Secret()));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(AlgorithmName(algorithm)));
}
BENCHMARK(BM_EncryptCachedKey)->Arg(0)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();

void BM_DecryptCachedKey(benchmark::State& state) {
  auto algorithm = static_cast<Algorithm>(state.range(0));
  const auto& values = WrittenHere(algorithm);
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7;
  for (auto _ : state) {
    auto r = Service(algorithm).Decrypt(values[i++ % values.size()], Secret());
    if (!r.ok()) state.SkipWithError("decrypt failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(AlgorithmName(algorithm)));
}
BENCHMARK(BM_DecryptCachedKey)->Arg(0)->Arg(1)->Threads(1)->Threads(2)->UseRealTime();

// Each value has its own salt and the cache is cold for it: one PBKDF2 per value.
void BM_DecryptForeignSalt(benchmark::State& state) {
  const auto& values = ForeignValues();
  std::size_t i = 0;
  for (auto _ : state) {
    EncryptionService cold(Algorithm::kAesCfb, 16);
    benchmark::DoNotOptimize(cold.Decrypt(values[i++ % values.size()], Secret()));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecryptForeignSalt)->Threads(1)->Threads(2)->UseRealTime();

// 64 values with distinct salts per call, parallel across cores; items = values.
void BM_DecryptBatchForeignSalt(benchmark::State& state) {
  const auto& values = ForeignValues();
  std::vector<DecryptRequest> requests;
  for (const Bytes& v : values) requests.push_back({v, &Secret()});
  for (auto _ : state) {
    EncryptionService cold(Algorithm::kAesCfb);
    auto results = cold.DecryptBatch(requests);
    if (!results[0].ok()) state.SkipWithError("batch decrypt failed");
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(requests.size()));
}
BENCHMARK(BM_DecryptBatchForeignSalt)->UseRealTime();

void BM_Pbkdf2Single(benchmark::State& state) {
  Bytes salt = ToBytes("abcdEFGH");
  for (auto _ : state) benchmark::DoNotOptimize(DeriveGrafanaKey(Secret().view(), salt));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Pbkdf2Single)->UseRealTime();

// Grafana's encrypt: RAND salt, PBKDF2, RAND IV, new cipher context, CFB.
void BM_BaselineGrafanaEncrypt(benchmark::State& state) {
  for (auto _ : state) {
    Bytes out(12 + 24 + Plaintext().size());
    RAND_bytes(out.data() + 12, 8);
    auto key = DeriveGrafanaKey(Secret().view(), ByteView(out).subspan(12, 8));
    RAND_bytes(out.data() + 20, 16);
    auto ctx = NewKeyedContext(AesMode::kCfb128, key->view());
    (void)CfbCrypt(ctx->get(), ByteView(out).subspan(20, 16), Plaintext(),
                   std::span<uint8_t>(out).subspan(36), true);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BaselineGrafanaEncrypt)->Threads(1)->Threads(2)->UseRealTime();

// Grafana's decrypt: parse, PBKDF2, new cipher context, CFB.
void BM_BaselineGrafanaDecrypt(benchmark::State& state) {
  const auto& values = WrittenHere(Algorithm::kAesCfb);
  std::size_t i = 0;
  for (auto _ : state) {
    auto parsed = ParseLegacyPayload(values[i++ % values.size()]);
    auto parts = SplitCfb(parsed->raw);
    auto key = DeriveGrafanaKey(Secret().view(), parts->salt);
    auto ctx = NewKeyedContext(AesMode::kCfb128, key->view());
    SecretBytes out(parts->ciphertext.size());
    (void)CfbCrypt(ctx->get(), parts->iv, parts->ciphertext, std::span<uint8_t>(out.data(), out.size()), false);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BaselineGrafanaDecrypt)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace md::crypto
