#pragma once
// What a flow run sends a plugin, from what the plugin's descriptor says: the template variables an
// event offers (each read from the payload field its trigger names), and the parameters of an
// action step (the flow's, rendered as templates, then the descriptor's defaults for those it did
// not give). Pure functions, tested without an engine.
#include <boost/json/object.hpp>
#include <optional>

#include "flows/capabilities.hpp"
#include "flows/matching.hpp"

namespace sparks::runtime {

// {"contact": contact, "comment": {"id": …, "text": …}, …}: `contact` as given, and every
// variable `trigger` declares (none when it is unknown), as the payload has it.
boost::json::object event_variables(const flows::TriggerInfo* trigger,
                                    const boost::json::object& payload,
                                    boost::json::object contact);

// {"title", "price" (with its currency), "link", "sku"}: the product.* variables.
boost::json::object product_variables(const CatalogItem& item);

// The params a plugin action is sent: each of the flow's (but `product`, the engine's), a text
// rendered as a template over `variables`; each declared default the flow did not override,
// rendered too; and for an action that messages the contact, `skus`: the product's seller_sku.
boost::json::object action_params(const flows::ActionInfo& action,
                                  const boost::json::object& flow_params,
                                  const boost::json::object& variables,
                                  const std::optional<CatalogItem>& product);

}  // namespace sparks::runtime
