#pragma once
// Who runs each workspace where several instances share one store (docs/scaling.md): a lease per
// workspace, held by one instance until it expires, renewed while the instance lives, and a fence
// that rises whenever the lease changes hands. Every write of a workspace checks the fence, so a
// stalled former holder cannot write once another has taken over.
//
// Lease times are the database's clock, read by the backend: every instance compares against the
// same clock, whatever its own says.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sparks::store {

// Thrown by check_lease when the instance no longer holds the workspace's lease: the batch is
// undone, and the instance must stop running that workspace.
class Fenced : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LeaseRow {
  std::string workspace_id;
  std::string owner;  // an instance id; empty when the workspace has never been leased
  std::int64_t fence = 0;
  std::int64_t expires_at_ms = 0;
};

struct InstanceRow {
  std::string instance_id;
  std::string url;  // where the instance serves the API, for requests another instance forwards
  std::int64_t seen_at_ms = 0;
};

// What the store does with these rows, whichever backend holds them (one Transaction has them all).
class LeaseRecords {
 public:
  // The database's clock, in milliseconds since the Unix epoch.
  virtual std::int64_t database_now_ms() = 0;

  // The instance is alive: inserted, or its url and time updated.
  virtual void heartbeat(std::string_view instance_id, std::string_view url) = 0;

  // The instances heard from within the last `within_ms`, by id.
  virtual std::vector<InstanceRow> live_instances(std::int64_t within_ms) = 0;

  virtual void remove_instance(std::string_view instance_id) = 0;

  // Every workspace the store holds anything to run for (integrations, automations, events not yet
  // handled, a lease), by id, with its lease (owner empty when it has none).
  virtual std::vector<LeaseRow> workspace_leases() = 0;

  // Takes the workspace's lease for `owner`, for `ttl_ms` from now, if it is free, expired or
  // already `owner`'s. The fence rises by one when the holder changes and stays on a renewal.
  // Returns the lease as it stands afterwards: held by another instance when it was not free.
  virtual LeaseRow take_lease(std::string_view workspace_id, std::string_view owner,
                              std::int64_t ttl_ms) = 0;

  // Extends, for `ttl_ms` from now, every lease `owner` still holds (expired or not: nobody has
  // taken it), and returns them.
  virtual std::vector<LeaseRow> renew_leases(std::string_view owner, std::int64_t ttl_ms) = 0;

  // Gives the lease up, free at once for another instance, if `owner` holds it with `fence`.
  virtual void release_lease(std::string_view workspace_id, std::string_view owner,
                             std::int64_t fence) = 0;

  // Throws Fenced unless `owner` holds the workspace's lease with `fence` (expired or not, as long
  // as nobody has taken it). The lease cannot change hands before this transaction ends.
  virtual void check_lease(std::string_view workspace_id, std::string_view owner,
                           std::int64_t fence) = 0;

  // Once this transaction commits, wakes whichever instance holds the workspace's lease: it acts
  // on what was stored for it (PostgreSQL's NOTIFY). Nothing where one instance runs.
  virtual void notify_workspace(std::string_view workspace_id) = 0;

 protected:
  ~LeaseRecords() = default;
};

}  // namespace sparks::store
