// The flow planner without a store, a clock or a platform: which flow a trigger event runs, what
// the others record, and which steps go to the outbox or are skipped, and why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/attribution_code.hpp"
#include "flows/flow_loader.hpp"
#include "flows/planner.hpp"
#include "support/shipped_capabilities.hpp"

namespace sparks::flows {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;

LiveFlow flow(const std::string& yaml, std::int64_t version = 1) {
  auto loaded = load_flow("test.yaml", yaml, test_support::shipped_capabilities());
  EXPECT_TRUE(loaded.flow) << (loaded.diagnostics.empty() ? "" : loaded.diagnostics[0].to_string());
  return {std::make_shared<const FlowDefinition>(loaded.flow.value_or(FlowDefinition{})), version};
}

const std::string kPriceDm = R"(flow:
  id: price-dm
  name: Price DM
  priority: 10
  trigger: { on: tiktok.comment, keywords: [price] }
  actions:
    - tiktok.send_dm:
        text: "{{product.title}} is {{product.price}}: {{product.link}}"
        product: { seller_sku: MUG-1 }
    - wait: { for: 10m }
    - contact.tag: { add: [asked-price] }
)";

const std::string kAnyComment = R"(flow:
  id: any-comment
  name: Any comment
  priority: 50
  trigger: { on: tiktok.comment }
  actions:
    - tiktok.send_dm: { text: "Thanks {{contact.username}}!" }
)";

const Clock::time_point kNow{std::chrono::hours(1'000'000)};

class PlannerTest : public ::testing::Test {
 protected:
  PlannerTest() {
    event_.id = 42;
    event_.workspace_id = "ws";
    event_.platform = "tiktok";
    event_.kind = "tiktok.comment";
    platforms_["tiktok"] = {true, {"comment.list", "comment.list.manage", "message.list.send"}, {}};
    // As the Shop's connector syncs it, with its product's link.
    catalog_.push_back(
        {"MUG-1", "Mug", "9.90", "USD", "prod-7", "https://shop.tiktok.com/view/product/prod-7"});
  }

  Plan plan(std::vector<LiveFlow> flows) {
    return plan_run({event_, payload_, std::move(flows), contact_, false, catalog_, platforms_,
                     capabilities_, kNow});
  }

  static std::vector<std::string> runs(const Plan& p) {
    std::vector<std::string> out;
    for (const auto& r : p.runs)
      out.push_back(r.flow_id + ":" + r.outcome + (r.reason.empty() ? "" : ":" + r.reason));
    return out;
  }

  store::EventRow event_;
  json::object payload_{{"comment_id", "c-1"},
                        {"video_id", "v-1"},
                        {"text", "price please"},
                        {"user", "fan-1"},
                        {"username", "ana"}};
  std::vector<runtime::CatalogItem> catalog_;
  std::map<std::string, PlatformFacts, std::less<>> platforms_;
  // fan-1 wrote to the account an hour ago: TikTok's messaging window is open.
  store::ContactFacts contact_ = [] {
    store::ContactFacts c;
    c.conversation_id = "conv-1";
    c.last_inbound_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            (kNow - std::chrono::hours(1)).time_since_epoch())
                            .count();
    return c;
  }();
  const Capabilities capabilities_ = test_support::shipped_capabilities();
};

TEST_F(PlannerTest, AnEventNoFlowListensToIsRecordedAsSuch) {
  event_.kind = "tiktok.dm";
  const auto p = plan({flow(kPriceDm)});
  EXPECT_THAT(runs(p), ElementsAre(":skipped:no live flow listens to tiktok.dm"));
  EXPECT_TRUE(p.steps.empty());
}

// The short path of an event no flow takes (runtime/planning_snapshot.hpp) writes this plan with
// the event: it has to be the one plan_run makes, and it has to refuse whatever needs reads.
TEST_F(PlannerTest, AnEventNoFlowTakesIsPlannedWithoutReadsAsWithThem) {
  const auto without_reads = [&](std::vector<LiveFlow> flows) {
    return plan_without_reads(
        {event_, payload_, flows, {}, false, {}, platforms_, capabilities_, kNow});
  };
  const std::string kOtherVideo = R"(flow:
  id: other-video
  name: Other video
  trigger: { on: tiktok.comment, videos: [v-2], first_comment: true }
  actions:
    - contact.tag: { add: [seen] }
)";
  payload_["text"] = "nice video";
  const std::vector<LiveFlow> refused{flow(kPriceDm), flow(kOtherVideo)};
  const auto p = without_reads(refused);
  ASSERT_TRUE(p);
  EXPECT_THAT(runs(*p),
              ElementsAre("price-dm:skipped:no keyword", "other-video:skipped:another video"));
  EXPECT_EQ(runs(*p), runs(plan(refused)));
  EXPECT_EQ(p->event_id, 42);
  EXPECT_TRUE(p->steps.empty());
  EXPECT_TRUE(p->stats.empty());

  event_.kind = "tiktok.dm";
  ASSERT_TRUE(without_reads({flow(kPriceDm)}));
  EXPECT_EQ(runs(*without_reads({flow(kPriceDm)})), runs(plan({flow(kPriceDm)})));
  event_.kind = "tiktok.comment";

  platforms_["tiktok"].granted_scopes = {"message.list.send"};
  ASSERT_TRUE(without_reads({flow(kAnyComment)}));
  EXPECT_THAT(runs(*without_reads({flow(kAnyComment)})),
              ElementsAre("any-comment:skipped:missing scope comment.list"));
  platforms_["tiktok"].granted_scopes = {"comment.list", "message.list.send"};

  EXPECT_FALSE(without_reads({flow(kAnyComment)})) << "a flow that matches reads to plan its steps";
  payload_["video_id"] = "v-2";
  EXPECT_FALSE(without_reads({flow(kPriceDm), flow(kOtherVideo)}))
      << "whether it is the user's first comment on the video is read";
}

TEST_F(PlannerTest, TheFirstMatchingFlowByPriorityRunsAndTheOthersSayWhy) {
  const auto p = plan({flow(kAnyComment), flow(kPriceDm, 3)});
  EXPECT_THAT(runs(p), ElementsAre("price-dm:ran",
                                   "any-comment:skipped:another flow matched first: price-dm"));
  EXPECT_EQ(p.runs[0].flow_version, 3);
  EXPECT_THAT(p.stats, ElementsAre(std::pair<std::string, std::string>("price-dm", "triggered"),
                                   std::pair<std::string, std::string>(
                                       "any-comment", "skipped:another_flow_matched")));
}

TEST_F(PlannerTest, AFlowThatDoesNotMatchSaysWhichRuleFailed) {
  payload_["text"] = "nice video";
  const auto p = plan({flow(kPriceDm), flow(kAnyComment)});
  ASSERT_EQ(p.runs.size(), 2u);
  EXPECT_EQ(p.runs[0].flow_id, "price-dm");
  EXPECT_EQ(p.runs[0].outcome, "skipped");
  EXPECT_FALSE(p.runs[0].reason.empty());
  EXPECT_EQ(p.runs[1].outcome, "ran");
}

TEST_F(PlannerTest, TheWinnersStepsAreRenderedKeyedAndDueAfterTheirWaits) {
  const auto p = plan({flow(kPriceDm)});
  ASSERT_EQ(p.steps.size(), 2u);  // the wait is a due time, not a step
  const auto& dm = p.steps[0];
  EXPECT_EQ(dm.action, "tiktok.send_dm");
  EXPECT_EQ(dm.platform, "tiktok");
  EXPECT_EQ(dm.status, "pending");
  EXPECT_EQ(dm.idempotency_key, "event:42:price-dm:0");
  EXPECT_EQ(dm.user_id, "fan-1");
  const auto params = json::parse(dm.params).as_object();
  EXPECT_EQ(params.at("text").as_string(),
            "Mug is 9.90 USD: https://shop.tiktok.com/view/product/prod-7");
  EXPECT_EQ(params.at("skus"), json::array{"MUG-1"});

  const auto& tag = p.steps[1];
  EXPECT_EQ(tag.action, "contact.tag");
  EXPECT_EQ(tag.idempotency_key, "event:42:price-dm:2");
  EXPECT_EQ(tag.due_at_ms - dm.due_at_ms, 10 * 60 * 1000);
  EXPECT_TRUE(p.skipped_dms.empty());
}

TEST_F(PlannerTest, ATriggerWhoseScopeWasNotGrantedStartsNothing) {
  platforms_["tiktok"].granted_scopes = {"message.list.send"};
  const auto p = plan({flow(kPriceDm)});
  EXPECT_THAT(runs(p), ElementsAre("price-dm:skipped:missing scope comment.list"));
  EXPECT_TRUE(p.steps.empty());
}

TEST_F(PlannerTest, AStepWhoseScopeWasNotGrantedIsSkippedAndTheDmShownAsNotSent) {
  platforms_["tiktok"].granted_scopes = {"comment.list"};
  const auto p = plan({flow(kAnyComment)});
  ASSERT_EQ(p.steps.size(), 1u);
  EXPECT_EQ(p.steps[0].status, "skipped");
  EXPECT_EQ(p.steps[0].last_error, "missing scope message.list.send");
  ASSERT_EQ(p.skipped_dms.size(), 1u);
  EXPECT_EQ(p.skipped_dms[0].status, "skipped: missing scope message.list.send");
  EXPECT_EQ(p.skipped_dms[0].text, "Thanks ana!");
  EXPECT_THAT(p.stats, ::testing::Contains(std::pair<std::string, std::string>(
                           "any-comment", "skipped:missing scope message.list.send")));
}

TEST_F(PlannerTest, AProductMissingFromTheCatalogSkipsItsStep) {
  catalog_.clear();
  const auto p = plan({flow(kPriceDm)});
  ASSERT_EQ(p.steps.size(), 2u);
  EXPECT_EQ(p.steps[0].status, "skipped");
  EXPECT_EQ(p.steps[0].last_error, "SKU MUG-1 is not in the synced catalog");
  EXPECT_EQ(p.steps[1].status, "pending");  // the tag still applies
}

TEST_F(PlannerTest, AStepForAPlatformThatIsNotLiveIsSkipped) {
  platforms_["tiktok"].live = false;
  const auto p = plan({flow(kAnyComment)});
  ASSERT_EQ(p.steps.size(), 1u);
  EXPECT_EQ(p.steps[0].last_error, "tiktok is not connected");
}

// --- The platform's messaging rules (docs/flows.md, "Messaging rules") ---

const std::string kDmOrReply = R"(flow:
  id: dm-or-reply
  name: DM or reply
  trigger: { on: tiktok.comment }
  actions:
    - tiktok.send_dm:
        text: "Hi {{contact.username}}"
        otherwise:
          tiktok.reply_comment: { text: "Send us a message!" }
)";

std::int64_t ms_before(std::chrono::hours ago) {
  return std::chrono::duration_cast<std::chrono::milliseconds>((kNow - ago).time_since_epoch())
      .count();
}

TEST_F(PlannerTest, ADmInTheOpenWindowGoesToThePersonsConversation) {
  auto p = plan({flow(kDmOrReply)});
  ASSERT_EQ(p.steps.size(), 1u);
  EXPECT_EQ(p.steps[0].status, "pending");
  const auto params = json::parse(p.steps[0].params).as_object();
  EXPECT_EQ(params.at("conversation_id"), "conv-1");
  EXPECT_FALSE(params.contains("reply_to_comment_id"));
  EXPECT_FALSE(params.contains("otherwise")) << "the engine's key is not the action's";
}

TEST_F(PlannerTest, ADmToSomeoneWhoNeverWroteIsSkippedAndTheOtherwiseStepRuns) {
  contact_ = {};
  auto p = plan({flow(kDmOrReply)});
  ASSERT_EQ(p.steps.size(), 2u);
  EXPECT_EQ(p.steps[0].action, "tiktok.send_dm");
  EXPECT_EQ(p.steps[0].status, "skipped");
  EXPECT_THAT(*p.steps[0].last_error, ::testing::HasSubstr("no open conversation"));
  EXPECT_EQ(p.steps[1].action, "tiktok.reply_comment");
  EXPECT_EQ(p.steps[1].status, "pending");
  EXPECT_EQ(p.steps[1].idempotency_key, "event:42:dm-or-reply:0:otherwise");
  EXPECT_EQ(json::parse(p.steps[1].params).at("comment_id"), "c-1");
  EXPECT_THAT(p.stats, ::testing::Contains(std::pair<std::string, std::string>(
                           "dm-or-reply", "skipped:no_open_conversation")));
  ASSERT_EQ(p.skipped_dms.size(), 1u);
}

TEST_F(PlannerTest, AWindowThatClosedOrIsUsedUpSkipsTheDm) {
  contact_.last_inbound_ms = ms_before(std::chrono::hours(49));
  auto late = plan({flow(kDmOrReply)});
  EXPECT_EQ(late.steps[0].status, "skipped");
  EXPECT_THAT(*late.steps[0].last_error, ::testing::HasSubstr("48 h"));

  contact_.last_inbound_ms = ms_before(std::chrono::hours(1));
  contact_.sent_since_inbound = 10;
  auto full = plan({flow(kDmOrReply)});
  EXPECT_EQ(full.steps[0].status, "skipped");
  EXPECT_THAT(*full.steps[0].last_error, ::testing::HasSubstr("at most 10 messages"));
  EXPECT_EQ(full.steps[1].status, "pending");
}

TEST_F(PlannerTest, AHighIntentCommentIsAnsweredByOneDmWithoutAConversation) {
  contact_ = {};
  event_.kind = "tiktok.high_intent_comment";
  platforms_["tiktok"].granted_scopes.push_back("message.list.read");
  auto p = plan({flow(R"(flow:
  id: hi
  name: hi
  trigger: { on: tiktok.high_intent_comment }
  actions:
    - tiktok.send_dm: { text: "one" }
    - tiktok.send_dm: { text: "two" }
)")});
  ASSERT_EQ(p.steps.size(), 2u);
  EXPECT_EQ(p.steps[0].status, "pending");
  EXPECT_EQ(json::parse(p.steps[0].params).at("reply_to_comment_id"), "c-1");
  EXPECT_EQ(p.steps[1].status, "skipped") << "the platform grants one reply, not two";
}

TEST_F(PlannerTest, AnActionTheAccountCannotUseIsSkippedWithThePlatformsReason) {
  platforms_["tiktok"].unavailable["tiktok.send_dm"] = "not offered in the EEA";
  auto p = plan({flow(kDmOrReply)});
  ASSERT_EQ(p.steps.size(), 2u);
  EXPECT_EQ(*p.steps[0].last_error, "unavailable for this account: not offered in the EEA");
  EXPECT_EQ(p.steps[1].status, "pending");
}

TEST_F(PlannerTest, AMessageOffersItsAttributionCode) {
  auto p = plan({flow(R"(flow:
  id: code
  name: code
  trigger: { on: tiktok.comment }
  actions:
    - tiktok.send_dm: { text: "code {{attribution.code}}" }
)")});
  const auto text = std::string(json::parse(p.steps[0].params).at("text").as_string());
  EXPECT_EQ(text, "code " + attribution_code("ws", "event:42:code:0"));
  EXPECT_EQ(attribution_code("ws", "event:42:code:0").size(), 8u);
  EXPECT_NE(attribution_code("ws", "event:42:code:0"), attribution_code("ws", "event:43:code:0"));
}

}  // namespace
}  // namespace sparks::flows
