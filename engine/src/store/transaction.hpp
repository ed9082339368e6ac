#pragma once
// The store's operations, whichever backend runs them. Runtime code composes them inside a Writer
// batch or a Reader query and never sees the backend's own types; a backend is a folder of its own
// (store/sqlite/) that implements this interface, checked by tests/unit/store_conformance_test.cpp.
// docs/architecture.md ("The storage seam") says how the pieces fit.
#include "store/automation_store.hpp"
#include "store/credential_store.hpp"
#include "store/event_log_store.hpp"
#include "store/flow_run_store.hpp"
#include "store/flow_store.hpp"
#include "store/integration_facts_store.hpp"
#include "store/lease_store.hpp"
#include "store/lifecycle_store.hpp"
#include "store/monitoring_store.hpp"
#include "store/oauth_store.hpp"
#include "store/workspace_data_store.hpp"

namespace sparks::store {

// Every operation, on one connection, inside whatever transaction that connection has open.
class Transaction : public AutomationRecords,
                    public CredentialRecords,
                    public EventLogRecords,
                    public FlowRunRecords,
                    public FlowVersionRecords,
                    public IntegrationFactsRecords,
                    public LeaseRecords,
                    public LifecycleRecords,
                    public MonitoringRecords,
                    public OAuthRecords,
                    public WorkspaceDataRecords {
 public:
  virtual ~Transaction() = default;
};

}  // namespace sparks::store
