// What a flow run sends a plugin, worked out from the descriptor alone: the variables an event
// offers and the params of each step (the flow's rendered, the defaults filled, the SKUs a message
// presents), with no platform named in the engine.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "flows/steps.hpp"
#include "support/shipped_capabilities.hpp"

namespace {

using namespace sparks;
namespace json = boost::json;

const flows::Capabilities& shipped() {
  static const flows::Capabilities capabilities = test_support::shipped_capabilities();
  return capabilities;
}

const json::object kComment{{"comment_id", "c-1"}, {"video_id", "video-2"}, {"text", "price?"},
                            {"user", "fan-1"},     {"username", "ana"},     {"is_live", false}};

TEST(FlowSteps, AnEventOffersTheVariablesItsTriggerDeclares) {
  const auto vars = runtime::event_variables(shipped().trigger("tiktok.comment"), kComment,
                                             {{"user", "fan-1"}, {"username", "ana"}});
  EXPECT_EQ(vars.at("contact").at("username"), "ana");
  EXPECT_EQ(vars.at("comment").at("id"), "c-1");
  EXPECT_EQ(vars.at("comment").at("text"), "price?");
  EXPECT_EQ(vars.at("comment").at("video_id"), "video-2");
  EXPECT_FALSE(vars.contains("message"));

  // A field the payload lacks reads as empty; an unknown trigger offers the contact only.
  const auto order =
      runtime::event_variables(shipped().trigger("tiktok_shop.order"), {{"order_id", "o-1"}}, {});
  EXPECT_EQ(order.at("order").at("id"), "o-1");
  EXPECT_EQ(order.at("order").at("total"), "");
  EXPECT_EQ(runtime::event_variables(nullptr, kComment, {}).size(), 1u);
}

TEST(FlowSteps, AStepGetsTheFlowsParamsRenderedAndTheDescriptorsDefaults) {
  const auto vars = runtime::event_variables(shipped().trigger("tiktok.comment"), kComment,
                                             {{"user", "fan-1"}, {"username", "ana"}});
  const json::object flow_params{{"text", "Hi {{contact.username}}: {{comment.text}}"}};
  const auto reply =
      runtime::action_params(*shipped().action("tiktok.reply_comment"), flow_params, vars, {});
  EXPECT_EQ(
      reply,
      (json::object{{"text", "Hi ana: price?"}, {"comment_id", "c-1"}, {"video_id", "video-2"}}));

  // A message: the SKUs it presents. Its recipient (conversation_id or reply_to_comment_id) is
  // not a default: the engine fills it from the descriptor's messaging window.
  const runtime::CatalogItem shirt{"LINEN-M", "Linen Shirt", "39.99",
                                   "USD",     "prod-1001",   "https://shop.example/p/prod-1001"};
  auto with_product = vars;
  with_product["product"] = runtime::product_variables(shirt);
  const json::object dm_params{{"text", "{{product.title}} {{product.price}}: {{product.link}}"},
                               {"product", {{"seller_sku", "LINEN-M"}}}};
  const auto dm =
      runtime::action_params(*shipped().action("tiktok.send_dm"), dm_params, with_product, shirt);
  EXPECT_EQ(dm, (json::object{{"text", "Linen Shirt 39.99 USD: https://shop.example/p/prod-1001"},
                              {"skus", {"LINEN-M"}}}))
      << "`product` is the engine's: the plugin is not sent it";

  // What the flow gives wins over a default.
  const auto to_another =
      runtime::action_params(*shipped().action("tiktok.reply_comment"),
                             {{"text", "hi"}, {"comment_id", "c-9"}}, vars, std::nullopt);
  EXPECT_EQ(to_another.at("comment_id"), "c-9");
  EXPECT_EQ(to_another.at("video_id"), "video-2");

  // A message presenting no product names no SKU.
  const auto plain = runtime::action_params(*shipped().action("tiktok.send_dm"), {{"text", "hi"}},
                                            vars, std::nullopt);
  EXPECT_EQ(plain.at("skus"), json::array());
}

}  // namespace
