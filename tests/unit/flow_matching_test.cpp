// Which flow starts for an event: trigger options and conditions, without a store or a clock.
#include <gtest/gtest.h>

#include "flows/flow_loader.hpp"
#include "flows/matching.hpp"
#include "support/shipped_capabilities.hpp"

namespace {

using namespace sparks;
namespace json = boost::json;

flows::FlowDefinition flow(const std::string& trigger, const std::string& conditions = "") {
  auto r = flows::load_flow("f.yaml",
                            "flow:\n  id: f\n  name: f\n  trigger: " + trigger + "\n" + conditions +
                                "  actions:\n    - contact.tag: { add: x }\n",
                            test_support::shipped_capabilities());
  EXPECT_TRUE(r.flow) << (r.diagnostics.empty() ? "" : r.diagnostics.front().to_string());
  return r.flow.value_or(flows::FlowDefinition{});
}

runtime::MatchFacts facts() {
  runtime::MatchFacts f;
  f.catalog = {{"LINEN-M", "Linen Shirt", "39.99", "USD", "prod-1001"},
               {"TOTE-1", "Tote", "19.99", "USD", "prod-1002"}};
  f.now = Clock::time_point(std::chrono::hours(24 * 20000 + 12));  // 12:00 UTC
  f.first_comment_on_video = true;
  return f;
}

json::object comment(const std::string& text, const std::string& video = "video-1",
                     bool live = false) {
  return {{"text", text}, {"video_id", video}, {"user", "fan"}, {"is_live", live}};
}

TEST(FlowMatching, KeywordsMatchWholeWordsInAnyCase) {
  auto f = flow("{ on: tiktok.comment, keywords: [price, \"how much\"] }");
  EXPECT_TRUE(runtime::match_flow(f, "tiktok.comment", comment("PRICE?"), facts()).matched);
  EXPECT_TRUE(
      runtime::match_flow(f, "tiktok.comment", comment("so how much is it"), facts()).matched);
  EXPECT_FALSE(runtime::match_flow(f, "tiktok.comment", comment("priceless"), facts()).matched);
  EXPECT_EQ(runtime::match_flow(f, "tiktok.dm", comment("price"), facts()).why_not,
            "listens to tiktok.comment");
}

TEST(FlowMatching, OnThePayloadAloneARuleThatReadsFactsIsLeftUndecided) {
  const auto keywords = flow("{ on: tiktok.comment, keywords: [price] }");
  const auto refused = runtime::match_on_payload(keywords, "tiktok.comment", comment("nice"));
  EXPECT_FALSE(refused.matched);
  EXPECT_FALSE(refused.needs_facts);
  EXPECT_EQ(refused.why_not,
            runtime::match_flow(keywords, "tiktok.comment", comment("nice"), facts()).why_not);
  EXPECT_EQ(runtime::match_on_payload(keywords, "tiktok.dm", comment("price")).why_not,
            "listens to tiktok.comment");
  // It would match: the conditions, and the steps, read the facts.
  EXPECT_TRUE(runtime::match_on_payload(keywords, "tiktok.comment", comment("price")).needs_facts);
  // Rules that read facts come before the keywords: undecided, whatever the keywords say.
  EXPECT_TRUE(runtime::match_on_payload(
                  flow("{ on: tiktok.comment, first_comment: true, keywords: [price] }"),
                  "tiktok.comment", comment("nice"))
                  .needs_facts);
  EXPECT_TRUE(runtime::match_on_payload(
                  flow("{ on: tiktok.comment, sku_mention: true, keywords: [price] }"),
                  "tiktok.comment", comment("nice"))
                  .needs_facts);
  // A rule the payload decides, before them, refuses.
  EXPECT_EQ(runtime::match_on_payload(
                flow("{ on: tiktok.comment, videos: [video-2], first_comment: true }"),
                "tiktok.comment", comment("nice"))
                .why_not,
            "another video");
}

TEST(FlowMatching, CommentOptions) {
  EXPECT_FALSE(runtime::match_flow(flow("{ on: tiktok.comment }"), "tiktok.comment",
                                   comment("hi", "v", true), facts())
                   .matched)
      << "Lives only with lives: true";
  EXPECT_TRUE(runtime::match_flow(flow("{ on: tiktok.comment, lives: true }"), "tiktok.comment",
                                  comment("hi", "v", true), facts())
                  .matched);
  EXPECT_FALSE(runtime::match_flow(flow("{ on: tiktok.comment, videos: [video-2] }"),
                                   "tiktok.comment", comment("hi"), facts())
                   .matched);
  EXPECT_TRUE(runtime::match_flow(flow("{ on: tiktok.comment, question: true }"), "tiktok.comment",
                                  comment("is it cotton"), facts())
                  .matched);
  EXPECT_FALSE(runtime::match_flow(flow("{ on: tiktok.comment, question: true }"), "tiktok.comment",
                                   comment("love it"), facts())
                   .matched);
  auto again = facts();
  again.first_comment_on_video = false;
  EXPECT_FALSE(runtime::match_flow(flow("{ on: tiktok.comment, first_comment: true }"),
                                   "tiktok.comment", comment("hi"), again)
                   .matched);
  auto sku = runtime::match_flow(flow("{ on: tiktok.comment, sku_mention: true }"),
                                 "tiktok.comment", comment("is tote-1 back?"), facts());
  ASSERT_TRUE(sku.matched);
  EXPECT_EQ(sku.mentioned->seller_sku, "TOTE-1");
  EXPECT_FALSE(runtime::match_flow(flow("{ on: tiktok.comment, sku_mention: true }"),
                                   "tiktok.comment", comment("nice"), facts())
                   .matched);
}

TEST(FlowMatching, OrderStatus) {
  auto f = flow("{ on: tiktok_shop.order, status: [DELIVERED] }");
  EXPECT_TRUE(runtime::match_flow(f, "tiktok_shop.order", {{"order_status", "DELIVERED"}}, facts())
                  .matched);
  EXPECT_FALSE(
      runtime::match_flow(f, "tiktok_shop.order", {{"order_status", "UNPAID"}}, facts()).matched);
}

TEST(FlowMatching, Conditions) {
  auto tagged = flow("{ on: tiktok.dm }",
                     "  conditions:\n    - contact.tags: { includes: vip, excludes: [blocked] }\n");
  auto f = facts();
  EXPECT_EQ(runtime::match_flow(tagged, "tiktok.dm", {{"text", "hi"}}, f).why_not,
            "the contact is not tagged vip");
  f.contact_tags = {"vip"};
  EXPECT_TRUE(runtime::match_flow(tagged, "tiktok.dm", {{"text", "hi"}}, f).matched);
  f.contact_tags.push_back("blocked");
  EXPECT_FALSE(runtime::match_flow(tagged, "tiktok.dm", {{"text", "hi"}}, f).matched);

  auto spaced =
      flow("{ on: tiktok.dm }", "  conditions:\n    - since_last_dm: { at_least: 24h }\n");
  f = facts();
  f.last_dm_to_contact = f.now - std::chrono::hours(2);
  EXPECT_FALSE(runtime::match_flow(spaced, "tiktok.dm", {}, f).matched);
  f.last_dm_to_contact = f.now - std::chrono::hours(25);
  EXPECT_TRUE(runtime::match_flow(spaced, "tiktok.dm", {}, f).matched);

  auto daytime = flow("{ on: tiktok.dm }",
                      "  conditions:\n    - time_of_day: { between: [\"09:00\", \"17:00\"] }\n");
  EXPECT_TRUE(runtime::match_flow(daytime, "tiktok.dm", {}, facts()).matched);
  auto night = flow("{ on: tiktok.dm }",
                    "  conditions:\n    - time_of_day: { between: [\"22:00\", \"06:00\"] }\n");
  EXPECT_FALSE(runtime::match_flow(night, "tiktok.dm", {}, facts()).matched);

  auto city = flow("{ on: tiktok.dm }",
                   "  conditions:\n    - contact.field: { name: city, equals: Lisbon }\n");
  f = facts();
  f.contact_fields = {{"city", "Lisbon"}};
  EXPECT_TRUE(runtime::match_flow(city, "tiktok.dm", {}, f).matched);
}

}  // namespace
