// The TikTok Shop connector's descriptor: its Partner Center permissions (scopes), the lifecycle
// events it emits, the order trigger and the order lookup action, and the product and order syncs.
#include "tiktok_shop/tiktok_shop.hpp"

namespace sparks::tiktok_shop {

sparks::plugin::Manifest manifest() {
  return {
      .platform_id = std::string(kPlatform),
      .display_name = "TikTok Shop",
      .version = "1.0.0",
      // Named as Partner Center names its permissions (docs/connectors.md). The shop and the
      // product permissions guard connecting and the catalog sync, not a flow step, so they
      // enable no trigger or action (their descriptions say what).
      .scopes = {{.name = "seller.authorization.info",
                  .description = "See which shop was authorized (connecting, the shop's card, "
                                 "webhook subscription)",
                  .required = true,
                  .enables = {}},
                 {.name = "seller.order.info",
                  .description = "Read the shop's orders (new-order trigger, order lookup, "
                                 "attribution)",
                  .required = true,
                  .enables = {"tiktok_shop.order", "tiktok_shop.get_order"}},
                 {.name = "seller.product.basic",
                  .description = "Read the shop's product catalog (catalog sync, product links "
                                 "in messages)",
                  .required = true,
                  .enables = {}}},
      // platform_recovered as well as platform_unavailable: a pause for an outage must be able to
      // end without a person.
      // authorization_expiring: the platform's notice, 30 days ahead, that the seller's grant will
      // lapse unless they re-authorize.
      .lifecycle_triggers = {"authorization_removed", "authorization_expiring", "token_refreshed",
                             "token_refresh_failed", "refresh_token_rejected",
                             "platform_unavailable", "platform_recovered"},
      .triggers =
          {{.name = "tiktok_shop.order",
            .description = "An order was placed or changed status",
            .params =
                {{.name = "order_id", .required = true, .description = "The order's id"},
                 {.name = "order_status", .required = true, .description = "AWAITING_SHIPMENT, …"},
                 {.name = "update_time",
                  .type = SPARKS_PARAM_INTEGER,
                  .required = true,
                  .description = "Unix seconds"}},
            .kind = SPARKS_TRIGGER_ORDER,
            // total and currency come from the order the engine looks up (the orders sync).
            .variables = {{.name = "order.id", .field = "order_id", .description = "Its id"},
                          {.name = "order.status",
                           .field = "order_status",
                           .description = "AWAITING_SHIPMENT, IN_TRANSIT, DELIVERED, …"},
                          {.name = "order.total", .field = "total", .description = "What it costs"},
                          {.name = "order.currency",
                           .field = "currency",
                           .description = "The total's currency"}}}},
      .actions = {{.name = "tiktok_shop.get_order",
                   .description =
                       "Fetch an order with its line items, buyer and note (attribution)",
                   .params = {{.name = "order_id",
                               .required = true,
                               .description = "The order to fetch",
                               .default_value = "{{order.id}}"}},
                   .answers = SPARKS_TRIGGER_ORDER}},
      .syncs = {{.what = "products", .kind = SPARKS_SYNC_PRODUCTS, .scope = "seller.product.basic"},
                {.what = "orders", .kind = SPARKS_SYNC_ORDERS, .scope = "seller.order.info"}},
  };
}

}  // namespace sparks::tiktok_shop
