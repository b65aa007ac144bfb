// support/text.hpp: character counts, case folding and the did-you-mean
// every "unknown name" message offers.
#include <catch2/catch.hpp>

#include "support/text.hpp"

using namespace regsim::support;

TEST_CASE("support: code points, ASCII case folding, join", "[support][text]") {
  CHECK(code_points("abc") == 3);
  CHECK(code_points("山西省") == 3);
  CHECK(code_points("") == 0);
  CHECK(ascii_lower("Shanxi YES 山西") == "shanxi yes 山西");
  const std::vector<std::string> names{"a", "b", "c"};
  CHECK(join(names) == "a, b, c");
  CHECK(join(names, "|") == "a|b|c");
}

TEST_CASE("support: did-you-mean within a third of the word's length", "[support][text]") {
  const std::vector<std::string> names{"category", "province", "resource"};
  CHECK(edit_distance("provnice", "province") == 1);  // a transposition is one edit
  CHECK(nearest_name("provnce", names) == "province");
  CHECK(nearest_name("categroy", names) == "category");
  CHECK(nearest_name("xyz", names).empty());
  CHECK(nearest_name("res", names).empty());  // too far for a three-letter word
}
