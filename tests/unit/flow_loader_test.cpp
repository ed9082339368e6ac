// Flow files: the shipped examples load; each kind of mistake is reported at its line and column;
// publish warnings, templates and durations.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "flows/flow_loader.hpp"

namespace {

using namespace sparks::flows;
namespace fs = std::filesystem;

FlowLoadResult load(const std::string& yaml,
                    std::vector<std::string> installed = {"tiktok", "tiktok_shop"}) {
  return load_flow("f.yaml", yaml, Capabilities::builtin(std::move(installed)));
}

std::string first_error(const FlowLoadResult& r) {
  return r.diagnostics.empty() ? "no error" : r.diagnostics.front().to_string();
}

const std::string kGood =
    "flow:\n"
    "  id: price\n"
    "  name: Price\n"
    "  trigger: { on: tiktok.comment, keywords: [price] }\n"
    "  actions:\n"
    "    - tiktok.send_dm: { text: \"Hi {{contact.username}}: {{product.link}}\", product: { "
    "seller_sku: LINEN-M } }\n";

TEST(FlowLoader, EveryShippedExampleLoads) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SPARKS_SOURCE_DIR) / "flows/examples")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    auto r = load_flow(entry.path().string(), text.str(), Capabilities::builtin());
    EXPECT_TRUE(r.flow) << first_error(r);
    ++count;
  }
  EXPECT_GE(count, 7);
}

TEST(FlowLoader, ReadsTheDefinition) {
  auto r = load(kGood);
  ASSERT_TRUE(r.flow) << first_error(r);
  EXPECT_EQ(r.flow->id, "price");
  EXPECT_EQ(r.flow->priority, 100);
  EXPECT_EQ(r.flow->trigger.on, "tiktok.comment");
  EXPECT_EQ(r.flow->required_platforms, std::vector<std::string>{"tiktok"});
  EXPECT_EQ(r.flow->skus(), std::vector<std::string>{"LINEN-M"});
  auto back = FlowDefinition::from_json(r.flow->to_json());
  EXPECT_EQ(boost::json::serialize(back.to_json()), boost::json::serialize(r.flow->to_json()));
}

TEST(FlowLoader, SchemaErrorsPointAtTheField) {
  auto r = load(
      "flow:\n  id: Bad Id\n  name: x\n  trigger: { on: tiktok.comment }\n  actions: [ { wait: { "
      "for: 1m } } ]\n");
  ASSERT_FALSE(r.flow);
  EXPECT_EQ(r.diagnostics.front().line, 2);
  EXPECT_EQ(r.diagnostics.front().column, 7);
}

TEST(FlowLoader, UnknownTriggerAndActionAreNamed) {
  auto r = load(
      "flow:\n  id: x\n  name: x\n  trigger: { on: tiktok.coment }\n  actions:\n    - "
      "tiktok.send_sms: { text: hi }\n");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].line, 4);
  EXPECT_NE(r.diagnostics[0].message.find("unknown trigger 'tiktok.coment'"), std::string::npos);
  EXPECT_EQ(r.diagnostics[1].line, 6);
  EXPECT_EQ(r.diagnostics[1].column, 7);
  EXPECT_NE(r.diagnostics[1].message.find("unknown action 'tiktok.send_sms'"), std::string::npos);
}

TEST(FlowLoader, ATemplateVariableMustExistForTheTrigger) {
  auto r = load(
      "flow:\n  id: x\n  name: x\n  trigger: { on: tiktok.dm }\n  actions:\n"
      "    - tiktok.send_dm: { text: \"{{comment.text}} {{product.title}}\" }\n");
  ASSERT_EQ(r.diagnostics.size(), 2u) << first_error(r);
  EXPECT_EQ(r.diagnostics[0].line, 6);
  EXPECT_NE(r.diagnostics[0].message.find("{{comment.text}} is not a variable"), std::string::npos);
  EXPECT_NE(r.diagnostics[1].message.find("{{product.title}}"), std::string::npos);
}

TEST(FlowLoader, APlatformThatIsNotInstalledIsRefused) {
  auto r = load(kGood, {"tiktok_shop"});
  ASSERT_FALSE(r.flow);
  EXPECT_NE(first_error(r).find("needs the tiktok connector, which is not installed"),
            std::string::npos);
}

TEST(FlowLoader, BadDurationsAndOptionsOfAnotherTrigger) {
  auto r = load(
      "flow:\n  id: x\n  name: x\n  trigger: { on: tiktok.dm, question: true }\n  actions:\n"
      "    - wait: { for: 3x }\n");
  ASSERT_EQ(r.diagnostics.size(), 2u) << first_error(r);
  EXPECT_NE(r.diagnostics[0].message.find("`question` is not an option of trigger tiktok.dm"),
            std::string::npos);
  EXPECT_EQ(r.diagnostics[1].line, 6);
  EXPECT_NE(r.diagnostics[1].message.find("duration"), std::string::npos);
}

TEST(FlowLoader, PublishWarningsNameWhatWillNotRun) {
  auto flow = *load(kGood).flow;
  auto warnings =
      publish_warnings(flow, {"TOTE-1"}, {{"tiktok", {"comment.list", "user.info.basic"}}});
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("SKU LINEN-M is not in the synced catalog"), std::string::npos);
  EXPECT_NE(warnings[1].find("tiktok.send_dm needs scope message.list.send"), std::string::npos);
  EXPECT_TRUE(
      publish_warnings(flow, {"LINEN-M"}, {{"tiktok", {"comment.list", "message.list.send"}}})
          .empty());
}

TEST(FlowLoader, TemplatesAndDurations) {
  boost::json::object vars{{"contact", {{"username", "ana"}, {"tags", {"a", "b"}}}},
                           {"order", {{"total", "12.50"}}}};
  EXPECT_EQ(render_template(
                "Hi {{ contact.username }} ({{contact.tags}}), {{order.total}}{{nope.x}}!", vars),
            "Hi ana (a, b), 12.50!");
  EXPECT_EQ(parse_duration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("7d"), std::chrono::hours(168));
  EXPECT_FALSE(parse_duration("7"));
  EXPECT_FALSE(parse_duration("h"));
  EXPECT_FALSE(parse_duration("1w"));
}

}  // namespace
