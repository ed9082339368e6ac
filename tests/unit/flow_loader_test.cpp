// Flow files: the shipped examples load (and `sparks check` accepts them); each kind of mistake is
// reported at the line and column a person must fix; publish warnings, templates and durations.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "check/check.hpp"
#include "flows/flow_loader.hpp"
#include "support/shipped_capabilities.hpp"

namespace {

using namespace sparks::flows;
using sparks::Diagnostics;
using sparks::test_support::shipped_capabilities;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

FlowLoadResult load(const std::string& yaml,
                    std::vector<std::string> installed = {"tiktok", "tiktok_shop"}) {
  return load_flow("f.yaml", yaml, shipped_capabilities(std::move(installed)));
}

std::string listing(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += "\n  " + d.to_string();
  return out.empty() ? "no error" : out;
}

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A flow with `trigger` and `actions` (each line already indented) and nothing else.
std::string flow_with(const std::string& trigger, const std::string& actions,
                      const std::string& conditions = "") {
  return "flow:\n"
         "  id: x\n"
         "  name: x\n"
         "  trigger: " +
         trigger + "\n"                 // line 4
         + conditions + "  actions:\n"  // line 5 without conditions
         + actions;
}

const std::string kGood =
    "flow:\n"
    "  id: price\n"
    "  name: Price\n"
    "  trigger: { on: tiktok.comment, keywords: [price] }\n"
    "  actions:\n"
    "    - tiktok.send_dm: { text: \"Hi {{contact.username}}: {{product.link}}\", product: { "
    "seller_sku: LINEN-M } }\n"
    "    - tiktok.send_dm: { text: \"again\", product: { seller_sku: LINEN-M } }\n";

// ---------------------------------------------------------------------------------------------
// The shipped examples

const std::vector<std::string> kExamples = {
    "price-keyword-dm.yaml", "comment-question-dm.yaml", "first-comment-welcome.yaml",
    "sku-mention-dm.yaml",   "dm-keyword-reply.yaml",    "order-shipped-thanks.yaml",
    "draft-giveaway.yaml"};

fs::path examples() {
  return fs::path(SPARKS_SOURCE_DIR) / "flows/examples";
}

TEST(FlowExamples, EveryShippedExampleLoadsAndPassesCheck) {
  for (const auto& name : kExamples) EXPECT_TRUE(fs::exists(examples() / name)) << name;
  int count = 0;
  for (const auto& entry : fs::directory_iterator(examples())) {
    const auto file = entry.path().string();
    auto r = load_flow(file, read(entry.path()), shipped_capabilities());
    EXPECT_TRUE(r.flow) << listing(r.diagnostics);
    EXPECT_TRUE(sparks::check::check_text(file, read(entry.path()), shipped_capabilities())
                    .diagnostics.empty())
        << file;
    ++count;
  }
  EXPECT_GE(count, static_cast<int>(kExamples.size()));
}

TEST(FlowExamples, SayWhatTheyAreAbout) {
  auto flow = [](const std::string& name) {
    auto r = load_flow(name, read(examples() / name), shipped_capabilities());
    EXPECT_TRUE(r.flow) << listing(r.diagnostics);
    return r.flow.value_or(FlowDefinition{});
  };
  const auto price = flow("price-keyword-dm.yaml");
  EXPECT_EQ(price.id, "price-keyword-dm");
  EXPECT_EQ(price.priority, 10);
  EXPECT_EQ(price.skus(), std::vector<std::string>{"LINEN-M"});  // a SKU the sandbox seeds
  EXPECT_FALSE(price.draft_only);
  EXPECT_TRUE(flow("comment-question-dm.yaml").trigger.options.at("question").as_bool());
  EXPECT_TRUE(flow("first-comment-welcome.yaml").trigger.options.at("first_comment").as_bool());
  EXPECT_TRUE(flow("sku-mention-dm.yaml").trigger.options.at("sku_mention").as_bool());
  EXPECT_EQ(flow("dm-keyword-reply.yaml").trigger.on, "tiktok.dm");
  const auto order = flow("order-shipped-thanks.yaml");
  EXPECT_EQ(order.trigger.on, "tiktok_shop.order");
  EXPECT_EQ(order.required_platforms, (std::vector<std::string>{"tiktok_shop"}));
  EXPECT_TRUE(flow("draft-giveaway.yaml").draft_only);
}

// ---------------------------------------------------------------------------------------------
// The definition

TEST(FlowLoader, ReadsTheDefinition) {
  auto r = load(kGood);
  ASSERT_TRUE(r.flow) << listing(r.diagnostics);
  EXPECT_EQ(r.flow->id, "price");
  EXPECT_EQ(r.flow->name, "Price");
  EXPECT_EQ(r.flow->priority, 100);
  EXPECT_EQ(r.flow->trigger.on, "tiktok.comment");
  EXPECT_FALSE(r.flow->trigger.options.contains("on"));
  EXPECT_EQ(r.flow->trigger.options.at("keywords").as_array().size(), 1u);
  ASSERT_EQ(r.flow->actions.size(), 2u);
  EXPECT_EQ(r.flow->actions[0].name, "tiktok.send_dm");
  EXPECT_EQ(r.flow->required_platforms, std::vector<std::string>{"tiktok"});
  EXPECT_EQ(r.flow->skus(), std::vector<std::string>{"LINEN-M"});  // named twice, listed once
  const auto json = r.flow->to_json();
  EXPECT_EQ(json.at("requires").as_array().size(), 1u);
  auto back = FlowDefinition::from_json(json);
  EXPECT_EQ(boost::json::serialize(back.to_json()), boost::json::serialize(json));
}

TEST(FlowLoader, EngineActionsNeedNoPlatform) {
  auto r = load(flow_with("{ on: tiktok_shop.order, status: [DELIVERED] }",
                          "    - wait: { for: 10m }\n    - contact.tag: { add: buyer }\n"));
  ASSERT_TRUE(r.flow) << listing(r.diagnostics);
  EXPECT_EQ(r.flow->required_platforms, std::vector<std::string>{"tiktok_shop"});
}

// ---------------------------------------------------------------------------------------------
// Each kind of mistake, at its line and column

struct Expected {
  int line, column;
  std::string message;  // a distinctive part
};

void expect_errors(const std::string& yaml, const std::vector<Expected>& expected,
                   std::vector<std::string> installed = {"tiktok", "tiktok_shop"}) {
  auto r = load(yaml, std::move(installed));
  EXPECT_FALSE(r.flow);
  ASSERT_EQ(r.diagnostics.size(), expected.size()) << listing(r.diagnostics);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.diagnostics[i].file, "f.yaml");
    EXPECT_EQ(r.diagnostics[i].line, expected[i].line) << r.diagnostics[i].to_string();
    EXPECT_EQ(r.diagnostics[i].column, expected[i].column) << r.diagnostics[i].to_string();
    EXPECT_THAT(r.diagnostics[i].message, HasSubstr(expected[i].message));
  }
}

TEST(FlowErrors, SchemaErrorPointsAtTheField) {
  expect_errors(
      "flow:\n  id: Bad Id\n  name: x\n  trigger: { on: tiktok.comment }\n"
      "  actions: [ { wait: { for: 1m } } ]\n",
      {{2, 7, "flow.id"}});
  expect_errors(
      "flow:\n  id: x\n  name: x\n  colour: red\n  trigger: { on: tiktok.comment }\n"
      "  actions: [ { wait: { for: 1m } } ]\n",
      {{4, 3, "colour"}});
  expect_errors(
      flow_with("{ on: tiktok.comment, question: yes please }", "    - wait: { for: 1m }\n"),
      {{4, 44, "flow.trigger.question"}});
}

TEST(FlowErrors, UnknownTrigger) {
  expect_errors(flow_with("{ on: tiktok.coment }", "    - wait: { for: 1m }\n"),
                {{4, 18, "unknown trigger 'tiktok.coment' (did you mean 'tiktok.comment'?)"}});
  expect_errors(
      flow_with("{ on: instagram.story }", "    - wait: { for: 1m }\n"),
      {{4, 18, "known: tiktok.comment, tiktok.high_intent_comment, tiktok.dm, tiktok_shop.order"}});
}

TEST(FlowErrors, UnknownAction) {
  expect_errors(flow_with("{ on: tiktok.comment }", "    - tiktok.send_sms: { text: hi }\n"),
                {{6, 7, "unknown action 'tiktok.send_sms' (did you mean 'tiktok.send_dm'?)"}});
}

TEST(FlowErrors, UnknownTemplateVariableAtItsPosition) {
  expect_errors(flow_with("{ on: tiktok.dm }",
                          "    - tiktok.send_dm: { text: \"{{comment.text}} {{product.title}}\" }\n"
                          "    - tiktok.send_dm:\n"
                          "        text: |\n"
                          "          Hi {{contact.username}},\n"
                          "          order {{ order.id }} is on its way\n"),
                {{6, 32, "{{comment.text}} is not a variable of this trigger"},
                 {6, 49,
                  "{{product.title}} is not a variable of this trigger: product variables "
                  "need `product: { seller_sku: … }`"},
                 {10, 17, "{{order.id}} is not a variable of this trigger"}});
  // Where the trigger offers it, the same variable is fine.
  EXPECT_TRUE(load(flow_with("{ on: tiktok_shop.order }",
                             "    - tiktok.send_dm: { text: \"order {{order.id}}\" }\n"))
                  .flow);
  // A comment naming a SKU offers the product variables to every action.
  EXPECT_TRUE(load(flow_with("{ on: tiktok.comment, sku_mention: true }",
                             "    - tiktok.send_dm: { text: \"{{product.link}}\" }\n"))
                  .flow);
  expect_errors(flow_with("{ on: tiktok.comment, sku_mention: false }",
                          "    - tiktok.send_dm: { text: \"{{product.link}}\" }\n"),
                {{6, 32, "{{product.link}} is not a variable"}});
  expect_errors(flow_with("{ on: tiktok.comment }",
                          "    - tiktok.send_dm: { text: \"Hi {{contact.username\" }\n"),
                {{6, 35, "`{{` without a closing `}}`"}});
}

TEST(FlowErrors, PlatformNotInstalled) {
  expect_errors(kGood,
                {{4, 18,
                  "trigger 'tiktok.comment' needs the tiktok connector, which is not "
                  "installed"},
                 {6, 7, "action 'tiktok.send_dm' needs the tiktok connector"},
                 {7, 7, "action 'tiktok.send_dm' needs the tiktok connector"}},
                {"tiktok_shop"});
  expect_errors(flow_with("{ on: tiktok_shop.order }", "    - tiktok.send_dm: { text: thanks }\n"),
                {{4, 18, "needs the tiktok_shop connector"}}, {"tiktok"});
}

TEST(FlowErrors, BadDurationsAndTimes) {
  expect_errors(
      flow_with("{ on: tiktok.dm }", "    - wait: { for: 3x }\n    - wait: {}\n",
                "  conditions:\n"
                "    - since_last_dm: { at_least: 1w }\n"
                "    - time_of_day: { between: [\"9:00\", \"24:00\"] }\n"
                "    - time_of_day: { between: [\"10:00\", \"10:00\"] }\n"),
      {{6, 34, "since_last_dm.at_least wants a duration such as 30s, 10m, 24h or 7d, not '1w'"},
       {7, 32, "time_of_day.between wants times of day as HH:MM, 00:00 to 23:59, not '9:00'"},
       {7, 40, "not '24:00'"},
       {8, 31, "starts and ends at the same time"},
       {10, 20, "wait.for wants a duration such as 30s, 10m, 24h or 7d, not '3x'"},
       {11, 7, "wait.for is missing"}});
}

TEST(FlowErrors, ActionParameters) {
  expect_errors(
      flow_with("{ on: tiktok.dm, question: true }",
                "    - tiktok.send_dm: { txt: hi }\n"
                "    - tiktok.send_dm: { text: hi, product: { seller_sku: 1234 } }\n"
                "    - contact.tag: { add: [] }\n"
                "    - tiktok.reply_comment: { text: hi }\n"),
      {{4, 29, "`question` is not an option of trigger tiktok.dm (it takes: keywords)"},
       {6, 7, "tiktok.send_dm needs `text`"},
       {6, 25, "`txt` is not a parameter of tiktok.send_dm (did you mean 'text'?)"},
       {7, 58, "product.seller_sku must be a SKU of the catalog, as text"},
       {8, 27, "contact.tag.add is an empty list"},
       {9, 7, "tiktok.reply_comment replies to a comment: its trigger must be tiktok.comment"}});
}

TEST(FlowErrors, EveryProblemIsReportedAndCheckSaysTheSame) {
  const std::string yaml =
      flow_with("{ on: tiktok.coment }", "    - tiktok.send_sms: { text: hi }\n");
  auto r = load(yaml);
  ASSERT_EQ(r.diagnostics.size(), 2u) << listing(r.diagnostics);
  auto checked = sparks::check::check_text("f.yaml", yaml, shipped_capabilities());
  ASSERT_EQ(checked.diagnostics.size(), 2u);
  EXPECT_EQ(checked.diagnostics[0].to_string(), r.diagnostics[0].to_string());
  EXPECT_EQ(r.diagnostics[0].to_string(),
            "f.yaml:4:18: error: unknown trigger 'tiktok.coment' (did you mean "
            "'tiktok.comment'?)");
}

// ---------------------------------------------------------------------------------------------
// Publishing, templates, durations

// ---------------------------------------------------------------------------------------------
// The platform's messaging rules: what check warns about, and `otherwise:`

TEST(MessagingRules, ADmAfterACommentWithoutOtherwiseIsAWarningAtTheStep) {
  auto r = load(flow_with("{ on: tiktok.comment }", "    - tiktok.send_dm: { text: hi }\n"));
  ASSERT_TRUE(r.flow) << listing(r.diagnostics);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_TRUE(r.warnings[0].warning);
  EXPECT_EQ(r.warnings[0].line, 6);
  EXPECT_EQ(r.warnings[0].column, 7);
  EXPECT_THAT(r.warnings[0].to_string(),
              HasSubstr("f.yaml:6:7: warning: tiktok.send_dm after tiktok.comment reaches the "
                        "person only if they wrote to the account in the last 48 h"));
  // The same file passes `sparks check`: a warning is not an error.
  EXPECT_TRUE(sparks::check::check_text(
                  "f.yaml",
                  flow_with("{ on: tiktok.comment }", "    - tiktok.send_dm: { text: hi }\n"),
                  shipped_capabilities())
                  .ok());
}

TEST(MessagingRules, NoWarningWhereThePlatformAllowsTheDmOrAnOtherwiseIsNamed) {
  EXPECT_TRUE(load(flow_with("{ on: tiktok.dm }", "    - tiktok.send_dm: { text: hi }\n"))
                  .warnings.empty());
  EXPECT_TRUE(
      load(flow_with("{ on: tiktok.high_intent_comment }", "    - tiktok.send_dm: { text: hi }\n"))
          .warnings.empty());
  auto r = load(flow_with("{ on: tiktok.comment }",
                          "    - tiktok.send_dm:\n"
                          "        text: hi\n"
                          "        otherwise: { tiktok.reply_comment: { text: write to us } }\n"));
  ASSERT_TRUE(r.flow) << listing(r.diagnostics);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.flow->required_platforms, std::vector<std::string>{"tiktok"});
}

TEST(MessagingRules, AnOtherwiseStepIsCheckedLikeAnyStep) {
  expect_errors(
      flow_with("{ on: tiktok.comment }",
                "    - tiktok.send_dm:\n"
                "        text: hi\n"
                "        otherwise: { tiktok.reply_comment: { txt: oops } }\n"),
      {{8, 22, "tiktok.reply_comment needs `text`"},
       {8, 46, "`txt` is not a parameter of tiktok.reply_comment (did you mean 'text'?)"}});
  expect_errors(flow_with("{ on: tiktok.comment }",
                          "    - tiktok.send_dm:\n"
                          "        text: hi\n"
                          "        otherwise: write to us\n"),
                {{8, 20, "`otherwise` names one step to run instead"}});
  expect_errors(
      flow_with(
          "{ on: tiktok.comment }",
          "    - tiktok.send_dm:\n"
          "        text: hi\n"
          "        otherwise:\n"
          "          tiktok.send_dm: { text: again, otherwise: { contact.tag: { add: x } } }\n"),
      {{9, 53, "an `otherwise` step cannot have an `otherwise` of its own"}});
}

TEST(MessagingRules, AMessageMayUseItsAttributionCodeAndNothingElseMay) {
  EXPECT_TRUE(load(flow_with("{ on: tiktok.comment }",
                             "    - tiktok.send_dm:\n"
                             "        text: \"code {{attribution.code}}\"\n"
                             "        otherwise: { contact.tag: { add: x } }\n"))
                  .flow);
  expect_errors(flow_with("{ on: tiktok.comment }",
                          "    - tiktok.reply_comment: { text: \"{{attribution.code}}\" }\n"),
                {{6, 38, "{{attribution.code}} is not a variable of this trigger"}});
}

TEST(PublishWarnings, NameAnUnknownSkuAndAMissingScope) {
  auto flow = *load(kGood).flow;
  auto warnings = publish_warnings(
      flow, {"TOTE-1"}, {{"tiktok", {"comment.list", "user.info.basic"}}}, shipped_capabilities());
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_THAT(warnings[0], HasSubstr("SKU LINEN-M is not in the synced catalog"));
  EXPECT_THAT(warnings[1], HasSubstr("tiktok.send_dm needs scope message.list.send"));
  EXPECT_TRUE(publish_warnings(flow, {"LINEN-M"},
                               {{"tiktok", {"comment.list", "message.list.send"}}},
                               shipped_capabilities())
                  .empty());
}

TEST(PublishWarnings, ATriggerWithoutItsScopeWillNotFire) {
  auto flow = *load(flow_with("{ on: tiktok.comment, sku_mention: true }",
                              "    - contact.tag: { add: fan }\n"))
                   .flow;
  auto warnings =
      publish_warnings(flow, {}, {{"tiktok", {"message.list.send"}}}, shipped_capabilities());
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_THAT(warnings[0], HasSubstr("sku_mention never fires"));
  EXPECT_THAT(warnings[1], HasSubstr("trigger tiktok.comment needs scope comment.list"));
  // A platform that is not connected at all is not a scope problem.
  EXPECT_TRUE(publish_warnings(flow, {"TOTE-1"}, {}, shipped_capabilities()).empty());
}

TEST(Templates, Render) {
  boost::json::object vars{{"contact", {{"username", "ana"}, {"tags", {"a", "b"}}}},
                           {"order", {{"total", "12.50"}, {"count", 3}}}};
  EXPECT_EQ(render_template(
                "Hi {{ contact.username }} ({{contact.tags}}), {{order.total}}{{nope.x}}!", vars),
            "Hi ana (a, b), 12.50!");
  EXPECT_EQ(render_template("{{order.count}} items{{contact.username.more}}", vars), "3 items");
  EXPECT_EQ(render_template("no variables", vars), "no variables");
  EXPECT_EQ(render_template("open {{contact.username", vars), "open {{contact.username");
  EXPECT_EQ(template_variables("{{a.b}} and {{ c.d }} and {{e"),
            (std::vector<std::string>{"a.b", "c.d"}));
}

TEST(Durations, Parse) {
  EXPECT_EQ(parse_duration("30s"), std::chrono::seconds(30));
  EXPECT_EQ(parse_duration("10m"), std::chrono::minutes(10));
  EXPECT_EQ(parse_duration("24h"), std::chrono::hours(24));
  EXPECT_EQ(parse_duration("7d"), std::chrono::hours(168));
  EXPECT_EQ(parse_duration("0s"), std::chrono::seconds(0));
  for (const char* bad : {"", "7", "h", "1w", "-1h", "1.5h", "1h30m", " 1h", "99999999999999d"})
    EXPECT_FALSE(parse_duration(bad)) << bad;
}

}  // namespace
