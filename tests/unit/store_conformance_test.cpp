// What every store backend must do with the records, run against each backend through the
// backend-neutral interface (store/transaction.hpp). A new backend adds itself to kBackends at the
// bottom; backend-specific behaviour (opening, migrating, refusing files) has its own test file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "support/postgres_server.hpp"

namespace sparks::store {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

struct Backend {
  std::string name;
  // Makes a fresh, empty store and returns its location; `folder` is the test's own, for a backend
  // that keeps files.
  std::function<std::string(const fs::path& folder)> fresh_location;
};

void PrintTo(const Backend& backend, std::ostream* out) {
  *out << backend.name;
}

// A fresh, empty store per test, removed afterwards.
class StoreConformanceTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(test->name()) + "-" + GetParam().name;
    for (char& c : name)
      if (c == '/') c = '-';
    folder_ = fs::temp_directory_path() /
              ("sparks-store-conformance-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    location_ = GetParam().fresh_location(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  // A connection to the test's store (the same store on every call).
  std::unique_ptr<Connection> open_store() { return open(location_); }

  fs::path folder_;
  std::string location_;
};

// --- automations paused and resumed by integrations ---------------------------------------------

class DependentAutomationsTest : public StoreConformanceTest {
 protected:
  void SetUp() override {
    StoreConformanceTest::SetUp();
    connection_ = open_store();
    for (const char* workspace : {"ws-1", "ws-2"}) {
      save(workspace, "a-live-tiktok", AutomationStatus::live, std::nullopt, {"tiktok"});
      save(workspace, "b-live-both", AutomationStatus::live, std::nullopt,
           {"tiktok", "tiktok_shop"});
      save(workspace, "c-person-paused", AutomationStatus::paused, std::string(kPausedByPerson),
           {"tiktok"});
      save(workspace, "d-draft", AutomationStatus::draft, std::nullopt, {"tiktok"});
      save(workspace, "e-live-shop", AutomationStatus::live, std::nullopt, {"tiktok_shop"});
    }
  }

  void save(const std::string& workspace, const std::string& id, AutomationStatus status,
            std::optional<std::string> paused_by, std::vector<std::string> platforms) {
    db().save_automation(
        {workspace, id, "name of " + id, status, std::move(paused_by), 1, std::move(platforms)});
  }

  // "id=status[/paused_by]" for every automation of the workspace, in id order.
  std::vector<std::string> snapshot(const std::string& workspace) {
    std::vector<std::string> out;
    for (const AutomationRow& row : db().list_automations(workspace)) {
      out.push_back(row.id + "=" + std::string(to_string(row.status)) +
                    (row.paused_by ? "/" + *row.paused_by : ""));
    }
    return out;
  }

  Transaction& db() { return connection_->records(); }

  std::unique_ptr<Connection> connection_;
};

TEST_P(DependentAutomationsTest, DisconnectPausesOnlyLiveDependents) {
  EXPECT_EQ(db().pause_dependent_automations("ws-1", "tiktok"), 2);
  EXPECT_THAT(snapshot("ws-1"),
              ElementsAre("a-live-tiktok=paused/tiktok", "b-live-both=paused/tiktok",
                          "c-person-paused=paused/person", "d-draft=draft", "e-live-shop=live"));
  EXPECT_THAT(snapshot("ws-2"),
              ElementsAre("a-live-tiktok=live", "b-live-both=live", "c-person-paused=paused/person",
                          "d-draft=draft", "e-live-shop=live"));
  EXPECT_EQ(db().count_automations("ws-1", AutomationStatus::paused), 3);
  EXPECT_EQ(db().count_automations("ws-2", AutomationStatus::live), 3);
}

TEST_P(DependentAutomationsTest, ReconnectResumesOnlyWhatTheIntegrationPaused) {
  db().pause_dependent_automations("ws-1", "tiktok");
  EXPECT_EQ(db().resume_automations_paused_by("ws-1", "tiktok"), 2);
  EXPECT_THAT(snapshot("ws-1"),
              ElementsAre("a-live-tiktok=live", "b-live-both=live", "c-person-paused=paused/person",
                          "d-draft=draft", "e-live-shop=live"));
  // Nothing left to resume.
  EXPECT_EQ(db().resume_automations_paused_by("ws-1", "tiktok"), 0);
}

TEST_P(DependentAutomationsTest, AnAutomationNeedingTwoDownIntegrationsWaitsForBoth) {
  db().pause_dependent_automations("ws-1", "tiktok");
  EXPECT_EQ(db().pause_dependent_automations("ws-1", "tiktok_shop"), 1);  // only e; b is paused

  const std::vector<std::string> still_down{"tiktok_shop"};
  EXPECT_EQ(db().resume_automations_paused_by("ws-1", "tiktok", still_down), 1);
  EXPECT_THAT(snapshot("ws-1"), ElementsAre("a-live-tiktok=live", "b-live-both=paused/tiktok_shop",
                                            "c-person-paused=paused/person", "d-draft=draft",
                                            "e-live-shop=paused/tiktok_shop"));

  EXPECT_EQ(db().resume_automations_paused_by("ws-1", "tiktok_shop"), 2);
  EXPECT_EQ(db().count_automations("ws-1", AutomationStatus::live), 3);
}

TEST_P(DependentAutomationsTest, APersonPausingOverridesTheIntegration) {
  db().pause_dependent_automations("ws-1", "tiktok");
  ASSERT_TRUE(
      db().set_automation_status_by_person("ws-1", "a-live-tiktok", AutomationStatus::paused));
  EXPECT_EQ(db().resume_automations_paused_by("ws-1", "tiktok"), 1);  // b only
  EXPECT_EQ(db().load_automation("ws-1", "a-live-tiktok")->paused_by, "person");

  ASSERT_TRUE(
      db().set_automation_status_by_person("ws-1", "a-live-tiktok", AutomationStatus::live));
  EXPECT_EQ(db().load_automation("ws-1", "a-live-tiktok")->paused_by, std::nullopt);
  EXPECT_FALSE(db().set_automation_status_by_person("ws-1", "missing", AutomationStatus::live));
}

TEST_P(DependentAutomationsTest, SavingReplacesRequirements) {
  save("ws-1", "a-live-tiktok", AutomationStatus::live, std::nullopt, {"tiktok_shop"});
  const std::optional<AutomationRow> row = db().load_automation("ws-1", "a-live-tiktok");
  ASSERT_TRUE(row);
  EXPECT_THAT(row->required_platforms, ElementsAre("tiktok_shop"));
  EXPECT_EQ(db().pause_dependent_automations("ws-1", "tiktok"), 1);  // b only
}

// --- lifecycle rows -----------------------------------------------------------------------------

TEST_P(StoreConformanceTest, IntegrationsAreUpserted) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.save_integration(
      {"ws-1", "tiktok", "authorizing", "disconnected", "disconnected", std::nullopt, 10});
  db.save_integration(
      {"ws-1", "tiktok", "connected", "authorizing", "disconnected", R"({"id":"creator"})", 20});
  db.save_integration(
      {"ws-0", "tiktok_shop", "disconnected", "disconnected", "disconnected", std::nullopt, 5});

  const std::vector<IntegrationRow> rows = db.load_integrations(Scope::every_workspace());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].workspace_id, "ws-0");
  EXPECT_EQ(rows[1].state, "connected");
  EXPECT_EQ(rows[1].previous_state, "authorizing");
  EXPECT_EQ(rows[1].before_previous_state, "disconnected");
  EXPECT_EQ(rows[1].account_json, R"({"id":"creator"})");
  EXPECT_EQ(rows[1].updated_at_ms, 20);
}

TEST_P(StoreConformanceTest, TransitionsRoundTripInOrder) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.append_transition(
      {"ws-1", "tiktok", "disconnected", "authorizing", "connect_requested", "owner:alice", 100});
  db.append_transition(
      {"ws-1", "tiktok", "authorizing", "connected", "authorization_granted", "platform", 200});
  db.append_transition({"ws-1", "tiktok_shop", "disconnected", "authorizing", "connect_requested",
                        "owner:alice", 150});

  const std::vector<TransitionRow> rows = db.load_transitions("ws-1", "tiktok");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].to_state, "authorizing");
  EXPECT_EQ(rows[0].actor, "owner:alice");
  EXPECT_EQ(rows[1].from_state, "authorizing");
  EXPECT_EQ(rows[1].event, "authorization_granted");
  EXPECT_EQ(rows[1].at_ms, 200);
  EXPECT_EQ(rows[1].workspace_id, "ws-1");
  EXPECT_EQ(rows[1].platform, "tiktok");
}

TEST_P(StoreConformanceTest, TimersSurviveReopeningAndComeBackSoonestFirst) {
  {
    auto connection = open_store();
    Transaction& db = connection->records();
    db.set_timer({"ws-1", "tiktok", "authorizing", 5000});
    db.set_timer({"ws-1", "tiktok", "authorizing", 9000});  // re-armed: replaces
    db.set_timer({"ws-2", "tiktok", "paused", 7000});
    db.set_timer({"ws-3", "tiktok", "authorizing", 1000});
    db.clear_timer("ws-3", "tiktok");
  }
  const std::vector<TimerRow> timers =
      open_store()->records().load_timers(Scope::every_workspace());
  ASSERT_EQ(timers.size(), 2u);
  EXPECT_EQ(timers[0].workspace_id, "ws-2");
  EXPECT_EQ(timers[0].state, "paused");
  EXPECT_EQ(timers[0].deadline_ms, 7000);
  EXPECT_EQ(timers[1].workspace_id, "ws-1");
  EXPECT_EQ(timers[1].deadline_ms, 9000);
}

TEST_P(StoreConformanceTest, IssuesAreRaisedOnceAndCleared) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.raise_issue("ws-1", "tiktok", {"webhook_silent", "Waiting for events", "Check the URL", 10});
  db.raise_issue("ws-1", "tiktok", {"webhook_silent", "Still waiting", "Check the URL", 99});
  db.raise_issue("ws-1", "tiktok", {"reconnect", "Reconnect TikTok", "Open settings", 20});
  db.raise_issue("ws-1", "tiktok", {"missing_scope", "DMs cannot be sent", "Reconnect", 30});

  std::vector<IssueRow> issues = db.load_issues("ws-1", "tiktok");
  ASSERT_EQ(issues.size(), 3u);
  EXPECT_EQ(issues[0].code, "webhook_silent");
  EXPECT_EQ(issues[0].message, "Still waiting");
  EXPECT_EQ(issues[0].raised_at_ms, 10);  // raised first at 10, still open

  db.clear_issue("ws-1", "tiktok", "webhook_silent");
  EXPECT_EQ(db.load_issues("ws-1", "tiktok").size(), 2u);
  const std::vector<std::string> codes{"reconnect", "not_raised"};
  db.clear_issues("ws-1", "tiktok", codes);
  issues = db.load_issues("ws-1", "tiktok");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].code, "missing_scope");
  db.clear_all_issues("ws-1", "tiktok");
  EXPECT_TRUE(db.load_issues("ws-1", "tiktok").empty());
}

TEST_P(StoreConformanceTest, SealedCredentialsRoundTripByteForByte) {
  auto connection = open_store();
  Transaction& db = connection->records();
  const std::vector<std::uint8_t> sealed{0x00, 0xff, 0x10, 0x00, 0x7f};
  EXPECT_EQ(db.load_credentials("ws-1", "tiktok"), std::nullopt);
  db.store_credentials("ws-1", "tiktok", std::vector<std::uint8_t>{1, 2, 3}, 10);
  db.store_credentials("ws-1", "tiktok", sealed, 20);
  EXPECT_EQ(db.load_credentials("ws-1", "tiktok"), sealed);
  EXPECT_TRUE(db.clear_credentials("ws-1", "tiktok"));
  EXPECT_FALSE(db.clear_credentials("ws-1", "tiktok"));
  EXPECT_EQ(db.load_credentials("ws-1", "tiktok"), std::nullopt);
}

// --- the event log and the plugins' key-value store ----------------------------------------------

TEST_P(StoreConformanceTest, EventsAreStoredOnceByPlatformAndDedupeKey) {
  auto connection = open_store();
  Transaction& db = connection->records();
  EventRow first{0, "ws-1", "tiktok", "webhook", "evt-1", "tiktok.comment", R"({"text":"hi"})", 10};
  ASSERT_TRUE(db.append_event(first));
  EXPECT_GT(first.id, 0);
  EventRow again = first;
  again.id = 0;
  EXPECT_FALSE(db.append_event(again));
  EventRow other_platform{0,    "ws-1", "tiktok_shop", "webhook", "evt-1", "tiktok_shop.order",
                          "{}", 11};
  EXPECT_TRUE(db.append_event(other_platform));
  EXPECT_GT(other_platform.id, first.id);
  EXPECT_EQ(db.count_events("ws-1", "tiktok.comment"), 1);
  EXPECT_EQ(db.count_events("ws-1", "tiktok_shop.order"), 1);
}

TEST_P(StoreConformanceTest, AnEventIsUnhandledUntilMarkedAndItsCopyFindsItThen) {
  auto connection = open_store();
  Transaction& db = connection->records();
  EventRow comment{0, "ws-1", "tiktok", "webhook", "c1", "tiktok.comment", "{}", 10};
  EventRow removed{0, "ws-2", "tiktok", "webhook", "r1", "authorization_removed", "{}", 20};
  EventRow later{0, "ws-1", "tiktok", "webhook", "c2", "tiktok.comment", "{}", 30};
  ASSERT_TRUE(db.append_event(comment));
  ASSERT_TRUE(db.append_event(removed));
  ASSERT_TRUE(db.append_event(later));

  std::vector<std::string> unhandled;
  for (const auto& e : db.unhandled_events_after(0, 10, Scope::every_workspace()))
    unhandled.push_back(e.dedupe_key);
  EXPECT_THAT(unhandled, ElementsAre("c1", "r1", "c2"));
  ASSERT_EQ(db.unhandled_events_after(comment.id, 1, Scope::every_workspace()).size(), 1u);
  EXPECT_EQ(db.unhandled_events_after(comment.id, 1, Scope::every_workspace()).front().dedupe_key,
            "r1");
  auto copy = db.unhandled_copy("tiktok", "r1");
  ASSERT_TRUE(copy.has_value());
  EXPECT_EQ(copy->id, removed.id);
  EXPECT_EQ(copy->workspace_id, "ws-2");
  EXPECT_EQ(copy->kind, "authorization_removed");

  db.mark_event_handled(removed.id, 25);
  db.mark_event_handled(comment.id, 15);
  EXPECT_EQ(db.unhandled_copy("tiktok", "r1"), std::nullopt);
  unhandled.clear();
  for (const auto& e : db.unhandled_events_after(0, 10, Scope::every_workspace()))
    unhandled.push_back(e.dedupe_key);
  EXPECT_THAT(unhandled, ElementsAre("c2"));
  // A flow trigger held while paused is an unhandled one.
  std::vector<std::string> held;
  for (const auto& e : db.unhandled_events("ws-1", "tiktok", 0)) held.push_back(e.dedupe_key);
  EXPECT_THAT(held, ElementsAre("c2"));

  // One appended handled (what it does written with it) is never unhandled, nor is its copy.
  EventRow planned{0, "ws-1", "tiktok", "webhook", "c3", "tiktok.comment", "{}", 40, 40};
  ASSERT_TRUE(db.append_event(planned));
  EXPECT_EQ(db.unhandled_copy("tiktok", "c3"), std::nullopt);
  held.clear();
  for (const auto& e : db.unhandled_events("ws-1", "tiktok", 0)) held.push_back(e.dedupe_key);
  EXPECT_THAT(held, ElementsAre("c2"));
}

TEST_P(StoreConformanceTest, KeyValuesAreKeptPerPlatformAndIntegration) {
  auto connection = open_store();
  Transaction& db = connection->records();
  EXPECT_EQ(db.kv_get("tiktok", "ws-1", "cursor"), std::nullopt);
  db.kv_put("tiktok", "ws-1", "cursor", "a");
  db.kv_put("tiktok", "ws-1", "cursor", "b");
  db.kv_put("tiktok", "ws-2", "cursor", "c");
  EXPECT_EQ(db.kv_get("tiktok", "ws-1", "cursor"), "b");
  EXPECT_EQ(db.kv_get("tiktok_shop", "ws-1", "cursor"), std::nullopt);
  db.kv_delete("tiktok", "ws-1", "cursor");
  EXPECT_EQ(db.kv_get("tiktok", "ws-1", "cursor"), std::nullopt);
  EXPECT_EQ(db.kv_get("tiktok", "ws-2", "cursor"), "c");
}

// --- flows: runs, the outbox, contacts, orders ---------------------------------------------------

TEST_P(StoreConformanceTest, AFlowRunIsRecordedOnceAndHeldEventsAreThoseWithoutOne) {
  auto connection = open_store();
  Transaction& db = connection->records();
  EventRow ran{0, "ws-1", "tiktok", "webhook", "e1", "tiktok.comment", "{}", 100};
  EventRow held{0, "ws-1", "tiktok", "webhook", "e2", "tiktok.comment", "{}", 200};
  EventRow old{0, "ws-1", "tiktok", "webhook", "e0", "tiktok.comment", "{}", 10};
  ASSERT_TRUE(db.append_event(old));
  ASSERT_TRUE(db.append_event(ran));
  ASSERT_TRUE(db.append_event(held));
  EXPECT_TRUE(db.record_flow_run({"ws-1", ran.id, "price-dm", 1, "ran", "", 101}));
  EXPECT_FALSE(db.record_flow_run({"ws-1", ran.id, "price-dm", 1, "ran", "", 102}));
  std::vector<std::string> unhandled;
  for (const auto& e : db.unhandled_events("ws-1", "tiktok", 50)) unhandled.push_back(e.dedupe_key);
  EXPECT_THAT(unhandled, ElementsAre("e2"));
}

TEST_P(StoreConformanceTest, TheOutboxEnqueuesOnceByKeyAndHandsOutDueStepsInOrder) {
  auto connection = open_store();
  Transaction& db = connection->records();
  OutboxRow later;
  later.workspace_id = "ws-1";
  later.platform = "tiktok";
  later.action = "tiktok.send_dm";
  later.params = R"({"text":"later"})";
  later.idempotency_key = "event:1:f:0";
  later.flow_id = "f";
  later.user_id = "u1";
  later.due_at_ms = 500;
  OutboxRow sooner = later;
  sooner.idempotency_key = "event:2:f:0";
  sooner.due_at_ms = 100;
  ASSERT_TRUE(db.enqueue(later));
  ASSERT_TRUE(db.enqueue(sooner));
  OutboxRow repeat = later;
  EXPECT_FALSE(db.enqueue(repeat));

  // Taken steps are in flight: a second poll does not hand them out again.
  auto due = db.take_due_outbox(1000, 10, Scope::every_workspace());
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].idempotency_key, "event:2:f:0");
  EXPECT_EQ(due[1].params, R"({"text":"later"})");
  EXPECT_EQ(due[0].status, "in_flight");
  EXPECT_TRUE(db.take_due_outbox(1000, 10, Scope::every_workspace()).empty());
  EXPECT_EQ(db.outbox_in_flight(Scope::every_workspace()).size(), 2u);

  db.update_outbox(due[0].id, "sent", 1, 100, std::nullopt);
  db.update_outbox(due[1].id, "pending", 1, 5000, std::string("429"));
  EXPECT_TRUE(db.outbox_in_flight(Scope::every_workspace()).empty());
  EXPECT_TRUE(db.take_due_outbox(1000, 10, Scope::every_workspace()).empty());
  due = db.take_due_outbox(5000, 10, Scope::every_workspace());
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_EQ(due[0].last_error, "429");
  db.update_outbox(due[0].id, "unknown", 2, 5000, std::string("interrupted"));
  EXPECT_TRUE(db.outbox_in_flight(Scope::every_workspace()).empty());
}

// --- what monitoring reads ----------------------------------------------------------------------

TEST_P(StoreConformanceTest, MonitoringCountsIntegrationsByStateAndTheOutboxByPlatform) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.check_readable();
  for (const char* ws : {"ws-1", "ws-2"})
    db.save_integration(
        {ws, "tiktok", "connected", "authorizing", "disconnected", std::nullopt, 1});
  db.save_integration({"ws-3", "tiktok", "paused", "connected", "authorizing", std::nullopt, 1});
  db.save_integration(
      {"ws-1", "tiktok_shop", "connected", "authorizing", "disconnected", std::nullopt, 1});
  const auto counts = db.count_integrations(Scope::every_workspace());
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].platform, "tiktok");
  EXPECT_EQ(counts[0].state, "connected");
  EXPECT_EQ(counts[0].count, 2);
  EXPECT_EQ(counts[1].state, "paused");
  EXPECT_EQ(counts[2].platform, "tiktok_shop");
  EXPECT_EQ(db.count_integrations(Scope::workspace("ws-3")).at(0).count, 1);

  // Two steps due (one taken, in flight), one waiting until later, one sent, and the engine's
  // own step, which names no platform.
  auto step = [&](const std::string& key, const std::string& platform, std::int64_t due) {
    OutboxRow row;
    row.workspace_id = "ws-1";
    row.platform = platform;
    row.action = platform.empty() ? "contact.tag" : "tiktok.send_dm";
    row.params = "{}";
    row.idempotency_key = key;
    row.flow_id = "f";
    row.user_id = "u1";
    row.due_at_ms = due;
    EXPECT_TRUE(db.enqueue(row));
    return row.id;
  };
  step("k1", "tiktok", 100);
  step("k2", "tiktok", 300);
  step("k3", "tiktok", 9'000);
  const auto sent = step("k4", "tiktok", 50);
  step("k5", "", 10);
  db.update_outbox(sent, "sent", 1, 50, std::nullopt);
  ASSERT_EQ(db.take_due_outbox(150, 1, Scope::every_workspace()).size(), 1u);  // k1 in flight
  const auto depths = db.outbox_depths(1'000, Scope::every_workspace());
  ASSERT_EQ(depths.size(), 1u);
  EXPECT_EQ(depths[0].platform, "tiktok");
  EXPECT_EQ(depths[0].steps, 3);  // k1 in flight, k2 due, k3 waiting
  EXPECT_EQ(depths[0].oldest_due_ms, 100);
  EXPECT_FALSE(db.outbox_depths(50, Scope::every_workspace()).at(0).oldest_due_ms);
  EXPECT_TRUE(db.outbox_depths(1'000, Scope::workspace("ws-2")).empty());
}

TEST_P(StoreConformanceTest, ContactsKeepTheirTagsAndTheLastDm) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.upsert_contact("ws-1", "u1", "ana", 10);
  db.upsert_contact("ws-1", "u1", "ana_new", 20);
  db.update_contact_tags("ws-1", "u1", {"vip", "lead"}, {});
  db.update_contact_tags("ws-1", "u1", {"vip"}, {"lead"});
  const auto facts = db.contact_facts("ws-1", "u1");
  EXPECT_EQ(facts.username, "ana_new");
  EXPECT_EQ(facts.tags, R"(["vip"])");
  EXPECT_EQ(facts.last_dm_ms, std::nullopt);

  db.append_inbox_message({"ws-1", "c1", "u1", "out", "here is the link", "sent", "price-dm",
                           std::string("m1"), R"(["SKU-1"])", 30});
  EXPECT_EQ(db.contact_facts("ws-1", "u1").last_dm_ms, 30);
  const auto contacts = db.list_contacts("ws-1");
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].first_seen_ms, 10);
  EXPECT_EQ(contacts[0].last_seen_ms, 20);
  EXPECT_TRUE(db.list_contacts("ws-2").empty());
}

// The last-seen time moves by whole minutes; a new username is written whenever it comes.
TEST_P(StoreConformanceTest, AContactsLastSeenTimeMovesByTheMinute) {
  auto connection = open_store();
  Transaction& db = connection->records();
  const auto last_seen = [&] { return db.list_contacts("ws-1").at(0).last_seen_ms; };
  db.upsert_contact("ws-1", "u1", "ana", 1'000);
  db.upsert_contact("ws-1", "u1", "ana", 1'000 + kLastSeenGrainMs - 1);
  EXPECT_EQ(last_seen(), 1'000);
  db.upsert_contact("ws-1", "u1", "", 1'000 + kLastSeenGrainMs);
  EXPECT_EQ(last_seen(), 1'000 + kLastSeenGrainMs);
  db.upsert_contact("ws-1", "u1", "ana_2", 2'000 + kLastSeenGrainMs);
  EXPECT_EQ(db.contact_facts("ws-1", "u1").username, "ana_2");
  EXPECT_EQ(last_seen(), 2'000 + kLastSeenGrainMs);
  db.upsert_contact("ws-1", "u1", "ana_3", 5);  // a late delivery renames, and keeps the time
  EXPECT_EQ(db.contact_facts("ws-1", "u1").username, "ana_3");
  EXPECT_EQ(last_seen(), 2'000 + kLastSeenGrainMs);
  EXPECT_EQ(db.list_contacts("ws-1").at(0).first_seen_ms, 1'000);
}

TEST_P(StoreConformanceTest, ACommenterIsRememberedPerVideo) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.note_commenter("ws-1", "v1", "u1", 5);
  db.note_commenter("ws-1", "v1", "u1", 9);  // the first event stays
  EXPECT_FALSE(db.commented_before("ws-1", "u1", "v1", 5));
  EXPECT_TRUE(db.commented_before("ws-1", "u1", "v1", 9));
  EXPECT_FALSE(db.commented_before("ws-1", "u1", "v2", 9));
}

TEST_P(StoreConformanceTest, AnOrderIsAttributedToTheMessageWhoseCodeItBroughtBack) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.append_inbox_message({"ws-1", "c1", "fan", "out", "see SKU-1, code K7", "sent", "price-dm",
                           std::nullopt, R"(["SKU-1"])", 100, std::string("K7")});
  db.append_inbox_message({"ws-1", "c2", "fan-2", "out", "hello, code Q2", "sent", "welcome",
                           std::nullopt, "[]", 200, std::string("Q2")});
  db.append_inbox_message({"ws-1", "c3", "fan-3", "out", "code Z9", "failed: refused", "welcome",
                           std::nullopt, "[]", 200, std::string("Z9")});
  OrderRow order{"ws-1",
                 "o1",
                 "AWAITING_SHIPMENT",
                 std::string("shop-buyer-1"),
                 std::string("19.90"),
                 std::string("USD"),
                 R"([{"seller_sku":"SKU-1"}])",
                 300};
  EXPECT_TRUE(db.upsert_order(order));
  order.status = "SHIPPED";
  EXPECT_FALSE(db.upsert_order(order));

  const auto by_code = db.find_attribution("ws-1", {"NOPE", "K7"}, 50);
  ASSERT_TRUE(by_code);
  EXPECT_EQ(by_code->flow_id, "price-dm");
  EXPECT_EQ(by_code->conversation_id, "c1");
  EXPECT_EQ(by_code->method, "dm_code");
  // Two codes came back: the more recent message is credited.
  EXPECT_EQ(db.find_attribution("ws-1", {"K7", "Q2"}, 50)->flow_id, "welcome");
  EXPECT_FALSE(db.find_attribution("ws-1", {"K7"}, 150)) << "sent before the window";
  EXPECT_FALSE(db.find_attribution("ws-1", {"Z9"}, 50)) << "a message never sent";
  EXPECT_FALSE(db.find_attribution("ws-2", {"K7"}, 50)) << "another workspace's code";

  db.attribute_order("ws-1", "o1", *by_code);
  const auto orders = db.list_orders("ws-1");
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].status, "SHIPPED");
  EXPECT_EQ(orders[0].flow_id, "price-dm");
  EXPECT_EQ(orders[0].attribution_method, "dm_code");
  EXPECT_EQ(orders[0].total, "19.90");
}

TEST_P(StoreConformanceTest, FlowStatsAddUp) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.add_flow_stat("ws-1", "b", "triggered", 1);
  db.add_flow_stat("ws-1", "a", "triggered", 1);
  db.add_flow_stat("ws-1", "a", "triggered", 2);
  db.add_flow_stat("ws-1", "a", "dms_sent", 1);
  std::vector<std::string> rows;
  for (const auto& s : db.list_flow_stats("ws-1"))
    rows.push_back(s.flow_id + "." + s.counter + "=" + std::to_string(s.value));
  EXPECT_THAT(rows, ElementsAre("a.dms_sent=1", "a.triggered=3", "b.triggered=1"));
}

TEST_P(StoreConformanceTest, InboxMessagesComeBackInTheOrderTheyWereWritten) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.append_inbox_message(
      {"ws-1", "c1", "u1", "in", "price?", "received", std::nullopt, std::string("m1"), "[]", 10});
  db.append_inbox_message(
      {"ws-1", "c2", "u2", "in", "hi", "received", std::nullopt, std::nullopt, "[]", 5});
  db.append_inbox_message({"ws-1", "c1", "u1", "out", "19.90", "sent", std::string("price-dm"),
                           std::nullopt, R"(["SKU-1"])", 20});
  std::vector<std::string> texts;
  for (const auto& m : db.list_inbox_messages("ws-1"))
    texts.push_back(m.conversation_id + ":" + m.text);
  EXPECT_THAT(texts, ElementsAre("c1:price?", "c2:hi", "c1:19.90"));
  EXPECT_EQ(db.list_inbox_messages("ws-1")[2].flow_id, "price-dm");
}

// --- keyset pages ------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, ListingsPageByTheirKeysWithoutRepeatsOrGaps) {
  auto connection = open_store();
  Transaction& db = connection->records();
  for (int i = 0; i < 5; ++i) {
    db.upsert_contact("ws-1", "u" + std::to_string(i), "n", i < 3 ? 10 : 20);  // ties on time
    db.upsert_order({"ws-1", "o" + std::to_string(i), "PAID", std::nullopt, std::nullopt,
                     std::nullopt, "[]", i < 3 ? 100 : 50});
  }
  PageRequest page{2, std::nullopt};
  const auto first = db.list_contacts("ws-1", page);
  ASSERT_EQ(first.size(), 2u);
  page.after = PageKey{first.back().first_seen_ms, first.back().user_id};
  const auto second = db.list_contacts("ws-1", page);
  ASSERT_EQ(second.size(), 2u);
  page.after = PageKey{second.back().first_seen_ms, second.back().user_id};
  const auto third = db.list_contacts("ws-1", page);
  std::vector<std::string> ids;
  for (const auto* rows : {&first, &second, &third})
    for (const auto& c : *rows) ids.push_back(c.user_id);
  EXPECT_THAT(ids, ElementsAre("u0", "u1", "u2", "u3", "u4"));

  PageRequest orders{3, std::nullopt};
  const auto newest = db.list_orders("ws-1", orders);
  ASSERT_EQ(newest.size(), 3u);
  orders.after = PageKey{newest.back().created_at_ms, newest.back().order_id};
  const auto older = db.list_orders("ws-1", orders);
  ids.clear();
  for (const auto* rows : {&newest, &older})
    for (const auto& o : *rows) ids.push_back(o.order_id);
  EXPECT_THAT(ids, ElementsAre("o0", "o1", "o2", "o3", "o4"));
}

TEST_P(StoreConformanceTest, InboxAnalyticsAndAuditPageByConversationFlowAndEntry) {
  auto connection = open_store();
  Transaction& db = connection->records();
  for (const char* c : {"c1", "c2", "c1", "c3"})
    db.append_inbox_message(
        {"ws-1", c, "u", "in", "hi", "received", std::nullopt, std::nullopt, "[]", 1});
  const auto latest = db.list_inbox_messages("ws-1", {1, std::nullopt});
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].conversation_id, "c3");
  const auto next = db.list_inbox_messages("ws-1", {1, PageKey{latest[0].id, ""}});
  ASSERT_EQ(next.size(), 2u) << "c1's two messages";
  EXPECT_EQ(next[0].conversation_id, "c1");

  for (const char* f : {"a", "b", "c"}) db.add_flow_stat("ws-1", f, "triggered", 2);
  const auto stats = db.list_flow_stats("ws-1", {2, PageKey{0, "a"}});
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].flow_id, "b");
  ASSERT_EQ(db.flow_stat_totals("ws-1").size(), 1u);
  EXPECT_EQ(db.flow_stat_totals("ws-1")[0].value, 6);

  for (const char* action : {"one", "two", "three"})
    db.append_audit({"ws-1", "ana", action, std::nullopt, "ok", std::nullopt, 1});
  const auto audit = db.load_audit("ws-1", {2, std::nullopt});
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "three");
  const auto rest = db.load_audit("ws-1", {2, PageKey{audit[1].id, ""}});
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].action, "one");
}

TEST_P(StoreConformanceTest, AFlowsRunsComeNewestFirstWithTheirEventAndSteps) {
  auto connection = open_store();
  Transaction& db = connection->records();
  for (int i = 0; i < 3; ++i) {
    EventRow event{0,
                   "ws-1",
                   "tiktok",
                   "webhook",
                   "e" + std::to_string(i),
                   "tiktok.comment",
                   R"({"user":"fan"})",
                   1};
    ASSERT_TRUE(db.append_event(event));
    db.record_flow_run(
        {"ws-1", event.id, "f", 1, i == 1 ? "skipped" : "ran", i == 1 ? "no keyword" : "", 2});
    OutboxRow step;
    step.workspace_id = "ws-1";
    step.platform = "tiktok";
    step.action = "tiktok.send_dm";
    step.params = "{}";
    step.idempotency_key = "event:" + std::to_string(event.id) + ":f:0";
    step.flow_id = "f";
    step.user_id = "fan";
    if (i != 1) {
      ASSERT_TRUE(db.enqueue(step));
    }
    OutboxRow other = step;  // another flow's step of the same event is not this run's
    other.idempotency_key = "event:" + std::to_string(event.id) + ":f2:0";
    other.flow_id = "f2";
    ASSERT_TRUE(db.enqueue(other));
  }
  const auto runs = db.list_flow_runs("ws-1", "f", {2, std::nullopt});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_GT(runs[0].run.event_id, runs[1].run.event_id);
  EXPECT_EQ(runs[0].trigger, "tiktok.comment");
  EXPECT_EQ(runs[1].run.reason, "no keyword");
  EXPECT_TRUE(db.outbox_steps_of_run("ws-1", "f", runs[1].run.event_id).empty());
  ASSERT_EQ(db.outbox_steps_of_run("ws-1", "f", runs[0].run.event_id).size(), 1u);
  EXPECT_EQ(db.list_flow_runs("ws-1", "f", {2, PageKey{runs[1].run.event_id, ""}}).size(), 1u);
}

// --- flow versions, the catalog, OAuth sessions, closing a workspace -----------------------------

TEST_P(StoreConformanceTest, TheLatestFlowVersionWinsAndLiveFlowsRunIt) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.save_automation({"ws-1", "f", "F", AutomationStatus::live, std::nullopt, 2, {"tiktok"}});
  db.save_flow_version({"ws-1", "f", 1, "v1", R"({"v":1})", "[]", 10});
  db.save_flow_version({"ws-1", "f", 2, "v2", R"({"v":2})", "[]", 20});
  db.set_flow_warnings("ws-1", "f", 2, R"(["careful"])");
  const auto latest = db.latest_flow_version("ws-1", "f");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->version, 2);
  EXPECT_EQ(latest->warnings, R"(["careful"])");
  const auto live = db.live_flows("ws-1");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].definition, R"({"v":2})");
  EXPECT_TRUE(db.delete_flow("ws-1", "f"));
  EXPECT_FALSE(db.delete_flow("ws-1", "f"));
  EXPECT_FALSE(db.latest_flow_version("ws-1", "f"));
}

TEST_P(StoreConformanceTest, ACompletedSyncReplacesTheCatalog) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.replace_catalog("ws-1",
                     {{"s1", "p1", "SKU-1", "Mug", "9.90", "USD"},
                      {"s2", "p1", "SKU-2", "Mug XL", "12.90", "USD"}},
                     10);
  db.replace_catalog("ws-1", {{"s2", "p1", "SKU-2", "Mug XL", "11.90", "USD"}}, 20);
  EXPECT_THAT(db.catalog_seller_skus("ws-1"), ElementsAre("SKU-2"));
  const auto catalog = db.load_catalog("ws-1");
  ASSERT_EQ(catalog.size(), 1u);
  EXPECT_EQ(catalog[0].price, "11.90");
}

TEST_P(StoreConformanceTest, AnOAuthSessionIsTakenOnce) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.save_oauth_session({"n1", "ws-1", "tiktok", "ana", "https://x/cb/", std::nullopt, 1000});
  db.save_oauth_session({"n2", "ws-1", "tiktok", "ana", "https://x/cb/", std::nullopt, 100});
  EXPECT_EQ(db.delete_expired_oauth_sessions(500), 1);
  const auto taken = db.take_oauth_session("n1", 500);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->redirect_uri, "https://x/cb/");
  EXPECT_FALSE(db.take_oauth_session("n1", 500));
}

TEST_P(StoreConformanceTest, ClosingAWorkspaceDeletesItsRowsAndNoOtherWorkspaces) {
  auto connection = open_store();
  Transaction& db = connection->records();
  for (const char* ws : {"ws-1", "ws-2"}) {
    db.save_automation({ws, "f", "F", AutomationStatus::draft, std::nullopt, 1, {"tiktok"}});
    db.upsert_contact(ws, "u1", "ana", 10);
    db.append_inbox_message(
        {ws, "c1", "u1", "in", "hi", "received", std::nullopt, std::nullopt, "[]", 10});
    db.save_facts({ws, "tiktok", std::string("acct-") + ws});
    db.append_audit({ws, "ana", "connect", std::string("tiktok"), "ok", std::nullopt, 1});
  }
  EXPECT_EQ(db.count_kept("ws-1").contacts, 1);
  db.delete_workspace("ws-1");
  const auto gone = db.count_kept("ws-1");
  EXPECT_EQ(gone.contacts + gone.messages + gone.orders + gone.flows, 0);
  EXPECT_TRUE(db.load_audit("ws-1").empty());
  const auto kept = db.count_kept("ws-2");
  EXPECT_EQ(kept.contacts, 1);
  EXPECT_EQ(kept.messages, 1);
  EXPECT_EQ(kept.flows, 1);
  ASSERT_EQ(db.load_facts(Scope::every_workspace()).size(), 1u);
  EXPECT_EQ(db.load_facts(Scope::every_workspace())[0].account_id, "acct-ws-2");
}

// Who else connected an account: other workspaces' integrations of the same platform whose facts
// name it, with their state and whether credentials are stored.
TEST_P(StoreConformanceTest, IntegrationsNamingAnAccountAreTheOtherWorkspaces) {
  auto connection = open_store();
  Transaction& db = connection->records();
  for (const char* ws : {"ws-1", "ws-2", "ws-3"}) {
    db.save_integration(
        {ws, "tiktok", "connected", "authorizing", "disconnected", std::nullopt, 1});
    db.save_facts({ws, "tiktok", std::string("acct-1")});
  }
  db.save_integration(
      {"ws-3", "tiktok", "disconnected", "connected", "authorizing", std::nullopt, 2});
  db.save_integration({"ws-4", "tiktok_shop", "connected", "authorizing", "x", std::nullopt, 1});
  db.save_facts({"ws-4", "tiktok_shop", std::string("acct-1")});
  db.store_credentials("ws-2", "tiktok", std::vector<std::uint8_t>{1, 2, 3}, 10);

  const auto named = db.integrations_naming_account("tiktok", "acct-1", "ws-1");
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].workspace_id, "ws-2");
  EXPECT_EQ(named[0].state, "connected");
  EXPECT_TRUE(named[0].has_credentials);
  EXPECT_EQ(named[1].workspace_id, "ws-3");
  EXPECT_EQ(named[1].state, "disconnected");
  EXPECT_FALSE(named[1].has_credentials);
  EXPECT_TRUE(db.integrations_naming_account("tiktok", "acct-2", "ws-1").empty());
}

// --- the backends --------------------------------------------------------------------------------

// --- several instances: scopes, instances and workspace leases
// ------------------------------------

TEST_P(StoreConformanceTest, AScopeKeepsAQueryToOneWorkspaceOrToThoseALeaseHolderRuns) {
  auto connection = open_store();
  Transaction& db = connection->records();
  for (const char* ws : {"ws-1", "ws-2"}) {
    db.save_integration({ws, "tiktok", "connected", "authorizing", "disconnected", {}, 1});
    db.set_timer({ws, "tiktok", "connected", 100});
    EventRow event{0, ws, "tiktok", "webhook", std::string("e-") + ws, "tiktok.comment", "{}", 10};
    ASSERT_TRUE(db.append_event(event));
    OutboxRow step;
    step.workspace_id = ws;
    step.platform = "tiktok";
    step.action = "tiktok.send_dm";
    step.params = "{}";
    step.idempotency_key = std::string("k-") + ws;
    step.flow_id = "f";
    step.user_id = "u";
    ASSERT_TRUE(db.enqueue(step));
  }
  EXPECT_EQ(db.load_integrations(Scope::every_workspace()).size(), 2u);
  ASSERT_EQ(db.load_integrations(Scope::workspace("ws-2")).size(), 1u);
  EXPECT_EQ(db.load_integrations(Scope::workspace("ws-2"))[0].workspace_id, "ws-2");
  EXPECT_EQ(db.load_timers(Scope::workspace("ws-1")).size(), 1u);
  ASSERT_EQ(db.unhandled_events_after(0, 10, Scope::workspace("ws-1")).size(), 1u);

  db.take_lease("ws-2", "instance-a", 60'000);
  const auto mine = db.take_due_outbox(1000, 10, Scope::leased_by("instance-a"));
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].workspace_id, "ws-2");
  EXPECT_TRUE(db.take_due_outbox(1000, 10, Scope::leased_by("instance-b")).empty());
  ASSERT_EQ(db.outbox_in_flight(Scope::leased_by("instance-a")).size(), 1u);
  EXPECT_TRUE(db.outbox_in_flight(Scope::workspace("ws-1")).empty());
  EXPECT_EQ(db.take_due_outbox(1000, 10, Scope::every_workspace()).size(), 1u);
}

TEST_P(StoreConformanceTest, InstancesAreLiveWhileTheyAreHeardFrom) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.heartbeat("b", "http://127.0.0.1:2");
  db.heartbeat("a", "http://127.0.0.1:1");
  db.heartbeat("a", "http://127.0.0.1:3");
  const auto live = db.live_instances(60'000);
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].instance_id, "a");
  EXPECT_EQ(live[0].url, "http://127.0.0.1:3");
  EXPECT_GE(live[0].seen_at_ms, db.database_now_ms() - 60'000);
  db.remove_instance("b");
  EXPECT_EQ(db.live_instances(60'000).size(), 1u);
}

TEST_P(StoreConformanceTest, ALeaseIsHeldByOneInstanceAndItsFenceRisesWhenItChangesHands) {
  auto connection = open_store();
  Transaction& db = connection->records();
  db.save_integration({"ws-1", "tiktok", "connected", "authorizing", "disconnected", {}, 1});
  const auto unleased = db.workspace_leases();
  ASSERT_EQ(unleased.size(), 1u);
  EXPECT_EQ(unleased[0].workspace_id, "ws-1");
  EXPECT_EQ(unleased[0].owner, "");

  const LeaseRow taken = db.take_lease("ws-1", "a", 60'000);
  EXPECT_EQ(taken.owner, "a");
  EXPECT_GT(taken.expires_at_ms, db.database_now_ms());
  // Held: another instance gets the lease as it stands, and a renewal keeps the fence.
  EXPECT_EQ(db.take_lease("ws-1", "b", 60'000).owner, "a");
  EXPECT_EQ(db.take_lease("ws-1", "a", 60'000).fence, taken.fence);
  EXPECT_NO_THROW(db.check_lease("ws-1", "a", taken.fence));
  EXPECT_THROW(db.check_lease("ws-1", "b", taken.fence), Fenced);
  EXPECT_THROW(db.check_lease("ws-2", "a", taken.fence), Fenced);

  // Expired (a zero lifetime), it is taken over: the fence rises and the former holder is fenced.
  ASSERT_EQ(db.take_lease("ws-1", "a", 0).owner, "a");
  const LeaseRow takeover = db.take_lease("ws-1", "b", 60'000);
  EXPECT_EQ(takeover.owner, "b");
  EXPECT_EQ(takeover.fence, taken.fence + 1);
  EXPECT_THROW(db.check_lease("ws-1", "a", taken.fence), Fenced);
  EXPECT_NO_THROW(db.check_lease("ws-1", "b", takeover.fence));
  EXPECT_TRUE(db.renew_leases("a", 60'000).empty());
  const auto renewed = db.renew_leases("b", 60'000);
  ASSERT_EQ(renewed.size(), 1u);
  EXPECT_EQ(renewed[0].fence, takeover.fence);

  // Released, it is free at once; a stale release changes nothing.
  db.release_lease("ws-1", "b", takeover.fence - 1);
  EXPECT_EQ(db.take_lease("ws-1", "c", 60'000).owner, "b");
  db.release_lease("ws-1", "b", takeover.fence);
  const LeaseRow after_release = db.take_lease("ws-1", "c", 60'000);
  EXPECT_EQ(after_release.owner, "c");
  EXPECT_EQ(after_release.fence, takeover.fence + 1);
  db.notify_workspace("ws-1");  // nobody listens here; it must not fail the transaction
  ASSERT_EQ(db.workspace_leases().size(), 1u);
  EXPECT_EQ(db.workspace_leases()[0].owner, "c");
}

const Backend kBackends[] = {
    {"sqlite", [](const fs::path& folder) { return (folder / "sparks.db").string(); }},
    // A database of its own per test, on the executable's private server.
    {"postgresql",
     [](const fs::path&) { return sparks::testing::PostgresServer::shared().database(); }},
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformanceTest, ::testing::ValuesIn(kBackends),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, DependentAutomationsTest, ::testing::ValuesIn(kBackends),
                         backend_name);

}  // namespace
}  // namespace sparks::store
