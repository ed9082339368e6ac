// sparks.yaml: defaults, a full file, and the problems a person makes, each at its line and column.
#include "config/config.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>

namespace {

using sparks::config::load_config;

std::vector<std::string> messages(const sparks::config::LoadResult& result) {
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics) out.push_back(d.to_string());
  return out;
}

TEST(Config, EmbeddedDefaultIsTheDemoWorkspace) {
  auto config = sparks::config::Config::embedded_default();
  EXPECT_EQ(config.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.database, "sparks-data/sparks.db");
  ASSERT_EQ(config.workspaces.size(), 1u);
  EXPECT_EQ(config.workspaces[0].id, "demo");
  EXPECT_EQ(config.workspaces[0].members[0].user, "ana");
  EXPECT_EQ(config.workspaces[0].members[0].role, sparks::Role::owner);
  EXPECT_EQ(config.workspaces[0].members[1].api_key, "ben-demo-key");
  EXPECT_TRUE(config.tiktok.sandboxed());
  EXPECT_EQ(config.tiktok_shop.key, "sandbox-app-key");
  EXPECT_TRUE(config.uses_demo_keys());
}

TEST(Config, APostgresqlDatabaseUrlIsKeptAsWritten) {
  for (const std::string url :
       {"postgresql://sparks@db.internal:5432/sparks", "postgres://sparks@10.0.0.5/sparks"}) {
    auto result = load_config("conf/sparks.yaml", "sparks:\n  database: " + url + "\n", "conf");
    ASSERT_TRUE(result.config) << ::testing::PrintToString(messages(result));
    EXPECT_EQ(result.config->database.string(), url);
  }
}

TEST(Config, AFullFileLoadsWithPathsRelativeToIt) {
  setenv("SPARKS_TEST_SHOP_SECRET", "from-the-environment", 1);
  auto result = load_config("conf/sparks.yaml", R"(sparks:
  listen: 127.0.0.1:9090
  public_url: https://sparks.example.test
  database: data/sparks.db
  secrets: { key_file: /etc/sparks/key }
  platforms:
    tiktok: { client_key: ck, client_secret: cs, auth_base_url: "https://www.tiktok.com", api_base_url: "https://business-api.tiktok.com" }
    tiktok_shop: { app_key: ak, app_secret: "${SPARKS_TEST_SHOP_SECRET}" }
  workspaces:
    - id: shop-one
      name: Shop One
      members:
        - { user: zoe, role: owner, api_key: zoe-key-123 }
        - { user: max, role: admin, api_key: max-key-456 }
)",
                            "conf");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(messages(result));
  const auto& c = *result.config;
  EXPECT_EQ(c.listen, "127.0.0.1:9090");
  EXPECT_EQ(c.database, std::filesystem::path("conf/data/sparks.db"));
  EXPECT_EQ(c.key_file, std::filesystem::path("/etc/sparks/key"));
  EXPECT_FALSE(c.tiktok.sandboxed());
  EXPECT_TRUE(c.tiktok_shop.sandboxed());
  EXPECT_EQ(c.tiktok_shop.secret, "from-the-environment");
  EXPECT_EQ(c.workspaces.at(0).members.at(1).role, sparks::Role::admin);
  EXPECT_FALSE(c.uses_demo_keys());
}

TEST(Config, FlowTimingsAreDurations) {
  auto result = load_config("sparks.yaml", R"(sparks:
  flows: { held_event_max_age: 2h, attribution_window: 3d }
  workspaces:
    - id: w
      members: [ { user: o, role: owner, api_key: owner-secret-key } ]
)",
                            ".");
  ASSERT_TRUE(result.config) << result.diagnostics.front().to_string();
  EXPECT_EQ(result.config->held_event_max_age, std::chrono::hours(2));
  EXPECT_EQ(result.config->attribution_window, std::chrono::hours(72));
  EXPECT_EQ(sparks::config::Config::embedded_default().attribution_window,
            std::chrono::hours(24 * 7));

  auto bad = load_config("sparks.yaml", "sparks:\n  flows: { attribution_window: 7 days }\n", ".");
  ASSERT_FALSE(bad.config);
  EXPECT_EQ(bad.diagnostics.front().line, 2);
}

TEST(Config, HttpMaxConnectionsIsAPositiveCount) {
  auto result = load_config("sparks.yaml", R"(sparks:
  http: { max_connections: 300 }
  workspaces:
    - id: w
      members: [ { user: o, role: owner, api_key: owner-secret-key } ]
)",
                            ".");
  ASSERT_TRUE(result.config) << result.diagnostics.front().to_string();
  EXPECT_EQ(result.config->http_max_connections, 300u);
  EXPECT_EQ(sparks::config::Config::embedded_default().http_max_connections, 0u);  // derived

  auto zero = load_config("sparks.yaml", "sparks:\n  http: { max_connections: 0 }\n", ".");
  ASSERT_FALSE(zero.config);
  EXPECT_EQ(zero.diagnostics.front().line, 2);
  EXPECT_FALSE(load_config("sparks.yaml", "sparks:\n  http: { max_connection: 5 }\n", ".").config);
}

TEST(Config, SchemaProblemsPointAtTheField) {
  auto result = load_config("s.yaml", R"(sparks:
  listen: 127.0.0.1:8080
  workspaces:
    - id: w
      members:
        - { user: a, role: boss, api_key: aaaaaaaaaa }
)",
                            "");
  ASSERT_FALSE(result.config);
  ASSERT_EQ(result.diagnostics.size(), 1u) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(result.diagnostics[0].line, 6);
  EXPECT_EQ(result.diagnostics[0].column, 28);
  EXPECT_NE(result.diagnostics[0].message.find("role"), std::string::npos);
}

TEST(Config, MeaningProblemsAreAllReported) {
  auto result = load_config("s.yaml", R"(sparks:
  workspaces:
    - id: w
      members:
        - { user: a, role: member, api_key: same-key-1 }
        - { user: a, role: member, api_key: same-key-1 }
    - id: w
      members:
        - { user: c, role: owner, api_key: "${SPARKS_TEST_UNSET_VARIABLE}" }
)",
                            "");
  ASSERT_FALSE(result.config);
  auto all = messages(result);
  ASSERT_EQ(all.size(), 5u) << ::testing::PrintToString(all);
  EXPECT_EQ(all[0], "s.yaml:6:19: error: user 'a' is listed twice in workspace 'w'");
  EXPECT_EQ(all[1],
            "s.yaml:6:45: error: this api_key is already used by w/a; every member needs a key of "
            "their own");
  EXPECT_EQ(all[2],
            "s.yaml:3:7: error: workspace 'w' has no owner; only owners can connect or "
            "disconnect platforms");
  EXPECT_EQ(all[3], "s.yaml:7:11: error: workspace 'w' is already defined at line 3");
  EXPECT_EQ(all[4],
            "s.yaml:9:44: error: environment variable SPARKS_TEST_UNSET_VARIABLE is not set");
}

TEST(Config, PlatformEndpointsComeAsAPairOrNotAtAll) {
  auto result = load_config("s.yaml", R"(sparks:
  platforms:
    tiktok: { client_key: ck, client_secret: cs, auth_base_url: "https://www.tiktok.com" }
    tiktok_shop: { app_key: ak, app_secret: as, api_base_url: "https://open-api.example.test" }
  workspaces:
    - id: w
      members: [ { user: o, role: owner, api_key: owner-secret-key } ]
)",
                            "");
  ASSERT_FALSE(result.config);
  auto all = messages(result);
  ASSERT_EQ(all.size(), 2u) << ::testing::PrintToString(all);
  EXPECT_EQ(all[0],
            "s.yaml:3:13: error: give both auth_base_url and api_base_url (the platform's "
            "endpoints), or neither (the in-process sandbox plays the platform)");
  EXPECT_EQ(all[1],
            "s.yaml:4:18: error: give both auth_base_url and api_base_url (the platform's "
            "endpoints), or neither (the in-process sandbox plays the platform)");
}

boost::json::object parsed(const std::string& text) {
  return boost::json::parse(text).as_object();
}

TEST(Config, PluginConfigNamesEachConnectorsFields) {
  using sparks::config::plugin_config;
  const auto defaults = sparks::config::Config::embedded_default();
  // Sandboxed: every base URL is the sandbox's.
  EXPECT_EQ(parsed(plugin_config(defaults.tiktok, "tiktok", "http://127.0.0.1:9")),
            (boost::json::object{{"client_key", "sandbox-client-key"},
                                 {"client_secret", "sandbox-client-secret"},
                                 {"auth_base_url", "http://127.0.0.1:9"},
                                 {"api_base_url", "http://127.0.0.1:9"}}));
  EXPECT_EQ(parsed(plugin_config(defaults.tiktok_shop, "tiktok_shop", "http://127.0.0.1:9")),
            (boost::json::object{{"app_key", "sandbox-app-key"},
                                 {"app_secret", "sandbox-app-secret"},
                                 {"auth_base_url", "http://127.0.0.1:9"},
                                 {"api_base_url", "http://127.0.0.1:9"}}));

  auto result = load_config("s.yaml", R"(sparks:
  platforms:
    tiktok: { client_key: ck, client_secret: cs, auth_base_url: "https://www.tiktok.com",
              api_base_url: "https://business-api.tiktok.com" }
    tiktok_shop: { app_key: ak, app_secret: as, auth_base_url: "https://auth.tiktok-shops.com",
                   api_base_url: "https://open-api.tiktokglobalshop.com", service_id: "7310",
                   authorize_base_url: "https://services.us.tiktokshop.com" }
  workspaces:
    - id: w
      members: [ { user: o, role: owner, api_key: owner-secret-key } ]
)",
                            "");
  ASSERT_TRUE(result.config) << ::testing::PrintToString(messages(result));
  EXPECT_EQ(parsed(plugin_config(result.config->tiktok, "tiktok", "http://unused")),
            (boost::json::object{{"client_key", "ck"},
                                 {"client_secret", "cs"},
                                 {"auth_base_url", "https://www.tiktok.com"},
                                 {"api_base_url", "https://business-api.tiktok.com"}}));
  EXPECT_EQ(parsed(plugin_config(result.config->tiktok_shop, "tiktok_shop", "http://unused")),
            (boost::json::object{{"app_key", "ak"},
                                 {"app_secret", "as"},
                                 {"auth_base_url", "https://auth.tiktok-shops.com"},
                                 {"api_base_url", "https://open-api.tiktokglobalshop.com"},
                                 {"service_id", "7310"},
                                 {"authorize_base_url", "https://services.us.tiktokshop.com"}}));
}

TEST(Config, AnUnreadableFileSaysSo) {
  auto result = sparks::config::load_config_file("/nonexistent/sparks.yaml");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].to_string(),
            "/nonexistent/sparks.yaml:0:0: error: cannot read file");
}

}  // namespace
