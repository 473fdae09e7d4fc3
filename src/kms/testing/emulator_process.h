// Test helper: runs one of the loopback KMS emulators in tests/emulators/ (aws_kms_emulator.py,
// vault_transit_emulator.py, gcp_kms_emulator.py, azure_kv_emulator.py) under /usr/bin/python3 as a
// child process with --watch-stdin, reads the port it prints, and stops it on destruction. The
// child also exits when this process dies (it watches its stdin pipe).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "kms/http/http_client.h"

namespace md::kms {

class EmulatorProcess {
 public:
  // Starts tests/emulators/<script> with extra command-line arguments; Unavailable if it does not
  // come up (no port printed).
  static Result<std::unique_ptr<EmulatorProcess>> Start(const std::string& script,
                                                        const std::vector<std::string>& args);
  ~EmulatorProcess();

  int port() const { return port_; }
  std::string Endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // POST /__control with a JSON body (or GET when empty); returns the JSON state as text.
  // Every emulator serves its test controls there.
  Result<std::string> Control(const http::HttpClient& client, const std::string& json = "") const;

 private:
  EmulatorProcess(int pid, int stdin_fd, int port) : pid_(pid), stdin_fd_(stdin_fd), port_(port) {}
  int pid_;
  int stdin_fd_;
  int port_;
};

}  // namespace md::kms
