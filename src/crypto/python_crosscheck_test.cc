// Cross-check against an independent implementation (Python `cryptography` + hashlib, run with
// /usr/bin/python3): values written here must decrypt there, and values written there here.
// Skipped (not failed) when /usr/bin/python3 or the package is missing.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "crypto/encryption_service.h"

namespace md::crypto {
namespace {

constexpr char kScript[] = R"PY(
import base64, hashlib, os, sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
PREFIX = {b"aes-cfb": b"*YWVzLWNmYg*", b"aes-gcm": b"*YWVzLWdjbQ*"}
def key(secret, salt): return hashlib.pbkdf2_hmac("sha256", secret, salt, 10000, 32)
def decrypt(secret, v):
    alg = b"aes-cfb"
    if v[:1] == b"*":
        i = v.index(b"*", 1); alg = base64.b64decode(v[1:i] + b"=" * (-(i - 1) % 4)) or b"aes-cfb"; v = v[i + 1:]
    salt = v[:8]
    if alg == b"aes-gcm": return AESGCM(key(secret, salt)).decrypt(v[8:20], v[20:], None)
    d = Cipher(algorithms.AES(key(secret, salt)), modes.CFB(v[8:24])).decryptor()
    return d.update(v[24:]) + d.finalize()
def encrypt(secret, alg, pt):
    salt = b"".join(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[b % 62:b % 62 + 1] for b in os.urandom(8))
    if alg == b"aes-gcm":
        n = os.urandom(12); return PREFIX[alg] + salt + n + AESGCM(key(secret, salt)).encrypt(n, pt, None)
    iv = os.urandom(16); e = Cipher(algorithms.AES(key(secret, salt)), modes.CFB(iv)).encryptor()
    return PREFIX[alg] + salt + iv + e.update(pt) + e.finalize()
out = []
for line in open(sys.argv[1]):
    op, secret, alg, data = line.split()
    secret, data = bytes.fromhex(secret), b"" if data == "-" else bytes.fromhex(data)
    out.append((decrypt(secret, data) if op == "dec" else encrypt(secret, alg.encode(), data)).hex())
open(sys.argv[2], "w").write("\n".join(out) + "\n")
)PY";

struct Job {
  std::string op;
  SecretBytes secret;
  Algorithm algorithm;
  Bytes data;
};

// Runs the script over the jobs; returns one hex line per job, or nothing if Python is absent.
std::vector<std::string> RunPython(const std::vector<Job>& jobs) {
  std::string dir = ::testing::TempDir();
  std::string script = dir + "/md_crosscheck.py", in = dir + "/md_in.txt", out = dir + "/md_out.txt";
  std::ofstream(script) << kScript;
  std::ofstream input(in);
  for (const Job& j : jobs) {
    input << j.op << ' ' << HexEncode(j.secret.view()) << ' ' << AlgorithmName(j.algorithm) << ' '
          << (j.data.empty() ? "" : HexEncode(j.data)) << (j.data.empty() ? "-\n" : "\n");
  }
  input.close();
  std::string cmd = "/usr/bin/python3 " + script + " " + in + " " + out + " 2>" + dir + "/md_err.txt";
  if (std::system(cmd.c_str()) != 0) return {};
  std::vector<std::string> lines;
  std::ifstream result(out);
  for (std::string line; std::getline(result, line);) lines.push_back(line);
  return lines;
}

bool PythonAvailable() {
  return std::system("/usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1") == 0;
}

TEST(CryptoPythonCrossCheckTest, BothDirectionsAgree) {
  if (!PythonAvailable()) GTEST_SKIP() << "/usr/bin/python3 with `cryptography` not available";
  EncryptionService service(Algorithm::kAesCfb);
  EncryptionService gcm_service(Algorithm::kAesGcm);
  std::vector<Job> jobs;
  std::vector<Bytes> plaintexts;
  for (int i = 0; i < 16; ++i) {
    Algorithm algorithm = i % 2 ? Algorithm::kAesGcm : Algorithm::kAesCfb;
    SecretBytes secret(i % 4 < 2 ? Bytes{0x00, 0x01, 0xff, static_cast<uint8_t>(i)} : ToBytes("secret-key"));
    Bytes plain(static_cast<std::size_t>(1 + i * 97));
    for (std::size_t k = 0; k < plain.size(); ++k) plain[k] = static_cast<uint8_t>(k * 31 + i);
    const EncryptionService& writer = algorithm == Algorithm::kAesGcm ? gcm_service : service;
    jobs.push_back({"dec", secret, algorithm, *writer.Encrypt(plain, secret)});
    jobs.push_back({"enc", secret, algorithm, plain});
    plaintexts.push_back(plain);
  }
  auto lines = RunPython(jobs);
  ASSERT_EQ(lines.size(), jobs.size()) << "python cross-check script failed";
  for (std::size_t i = 0; i < jobs.size(); i += 2) {
    const Bytes& plain = plaintexts[i / 2];
    EXPECT_EQ(lines[i], HexEncode(plain)) << "python could not read value " << i / 2;
    auto theirs = HexDecode(lines[i + 1]);
    ASSERT_TRUE(theirs.ok());
    auto ours = service.Decrypt(*theirs, jobs[i + 1].secret);
    ASSERT_TRUE(ours.ok()) << ours.status().ToString();
    EXPECT_EQ(Bytes(ours->data(), ours->data() + ours->size()), plain);
  }
}

}  // namespace
}  // namespace md::crypto
