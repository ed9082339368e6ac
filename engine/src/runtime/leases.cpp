// Several instances on one store (docs/scaling.md). Each workspace is run by the one instance
// holding its lease. The lease keeper, on a connection and thread of its own so that a busy writer
// never delays a renewal, ticks every lease_renewal. At each tick it says the instance is alive,
// renews what it holds, and takes free or expired leases up to a fair share of the workspaces.
// When it holds more than its share it gives one back.
//
// Taking a workspace over restores it from the store as a start-up would: its integrations and
// time-outs, the steps a former holder left in flight (checked with the platform), the events it
// left unhandled. Losing one stops its work here; writes still queued are refused by their fence.
// Any instance stores the events of any workspace. It then wakes the holder (NOTIFY), which acts
// on them.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "runtime/engine_impl.hpp"

namespace sparks {

namespace {

std::string default_instance_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "sparks") + "-" + std::to_string(::getpid());
}

// What one tick of the lease keeper did, in the store.
struct LeaseTick {
  std::vector<store::LeaseRow> renewed, taken, released;
};

// Renews, then takes and gives back leases so that each live instance holds about its share.
LeaseTick balance_leases(store::Transaction& tx, const std::string& me, const std::string& url,
                         std::int64_t ttl_ms, std::size_t most_to_take) {
  LeaseTick tick;
  tx.heartbeat(me, url);
  tick.renewed = tx.renew_leases(me, ttl_ms);
  const auto instances = std::max<std::size_t>(1, tx.live_instances(ttl_ms).size());
  const auto leases = tx.workspace_leases();
  const auto share = (leases.size() + instances - 1) / instances;
  const auto now = tx.database_now_ms();
  std::size_t held = tick.renewed.size();
  for (const auto& lease : leases) {
    if (held >= share || tick.taken.size() >= most_to_take) break;
    if (lease.owner == me || (!lease.owner.empty() && lease.expires_at_ms > now)) continue;
    auto taken = tx.take_lease(lease.workspace_id, me, ttl_ms);
    if (taken.owner != me) continue;
    tick.taken.push_back(std::move(taken));
    ++held;
  }
  // One at a time, so that instances joining together do not hand workspaces back and forth.
  if (held > share && !tick.renewed.empty()) {
    tick.released.push_back(tick.renewed.back());
    tick.renewed.pop_back();
    const auto& given = tick.released.back();
    tx.release_lease(given.workspace_id, me, given.fence);
  }
  return tick;
}

}  // namespace

runtime::Ownership Engine::Impl::make_ownership(EngineOptions& options) {
  if (options.instance_id.empty()) options.instance_id = default_instance_id();
  if (options.instance_url.empty()) options.instance_url = options.public_url;
  return runtime::Ownership(store::is_shared(options.database.string()), options.instance_id);
}

store::Scope Engine::Impl::running_scope() const {
  return ownership.shared() ? store::Scope::leased_by(ownership.instance_id())
                            : store::Scope::every_workspace();
}

// At construction: the first share of leases is taken before anything is restored, so that the
// instance starts with its workspaces as a single instance starts with all of them.
void Engine::Impl::take_first_leases() {
  auto connection = store::open(options.database.string());
  auto& tx = connection->records();
  connection->begin(true);
  const auto tick = balance_leases(tx, ownership.instance_id(), options.instance_url,
                                   options.lease_ttl.count(), SIZE_MAX);
  connection->commit();
  for (const auto* list : {&tick.renewed, &tick.taken})
    for (const auto& lease : *list) ownership.hold(lease.workspace_id, lease.fence);
  spdlog::info("instance {}: runs {} workspace(s) at start", ownership.instance_id(),
               ownership.held().size());
}

void Engine::Impl::start_leasing() {
  lease_writer = std::make_unique<store::Writer>(store::open(options.database.string()));
  lease_timer = std::make_unique<boost::asio::steady_timer>(boost::asio::make_strand(executor));
  listener = store::listen(options.database.string(), [weak = weak_from_this()](std::string ws) {
    if (auto self = weak.lock()) self->on_woken(std::move(ws));
  });
  arm_lease_timer();
}

void Engine::Impl::arm_lease_timer() {
  lease_timer->expires_after(options.lease_renewal);
  lease_timer->async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->stopped) return;
    self->keep_leases();
  });
}

void Engine::Impl::keep_leases() {
  auto tick = std::make_shared<LeaseTick>();
  // A takeover restores each workspace: a few per tick keep one tick short after a big failover.
  constexpr std::size_t kMostTakenPerTick = 64;
  lease_writer->submit(
      [tick, me = ownership.instance_id(), url = options.instance_url,
       ttl = options.lease_ttl.count()](store::Transaction& tx) {
        *tick = balance_leases(tx, me, url, ttl, kMostTakenPerTick);
      },
      lease_timer->get_executor(),
      [weak = weak_from_this(), tick](std::exception_ptr error) {
        auto self = weak.lock();
        if (!self || self->stopped) return;
        if (error) {
          // Leases still held run on until they are lost: their writes prove it or are fenced.
          spdlog::warn("instance {}: the leases could not be renewed; trying again",
                       self->ownership.instance_id());
          return self->arm_lease_timer();
        }
        for (const auto& lease : tick->released)
          self->let_go(lease.workspace_id, "handed back: more than its share");
        std::set<std::string, std::less<>> still_held;
        for (const auto& lease : tick->renewed) still_held.insert(lease.workspace_id);
        for (const auto& ws : self->ownership.held())
          if (!still_held.contains(ws)) self->let_go(ws, "its lease was taken over");
        for (const auto& lease : tick->taken) self->take_over(lease.workspace_id, lease.fence);
        // Held in the store but not here (its restore failed): tried again.
        for (const auto& lease : tick->renewed)
          if (!self->ownership.fence_of(lease.workspace_id))
            self->take_over(lease.workspace_id, lease.fence);
        self->arm_lease_timer();
      });
}

// Restores the workspace from the store, then runs it: its time-outs and upkeep, the steps a former
// holder left in flight, the events it left unhandled. `then` runs on its strand once it is ready.
void Engine::Impl::take_over(const std::string& workspace_id, std::int64_t fence,
                             std::function<void()> then) {
  if (!ownership.hold(workspace_id, fence)) {  // held already: restored, or being restored
    if (then) {
      auto ws = workspace(workspace_id);
      boost::asio::post(ws->strand, [self = shared_from_this(), ws, then = std::move(then)] {
        if (!self->run_when_restored(ws, then)) then();  // let go meanwhile: its writes fail
      });
    }
    return;
  }
  spdlog::info("instance {}: takes workspace {} over (fence {})", ownership.instance_id(),
               workspace_id, fence);
  plugin_bridge.forget_cached_values();
  auto ws = workspace(workspace_id);
  auto stored = std::make_shared<runtime::StoredIntegrations>();
  if (then)
    boost::asio::post(ws->strand, [ws, then = std::move(then)] {
      ws->waiting_for_restore.push_back(std::move(then));
    });
  writer.submit(
      [stored, workspace_id](store::Transaction& tx) {
        *stored = runtime::read_stored(tx, store::Scope::workspace(workspace_id));
      },
      ws->strand,
      [self = shared_from_this(), ws, stored](std::exception_ptr error) {
        auto waiting = std::move(ws->waiting_for_restore);
        ws->waiting_for_restore.clear();
        if (error) {
          spdlog::error("workspace {}: could not be restored; giving it back", ws->id);
          self->let_go(ws->id, "its restore failed");
        } else {
          auto left_in_flight = std::move(stored->in_flight);
          self->clear_workspace(*ws);
          self->restore(std::move(*stored), true);
          self->ownership.restored(ws->id);
          self->start_upkeep(ws);
          self->settle_steps_left_in_flight(std::move(left_in_flight));
          self->scan_workspace_events(ws);
        }
        // Let go, what waited runs anyway: its writes are refused, and its caller hears so.
        for (auto& work : waiting) work();
      });
}

bool Engine::Impl::run_when_restored(const WorkspacePtr& ws, std::function<void()> work) {
  if (ownership.runs(ws->id)) {
    work();
    return true;
  }
  if (!ownership.fence_of(ws->id)) return false;
  ws->waiting_for_restore.push_back(std::move(work));
  return true;
}

void Engine::Impl::let_go(const std::string& workspace_id, std::string_view why) {
  if (!ownership.drop(workspace_id)) return;
  spdlog::info("instance {}: no longer runs workspace {} ({})", ownership.instance_id(),
               workspace_id, why);
  auto ws = workspace(workspace_id);
  boost::asio::post(ws->strand, [self = shared_from_this(), ws] {
    if (!self->ownership.runs(ws->id)) self->clear_workspace(*ws);
  });
}

void Engine::Impl::clear_workspace(runtime::Workspace& ws) {
  for (auto& [platform, in] : ws.integrations) {
    in.lifecycle_timer.cancel();
    stop_upkeep(in);
  }
  ws.integrations.clear();
  ws.planning.invalidate();
}

// Another instance stored something for `workspace_id` (empty: maybe for any workspace).
void Engine::Impl::on_woken(std::string workspace_id) {
  if (stopped) return;
  const auto scan = [self = shared_from_this()](const WorkspacePtr& ws) {
    boost::asio::post(ws->strand, [self, ws] { self->scan_workspace_events(ws); });
  };
  if (!workspace_id.empty()) {
    if (ownership.runs(workspace_id)) scan(workspace(workspace_id));
    return;
  }
  for (const auto& id : ownership.held()) scan(workspace(id));
}

// Runs `work` on the workspace's strand where this instance runs it, first taking its lease when
// nobody holds it. Otherwise `done` hears where it runs, or to retry while it changes hands.
void Engine::Impl::where_it_runs(const std::string& workspace_id, ReplyHandler done,
                                 std::function<void(const WorkspacePtr&, ReplyHandler)> work) {
  auto ws = workspace(workspace_id);
  auto run_here = [ws, work, done]() mutable { work(ws, std::move(done)); };
  if (ownership.runs(workspace_id)) return boost::asio::post(ws->strand, std::move(run_here));
  struct Found {
    store::LeaseRow lease;
    std::string url;
  };
  auto found = std::make_shared<Found>();
  lease_writer->submit(
      [found, workspace_id, me = ownership.instance_id(),
       ttl = options.lease_ttl.count()](store::Transaction& tx) {
        found->lease = tx.take_lease(workspace_id, me, ttl);
        for (const auto& instance : tx.live_instances(ttl))
          if (instance.instance_id == found->lease.owner) found->url = instance.url;
      },
      executor,
      [self = shared_from_this(), found, workspace_id, run_here = std::move(run_here),
       done](std::exception_ptr error) mutable {
        if (error)
          return self->reply(std::move(done),
                             Reply::fail(ErrorKind::retry_later, "store_unavailable",
                                         "the store could not be reached; try again"));
        if (found->lease.owner == self->ownership.instance_id())
          return self->take_over(workspace_id, found->lease.fence, std::move(run_here));
        if (found->url.empty())
          return self->reply(std::move(done),
                             Reply::fail(ErrorKind::retry_later, "workspace_moving",
                                         "workspace " + workspace_id +
                                             " is being taken over by another "
                                             "instance; try again in a few seconds"));
        Reply elsewhere =
            Reply::fail(ErrorKind::elsewhere, "workspace_elsewhere",
                        "workspace " + workspace_id + " runs on instance " + found->lease.owner);
        elsewhere.error->location = found->url;
        self->reply(std::move(done), std::move(elsewhere));
      });
}

// The workspace's writes carry its fence where the store is shared: once another instance has
// taken the workspace over, they are refused (store::Fenced) and undone.
store::Writer::Batch Engine::Impl::fenced(const std::string& workspace_id,
                                          store::Writer::Batch batch) const {
  if (!ownership.shared()) return batch;
  const auto fence = ownership.fence_of(workspace_id);
  return [batch = std::move(batch), workspace_id, fence,
          me = ownership.instance_id()](store::Transaction& tx) {
    if (!fence)
      throw store::Fenced("workspace " + workspace_id + " does not run on instance " + me);
    tx.check_lease(workspace_id, me, *fence);
    batch(tx);
  };
}

}  // namespace sparks
