#pragma once
// The store's operations in SQLite: the SQL behind store::Transaction. Each *_sql.cpp file of this
// folder implements the part of one store/*_store.hpp interface. Runs on whatever connection it is
// given, inside whatever transaction that connection has open.
#include <SQLiteCpp/Database.h>

#include <map>
#include <string>
#include <vector>

#include "store/transaction.hpp"

namespace sparks::store::sqlite {

class Records final : public Transaction {
 public:
  explicit Records(SQLite::Database& db) : db_(db) {}

  void save_automation(const AutomationRow& automation) override;
  std::optional<AutomationRow> load_automation(std::string_view workspace_id,
                                               std::string_view automation_id) override;
  std::vector<AutomationRow> list_automations(std::string_view workspace_id,
                                              const PageRequest& page) override;
  bool set_automation_status_by_person(std::string_view workspace_id,
                                       std::string_view automation_id,
                                       AutomationStatus status) override;
  std::int64_t count_automations(std::string_view workspace_id, AutomationStatus status) override;
  void store_credentials(std::string_view workspace_id, std::string_view platform,
                         std::span<const std::uint8_t> sealed, std::int64_t updated_at_ms) override;
  bool clear_credentials(std::string_view workspace_id, std::string_view platform) override;
  std::optional<std::vector<std::uint8_t>> load_credentials(std::string_view workspace_id,
                                                            std::string_view platform) override;
  bool append_event(EventRow& event) override;
  void mark_event_handled(std::int64_t event_id, std::int64_t at_ms) override;
  std::optional<EventRow> unhandled_copy(std::string_view platform,
                                         std::string_view dedupe_key) override;
  std::vector<EventRow> unhandled_events_after(std::int64_t after_id, int limit,
                                               const Scope& scope) override;
  std::int64_t count_events(std::string_view workspace_id, std::string_view kind) override;
  std::optional<std::string> kv_get(std::string_view platform, std::string_view integration,
                                    std::string_view key) override;
  void kv_put(std::string_view platform, std::string_view integration, std::string_view key,
              std::string_view value) override;
  void kv_delete(std::string_view platform, std::string_view integration,
                 std::string_view key) override;
  std::vector<LiveFlowRow> live_flows(std::string_view workspace_id) override;
  ContactFacts contact_facts(std::string_view workspace_id, std::string_view user_id) override;
  void update_contact_tags(std::string_view workspace_id, std::string_view user_id,
                           const std::vector<std::string>& add,
                           const std::vector<std::string>& remove) override;
  void note_commenter(std::string_view workspace_id, std::string_view video_id,
                      std::string_view user_id, std::int64_t event_id) override;
  bool commented_before(std::string_view workspace_id, std::string_view user_id,
                        std::string_view video_id, std::int64_t event_id) override;
  std::vector<CatalogSkuRow> load_catalog(std::string_view workspace_id) override;
  bool record_flow_run(const FlowRunRow& run) override;
  std::vector<FlowRunHistoryRow> list_flow_runs(std::string_view workspace_id,
                                                std::string_view flow_id,
                                                const PageRequest& page) override;
  std::vector<OutboxRow> outbox_steps_of_run(std::string_view workspace_id,
                                             std::string_view flow_id,
                                             std::int64_t event_id) override;
  void add_flow_stat(std::string_view workspace_id, std::string_view flow_id,
                     std::string_view counter, std::int64_t delta) override;
  std::vector<EventRow> unhandled_events(std::string_view workspace_id, std::string_view platform,
                                         std::int64_t since_ms) override;
  bool enqueue(OutboxRow& row) override;
  std::vector<OutboxRow> take_due_outbox(std::int64_t now_ms, int limit,
                                         const Scope& scope) override;
  std::vector<OutboxRow> outbox_in_flight(const Scope& scope) override;
  void update_outbox(std::int64_t id, std::string_view status, std::int64_t attempts,
                     std::int64_t due_at_ms, const std::optional<std::string>& last_error) override;
  bool upsert_order(const OrderRow& order) override;
  std::optional<Attribution> find_attribution(std::string_view workspace_id,
                                              const std::vector<std::string>& codes,
                                              std::int64_t since_ms) override;
  void attribute_order(std::string_view workspace_id, std::string_view order_id,
                       const Attribution& attribution) override;
  void save_flow_version(const FlowVersionRow& row) override;
  std::optional<FlowVersionRow> latest_flow_version(std::string_view workspace_id,
                                                    std::string_view flow_id) override;
  void set_flow_warnings(std::string_view workspace_id, std::string_view flow_id,
                         std::int64_t version, std::string_view warnings_json) override;
  bool delete_flow(std::string_view workspace_id, std::string_view flow_id) override;
  void save_facts(const IntegrationFactsRow& facts) override;
  std::vector<IntegrationFactsRow> load_facts(const Scope& scope) override;
  std::vector<AccountNamedRow> integrations_naming_account(
      std::string_view platform, std::string_view account_id,
      std::string_view other_than_workspace) override;
  std::vector<IntegrationRow> load_integrations(const Scope& scope) override;
  void save_integration(const IntegrationRow& integration) override;
  void append_transition(const TransitionRow& transition) override;
  std::vector<TransitionRow> load_transitions(std::string_view workspace_id,
                                              std::string_view platform) override;
  void set_timer(const TimerRow& timer) override;
  void clear_timer(std::string_view workspace_id, std::string_view platform) override;
  std::vector<TimerRow> load_timers(const Scope& scope) override;
  void raise_issue(std::string_view workspace_id, std::string_view platform,
                   const IssueRow& issue) override;
  void clear_issue(std::string_view workspace_id, std::string_view platform,
                   std::string_view code) override;
  void clear_issues(std::string_view workspace_id, std::string_view platform,
                    std::span<const std::string> codes) override;
  void clear_all_issues(std::string_view workspace_id, std::string_view platform) override;
  std::vector<IssueRow> load_issues(std::string_view workspace_id,
                                    std::string_view platform) override;
  int pause_dependent_automations(std::string_view workspace_id,
                                  std::string_view platform) override;
  int resume_automations_paused_by(std::string_view workspace_id, std::string_view platform,
                                   std::span<const std::string> platforms_still_down) override;
  void save_oauth_session(const OAuthSessionRow& session) override;
  std::optional<OAuthSessionRow> take_oauth_session(std::string_view nonce,
                                                    std::int64_t now_ms) override;
  int delete_expired_oauth_sessions(std::int64_t now_ms) override;
  void append_audit(const AuditRow& row) override;
  std::vector<AuditRow> load_audit(std::string_view workspace_id, const PageRequest& page) override;
  void upsert_contact(std::string_view workspace_id, std::string_view user_id,
                      std::string_view username, std::int64_t at_ms) override;
  void append_inbox_message(const InboxMessageRow& message) override;
  void replace_catalog(std::string_view workspace_id, const std::vector<CatalogSkuRow>& skus,
                       std::int64_t at_ms) override;
  std::vector<std::string> catalog_seller_skus(std::string_view workspace_id) override;
  void replace_posts(std::string_view workspace_id, const std::vector<PostRow>& posts,
                     std::int64_t at_ms) override;
  std::vector<ContactRow> list_contacts(std::string_view workspace_id,
                                        const PageRequest& page) override;
  std::vector<InboxMessageRow> list_inbox_messages(std::string_view workspace_id,
                                                   const PageRequest& page) override;
  std::vector<StoredOrderRow> list_orders(std::string_view workspace_id,
                                          const PageRequest& page) override;
  std::vector<FlowStatRow> list_flow_stats(std::string_view workspace_id,
                                           const PageRequest& page) override;
  std::vector<FlowStatRow> flow_stat_totals(std::string_view workspace_id) override;
  KeptCounts count_kept(std::string_view workspace_id) override;
  void delete_workspace(std::string_view workspace_id) override;
  std::int64_t database_now_ms() override;
  void heartbeat(std::string_view instance_id, std::string_view url) override;
  std::vector<InstanceRow> live_instances(std::int64_t within_ms) override;
  void remove_instance(std::string_view instance_id) override;
  std::vector<LeaseRow> workspace_leases() override;
  LeaseRow take_lease(std::string_view workspace_id, std::string_view owner,
                      std::int64_t ttl_ms) override;
  std::vector<LeaseRow> renew_leases(std::string_view owner, std::int64_t ttl_ms) override;
  void release_lease(std::string_view workspace_id, std::string_view owner,
                     std::int64_t fence) override;
  void check_lease(std::string_view workspace_id, std::string_view owner,
                   std::int64_t fence) override;
  void notify_workspace(std::string_view workspace_id) override;
  void check_readable() override;
  std::vector<IntegrationStateCount> count_integrations(const Scope& scope) override;
  std::vector<OutboxDepth> outbox_depths(std::int64_t now_ms, const Scope& scope) override;

  // Called as a transaction begins and ends. A read-only transaction sees one snapshot, so what it
  // reads of a workspace's live flows and catalog cannot change before it ends: each is read once
  // per transaction, though the reader's group of queries asks for them once per event.
  void start_snapshot(bool read_only);

 private:
  SQLite::Database& db_;
  bool read_only_ = false;
  std::map<std::string, std::vector<LiveFlowRow>, std::less<>> live_flows_seen_;
  std::map<std::string, std::vector<CatalogSkuRow>, std::less<>> catalog_seen_;
};

}  // namespace sparks::store::sqlite
