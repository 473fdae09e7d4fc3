// ContactPointStore: contact points kept inside the org's alert_configuration row (the newest one;
// a default configuration is created when there is none). Each write reads, edits and writes the
// configuration in one transaction. Secure settings are carried over as stored ciphertext, never
// decrypted here. Thread-safe.
#pragma once

#include <functional>
#include <vector>

#include "resources/contact_point.h"
#include "store/database.h"

namespace md::resources {

class ContactPointStore {
 public:
  explicit ContactPointStore(store::Database& db) : db_(db) {}

  // DataLoss when the stored configuration is not readable JSON of the expected shape.
  Result<std::vector<ContactPoint>> List(int64_t org_id);
  // NotFound "contact point not found".
  Result<ContactPoint> Get(int64_t org_id, const std::string& uid);
  // AlreadyExists for a uid in use.
  Result<ContactPoint> Create(int64_t org_id, const ContactPointCommand& command);
  // NotFound; the uid cannot change.
  Result<ContactPoint> Update(int64_t org_id, const std::string& uid, const ContactPointCommand& command);
  Status Delete(int64_t org_id, const std::string& uid);

 private:
  struct Loaded {
    long long row_id = 0;  // 0: no row yet
    nlohmann::json config;
  };
  Result<Loaded> Load(soci::session& session, int64_t org_id);
  void Save(soci::session& session, int64_t org_id, const Loaded& loaded);
  Status Edit(int64_t org_id, const std::function<Status(nlohmann::json& receivers)>& edit);

  store::Database& db_;
};

// The default Alertmanager configuration created for an org without one.
nlohmann::json DefaultAlertmanagerConfiguration();

}  // namespace md::resources
