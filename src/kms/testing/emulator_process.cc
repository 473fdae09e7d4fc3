#include "kms/testing/emulator_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

namespace md::kms {

Result<std::unique_ptr<EmulatorProcess>> EmulatorProcess::Start(const std::string& script_name,
                                                                const std::vector<std::string>& args) {
  int in_pipe[2];
  int out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) return UnavailableError("pipe failed");
  std::string script = std::string(MD_SOURCE_DIR) + "/tests/emulators/" + script_name;
  std::vector<std::string> argv_s = {"/usr/bin/python3", script, "--watch-stdin"};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid < 0) return UnavailableError("fork failed");
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    close(in_pipe[1]);
    close(out_pipe[0]);
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  FILE* out = fdopen(out_pipe[0], "r");
  char line[64] = {0};
  bool got = out != nullptr && fgets(line, sizeof(line), out) != nullptr;
  if (out != nullptr) fclose(out);
  int port = got ? std::atoi(line) : 0;
  if (port <= 0) {
    close(in_pipe[1]);
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
    return UnavailableError(script_name + " did not start");
  }
  return std::unique_ptr<EmulatorProcess>(new EmulatorProcess(pid, in_pipe[1], port));
}

EmulatorProcess::~EmulatorProcess() {
  close(stdin_fd_);
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

Result<std::string> EmulatorProcess::Control(const http::HttpClient& client,
                                                   const std::string& json) const {
  http::HttpRequest request;
  request.method = json.empty() ? "GET" : "POST";
  request.url = Endpoint() + "/__control";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = SecretBytes(std::string_view(json));
  ASSIGN_OR_RETURN(http::HttpResponse response, client.Send(request));
  if (response.status != 200) return InternalError("control: HTTP " + std::to_string(response.status));
  return std::string(response.BodyText());
}

}  // namespace md::kms
