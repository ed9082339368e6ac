#include "store/sqlite/migrations.hpp"

#include <array>

namespace sparks::store::sqlite {
namespace {

// Conventions for every table:
// - STRICT, so that SQLite refuses a value of the wrong type instead of storing it as written.
// - Times are milliseconds since the Unix epoch, in columns named `*_ms`.
// - Lifecycle states are stored by name, never by their index in a compiled machine: a changed
//   lifecycle YAML must not silently remap an integration to another state.
// - Rows about one integration are keyed by (workspace_id, platform) without a foreign key to
//   `integrations`: the runtime writes them in whatever order its batch needs.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE integrations (
  workspace_id   TEXT    NOT NULL,
  platform       TEXT    NOT NULL,
  state          TEXT    NOT NULL,
  previous_state TEXT    NOT NULL,  -- the target of `to: previous` in the lifecycle
  before_previous_state TEXT NOT NULL,  -- previous_state's own way back, restored on returning
  account_json   TEXT,              -- the connected account as the plugin described it; NULL if none
  updated_at_ms  INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, platform)
) STRICT;

-- Append-only history: every transition an integration took, in the order it took them.
CREATE TABLE lifecycle_transitions (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  platform     TEXT    NOT NULL,
  from_state   TEXT    NOT NULL,
  to_state     TEXT    NOT NULL,
  event        TEXT    NOT NULL,
  actor        TEXT    NOT NULL,  -- who caused it: a person, a platform webhook, a timer
  at_ms        INTEGER NOT NULL
) STRICT;
CREATE INDEX lifecycle_transitions_by_integration
  ON lifecycle_transitions (workspace_id, platform, id);

-- The pending `after:` deadline of an integration's current state, so it survives a restart.
-- A state has at most one such deadline, hence one row per integration.
CREATE TABLE lifecycle_timers (
  workspace_id TEXT    NOT NULL,
  platform     TEXT    NOT NULL,
  state        TEXT    NOT NULL,  -- the state that armed it; stale if the integration has left it
  deadline_ms  INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, platform)
) STRICT;

-- Problems shown on an integration's card until they are cleared, one row per kind of problem.
CREATE TABLE integration_issues (
  workspace_id    TEXT    NOT NULL,
  platform        TEXT    NOT NULL,
  code            TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  troubleshooting TEXT    NOT NULL,
  raised_at_ms    INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, platform, code)
) STRICT;

-- paused_by says who paused an automation, so that an integration coming back resumes only what
-- it paused itself: 'person' for a pause by hand, else the platform id of the integration.
CREATE TABLE automations (
  workspace_id TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  name         TEXT    NOT NULL,
  status       TEXT    NOT NULL CHECK (status IN ('draft', 'live', 'paused')),
  paused_by    TEXT,
  version      INTEGER NOT NULL,  -- version of the automation's flow definition
  PRIMARY KEY (workspace_id, id),
  CHECK ((status = 'paused') = (paused_by IS NOT NULL))  -- paused exactly when someone paused it
) STRICT;

-- The integrations an automation needs; losing one pauses the automation.
CREATE TABLE automation_requirements (
  workspace_id  TEXT NOT NULL,
  automation_id TEXT NOT NULL,
  platform      TEXT NOT NULL,
  PRIMARY KEY (workspace_id, automation_id, platform),
  FOREIGN KEY (workspace_id, automation_id) REFERENCES automations (workspace_id, id)
    ON DELETE CASCADE
) STRICT;
-- Disconnecting an integration looks its dependents up by platform.
CREATE INDEX automation_requirements_by_platform
  ON automation_requirements (workspace_id, platform, automation_id);

-- Tokens at rest. `sealed` is encrypted by the caller; the store never sees a plain token.
CREATE TABLE credentials (
  workspace_id  TEXT    NOT NULL,
  platform      TEXT    NOT NULL,
  sealed        BLOB    NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, platform)
) STRICT;

-- Every inbound event, written before it is acknowledged. A platform that delivers an event twice
-- sends the same dedupe key, and the second copy is refused by the UNIQUE constraint.
CREATE TABLE event_log (
  id             INTEGER PRIMARY KEY,
  workspace_id   TEXT    NOT NULL,
  platform       TEXT    NOT NULL,
  source         TEXT    NOT NULL,  -- how it arrived, e.g. 'webhook' or 'api'
  dedupe_key     TEXT    NOT NULL,
  kind           TEXT    NOT NULL,
  payload        TEXT    NOT NULL,  -- normalized JSON
  received_at_ms INTEGER NOT NULL,
  UNIQUE (platform, dedupe_key)
) STRICT;
)sql";

constexpr std::string_view kOAuthAndAudit = R"sql(
-- An authorization in progress, under the nonce of its signed OAuth state. Taken (deleted) by the
-- callback that completes it, so a state works once.
CREATE TABLE oauth_sessions (
  nonce           TEXT    PRIMARY KEY,
  workspace_id    TEXT    NOT NULL,
  platform        TEXT    NOT NULL,
  member          TEXT    NOT NULL,
  redirect_uri    TEXT    NOT NULL,
  sealed_verifier TEXT,             -- the PKCE verifier, encrypted (base64url); NULL without PKCE
  expires_at_ms   INTEGER NOT NULL
) STRICT;

-- Who connected, disconnected or was refused what, and when.
CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  workspace_id TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  action       TEXT    NOT NULL,  -- e.g. 'connect', 'disconnect', 'close_workspace'
  platform     TEXT,
  outcome      TEXT    NOT NULL,  -- 'ok', or the refusal, e.g. 'not_owner'
  detail       TEXT,
  at_ms        INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, id);

-- Each plugin's key-value store, per integration (the plugin names the integration it concerns).
CREATE TABLE plugin_kv (
  platform    TEXT NOT NULL,
  integration TEXT NOT NULL,
  key         TEXT NOT NULL,
  value       TEXT NOT NULL,
  PRIMARY KEY (platform, integration, key)
) STRICT;
)sql";

constexpr std::string_view kConnectionsFlowsAndData = R"sql(
-- What an integration's card shows beyond its lifecycle state. `account_id` is how webhooks name
-- the account (TikTok open_id, Shop shop_id): the index routes an inbound event to its workspace.
CREATE TABLE integration_facts (
  workspace_id           TEXT    NOT NULL,
  platform               TEXT    NOT NULL,
  account_id             TEXT,
  account_json           TEXT,
  granted_scopes         TEXT    NOT NULL DEFAULT '[]',  -- JSON arrays
  missing_scopes         TEXT    NOT NULL DEFAULT '[]',
  ever_connected         INTEGER NOT NULL DEFAULT 0,
  connected_at_ms        INTEGER,
  last_sync_ms           INTEGER,
  last_webhook_ms        INTEGER,
  unreported_activity_ms INTEGER,  -- a sync saw activity that no webhook had reported
  token_expires_at_ms    INTEGER,
  PRIMARY KEY (workspace_id, platform)
) STRICT;
CREATE INDEX integration_facts_by_account ON integration_facts (platform, account_id);

-- Every version of every flow, as written (YAML) and as loaded (JSON). A run keeps the version it
-- started with, so editing a live flow adds a version instead of changing one.
CREATE TABLE flow_versions (
  workspace_id  TEXT    NOT NULL,
  flow_id       TEXT    NOT NULL,
  version       INTEGER NOT NULL,
  yaml          TEXT    NOT NULL,
  definition    TEXT    NOT NULL,
  warnings      TEXT    NOT NULL DEFAULT '[]',
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, flow_id, version)
) STRICT;

-- The Shop's catalog as last synced: flows name products by seller_sku.
CREATE TABLE catalog_skus (
  workspace_id TEXT    NOT NULL,
  sku_id       TEXT    NOT NULL,
  product_id   TEXT    NOT NULL,
  seller_sku   TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  price        TEXT    NOT NULL,
  currency     TEXT    NOT NULL,
  synced_at_ms INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, sku_id)
) STRICT;

-- The creator's posts as last synced (video filters, attribution).
CREATE TABLE posts (
  workspace_id TEXT    NOT NULL,
  video_id     TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  synced_at_ms INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, video_id)
) STRICT;

-- People who commented or wrote. Kept when an integration is disconnected; deleted only with
-- their workspace.
CREATE TABLE contacts (
  workspace_id    TEXT    NOT NULL,
  user_id         TEXT    NOT NULL,
  username        TEXT    NOT NULL,
  tags            TEXT    NOT NULL DEFAULT '[]',
  fields          TEXT    NOT NULL DEFAULT '{}',
  first_seen_ms   INTEGER NOT NULL,
  last_seen_ms    INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
) STRICT;

-- Who commented on which video, and in which event first (the "first comment" trigger option).
CREATE TABLE video_commenters (
  workspace_id   TEXT    NOT NULL,
  video_id       TEXT    NOT NULL,
  user_id        TEXT    NOT NULL,
  first_event_id INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, video_id, user_id)
) STRICT;

-- The inbox: messages in both directions, by conversation, with their delivery status.
CREATE TABLE inbox_messages (
  id                  INTEGER PRIMARY KEY,
  workspace_id        TEXT    NOT NULL,
  conversation_id     TEXT    NOT NULL,
  user_id             TEXT    NOT NULL,
  direction           TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  text                TEXT    NOT NULL,
  status              TEXT    NOT NULL,  -- 'received', 'sent', 'failed', 'skipped'
  flow_id             TEXT,
  platform_message_id TEXT,
  skus                TEXT    NOT NULL DEFAULT '[]',  -- seller SKUs the message named
  at_ms               INTEGER NOT NULL
) STRICT;
CREATE INDEX inbox_messages_by_user ON inbox_messages (workspace_id, user_id, at_ms);

-- Orders seen from the Shop, with the flow and conversation they are attributed to (if any).
CREATE TABLE orders (
  workspace_id    TEXT    NOT NULL,
  order_id        TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  buyer_user_id   TEXT,
  total           TEXT,
  currency        TEXT,
  line_items      TEXT    NOT NULL DEFAULT '[]',
  flow_id         TEXT,
  conversation_id TEXT,
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, order_id)
) STRICT;

-- Every action a flow run asked for, written before the run is done and sent from here, so that a
-- crash loses none and a replay sends none twice (the idempotency key names the event, the flow and
-- the step). `wait` steps are rows too: the rest of the run, due later.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  workspace_id    TEXT    NOT NULL,
  platform        TEXT    NOT NULL,  -- '' for the engine's own steps
  action          TEXT    NOT NULL,
  params          TEXT    NOT NULL,  -- JSON
  idempotency_key TEXT    NOT NULL UNIQUE,
  flow_id         TEXT    NOT NULL,
  flow_version    INTEGER NOT NULL,
  user_id         TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  due_at_ms       INTEGER NOT NULL,
  last_error      TEXT,
  created_at_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_pending ON outbox (status, due_at_ms);

-- What each trigger event did, per flow: ran, skipped (and why), or not run because its
-- integration was down. An event with no row here has not been handled yet (held while paused).
CREATE TABLE flow_runs (
  workspace_id TEXT    NOT NULL,
  event_id     INTEGER NOT NULL,  -- event_log.id
  flow_id      TEXT    NOT NULL,  -- '' when no flow was tried
  flow_version INTEGER NOT NULL,
  outcome      TEXT    NOT NULL,  -- 'ran', 'skipped', 'not_running'
  reason       TEXT    NOT NULL,
  at_ms        INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, event_id, flow_id)
) STRICT;

-- Per-flow counters: triggered, dms_sent, skipped:<reason>, orders, revenue_cents.
CREATE TABLE flow_stats (
  workspace_id TEXT    NOT NULL,
  flow_id      TEXT    NOT NULL,
  counter      TEXT    NOT NULL,
  value        INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, flow_id, counter)
) STRICT;
)sql";

// A product's link comes from its connector (each SKU keeps its product's page); rows synced
// before have none until the next sync replaces them.
constexpr std::string_view kCatalogUrls = R"sql(
ALTER TABLE catalog_skus ADD COLUMN url TEXT NOT NULL DEFAULT '';
)sql";

// Orders are tied to the message whose code they bring back (no platform shares a person id
// between TikTok and the Shop): each sent message keeps its code, each attribution its method.
constexpr std::string_view kAttributionCodes = R"sql(
ALTER TABLE inbox_messages ADD COLUMN attribution_code TEXT;
CREATE INDEX inbox_messages_by_attribution_code ON inbox_messages (workspace_id, attribution_code)
  WHERE attribution_code IS NOT NULL;
ALTER TABLE orders ADD COLUMN attribution_method TEXT;
)sql";

// Crash safety (docs/architecture.md, "Crash safety"). An event is handled once what it did is
// stored (its runs, its transition), in the same commit: one with no time here is processed at
// start-up, or when the platform delivers it again. An outbox step is marked in flight before its
// platform call; one a crash left in flight is checked with the platform, or recorded as unknown,
// and never sent blind a second time.
constexpr std::string_view kCrashSafety = R"sql(
ALTER TABLE event_log ADD COLUMN handled_at_ms INTEGER;
UPDATE event_log SET handled_at_ms = received_at_ms
  WHERE kind NOT LIKE '%.%'
     OR EXISTS (SELECT 1 FROM flow_runs r WHERE r.workspace_id = event_log.workspace_id
                                            AND r.event_id = event_log.id);
CREATE INDEX event_log_unhandled ON event_log (id) WHERE handled_at_ms IS NULL;

CREATE TABLE outbox_with_in_flight (
  id              INTEGER PRIMARY KEY,
  workspace_id    TEXT    NOT NULL,
  platform        TEXT    NOT NULL,
  action          TEXT    NOT NULL,
  params          TEXT    NOT NULL,
  idempotency_key TEXT    NOT NULL UNIQUE,
  flow_id         TEXT    NOT NULL,
  flow_version    INTEGER NOT NULL,
  user_id         TEXT    NOT NULL,
  status          TEXT    NOT NULL
                  CHECK (status IN ('pending', 'in_flight', 'sent', 'failed', 'skipped', 'unknown')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  due_at_ms       INTEGER NOT NULL,
  last_error      TEXT,
  created_at_ms   INTEGER NOT NULL
) STRICT;
INSERT INTO outbox_with_in_flight SELECT * FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_with_in_flight RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (status, due_at_ms);
)sql";

// Several instances on one store (docs/scaling.md): who is alive, and which one runs each
// workspace. A store one instance uses has them too, for the same operations on every backend.
constexpr std::string_view kWorkspaceLeases = R"sql(
CREATE TABLE instances (
  instance_id TEXT    PRIMARY KEY,
  url         TEXT    NOT NULL,
  seen_at_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE workspace_leases (
  workspace_id  TEXT    PRIMARY KEY,
  owner         TEXT    NOT NULL,  -- an instance id
  fence         INTEGER NOT NULL,  -- rises whenever the lease changes hands
  expires_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX workspace_leases_by_owner ON workspace_leases (owner);
)sql";

constexpr std::array kMigrations{
    Migration{1, "initial schema", kInitialSchema},
    Migration{2, "OAuth sessions, the audit log and plugin storage", kOAuthAndAudit},
    Migration{3, "integration facts, flow versions, catalog, contacts, inbox, orders",
              kConnectionsFlowsAndData},
    Migration{4, "the catalog's product links", kCatalogUrls},
    Migration{5, "attribution codes of sent messages, and how each order was attributed",
              kAttributionCodes},
    Migration{6, "events marked handled; outbox steps in flight and of unknown outcome",
              kCrashSafety},
    Migration{7, "instances and workspace leases", kWorkspaceLeases},
};

static_assert(store::versions_are_consecutive(kMigrations),
              "migration versions must be 1, 2, 3, … in order");

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int newest_schema_version() {
  return kMigrations.back().version;
}

}  // namespace sparks::store::sqlite
