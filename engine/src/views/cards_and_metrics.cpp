// What people read: the integration cards (what a workspace kept is listed in
// views/kept_data_listings.cpp). What monitoring reads is in views/metrics.cpp and views/health.cpp.
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <sstream>

#include <sparks/json_fields.hpp>
#include "integrations/account_holder.hpp"
#include "integrations/card.hpp"
#include "integrations/issue_texts.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/engine_impl.hpp"

namespace sparks {

using runtime::from_ms;

namespace {

std::optional<Clock::time_point> time_of(const std::optional<std::int64_t>& ms) {
  return ms ? std::optional(from_ms(*ms)) : std::nullopt;
}

// The account_in_use issue names the workspace that holds the account to the owners of that
// workspace; everyone else reads the stored words, "another Sparks workspace".
void name_account_holder(std::vector<IssueView>& issues, const Engine::Impl& impl,
                         const runtime::Integration& in, const Actor& viewer) {
  if (!in.account_holder) return;
  const auto holder = runtime::workspace_named_for(impl.options, *in.account_holder, viewer);
  if (holder.empty()) return;
  for (auto& issue : issues)
    if (issue.code == runtime::issue_texts::kAccountInUse)
      issue.message =
          runtime::issue_texts::account_in_use(impl.platform_name(in.key.platform), holder).message;
}

// One card per installed platform, from the workspace's state in memory.
boost::json::array cards_of(Engine::Impl& impl, runtime::Workspace& ws, const Actor& viewer) {
  boost::json::array cards;
  for (auto* connector : impl.plugin_host->plugins()) {
    auto& in = impl.integration(ws, connector->platform());
    const auto& f = in.facts;
    runtime::CardFacts facts;
    facts.platform = in.key.platform;
    facts.platform_name = connector->descriptor().display_name;
    runtime::describe_state(facts, impl.machine, in.machine.state);
    facts.ever_connected = f.ever_connected;
    if (f.account_json) {
      boost::system::error_code ec;
      auto account = boost::json::parse(*f.account_json, ec);
      if (account.is_object()) facts.account = account.get_object();
    }
    // Scopes describe a connection: a disconnected integration has none.
    if (impl.has_connection(in)) {
      facts.granted_scopes = in.granted_scopes();
      facts.missing_scopes = json_fields::strings(json_fields::parse_or_null(f.missing_scopes));
    }
    facts.connected_at = time_of(f.connected_at_ms);
    facts.last_sync = time_of(f.last_sync_ms);
    facts.last_webhook = time_of(f.last_webhook_ms);
    facts.unreported_activity = time_of(f.unreported_activity_ms);
    facts.issues = in.issues;
    name_account_holder(facts.issues, impl, in, viewer);
    facts.reauthorizing = impl.reauthorizing(in);
    cards.push_back(runtime::make_card(facts, impl.options.now()));
  }
  return cards;
}

}  // namespace

void Engine::cards(std::string workspace, ReplyHandler done) {
  cards(std::move(workspace), Actor::system("engine"), std::move(done));
}

// Where this instance runs the workspace, from memory; else from what the store holds of it (the
// instance that runs it keeps the store up to date).
void Engine::cards(std::string workspace, Actor viewer, ReplyHandler done) {
  if (!impl_->ownership.runs(workspace)) {
    auto stored = std::make_shared<runtime::StoredIntegrations>();
    impl_->reader.submit(
        [stored, workspace](store::Transaction& tx) {
          *stored = runtime::read_stored(tx, store::Scope::workspace(workspace));
        },
        impl_->executor,
        [impl = impl_, stored, workspace, viewer = std::move(viewer),
         done = std::move(done)](std::exception_ptr error) mutable {
          if (error)
            return impl->reply(std::move(done),
                               Reply::fail(ErrorKind::retry_later, "store_unavailable",
                                           "the cards could not be read; try again"));
          runtime::Workspace snapshot(workspace, impl->executor);
          impl->restore(std::move(*stored), false, &snapshot);
          impl->reply(std::move(done),
                      Reply::ok({{"integrations", cards_of(*impl, snapshot, viewer)}}));
        });
    return;
  }
  auto ws = impl_->workspace(workspace);
  boost::asio::post(
      ws->strand, [impl = impl_, ws, viewer = std::move(viewer), done = std::move(done)]() mutable {
        impl->reply(std::move(done), Reply::ok({{"integrations", cards_of(*impl, *ws, viewer)}}));
      });
}

const std::string& Engine::instance_id() const {
  return impl_->ownership.instance_id();
}

}  // namespace sparks
