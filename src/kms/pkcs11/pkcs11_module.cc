#include "kms/pkcs11/pkcs11_module.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <map>
#include <mutex>

#include "kms/pkcs11/pkcs11_errors.h"

namespace md::kms::pkcs11 {
namespace {

// Modules in use by canonical path, with their owner counts. Leaked on purpose: it must outlive
// any provider destroyed during static destruction.
struct Loaded {
  std::mutex mu;
  std::map<std::string, std::pair<Pkcs11Module*, int>> modules;  // guarded by mu
};

Loaded& LoadedModules() {
  static Loaded* loaded = new Loaded();
  return *loaded;
}

// The file's canonical path, so that a symlink and its target share one instance; the path as
// given when it has no '/' (dlopen searches the library path for it).
Result<std::string> CanonicalPath(const std::string& path) {
  if (path.find('/') == std::string::npos) return path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return InvalidArgumentError("module " + path + " does not exist or is not a file");
  }
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) return path;
  return std::string(resolved);
}

}  // namespace

// static
Result<std::unique_ptr<Pkcs11Module>> Pkcs11Module::Open(const std::string& path) {
  // RTLD_NODELETE: modules may register exit handlers (SoftHSM2 uses OpenSSL); keep the code mapped.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (handle == nullptr) {
    const char* why = dlerror();
    return InvalidArgumentError("module " + path + " cannot be loaded: " + (why ? why : "dlopen failed"));
  }
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle, "C_GetFunctionList"));
  CK_FUNCTION_LIST* functions = nullptr;
  if (get_list == nullptr || get_list(&functions) != CKR_OK || functions == nullptr) {
    dlclose(handle);
    return InvalidArgumentError("module " + path + " is not a PKCS#11 library (no C_GetFunctionList)");
  }
  CK_C_INITIALIZE_ARGS args = {};
  args.flags = CKF_OS_LOCKING_OK;
  CK_RV rv = functions->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    dlclose(handle);
    return CkrError(rv, "module " + path + ": C_Initialize");
  }
  // Already initialised means someone else in this process owns C_Finalize.
  return std::unique_ptr<Pkcs11Module>(new Pkcs11Module(path, handle, functions, rv == CKR_OK));
}

// static
Result<std::shared_ptr<const Pkcs11Module>> Pkcs11Module::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string canonical, CanonicalPath(path));
  Loaded& loaded = LoadedModules();
  std::lock_guard<std::mutex> lock(loaded.mu);
  auto it = loaded.modules.find(canonical);
  if (it == loaded.modules.end()) {
    ASSIGN_OR_RETURN(std::unique_ptr<Pkcs11Module> module, Open(canonical));
    it = loaded.modules.emplace(canonical, std::make_pair(module.release(), 0)).first;
  }
  ++it->second.second;
  // The deleter counts owners under the same lock, so a Load racing the last release either
  // shares the instance or opens a new one after C_Finalize, never in between.
  return std::shared_ptr<const Pkcs11Module>(it->second.first, [canonical](const Pkcs11Module*) {
    Loaded& all = LoadedModules();
    std::lock_guard<std::mutex> guard(all.mu);
    auto entry = all.modules.find(canonical);
    if (entry == all.modules.end() || --entry->second.second > 0) return;
    delete entry->second.first;
    all.modules.erase(entry);
  });
}

Pkcs11Module::~Pkcs11Module() {
  if (finalize_) functions_->C_Finalize(nullptr);
  dlclose(handle_);
}

}  // namespace md::kms::pkcs11
