// Keeping a connection alive: tokens are refreshed a margin ahead of expiry, one refresh at a time
// per integration; what the plugin's descriptor says it can sync (products, posts, comments), and
// whose scope was granted, is synced after connecting and then periodically, in the normalized
// shapes of sparks/plugin.h.
//
// A refresh's outcome reaches the lifecycle through the triggers the connector emits
// (token_refreshed, token_refresh_failed, refresh_token_rejected): a passing failure pauses the
// integration and its `schedule_recovery` brings the engine back here with a capped, jittered
// back-off; a rejected refresh token disconnects it, which stops all of this.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/json.hpp>
#include <sparks/json_fields.hpp>

#include "plugins/loaded_plugin.hpp"
#include "plugins/normalized.hpp"
#include "runtime/awaitables.hpp"
#include "runtime/backoff.hpp"
#include "runtime/engine_impl.hpp"
#include "store/workspace_data_store.hpp"

namespace sparks {

using runtime::from_ms;
using runtime::to_ms;

namespace {

constexpr int kMaxSyncPages = 20;                 // a sync reads at most this many pages per kind
constexpr std::chrono::minutes kWebhookGrace{1};  // a webhook may trail the API by this much

using PagesDone = std::function<void(std::string error, boost::json::array items)>;
// The platform's connector as it is now: none once the engine stopped, which unloads (destroys)
// its plugins. A page's answer may be queued across that, so no page holds the connector itself.
using ConnectorNow = std::function<plugins::LoadedPlugin*()>;

// Reads pages of one kind of sync until the connector gives no next cursor.
void fetch_pages(ConnectorNow connector_now, std::string workspace, boost::json::object credentials,
                 std::string what, std::optional<std::string> cursor, int pages_left,
                 std::shared_ptr<boost::json::array> items, PagesDone done) {
  plugins::LoadedPlugin* connector = connector_now();
  if (connector == nullptr) return done("the plugin is unloaded", {});
  boost::json::object request{{"credentials", credentials}, {"what", what}};
  if (cursor) request["cursor"] = *cursor;
  connector->call(
      plugins::Operation::sync, workspace, boost::json::serialize(request),
      [connector_now, workspace, credentials = std::move(credentials), what, pages_left, items,
       done = std::move(done)](sparks_status_t status, std::string result) mutable {
        if (status != SPARKS_OK) return done(result, {});
        boost::system::error_code ec;
        auto page = boost::json::parse(result, ec);
        if (!page.is_object()) return done("the connector's sync page is not an object", {});
        if (const auto* list = page.get_object().if_contains("items"); list && list->is_array())
          for (const auto& item : list->get_array()) items->push_back(item);
        const auto* next = page.get_object().if_contains("next_cursor");
        if (!next || !next->is_string() || next->get_string().empty() || pages_left <= 1)
          return done({}, std::move(*items));
        fetch_pages(std::move(connector_now), workspace, std::move(credentials), what,
                    std::string(next->get_string()), pages_left - 1, items, std::move(done));
      });
}

std::vector<store::CatalogSkuRow> catalog_rows(const boost::json::array& items) {
  std::vector<store::CatalogSkuRow> rows;
  for (auto& p : plugins::normalized::products(items))
    rows.push_back({std::move(p.sku_id), std::move(p.product_id), std::move(p.seller_sku),
                    std::move(p.title), std::move(p.price), std::move(p.currency),
                    std::move(p.url)});
  return rows;
}

std::vector<store::PostRow> post_rows(const boost::json::array& items) {
  std::vector<store::PostRow> rows;
  for (auto& post : plugins::normalized::posts(items))
    rows.push_back({std::move(post.id), std::move(post.title)});
  return rows;
}

}  // namespace

// Arms one of the integration's upkeep timers to call `step` on the workspace's strand. The timer
// holds the engine weakly: a pending refresh or sync must not keep a stopped engine alive.
void Engine::Impl::arm_upkeep(const WorkspacePtr& ws, runtime::Integration& in,
                              runtime::StrandTimer runtime::Integration::*timer,
                              std::chrono::milliseconds delay, UpkeepStep step) {
  // Timers run on the steady passage of time from now; the injectable clock says what "now" is.
  (in.*timer).arm(ws->strand, Clock::now() + delay,
                  [weak = weak_from_this(), ws, platform = in.key.platform, timer, step] {
                    auto self = weak.lock();
                    if (!self) return;
                    auto& in = self->integration(*ws, platform);
                    (in.*timer).expired();
                    ((*self).*step)(ws, in);
                  });
}

void Engine::Impl::stop_upkeep(runtime::Integration& in) {
  in.refresh_timer.cancel();
  in.sync_timer.cancel();
  in.failed_attempts = 0;
}

void Engine::Impl::schedule_refresh(const WorkspacePtr& ws, runtime::Integration& in) {
  if (!in.credentials) return;
  const auto* expires = in.credentials->if_contains("expires_at");
  if (!expires || !expires->is_int64()) return;
  const auto expiry = Clock::time_point(std::chrono::seconds(expires->get_int64()));
  const auto when = std::max(options.now(), expiry - options.refresh_margin);
  arm_upkeep(ws, in, &runtime::Integration::refresh_timer,
             std::chrono::duration_cast<std::chrono::milliseconds>(when - options.now()),
             &Impl::refresh_when_due);
}

void Engine::Impl::refresh_when_due(const WorkspacePtr& ws, runtime::Integration& in) {
  refresh_now(ws, in);
}

void Engine::Impl::schedule_retry(const WorkspacePtr& ws, runtime::Integration& in) {
  const auto delay = runtime::backoff_delay(in.failed_attempts++, options.retry_first_delay,
                                            options.retry_max_delay);
  spdlog::info("{}/{}: retrying in {} ms (attempt {})", in.key.workspace, in.key.platform,
               delay.count(), in.failed_attempts);
  arm_upkeep(ws, in, &runtime::Integration::refresh_timer, delay, &Impl::refresh_when_due);
}

namespace {

// One refresh: the connector trades the refresh token for fresh credentials, which are sealed and
// stored with the facts they change, and the next refresh is scheduled for them. Answers the
// failure's message, or nothing. `connector` was looked up when it started; the engine keeps its
// plugins while `self` lives.
runtime::Awaitable<std::string> refresh_once(std::shared_ptr<Engine::Impl> self,
                                             Engine::Impl::WorkspacePtr ws,
                                             plugins::LoadedPlugin* connector, std::string platform,
                                             boost::json::object credentials) {
  const boost::json::object request{{"credentials", std::move(credentials)}};
  const auto answer = co_await runtime::call_connector(
      *connector, plugins::Operation::refresh_token, ws->id, boost::json::serialize(request));
  auto& in = self->integration(*ws, platform);
  in.refreshing = false;
  if (!answer.ok()) {
    self->metrics.refreshes_failed.add(platform);
    spdlog::warn("{}/{}: token refresh failed: {}", ws->id, platform, answer.text);
    co_return answer.text;
  }
  boost::system::error_code ec;
  auto fresh = boost::json::parse(answer.text, ec);
  if (!fresh.is_object() || !in.credentials)  // disconnected while refreshing: forget it
    co_return std::string();
  self->metrics.refreshes_ok.add(platform);
  auto grant = self->seal_grant(in.key, std::move(fresh.get_object()), in.facts);
  in.credentials = std::move(grant.credentials);
  in.facts = grant.facts;
  ws->planning.invalidate();  // what the planner reads of the integration is in its facts
  self->writer.submit(
      self->fenced(in.key.workspace,
                   [grant = std::move(grant), at = to_ms(self->options.now())](
                       store::Transaction& tx) { runtime::store_grant(tx, grant, at); }),
      [key = in.key](std::exception_ptr error) {
        if (error)
          spdlog::error("{}/{}: refreshed credentials could not be stored", key.workspace,
                        key.platform);
      });
  in.failed_attempts = 0;
  self->schedule_refresh(ws, in);
  co_return std::string();
}

}  // namespace

void Engine::Impl::refresh_now(const WorkspacePtr& ws, runtime::Integration& in,
                               std::function<void(std::string)> done) {
  auto* connector = plugin(in.key.platform);
  if (!connector)
    return complete(std::move(done), "no connector plugin for platform '" + in.key.platform + "'");
  if (!in.credentials)
    return complete(std::move(done), in.key.platform + " has no credentials to refresh");
  if (in.refreshing) return complete(std::move(done), std::string("a refresh is already running"));
  in.refreshing = true;
  boost::asio::co_spawn(
      ws->strand, refresh_once(shared_from_this(), ws, connector, in.key.platform, *in.credentials),
      [self = shared_from_this(), ws, platform = in.key.platform, done = std::move(done)](
          std::exception_ptr failure, std::string error) mutable {
        if (failure) {
          self->integration(*ws, platform).refreshing = false;
          error = "the refresh failed: " + runtime::describe(failure);
          spdlog::error("{}/{}: {}", ws->id, platform, error);
        }
        self->complete(std::move(done), std::move(error));
      });
}

void Engine::Impl::schedule_sync(const WorkspacePtr& ws, runtime::Integration& in,
                                 std::chrono::milliseconds delay) {
  arm_upkeep(ws, in, &runtime::Integration::sync_timer, delay, &Impl::sync_now);
}

void Engine::Impl::sync_now(const WorkspacePtr& ws, runtime::Integration& in) {
  auto* connector = plugin(in.key.platform);
  if (!connector || !in.credentials || !is_live(in)) return;
  schedule_sync(ws, in, options.sync_interval);  // the next one

  // What to read: the plugin's syncs whose scope was granted (orders are looked up one by one,
  // for their trigger, never synced whole).
  std::vector<plugins::SyncInfo> kinds;
  for (const auto& sync : connector->descriptor().syncs)
    if (sync.kind != "orders" && in.granted(sync.scope)) kinds.push_back(sync);
  auto remaining = std::make_shared<std::size_t>(kinds.size());
  auto failures = std::make_shared<std::vector<std::string>>();
  auto finished = [self = shared_from_this(), ws, platform = in.key.platform, remaining,
                   failures]() {
    if (--*remaining > 0) return;
    auto& in = self->integration(*ws, platform);
    if (!failures->empty()) {
      self->metrics.syncs_failed.add(platform);
      spdlog::warn("{}/{}: sync failed: {}", ws->id, platform, failures->front());
      return;
    }
    self->metrics.syncs_ok.add(platform);
    in.facts.last_sync_ms = to_ms(self->options.now());
    self->save_facts(ws, in);
  };
  if (kinds.empty()) {
    *remaining = 1;
    return finished();
  }
  for (const auto& sync : kinds) {
    fetch_pages(
        [self = shared_from_this(), platform = in.key.platform] { return self->plugin(platform); },
        ws->id, *in.credentials, sync.what, std::nullopt, kMaxSyncPages,
        std::make_shared<boost::json::array>(),
        [self = shared_from_this(), ws, platform = in.key.platform, what = sync.what,
         kind = sync.kind, failures,
         finished](std::string error, boost::json::array items) mutable {
          if (!error.empty()) {
            failures->push_back(what + ": " + error);
            return finished();
          }
          auto& in = self->integration(*ws, platform);
          const auto at = to_ms(self->options.now());
          if (kind == "products") {
            self->writer.submit(
                self->fenced(ws->id,
                             [id = ws->id, rows = catalog_rows(items), at](store::Transaction& tx) {
                               tx.replace_catalog(id, rows, at);
                             }),
                [](std::exception_ptr) {});
          } else if (kind == "posts") {
            self->writer.submit(
                self->fenced(ws->id,
                             [id = ws->id, posts = post_rows(items), at](store::Transaction& tx) {
                               tx.replace_posts(id, posts, at);
                             }),
                [](std::exception_ptr) {});
          } else if (kind == "comments") {
            // Activity the API shows but no webhook reported: the newest comment, once it is
            // older than a webhook's usual delay, newer than the last webhook and than going live.
            std::int64_t newest = 0;
            for (const auto& comment : plugins::normalized::comments(items))
              newest = std::max(newest, comment.create_time * 1000);
            const auto heard = std::max(in.facts.last_webhook_ms.value_or(0),
                                        in.facts.connected_at_ms.value_or(0));
            if (newest > heard && from_ms(newest) + kWebhookGrace <= self->options.now())
              in.facts.unreported_activity_ms = newest;
          }
          finished();
        });
  }
}

}  // namespace sparks
