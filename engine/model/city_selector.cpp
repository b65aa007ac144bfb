#include "model/city_selector.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "support/text.hpp"

namespace regsim::model {

namespace {

using support::ascii_lower;
using support::code_points;

template <class E>
bool contains(const std::vector<E>& values, E v) {
  return values.empty() || std::find(values.begin(), values.end(), v) != values.end();
}

template <class E>
std::optional<BadValue> add_enum(std::vector<E>& into, std::string_view value) {
  if (auto v = parse_enum<E>(ascii_lower(value))) {
    into.push_back(*v);
    return std::nullopt;
  }
  const auto names = enum_names<E>();
  return BadValue{fmt::format("unknown {} '{}'", EnumTraits<E>::noun, value),
                  "one of: " + support::join(names),
                  support::nearest_name(ascii_lower(value), names)};
}

}  // namespace

std::optional<Criterion> find_criterion(std::string_view key) {
  for (const CriterionKey& k : criterion_keys) {
    if (k.key == key) return k.criterion;
  }
  return std::nullopt;
}

std::vector<std::string> criterion_key_names() {
  std::vector<std::string> out;
  for (const CriterionKey& k : criterion_keys) out.emplace_back(k.key);
  return out;
}

std::string expected_value(Criterion c) {
  switch (c) {
    case Criterion::category:
      return "one of: " + support::join(enum_names<Category>());
    case Criterion::resource:
      return "one of: " + support::join(enum_names<Resource>());
    case Criterion::admin_level:
      return "one of: " + support::join(enum_names<AdminLevel>());
    case Criterion::macro_region:
      return "one of: " + support::join(enum_names<MacroRegion>());
    case Criterion::province:
      return "a province name, in English or Chinese";
    case Criterion::exhausted:
      return "yes, no, or a batch number: 1 (2008), 2 (2009), 3 (2011)";
    case Criterion::cities:
      return "city ids or names (Chinese or English)";
  }
  return {};
}

std::optional<BadValue> add_value(Selector& sel, Criterion c, std::string_view value,
                                  std::string_view key) {
  switch (c) {
    case Criterion::category:
      return add_enum(sel.categories, value);
    case Criterion::resource:
      return add_enum(sel.resources, value);
    case Criterion::admin_level:
      return add_enum(sel.admin_levels, value);
    case Criterion::macro_region:
      return add_enum(sel.macro_regions, value);
    case Criterion::province:
      sel.provinces.emplace_back(value);
      return std::nullopt;
    case Criterion::cities:
      sel.cities.emplace_back(value);
      return std::nullopt;
    case Criterion::exhausted: {
      const std::string w = ascii_lower(value);
      if (w == "yes" || w == "true") {
        sel.exhausted.push_back(exhausted_any);
      } else if (w == "no" || w == "false") {
        sel.exhausted.push_back(exhausted_no);
      } else if (w == "1" || w == "2" || w == "3") {
        sel.exhausted.push_back(w[0] - '0');
      } else {
        const std::vector<std::string> words(std::begin(exhausted_words),
                                             std::end(exhausted_words));
        return BadValue{fmt::format("{} must be yes, no or a batch number, got '{}'", key, value),
                        expected_value(c), support::nearest_name(w, words)};
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool Selector::all() const {
  return categories.empty() && provinces.empty() && resources.empty() && admin_levels.empty() &&
         macro_regions.empty() && exhausted.empty() && cities.empty();
}

std::vector<std::string> province_names(const CityCatalogue& region) {
  std::vector<std::string> out;
  for (const City& c : region.cities) {
    if (std::find(out.begin(), out.end(), c.province_en) == out.end()) out.push_back(c.province_en);
  }
  return out;
}

std::optional<std::string> find_province(const CityCatalogue& region, std::string_view name) {
  const std::string v = ascii_lower(name);
  for (const City& c : region.cities) {
    const std::string& zh = c.province_zh;
    if (ascii_lower(c.province_en) == v || zh == name ||
        (code_points(name) >= 2 && !zh.empty() && std::string_view(zh).starts_with(name))) {
      return c.province_en;
    }
  }
  return std::nullopt;
}

std::optional<std::uint32_t> find_city(const CityCatalogue& region, std::string_view id_or_name) {
  std::int32_t id = 0;
  const char* end = id_or_name.data() + id_or_name.size();
  const auto [ptr, ec] = std::from_chars(id_or_name.data(), end, id);
  if (ec == std::errc{} && ptr == end) {
    if (auto i = region.find(id)) return static_cast<std::uint32_t>(*i);
    return std::nullopt;
  }
  const std::string v = ascii_lower(id_or_name);
  for (std::uint32_t i = 0; i < region.size(); ++i) {
    const City& c = region.cities[i];
    if (c.name_zh == id_or_name || ascii_lower(c.name_en) == v) return i;
  }
  for (std::uint32_t i = 0; i < region.size(); ++i) {
    const std::string_view zh = region.cities[i].name_zh;
    for (std::string_view suffix : {"市", "县", "区"}) {
      if (zh.ends_with(suffix) && zh.substr(0, zh.size() - suffix.size()) == id_or_name) return i;
    }
  }
  return std::nullopt;
}

std::vector<std::uint32_t> Selector::select(const CityCatalogue& region) const {
  std::vector<std::string> province_en;
  for (const auto& p : provinces) {
    if (auto en = find_province(region, p)) province_en.push_back(*en);
  }
  std::vector<std::uint32_t> city_index;
  for (const auto& c : cities) {
    if (auto i = find_city(region, c)) city_index.push_back(*i);
  }
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < region.size(); ++i) {
    const City& c = region.cities[i];
    const bool province_ok = provinces.empty() || std::find(province_en.begin(), province_en.end(),
                                                            c.province_en) != province_en.end();
    const bool city_ok =
        cities.empty() || std::find(city_index.begin(), city_index.end(), i) != city_index.end();
    const bool exhausted_ok =
        exhausted.empty() || std::any_of(exhausted.begin(), exhausted.end(), [&](int b) {
          return b == exhausted_any ? c.exhausted() : b == static_cast<int>(c.exhausted_batch);
        });
    if (contains(categories, c.category) && contains(resources, c.primary_resource) &&
        contains(admin_levels, c.admin_level) && contains(macro_regions, c.macro_region) &&
        province_ok && city_ok && exhausted_ok) {
      out.push_back(i);
    }
  }
  return out;
}

std::string Selector::to_where() const {
  std::string out;
  const auto add = [&](std::string_view key, std::string_view value) {
    if (!out.empty()) out += ',';
    out.append(key).append("=").append(value);
  };
  for (Category v : categories) add("category", to_string(v));
  for (const auto& v : provinces) add("province", v);
  for (Resource v : resources) add("resource", to_string(v));
  for (AdminLevel v : admin_levels) add("admin_level", to_string(v));
  for (MacroRegion v : macro_regions) add("macro_region", to_string(v));
  for (int v : exhausted) {
    add("exhausted", v == exhausted_no ? "no" : v == exhausted_any ? "yes" : std::to_string(v));
  }
  for (const auto& v : cities) add("id", v);
  return out.empty() ? "all" : out;
}

}  // namespace regsim::model
