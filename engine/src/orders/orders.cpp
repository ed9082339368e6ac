// Orders: a shop's order event is looked up at the platform (buyer, line items, total), stored,
// and attributed to the most recent DM a flow sent the buyer within the attribution window —
// preferring one that named a SKU of the order; the flow is credited with the order and its
// revenue. Then the order's flows run like any trigger's.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <cmath>

#include "plugins/loaded_plugin.hpp"
#include "runtime/engine_impl.hpp"
#include "util/json_fields.hpp"

namespace sparks {

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
  auto store_and_run = [self = shared_from_this(), ws, row](json::object payload,
                                                            json::value order) mutable {
    store::OrderRow o{row.workspace_id,
                      text(payload, "order_id"),
                      text(payload, "order_status"),
                      {},
                      {},
                      {},
                      "[]",
                      to_ms(self->options.now())};
    std::vector<std::string> skus;
    if (order.is_object()) {
      const auto& obj = order.get_object();
      if (auto buyer = text(obj, "user_id"); !buyer.empty()) o.buyer_user_id = buyer;
      if (!text(obj, "status").empty()) o.status = text(obj, "status");
      if (const auto* pay = obj.if_contains("payment"); pay && pay->is_object()) {
        o.total = text(pay->get_object(), "total_amount");
        o.currency = text(pay->get_object(), "currency");
      }
      if (const auto* items = obj.if_contains("line_items"); items && items->is_array()) {
        o.line_items = json::serialize(*items);
        for (const auto& item : items->get_array())
          if (item.is_object()) skus.push_back(text(item.get_object(), "seller_sku"));
      }
    }
    if (o.buyer_user_id) payload["user"] = *o.buyer_user_id;
    if (o.total) payload["total"] = *o.total;
    if (o.currency) payload["currency"] = *o.currency;
    const auto since = to_ms(self->options.now() - self->options.attribution_window);
    self->writer.submit(
        [o, skus, since](store::Transaction& tx) {
          if (!tx.upsert_order(o) || !o.buyer_user_id) return;
          auto attribution = tx.find_attribution(o.workspace_id, *o.buyer_user_id, since, skus);
          if (!attribution) return;
          tx.attribute_order(o.workspace_id, o.order_id, *attribution);
          tx.add_flow_stat(o.workspace_id, attribution->flow_id, "orders", 1);
          tx.add_flow_stat(o.workspace_id, attribution->flow_id, "revenue_cents",
                           cents(o.total.value_or("0")));
        },
        ws->strand,
        [self, ws, row, payload](std::exception_ptr error) mutable {
          if (error)
            spdlog::error("{}: order {} could not be stored", ws->id, text(payload, "order_id"));
          self->run_flows(ws, row, std::move(payload));
        });
  };
  if (!connector || !is_live(shop) || !shop.credentials || order_id.empty())
    return store_and_run(std::move(payload), nullptr);
  json::object request{{"credentials", *shop.credentials},
                       {"action", "tiktok_shop.get_order"},
                       {"params", {{"order_id", order_id}}}};
  connector->call(
      plugins::Operation::execute_action, ws->id, json::serialize(request),
      [store_and_run, payload, ws, order_id](sparks_status_t status, std::string result) mutable {
        if (status != SPARKS_OK)
          spdlog::warn("{}: order {} could not be fetched: {}", ws->id, order_id, result);
        store_and_run(std::move(payload),
                      status == SPARKS_OK ? json_fields::parse_or_null(result) : json::value());
      });
}

}  // namespace sparks
