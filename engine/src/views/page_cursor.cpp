#include "views/page_cursor.hpp"

#include <boost/json.hpp>

#include "crypto/random.hpp"

namespace sparks::runtime {

namespace {

constexpr std::string_view kVersion = "v1.";

Error invalid(std::string code, std::string message) {
  return Error{ErrorKind::invalid, std::move(code), std::move(message), {}};
}

}  // namespace

std::string encode_cursor(std::string_view listing, const store::PageKey& key) {
  const boost::json::array parts{boost::json::string_view(listing.data(), listing.size()),
                                 key.number, boost::json::string(key.text)};
  return std::string(kVersion) + crypto::base64url_encode(boost::json::serialize(parts));
}

std::optional<store::PageKey> decode_cursor(std::string_view listing, std::string_view cursor) {
  if (!cursor.starts_with(kVersion)) return std::nullopt;
  std::string text;
  if (!crypto::base64url_decode(cursor.substr(kVersion.size()), text)) return std::nullopt;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(text, ec);
  if (ec || !parsed.is_array()) return std::nullopt;
  const auto& parts = parsed.get_array();
  if (parts.size() != 3 || !parts[0].is_string() || parts[0].get_string() != listing ||
      !parts[1].is_int64() || !parts[2].is_string())
    return std::nullopt;
  return store::PageKey{parts[1].get_int64(), std::string(parts[2].get_string())};
}

std::variant<store::PageRequest, Error> page_request(std::string_view listing, const Page& page) {
  if (page.limit < 1 || page.limit > kMaxPageLimit)
    return invalid("invalid_limit", "limit must be a whole number from 1 to " +
                                        std::to_string(kMaxPageLimit) + " (got " +
                                        std::to_string(page.limit) + ")");
  store::PageRequest request;
  request.limit = static_cast<std::int64_t>(page.limit) + 1;
  if (!page.cursor.empty()) {
    request.after = decode_cursor(listing, page.cursor);
    if (!request.after)
      return invalid("invalid_cursor",
                     "the cursor is not one this listing gave out; pass the next_cursor of the "
                     "previous page, or none for the first page");
  }
  return request;
}

}  // namespace sparks::runtime
