// The JSON field readers the engine and the connectors share (sparks/json_fields.hpp).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sparks/json_fields.hpp>

namespace {

using sparks::json_fields::integer;

TEST(JsonFields, IntegerReadsNumbersAndDigitStrings) {
  const auto object =
      boost::json::parse(R"({"a": 42, "b": "1767225600", "c": 3.9, "d": "x1"})").as_object();
  EXPECT_EQ(integer(object, "a"), 42);
  EXPECT_EQ(integer(object, "b"), 1767225600);
  EXPECT_EQ(integer(object, "c"), 3);
  EXPECT_EQ(integer(object, "d"), std::nullopt);
  EXPECT_EQ(integer(object, "missing"), std::nullopt);
}

// Found by the shop_webhook fuzz target (tests/fuzz/shop_webhook/regressions/): a notification's
// "type" of 6.3e20 was converted to int64, which is undefined behaviour.
TEST(JsonFields, IntegerOfANumberBeyond64BitsIsNone) {
  const auto object = boost::json::parse(R"({"big": 627112339057915737191.37, "neg": -1e19,
                                             "huge": 18446744073709551615, "edge": -9223372036854775808})")
                          .as_object();
  EXPECT_EQ(integer(object, "big"), std::nullopt);
  EXPECT_EQ(integer(object, "neg"), std::nullopt);
  EXPECT_EQ(integer(object, "huge"), std::nullopt);
  EXPECT_EQ(integer(object, "edge"), INT64_MIN);
}

}  // namespace
