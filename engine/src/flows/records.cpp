// Automation records: flows created and edited as YAML, published, paused and resumed by people.
// A flow is checked whole before anything is stored (a bad one is refused with every
// FILE:LINE:COL problem); editing adds a version, so a run can finish on the one it started with.
// Publishing reports, as warnings, what will not run: SKUs missing from the synced catalog and
// steps whose scopes were not granted. A flow that needs an integration that is down goes live as
// paused *by that integration*, so that reconnecting resumes it.
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <sparks/json_fields.hpp>
#include "flows/flow_loader.hpp"
#include "runtime/engine_impl.hpp"
#include "store/automation_store.hpp"
#include "store/flow_store.hpp"
#include "store/workspace_data_store.hpp"
#include "views/page_cursor.hpp"

namespace sparks {

using json_fields::parse_or_null;

using runtime::to_ms;
using store::AutomationRow;
using store::AutomationStatus;

namespace {

constexpr std::string_view kBodyName = "<request body>";

boost::json::object flow_json(const AutomationRow& row, const store::FlowVersionRow& version) {
  boost::json::array required;
  for (const auto& platform : row.required_platforms) required.emplace_back(platform);
  auto definition = parse_or_null(version.definition);
  boost::json::object out{
      {"id", row.id},
      {"name", row.name},
      {"version", row.version},
      {"status", store::to_string(row.status)},
      {"paused_by", row.paused_by ? boost::json::value(*row.paused_by) : nullptr},
      {"requires", std::move(required)},
      {"warnings", parse_or_null(version.warnings)},
      {"definition", definition}};
  if (definition.is_object())
    if (const auto* trigger = definition.get_object().if_contains("trigger"))
      out["trigger"] = *trigger;
  return out;
}

Reply not_found(const std::string& id) {
  return Reply::fail(ErrorKind::not_found, "flow_not_found",
                     "no flow '" + id + "' in this workspace");
}

// Publishing, pausing, resuming and deleting change what runs: owners and admins only (members
// read), and each is in the audit log with its outcome. nullopt: go on, with `done` now also
// writing the audit entry; a Reply: the refusal, already audited.
std::optional<Reply> check_changes_what_runs(const std::shared_ptr<Engine::Impl>& impl,
                                             const std::string& workspace, const Actor& actor,
                                             const char* action, const std::string& flow_id,
                                             ReplyHandler& done) {
  if (actor.role == Role::member) {
    impl->audit(workspace, actor, action, std::nullopt, "not_allowed", flow_id);
    return Reply::fail(ErrorKind::forbidden, "not_allowed",
                       "Only an owner or admin of workspace '" + workspace + "' can " + action +
                           " flows; " + actor.id + " is a member");
  }
  done = [impl, workspace, actor, action = std::string(action), flow_id,
          done = std::move(done)](Reply reply) mutable {
    impl->audit(workspace, actor, action, std::nullopt, reply.error ? reply.error->code : "ok",
                flow_id);
    done(std::move(reply));
  };
  return std::nullopt;
}

// What the workspace's integrations look like to a flow: which are up, and their granted scopes.
struct IntegrationSnapshot {
  std::map<std::string, std::vector<std::string>> granted;  // live integrations only
  std::vector<std::string> down;                            // every other installed platform
};

}  // namespace

struct FlowOps {
  using Batch = std::function<Reply(store::Transaction&)>;

  // Runs `batch` on the writer (its answer decides the reply; it must decide before it writes),
  // where the workspace runs, fenced. Once it has committed, and before the reply, what the
  // workspace's events are planned against is dropped: it may have changed a flow.
  static void write(Engine::Impl& impl, const std::string& workspace, Batch batch,
                    ReplyHandler done) {
    impl.where_it_runs(workspace, std::move(done),
                       [&impl, workspace, batch = std::move(batch)](
                           const Engine::Impl::WorkspacePtr& ws, ReplyHandler done) mutable {
                         run(
                             impl.writer, impl, std::move(batch),
                             [ws, done = std::move(done)](Reply reply) mutable {
                               ws->planning.invalidate();
                               if (done) done(std::move(reply));
                             },
                             "the flow could not be stored", workspace);
                       });
  }
  // Runs a read-only `batch` on the reader: listings never hold up the writer.
  static void read(Engine::Impl& impl, Batch batch, ReplyHandler done) {
    run(impl.reader, impl, std::move(batch), std::move(done), "the flows could not be read");
  }

  template <typename Queue>
  static void run(Queue& queue, Engine::Impl& impl, Batch batch, ReplyHandler done,
                  std::string failure, const std::string& fenced_workspace = {}) {
    auto result = std::make_shared<Reply>();
    store::Writer::Batch step = [batch = std::move(batch), result](store::Transaction& tx) {
      *result = batch(tx);
    };
    queue.submit(
        fenced_workspace.empty() ? std::move(step) : impl.fenced(fenced_workspace, std::move(step)),
        impl.executor,
        [result, done = std::move(done), failure = std::move(failure)](std::exception_ptr error) {
          if (!done) return;
          if (error) return done(Reply::fail(ErrorKind::internal, "store", failure));
          done(std::move(*result));
        });
  }

  // Snapshots the integrations on the workspace's strand, where it runs, then runs `next` with it.
  static void with_integrations(const std::shared_ptr<Engine::Impl>& impl,
                                const std::string& workspace, ReplyHandler done,
                                std::function<void(IntegrationSnapshot, ReplyHandler)> next) {
    impl->where_it_runs(
        workspace, std::move(done),
        [impl, next = std::move(next)](const Engine::Impl::WorkspacePtr& ws, ReplyHandler done) {
          IntegrationSnapshot snapshot;
          for (auto& [platform, facts] : impl->platform_facts(*ws)) {
            if (facts.live)
              snapshot.granted[platform] = std::move(facts.granted_scopes);
            else
              snapshot.down.push_back(platform);
          }
          next(std::move(snapshot), std::move(done));
        });
  }

  // Checked against what the loaded plugins declare.
  static std::optional<flows::FlowDefinition> load(const flows::Capabilities& capabilities,
                                                   const std::string& yaml, Reply& refusal) {
    auto loaded = flows::load_flow(std::string(kBodyName), yaml, capabilities);
    if (loaded.flow) return loaded.flow;
    std::string message = "the flow has errors:";
    for (const auto& d : loaded.diagnostics) message += "\n" + d.to_string();
    refusal = Reply::fail(ErrorKind::invalid, "invalid_flow", message);
    return std::nullopt;
  }

  // The first required platform that is down, if any: it becomes the one that pauses the flow.
  static std::optional<std::string> blocking(const flows::FlowDefinition& flow,
                                             const IntegrationSnapshot& snapshot) {
    for (const auto& platform : flow.required_platforms)
      if (std::find(snapshot.down.begin(), snapshot.down.end(), platform) != snapshot.down.end())
        return platform;
    return std::nullopt;
  }
};

void Engine::create_flow(std::string workspace, Actor, std::string yaml, ReplyHandler done) {
  Reply refusal;
  auto flow = FlowOps::load(*impl_->capabilities, yaml, refusal);
  if (!flow) return impl_->reply(std::move(done), std::move(refusal));
  const auto now = to_ms(impl_->options.now());
  FlowOps::write(
      *impl_, workspace,
      [workspace, flow = *flow, yaml, now](store::Transaction& tx) -> Reply {
        if (tx.load_automation(workspace, flow.id))
          return Reply::fail(
              ErrorKind::conflict, "flow_exists",
              "a flow '" + flow.id + "' already exists; PUT …/flows/" + flow.id + " to edit it");
        AutomationRow row{workspace,
                          flow.id,
                          flow.name,
                          AutomationStatus::draft,
                          std::nullopt,
                          1,
                          flow.required_platforms};
        store::FlowVersionRow version{
            workspace, flow.id, 1, yaml, boost::json::serialize(flow.to_json()), "[]", now};
        tx.save_automation(row);
        tx.save_flow_version(version);
        return Reply::ok(flow_json(row, version));
      },
      std::move(done));
}

void Engine::update_flow(std::string workspace, std::string flow_id, Actor, std::string yaml,
                         ReplyHandler done) {
  Reply refusal;
  auto flow = FlowOps::load(*impl_->capabilities, yaml, refusal);
  if (!flow) return impl_->reply(std::move(done), std::move(refusal));
  if (flow->id != flow_id)
    return impl_->reply(std::move(done), Reply::fail(ErrorKind::invalid, "id_mismatch",
                                                     "the YAML names flow '" + flow->id +
                                                         "', the URL '" + flow_id + "'"));
  const auto now = to_ms(impl_->options.now());
  FlowOps::write(
      *impl_, workspace,
      [workspace, flow = *flow, yaml, now](store::Transaction& tx) -> Reply {
        auto row = tx.load_automation(workspace, flow.id);
        if (!row) return not_found(flow.id);
        row->name = flow.name;
        row->version += 1;
        row->required_platforms = flow.required_platforms;
        store::FlowVersionRow version{
            workspace, flow.id, row->version, yaml, boost::json::serialize(flow.to_json()),
            "[]",      now};
        tx.save_automation(*row);
        tx.save_flow_version(version);
        return Reply::ok(flow_json(*row, version));
      },
      std::move(done));
}

void Engine::delete_flow(std::string workspace, std::string flow_id, Actor actor,
                         ReplyHandler done) {
  if (auto refusal = check_changes_what_runs(impl_, workspace, actor, "delete", flow_id, done))
    return impl_->reply(std::move(done), std::move(*refusal));
  FlowOps::write(
      *impl_, workspace,
      [workspace, flow_id](store::Transaction& tx) -> Reply {
        if (!tx.delete_flow(workspace, flow_id)) return not_found(flow_id);
        return Reply::ok({{"deleted", flow_id}});
      },
      std::move(done));
}

void Engine::flows(std::string workspace, ReplyHandler done) {
  flows(std::move(workspace), Page{}, std::move(done));
}

void Engine::flows(std::string workspace, Page page, ReplyHandler done) {
  auto request = runtime::page_request("flows", page);
  if (auto* error = std::get_if<Error>(&request))
    return impl_->reply(std::move(done), {*error, {}});
  FlowOps::read(
      *impl_,
      [workspace, limit = page.limit, request = std::get<store::PageRequest>(std::move(request))](
          store::Transaction& tx) -> Reply {
        auto rows = tx.list_automations(workspace, request);
        auto next =
            runtime::keep_page<AutomationRow>(rows, limit, "flows", [](const AutomationRow& row) {
              return store::PageKey{0, row.id};
            });
        boost::json::array out;
        for (const auto& row : rows)
          if (auto version = tx.latest_flow_version(workspace, row.id))
            out.push_back(flow_json(row, *version));
        return Reply::ok({{"flows", std::move(out)}, {"next_cursor", std::move(next)}});
      },
      std::move(done));
}

void Engine::flow(std::string workspace, std::string flow_id, ReplyHandler done) {
  FlowOps::read(
      *impl_,
      [workspace, flow_id](store::Transaction& tx) -> Reply {
        auto row = tx.load_automation(workspace, flow_id);
        auto version = tx.latest_flow_version(workspace, flow_id);
        if (!row || !version) return not_found(flow_id);
        auto out = flow_json(*row, *version);
        out["yaml"] = version->yaml;
        return Reply::ok(std::move(out));
      },
      std::move(done));
}

void Engine::publish_flow(std::string workspace, std::string flow_id, Actor actor,
                          ReplyHandler done) {
  if (auto refusal = check_changes_what_runs(impl_, workspace, actor, "publish", flow_id, done))
    return impl_->reply(std::move(done), std::move(*refusal));
  FlowOps::with_integrations(
      impl_, workspace, std::move(done),
      [impl = impl_, workspace, flow_id](IntegrationSnapshot snapshot, ReplyHandler done) mutable {
        // The batch runs (and is destroyed) on the writer thread: it holds no reference to the
        // engine.
        FlowOps::write(
            *impl, workspace,
            [capabilities = impl->capabilities, workspace, flow_id,
             snapshot](store::Transaction& tx) -> Reply {
              auto row = tx.load_automation(workspace, flow_id);
              auto version = tx.latest_flow_version(workspace, flow_id);
              if (!row || !version) return not_found(flow_id);
              if (row->status != AutomationStatus::draft)
                return Reply::fail(
                    ErrorKind::conflict, "not_draft",
                    "flow '" + flow_id + "' is " + std::string(store::to_string(row->status)) +
                        "; only a draft is published (use resume for a paused flow)");
              Reply refusal;
              auto flow = FlowOps::load(*capabilities, version->yaml, refusal);
              if (!flow) return refusal;
              if (flow->draft_only)
                return Reply::fail(
                    ErrorKind::conflict, "marked_draft",
                    "flow '" + flow_id + "' says `status: draft`; remove that line to publish it");
              boost::json::array warnings;
              for (auto& w : flows::publish_warnings(*flow, tx.catalog_seller_skus(workspace),
                                                     snapshot.granted, *capabilities))
                warnings.emplace_back(w);
              if (auto down = FlowOps::blocking(*flow, snapshot)) {
                row->status = AutomationStatus::paused;
                row->paused_by = *down;
                warnings.emplace_back(*down + " is not connected: the flow starts when it is");
              } else {
                row->status = AutomationStatus::live;
                row->paused_by.reset();
              }
              version->warnings = boost::json::serialize(warnings);
              tx.save_automation(*row);
              tx.set_flow_warnings(workspace, flow_id, version->version, version->warnings);
              return Reply::ok(flow_json(*row, *version));
            },
            std::move(done));
      });
}

void Engine::pause_flow(std::string workspace, std::string flow_id, Actor actor,
                        ReplyHandler done) {
  if (auto refusal = check_changes_what_runs(impl_, workspace, actor, "pause", flow_id, done))
    return impl_->reply(std::move(done), std::move(*refusal));
  FlowOps::write(
      *impl_, workspace,
      [workspace, flow_id](store::Transaction& tx) -> Reply {
        auto row = tx.load_automation(workspace, flow_id);
        auto version = tx.latest_flow_version(workspace, flow_id);
        if (!row || !version) return not_found(flow_id);
        if (row->status == AutomationStatus::draft)
          return Reply::fail(ErrorKind::conflict, "not_live",
                             "flow '" + flow_id + "' is a draft; publish it first");
        // Paused by a person, even if an integration had paused it: only a person resumes it now.
        tx.set_automation_status_by_person(workspace, flow_id, AutomationStatus::paused);
        row = tx.load_automation(workspace, flow_id);
        return Reply::ok(flow_json(*row, *version));
      },
      std::move(done));
}

void Engine::resume_flow(std::string workspace, std::string flow_id, Actor actor,
                         ReplyHandler done) {
  if (auto refusal = check_changes_what_runs(impl_, workspace, actor, "resume", flow_id, done))
    return impl_->reply(std::move(done), std::move(*refusal));
  FlowOps::with_integrations(
      impl_, workspace, std::move(done),
      [impl = impl_, workspace, flow_id](IntegrationSnapshot snapshot, ReplyHandler done) mutable {
        FlowOps::write(
            *impl, workspace,
            [workspace, flow_id, snapshot](store::Transaction& tx) -> Reply {
              auto row = tx.load_automation(workspace, flow_id);
              auto version = tx.latest_flow_version(workspace, flow_id);
              if (!row || !version) return not_found(flow_id);
              if (row->status != AutomationStatus::paused)
                return Reply::fail(
                    ErrorKind::conflict, "not_paused",
                    "flow '" + flow_id + "' is " + std::string(store::to_string(row->status)));
              std::optional<std::string> down;
              for (const auto& platform : row->required_platforms)
                if (std::find(snapshot.down.begin(), snapshot.down.end(), platform) !=
                    snapshot.down.end())
                  down = platform;
              if (down) {
                // Handed to the integration that is down: its reconnect resumes the flow.
                row->paused_by = *down;
                tx.save_automation(*row);
              } else {
                tx.set_automation_status_by_person(workspace, flow_id, AutomationStatus::live);
                row = tx.load_automation(workspace, flow_id);
              }
              return Reply::ok(flow_json(*row, *version));
            },
            std::move(done));
      });
}

}  // namespace sparks
