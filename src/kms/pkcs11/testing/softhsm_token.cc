#include "kms/pkcs11/testing/softhsm_token.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "kms/pkcs11/pkcs11_errors.h"
#include "kms/pkcs11/token_lookup.h"

extern char** environ;

namespace md::kms::pkcs11::testing {
namespace {

// Runs argv (searched on PATH) with stdout and stderr in log; the log's text on failure.
Status Run(const std::vector<std::string>& args, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int err = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return UnavailableError("cannot run " + args[0] + " (is softhsm2 installed?)");
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return OkStatus();
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  return InternalError(args[0] + " failed: " + text.str());
}

// A logged-in read-write session on the token labelled token_label; closed on destruction.
class UserSession {
 public:
  static Result<std::unique_ptr<UserSession>> Open(const Pkcs11Module& module, const std::string& token_label,
                                                   const std::string& pin) {
    CK_FUNCTION_LIST* fn = module.functions();
    ASSIGN_OR_RETURN(CK_SLOT_ID slot, SlotOfToken(module, token_label));
    CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
    CK_RV rv = fn->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &handle);
    if (rv != CKR_OK) return CkrError(rv, "C_OpenSession");
    auto session = std::unique_ptr<UserSession>(new UserSession(fn, handle));
    if (Status s = Login(fn, handle, SecretBytes(std::string_view(pin)), token_label); !s.ok()) return s;
    return session;
  }
  ~UserSession() { fn_->C_CloseSession(handle_); }
  CK_SESSION_HANDLE handle() const { return handle_; }

 private:
  UserSession(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE handle) : fn_(fn), handle_(handle) {}
  CK_FUNCTION_LIST* fn_;
  CK_SESSION_HANDLE handle_;
};

}  // namespace

// static
Result<std::unique_ptr<SoftHsm>> SoftHsm::Create(const std::string& dir) {
  std::string path = dir;
  if (path.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "md-softhsm-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return InternalError("mkdtemp failed");
    path = pattern;
  }
  std::error_code ec;
  std::filesystem::create_directories(path + "/tokens", ec);
  if (ec) return InternalError("cannot create " + path + "/tokens: " + ec.message());
  std::unique_ptr<SoftHsm> hsm(new SoftHsm(std::filesystem::absolute(path).string(), dir.empty()));
  std::ofstream conf(hsm->conf_path());
  conf << "directories.tokendir = " << hsm->dir_ << "/tokens\n"
       << "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\nslots.mechanisms = ALL\n";
  conf.close();
  if (!conf) return InternalError("cannot write " + hsm->conf_path());
  setenv("SOFTHSM2_CONF", hsm->conf_path().c_str(), 1);
  return hsm;
}

SoftHsm::~SoftHsm() {
  if (!remove_) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Status SoftHsm::InitToken(const std::string& label, const std::string& pin, const std::string& so_pin) const {
  return Run({"softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin},
             dir_ + "/softhsm2-util.log");
}

Result<CK_SLOT_ID> SlotOfToken(const Pkcs11Module& module, const std::string& token_label) {
  Pkcs11Config config;
  config.module = module.path();
  config.token_label = token_label;
  return FindSlot(module.functions(), config);
}

Status GenerateKey(const Pkcs11Module& module, const std::string& token_label, const std::string& pin,
                   const KeySpec& spec) {
  ASSIGN_OR_RETURN(std::unique_ptr<UserSession> session, UserSession::Open(module, token_label, pin));
  CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
  CK_KEY_TYPE type = spec.type;
  CK_ULONG bytes = spec.bytes;
  CK_BBOOL yes = CK_TRUE, extractable = spec.extractable, sensitive = spec.sensitive, wrap = spec.wrap;
  CK_ATTRIBUTE key_template[] = {
      {CKA_CLASS, &secret, sizeof(secret)},       {CKA_KEY_TYPE, &type, sizeof(type)},
      {CKA_VALUE_LEN, &bytes, sizeof(bytes)},      {CKA_TOKEN, &yes, sizeof(yes)},
      {CKA_PRIVATE, &yes, sizeof(yes)},            {CKA_SENSITIVE, &sensitive, sizeof(sensitive)},
      {CKA_EXTRACTABLE, &extractable, sizeof(extractable)}, {CKA_WRAP, &wrap, sizeof(wrap)},
      {CKA_UNWRAP, &wrap, sizeof(wrap)},
      {CKA_LABEL, const_cast<char*>(spec.label.data()), spec.label.size()}};
  CK_MECHANISM_TYPE generator = type == CKK_AES ? CKM_AES_KEY_GEN : CKM_GENERIC_SECRET_KEY_GEN;
  CK_MECHANISM mechanism = {generator, nullptr, 0};
  CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
  CK_RV rv = module.functions()->C_GenerateKey(session->handle(), &mechanism, key_template,
                                               sizeof(key_template) / sizeof(key_template[0]), &key);
  if (rv != CKR_OK) return CkrError(rv, "C_GenerateKey");
  return OkStatus();
}

Result<bool> KeyFlag(const Pkcs11Module& module, const std::string& token_label, const std::string& pin,
                     const std::string& key_label, CK_ATTRIBUTE_TYPE attribute) {
  ASSIGN_OR_RETURN(std::unique_ptr<UserSession> session, UserSession::Open(module, token_label, pin));
  ASSIGN_OR_RETURN(CK_OBJECT_HANDLE key, FindKey(module.functions(), session->handle(), key_label, token_label));
  CK_BBOOL flag = CK_FALSE;
  CK_ATTRIBUTE query = {attribute, &flag, sizeof(flag)};
  CK_RV rv = module.functions()->C_GetAttributeValue(session->handle(), key, &query, 1);
  if (rv != CKR_OK) return CkrError(rv, "C_GetAttributeValue");
  return flag == CK_TRUE;
}

}  // namespace md::kms::pkcs11::testing
