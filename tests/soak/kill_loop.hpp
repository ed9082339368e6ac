#pragma once
// The kill loop: real `sparks serve` and `sparks sandbox` processes, two keyword flows published,
// signed comment webhooks sent by many concurrent senders, and `sparks serve` killed (SIGKILL) at
// random moments and started again; every webhook not acknowledged with a 200 is delivered again,
// as the platform does. Then: was every acknowledged event processed exactly once, and did every
// commenter the DM flow matched get exactly one DM? Run briefly by the test suite
// (tests/e2e/kill_loop_test.cpp) and for as long as asked by `make soak`
// (tests/soak/soak_main.cpp).
#include <boost/json/object.hpp>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "support/serve_rig.hpp"

namespace sparks::testing {

struct KillLoopOptions {
  // The instances and their store. With several (on PostgreSQL), webhooks go to each in turn and
  // each kill falls on the instance that runs the workspace: the others take it over.
  RigOptions rig;
  int fans = 12;            // each opens a conversation, then asks "price?" once: one DM each
  int other_comments = 60;  // comments that no DM flow matches (a tagging flow takes them)
  int senders = 8;          // concurrent webhook senders
  int kills = 3;            // SIGKILLs while the webhooks are being sent
  std::uint32_t seed = 1;   // where the kills fall and in which order events go
  std::ostream* progress = nullptr;  // a line per phase and per kill, when given
};

struct KillLoopReport {
  std::uint32_t seed = 0;
  int events = 0;      // comment webhooks, each acknowledged in the end
  int deliveries = 0;  // attempts it took (redeliveries included)
  int kills = 0;
  int processed = 0;            // events the flows counted (once each: triggered)
  int lost = 0;                 // acknowledged but never processed
  int duplicated = 0;           // processed twice, plus DMs beyond one per matched commenter
  int dms_expected = 0;         // matched commenters
  int dms_received = 0;         // commenters the platform shows a DM to
  int dms_outcome_unknown = 0;  // interrupted calls the platform could not confirm either way
  // Every event counted by a flow and every DM's outcome recorded (sent, failed or unknown) before
  // the time limit: false when a step was left hanging, even if the platform shows it sent.
  bool settled = false;
  // With several instances: from each kill until another instance ran the workspace.
  std::vector<int> takeovers_ms;
  boost::json::object to_json() const;
};

// Throws (with what went wrong) when the rig cannot be set up or a phase does not finish in time.
KillLoopReport run_kill_loop(const std::string& sparks_binary, const KillLoopOptions& options);

// Disconnect is all or nothing: `flows` live flows need TikTok; a disconnect is asked for and
// `sparks serve` killed a random few milliseconds later, `rounds` times (reconnecting between).
// After each restart either the integration is disconnected and every flow paused by it, or it is
// still connected and every flow live.
struct DisconnectKillReport {
  int rounds = 0;
  int disconnected = 0;  // rounds where the disconnect had committed before the kill
  int torn = 0;          // rounds that found some flows paused and others live: must stay 0
  boost::json::object to_json() const;
};
DisconnectKillReport run_disconnect_kills(const std::string& sparks_binary, int flows, int rounds,
                                          std::uint32_t seed, std::ostream* progress = nullptr);

}  // namespace sparks::testing
