// Orders: an order trigger's order is looked up through the sync its plugin declares for orders
// (buyer, items, total and the codes it brought back, in the normalized shape of sparks/plugin.h),
// stored, and attributed to the message a flow sent within the attribution window whose
// {{attribution.code}} came back with it; the flow is credited with the order and its revenue.
// Nothing else ties an order to a message: no platform links a Shop buyer to a TikTok person.
// Then the order's flows run like any trigger's.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cmath>

#include <sparks/json_fields.hpp>
#include "plugins/loaded_plugin.hpp"
#include "plugins/normalized.hpp"
#include "runtime/engine_impl.hpp"

namespace sparks {

using json_fields::strings;
using json_fields::text;

using runtime::to_ms;
namespace json = boost::json;

namespace {

std::int64_t cents(const std::string& amount) {
  try {
    return static_cast<std::int64_t>(std::llround(std::stod(amount) * 100));
  } catch (...) {
    return 0;
  }
}

}  // namespace

void Engine::Impl::receive_order(const WorkspacePtr& ws, store::EventRow row,
                                 json::object payload) {
  auto& shop = integration(*ws, row.platform);
  auto* connector = plugin(row.platform);
  const auto order_id = text(payload, "order_id");
  // The order, in the shape plugins give it (sparks/plugin.h), or none when it could not be read.
  auto store_and_run = [self = shared_from_this(), ws, row](
                           json::object payload,
                           std::optional<plugins::normalized::Order> order) mutable {
    store::OrderRow o{row.workspace_id,
                      text(payload, "order_id"),
                      text(payload, "order_status"),
                      {},
                      {},
                      {},
                      "[]",
                      to_ms(self->options.now())};
    std::vector<std::string> codes;
    if (order) {
      if (!order->buyer.empty()) o.buyer_user_id = order->buyer;
      if (!order->status.empty()) o.status = order->status;
      if (!order->total.empty()) o.total = order->total;
      if (!order->currency.empty()) o.currency = order->currency;
      o.line_items = json::serialize(order->items);
      codes = order->attribution_codes;
    }
    // What flows read of the order (the trigger's variables name these payload fields).
    if (o.buyer_user_id) payload["user"] = *o.buyer_user_id;
    if (o.total) payload["total"] = *o.total;
    if (o.currency) payload["currency"] = *o.currency;
    const auto since = to_ms(self->options.now() - self->options.attribution_window);
    self->writer.submit(
        self->fenced(o.workspace_id,
                     [o, codes, since](store::Transaction& tx) {
                       if (!tx.upsert_order(o) || codes.empty()) return;
                       auto attribution = tx.find_attribution(o.workspace_id, codes, since);
                       if (!attribution) return;
                       tx.attribute_order(o.workspace_id, o.order_id, *attribution);
                       tx.add_flow_stat(o.workspace_id, attribution->flow_id, "orders", 1);
                       tx.add_flow_stat(o.workspace_id, attribution->flow_id, "revenue_cents",
                                        cents(o.total.value_or("0")));
                     }),
        ws->strand, [self, ws, row, payload](std::exception_ptr error) mutable {
          if (error)
            spdlog::error("{}: order {} could not be stored", ws->id, text(payload, "order_id"));
          self->run_flows(ws, row, std::move(payload));
        });
  };
  // Looked up through the sync the plugin declares for orders, when its scope was granted.
  const auto* lookup = connector ? connector->descriptor().sync_of_kind("orders") : nullptr;
  const bool allowed = lookup && shop.granted(lookup->scope);
  if (!allowed || !is_live(shop) || !shop.credentials || order_id.empty())
    return store_and_run(std::move(payload), std::nullopt);
  json::object request{{"credentials", *shop.credentials},
                       {"what", lookup->what},
                       {"ids", json::array{json::value(order_id)}}};
  connector->call(
      plugins::Operation::sync, ws->id, json::serialize(request),
      [store_and_run, payload, ws, order_id](sparks_status_t status, std::string result) mutable {
        std::optional<plugins::normalized::Order> order;
        if (status == SPARKS_OK) {
          const auto page = json_fields::parse_or_null(result);
          const auto* items = page.is_object() ? page.get_object().if_contains("items") : nullptr;
          if (items && items->is_array())
            order = plugins::normalized::order(items->get_array(), order_id);
          if (!order) result = "the plugin's answer has no order " + order_id;
        }
        if (!order)
          spdlog::warn("{}: order {} could not be looked up: {}", ws->id, order_id, result);
        store_and_run(std::move(payload), std::move(order));
      });
}

}  // namespace sparks
