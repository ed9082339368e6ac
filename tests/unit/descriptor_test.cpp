// What ABI 1.1 added to the descriptor (what a trigger or action means, the variables a trigger
// offers, the parameters an action fills from the event, what a plugin syncs) and ABI 1.2 (an
// action's messaging window, the reply a trigger grants, the platform's rate limits): copied from
// the C structs with every pointer and size checked, read only as far as the plugin's struct_size
// goes, validated, printed in the manifest JSON and accepted in a hand-written manifest.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sparks/plugin.hpp>

#include <boost/json.hpp>

#include "flows/capabilities.hpp"
#include "plugins/descriptor.hpp"
#include "plugins/manifest_file.hpp"

namespace {

using sparks::plugin::DescriptorStorage;
using sparks::plugin::Manifest;
using sparks::plugins::copy_descriptor;
using sparks::plugins::PluginDescriptor;
using sparks::plugins::validate_descriptor;
using ::testing::HasSubstr;

// A small plugin with one of everything: a comment trigger, a reply that answers it, a message
// action, a sync.
Manifest acme() {
  return {
      .platform_id = "acme",
      .display_name = "Acme",
      .version = "0.1.0",
      .scopes = {{.name = "comments", .required = true, .enables = {"acme.comment", "acme.reply"}},
                 {.name = "dm", .enables = {"acme.send_dm"}},
                 {.name = "catalog"}},
      .lifecycle_triggers = {"token_refreshed"},
      .triggers = {{.name = "acme.comment",
                    .params = {{.name = "comment_id", .required = true},
                               {.name = "video_id", .required = true},
                               {.name = "text", .required = true},
                               {.name = "user", .required = true}},
                    .kind = SPARKS_TRIGGER_COMMENT,
                    .variables = {{.name = "comment.id", .field = "comment_id"},
                                  {.name = "comment.text", .field = "text", .description = "It"}}}},
      .actions =
          {{.name = "acme.reply",
            .params = {{.name = "comment_id", .required = true, .default_value = "{{comment.id}}"},
                       {.name = "text", .required = true}},
            .answers = SPARKS_TRIGGER_COMMENT},
           {.name = "acme.send_dm",
            .params = {{.name = "user", .default_value = "{{contact.user}}"},
                       {.name = "text", .required = true}},
            .kind = SPARKS_ACTION_MESSAGE}},
      .syncs = {{.what = "products", .kind = SPARKS_SYNC_PRODUCTS, .scope = "catalog"}},
  };
}

// acme with what ABI 1.2 adds: its DM may be sent within 48 h of the person's last message, at
// most 10 of them, or once in answer to a comment (the comment trigger grants that reply); and the
// platform's request rates.
Manifest acme_with_rules() {
  Manifest m = acme();
  m.triggers[0].reply_field = "comment_id";
  m.actions[1].params.push_back({.name = "conversation_id"});
  m.actions[1].params.push_back({.name = "reply_to_comment_id"});
  m.actions[1].window = {.hours = 48,
                         .messages = 10,
                         .conversation_param = "conversation_id",
                         .reply_param = "reply_to_comment_id"};
  m.rate_limits = {{.scope = SPARKS_RATE_PER_ACCOUNT,
                    .per_endpoint = true,
                    .requests = 40,
                    .window_seconds = 60,
                    .path_prefix = "/api/"},
                   {.scope = SPARKS_RATE_PER_APP, .requests = 600, .window_seconds = 300}};
  return m;
}

PluginDescriptor copied(const Manifest& manifest) {
  DescriptorStorage storage(manifest);
  auto copy = copy_descriptor(storage.get());
  EXPECT_TRUE(copy.descriptor) << copy.error;
  return copy.descriptor.value_or(PluginDescriptor{});
}

// The first problem validation finds with `manifest`, or "".
std::string first_problem(const Manifest& manifest) {
  DescriptorStorage storage(manifest);
  auto copy = copy_descriptor(storage.get());
  if (!copy.descriptor) return "copy: " + copy.error;
  auto problems = validate_descriptor(*copy.descriptor);
  return problems.empty() ? std::string() : problems.front();
}

// The error copying `descriptor` gives, after `bend` changed its C structs.
template <typename Bend>
std::string copy_error(Bend&& bend) {
  DescriptorStorage storage(acme());
  sparks_plugin_descriptor_t descriptor = *storage.get();
  bend(descriptor);
  auto copy = copy_descriptor(&descriptor);
  return copy.descriptor ? std::string("copied") : copy.error;
}

TEST(Descriptor, CopiesWhatTriggersAndActionsMean) {
  const PluginDescriptor d = copied(acme());
  EXPECT_TRUE(validate_descriptor(d).empty()) << validate_descriptor(d).front();
  ASSERT_EQ(d.triggers.size(), 1u);
  EXPECT_EQ(d.triggers[0].kind, "comment");
  ASSERT_EQ(d.triggers[0].variables.size(), 2u);
  EXPECT_EQ(d.triggers[0].variables[1].name, "comment.text");
  EXPECT_EQ(d.triggers[0].variables[1].field, "text");
  EXPECT_EQ(d.triggers[0].variables[1].description, "It");
  ASSERT_EQ(d.actions.size(), 2u);
  EXPECT_EQ(d.actions[0].kind, "other");
  EXPECT_EQ(d.actions[0].answers, "comment");
  EXPECT_EQ(d.actions[0].params[0].default_value, "{{comment.id}}");
  EXPECT_EQ(d.actions[0].params[1].default_value, "");
  EXPECT_EQ(d.actions[1].kind, "message");
  EXPECT_EQ(d.actions[1].answers, "any");
  ASSERT_EQ(d.syncs.size(), 1u);
  EXPECT_EQ(d.syncs[0].what, "products");
  EXPECT_EQ(d.syncs[0].kind, "products");
  EXPECT_EQ(d.syncs[0].scope, "catalog");
  ASSERT_NE(d.sync_of_kind("products"), nullptr);
  EXPECT_EQ(d.sync_of_kind("orders"), nullptr);
}

TEST(Descriptor, ManifestJsonShowsTheMeanings) {
  const auto json = sparks::plugins::to_manifest_json(copied(acme())).at("plugin");
  EXPECT_EQ(json.at("triggers").at(0).at("kind"), "comment");
  EXPECT_EQ(json.at("triggers").at(0).at("variables").at(0).at("field"), "comment_id");
  EXPECT_EQ(json.at("actions").at(0).at("answers"), "comment");
  EXPECT_EQ(json.at("actions").at(0).at("params").at(0).at("default"), "{{comment.id}}");
  EXPECT_FALSE(json.at("actions").at(0).at("params").at(1).as_object().contains("default"));
  EXPECT_EQ(json.at("actions").at(1).at("kind"), "message");
  EXPECT_EQ(json.at("syncs").at(0).at("scope"), "catalog");
}

// A plugin built against ABI 1.0 has a shorter descriptor: nothing past action_count is read, so
// whatever lies there is never touched, and its triggers and actions mean "other".
TEST(Descriptor, A10DescriptorIsReadOnlyAsFarAsItGoes) {
  DescriptorStorage storage(acme());
  sparks_plugin_descriptor_t old = *storage.get();
  old.struct_size = offsetof(sparks_plugin_descriptor_t, action_count) + sizeof(std::size_t);
  old.flow_triggers = reinterpret_cast<const sparks_flow_trigger_t* const*>(std::uintptr_t{8});
  old.flow_trigger_count = 99;
  old.syncs = nullptr;
  old.sync_count = 5;
  auto copy = copy_descriptor(&old);
  ASSERT_TRUE(copy.descriptor) << copy.error;
  EXPECT_EQ(copy.descriptor->triggers[0].kind, "other");
  EXPECT_TRUE(copy.descriptor->triggers[0].variables.empty());
  EXPECT_EQ(copy.descriptor->actions[0].answers, "any");
  EXPECT_EQ(copy.descriptor->actions[0].params[0].default_value, "");
  EXPECT_TRUE(copy.descriptor->syncs.empty());
}

TEST(Descriptor, RefusesBadPointersSizesAndKinds) {
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) { d.flow_triggers = nullptr; }),
            "flow_triggers has 1 entries but no data");
  static const sparks_flow_trigger_t* const kNull[] = {nullptr};
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) { d.flow_triggers = kNull; }),
            "flow_triggers[0] is NULL");

  static sparks_flow_trigger_t small{};
  static const sparks_flow_trigger_t* const kSmall[] = {&small};
  small.struct_size = sizeof(std::size_t);
  EXPECT_THAT(copy_error([](sparks_plugin_descriptor_t& d) { d.flow_triggers = kSmall; }),
              HasSubstr("flow_triggers[0] struct_size 8 is smaller than ABI 1.1's"));

  static sparks_flow_trigger_t strange{sizeof(sparks_flow_trigger_t), SPARKS_STR("acme.comment"), 7,
                                       nullptr, 0};
  static const sparks_flow_trigger_t* const kStrange[] = {&strange};
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) { d.flow_triggers = kStrange; }),
            "flow_triggers[0].kind 7 is not a trigger kind");

  static sparks_flow_trigger_t elsewhere{sizeof(sparks_flow_trigger_t), SPARKS_STR("acme.story"),
                                         SPARKS_TRIGGER_OTHER, nullptr, 0};
  static const sparks_flow_trigger_t* const kElsewhere[] = {&elsewhere};
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) { d.flow_triggers = kElsewhere; }),
            "flow_triggers[0].name 'acme.story' is not one of the descriptor's triggers");

  static const sparks_sync_t weird{sizeof(sparks_sync_t), SPARKS_STR("x"), 0, SPARKS_STR("")};
  static const sparks_sync_t* const kWeird[] = {&weird};
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) { d.syncs = kWeird; }),
            "syncs[0].kind 0 is not a sync kind");

  static const sparks_param_default_t kNoSuchParam[] = {{SPARKS_STR("video_id"), SPARKS_STR("x")}};
  static const sparks_flow_action_t reply{sizeof(sparks_flow_action_t),
                                          SPARKS_STR("acme.reply"),
                                          SPARKS_ACTION_OTHER,
                                          SPARKS_TRIGGER_OTHER,
                                          kNoSuchParam,
                                          1};
  static const sparks_flow_action_t* const kReply[] = {&reply};
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) {
              d.flow_actions = kReply;
              d.flow_action_count = 1;
            }),
            "flow_actions[0].defaults[0].param 'video_id' is not a parameter of acme.reply");
}

TEST(Descriptor, ReadsTheMessagingWindowTheReplyATriggerGrantsAndTheRateLimits) {
  const PluginDescriptor d = copied(acme_with_rules());
  EXPECT_TRUE(validate_descriptor(d).empty()) << validate_descriptor(d).front();
  EXPECT_EQ(d.triggers[0].reply_field, "comment_id");
  const auto& window = d.actions[1].window;
  EXPECT_EQ(window.hours, 48u);
  EXPECT_EQ(window.messages, 10u);
  EXPECT_EQ(window.conversation_param, "conversation_id");
  EXPECT_EQ(window.reply_param, "reply_to_comment_id");
  EXPECT_EQ(d.actions[0].window.hours, 0u) << "the reply has no window";

  ASSERT_EQ(d.rate_limits.size(), 2u);
  EXPECT_TRUE(d.rate_limits[0].per_account);
  EXPECT_TRUE(d.rate_limits[0].per_endpoint);
  EXPECT_EQ(d.rate_limits[0].requests, 40u);
  EXPECT_EQ(d.rate_limits[0].window_seconds, 60u);
  EXPECT_EQ(d.rate_limits[0].path_prefix, "/api/");
  EXPECT_FALSE(d.rate_limits[1].per_account);
  EXPECT_FALSE(d.rate_limits[1].per_endpoint);
  EXPECT_EQ(d.rate_limits[1].requests, 600u);
  EXPECT_EQ(d.rate_limits[1].window_seconds, 300u);
  EXPECT_EQ(d.rate_limits[1].path_prefix, "");

  const auto json = sparks::plugins::to_manifest_json(d).at("plugin");
  EXPECT_EQ(json.at("triggers").at(0).at("reply_field"), "comment_id");
  EXPECT_EQ(json.at("actions").at(1).at("window").at("hours"), 48);
  EXPECT_FALSE(json.at("actions").at(0).as_object().contains("window"));
  EXPECT_EQ(json.at("rate_limits").at(0).at("per"), "account");
  EXPECT_EQ(json.at("rate_limits").at(1).at("per"), "app");
}

// A plugin built against ABI 1.1 has shorter trigger and action structs: nothing past their
// struct_size is read, so whatever lies there is never touched; its actions have no window and
// its triggers grant no reply.
TEST(Descriptor, AnAbi11FlowActionOrTriggerIsReadWithoutTheWindowOrReply) {
  DescriptorStorage storage(acme_with_rules());
  sparks_plugin_descriptor_t descriptor = *storage.get();
  const sparks_str_t unreadable{reinterpret_cast<const char*>(std::uintptr_t{8}), 5};

  sparks_flow_action_t old_dm = *descriptor.flow_actions[1];
  old_dm.struct_size = offsetof(sparks_flow_action_t, window_hours);
  old_dm.conversation_param = unreadable;
  old_dm.reply_param = unreadable;
  const sparks_flow_action_t* const actions[] = {descriptor.flow_actions[0], &old_dm};
  descriptor.flow_actions = actions;

  sparks_flow_trigger_t old_comment = *descriptor.flow_triggers[0];
  old_comment.struct_size = offsetof(sparks_flow_trigger_t, reply_field);
  old_comment.reply_field = unreadable;
  const sparks_flow_trigger_t* const triggers[] = {&old_comment};
  descriptor.flow_triggers = triggers;

  auto copy = copy_descriptor(&descriptor);
  ASSERT_TRUE(copy.descriptor) << copy.error;
  const auto& dm = copy.descriptor->actions[1];
  EXPECT_EQ(dm.kind, "message") << "what ABI 1.1 has is still read";
  EXPECT_EQ(dm.window.hours, 0u);
  EXPECT_EQ(dm.window.messages, 0u);
  EXPECT_EQ(dm.window.conversation_param, "");
  EXPECT_EQ(dm.window.reply_param, "");
  EXPECT_EQ(copy.descriptor->triggers[0].kind, "comment");
  EXPECT_EQ(copy.descriptor->triggers[0].reply_field, "");
}

TEST(Descriptor, RefusesARateLimitThatAllowsNothingOrHasNoKnownScope) {
  static const sparks_rate_limit_t kFine{
      sizeof(sparks_rate_limit_t), SPARKS_RATE_PER_APP, 0, 600, 60, SPARKS_STR("")};
  static const sparks_rate_limit_t kNothing{
      sizeof(sparks_rate_limit_t), SPARKS_RATE_PER_ACCOUNT, 1, 0, 60, SPARKS_STR("/api/")};
  static const sparks_rate_limit_t* const kSecondAllowsNothing[] = {&kFine, &kNothing};
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) {
              d.rate_limits = kSecondAllowsNothing;
              d.rate_limit_count = 2;
            }),
            "rate_limits[1] allows no request (requests and window_seconds must be positive)");

  static const sparks_rate_limit_t kNoScope{
      sizeof(sparks_rate_limit_t), 7, 0, 40, 60, SPARKS_STR("")};
  static const sparks_rate_limit_t* const kUnknownScope[] = {&kNoScope};
  EXPECT_EQ(copy_error([](sparks_plugin_descriptor_t& d) {
              d.rate_limits = kUnknownScope;
              d.rate_limit_count = 1;
            }),
            "rate_limits[0].scope 7 is not a rate scope");

  static sparks_rate_limit_t small{};
  small.struct_size = sizeof(std::size_t);
  static const sparks_rate_limit_t* const kSmall[] = {&small};
  EXPECT_THAT(copy_error([](sparks_plugin_descriptor_t& d) {
                d.rate_limits = kSmall;
                d.rate_limit_count = 1;
              }),
              HasSubstr("rate_limits[0] struct_size 8 is smaller than ABI 1.2's"));
}

TEST(Descriptor, ValidationChecksTheWindowAndTheReplyAgainstWhatIsDeclared) {
  auto with = [](auto change) {
    Manifest m = acme_with_rules();
    change(m);
    return first_problem(m);
  };
  EXPECT_EQ(with([](Manifest& m) { m.actions[0].window.hours = 24; }),
            "action 'acme.reply' has a messaging window but sends no message");
  EXPECT_EQ(with([](Manifest& m) { m.actions[1].window.conversation_param = "thread_id"; }),
            "action 'acme.send_dm': its window fills 'thread_id', which is not one of its "
            "parameters");
  EXPECT_EQ(with([](Manifest& m) { m.actions[1].window.reply_param = "comment"; }),
            "action 'acme.send_dm': its window fills 'comment', which is not one of its "
            "parameters");
  EXPECT_EQ(with([](Manifest& m) { m.triggers[0].reply_field = "thread_id"; }),
            "trigger 'acme.comment' grants a reply by its field 'thread_id', which its payload "
            "does not have");
}

TEST(Descriptor, ValidationChecksTheMeaningsAgainstWhatIsDeclared) {
  auto with = [](auto change) {
    Manifest m = acme();
    change(m);
    return first_problem(m);
  };
  EXPECT_EQ(with([](Manifest& m) { m.triggers[0].params.pop_back(); }),
            "trigger 'acme.comment' is a comment but its payload has no 'user'");
  EXPECT_EQ(with([](Manifest& m) { m.triggers[0].variables[0].field = "id"; }),
            "trigger 'acme.comment' variable 'comment.id' reads field 'id', which its payload does "
            "not have");
  EXPECT_EQ(with([](Manifest& m) { m.triggers[0].variables[0].name = "contact.id"; }),
            "trigger 'acme.comment' variable 'contact.id': the contact.* variables are the "
            "engine's");
  EXPECT_THAT(with([](Manifest& m) { m.triggers[0].variables[0].name = "Comment id"; }),
              HasSubstr("name"));  // the schema's pattern
  EXPECT_EQ(with([](Manifest& m) { m.actions[0].params[0].default_value = "{{comment.video}}"; }),
            "action 'acme.reply' fills 'comment_id' from {{comment.video}}, which no trigger it "
            "can follow offers");
  EXPECT_EQ(with([](Manifest& m) { m.actions[1].params.pop_back(); }),
            "action 'acme.send_dm' sends a message but has no 'text' parameter");
  EXPECT_EQ(with([](Manifest& m) { m.syncs[0].scope = "products.read"; }),
            "sync 'products' needs scope 'products.read', which the plugin does not declare");
  EXPECT_EQ(
      with([](Manifest& m) { m.syncs.push_back({.what = "skus", .kind = SPARKS_SYNC_PRODUCTS}); }),
      "sync 'skus': another sync already reads products");
  EXPECT_THAT(with([](Manifest& m) { m.syncs[0].what = "Products!"; }), HasSubstr("what"));
  // An order trigger's variables may read what the engine's lookup adds to its payload.
  EXPECT_EQ(with([](Manifest& m) {
              m.triggers.push_back({.name = "acme.order",
                                    .params = {{.name = "order_id", .required = true}},
                                    .kind = SPARKS_TRIGGER_ORDER,
                                    .variables = {{.name = "order.total", .field = "total"}}});
            }),
            "");
}

TEST(Descriptor, CapabilitiesComeFromIt) {
  const PluginDescriptor d = copied(acme());
  const auto c = sparks::flows::Capabilities::from_descriptors({&d});
  const auto* comment = c.trigger("acme.comment");
  ASSERT_NE(comment, nullptr);
  EXPECT_EQ(comment->platform, "acme");
  EXPECT_EQ(comment->scope, "comments");
  EXPECT_EQ(comment->kind, sparks::flows::TriggerKind::comment);
  EXPECT_EQ(comment->variables,
            (std::vector<std::string>{"contact.user", "contact.username", "contact.tags",
                                      "comment.id", "comment.text"}));
  const auto* dm = c.action("acme.send_dm");
  ASSERT_NE(dm, nullptr);
  EXPECT_EQ(dm->scope, "dm");
  EXPECT_EQ(dm->kind, sparks::flows::ActionKind::message);
  EXPECT_FALSE(dm->answers);
  EXPECT_EQ(dm->params[0].default_value, "{{contact.user}}");
  EXPECT_EQ(c.action("acme.reply")->answers, sparks::flows::TriggerKind::comment);
  ASSERT_NE(c.action("contact.tag"), nullptr) << "the engine's own actions";
  ASSERT_NE(c.action("wait"), nullptr);
  EXPECT_TRUE(c.installed("acme"));
  EXPECT_FALSE(c.installed("other"));
}

TEST(Descriptor, AHandWrittenManifestMayDeclareTheMeanings) {
  const std::string good = R"(plugin:
  platform: acme
  display_name: Acme
  version: 0.1.0
  scopes: []
  lifecycle_triggers: []
  triggers:
    - name: acme.comment
      params: [{ name: text, type: string, required: true }]
      kind: comment
      variables: [{ name: comment.text, field: text }]
  actions:
    - name: acme.reply
      params: [{ name: comment_id, type: string, required: true, default: "{{comment.id}}" }]
      answers: comment
  syncs:
    - { what: products, kind: products, scope: product.read }
)";
  EXPECT_TRUE(sparks::plugins::check_manifest_file("acme.yaml", good).empty());
  std::string bad = good;
  bad.replace(bad.find("kind: comment"), 13, "kind: review");
  const auto diagnostics = sparks::plugins::check_manifest_file("acme.yaml", bad);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].line, 10);
}

}  // namespace
