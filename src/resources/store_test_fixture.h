// Test fixture of the resource stores: a fresh database of each dialect (DatabaseTest), a secrets
// manager on it (secrets::StartProcess), and the store under test built on that database.
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "secrets/secrets_test_env.h"
#include "store/testing/test_database.h"

namespace md::resources {

template <typename Store>
class StoreTest : public store::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (IsSkipped() || HasFailure()) return;
    process_ = secrets::StartProcess(test_database().settings());
    ASSERT_NE(process_, nullptr);
    store_ = std::make_unique<Store>(*process_->db);
  }

  std::unique_ptr<secrets::TestProcess> process_;
  std::unique_ptr<Store> store_;
};

}  // namespace md::resources
