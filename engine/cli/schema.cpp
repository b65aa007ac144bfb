// `regsim schema`: a JSON Schema (draft 2020-12) of scenario files, for
// editors (the YAML language server) to complete and check scenarios as they
// are typed. Generated from the registries the validator reads: the
// language's keys (scenario/keys.hpp), the levers and their parameters, the
// model parameters, the indicators and the city attributes, so it names
// exactly what `regsim validate` accepts.
//
// What a schema cannot see is left to `regsim validate`: files on disk
// (region, designs, price paths), the region's provinces and cities, dates
// against the horizon, orderings between two values (a < b, to >= from) and
// unique policy names (also across `extends`).
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "experiment/version.hpp"
#include "model/city_catalogue.hpp"
#include "model/city_selector.hpp"
#include "model/indicators.hpp"
#include "model/levers/registry.hpp"
#include "model/params.hpp"
#include "scenario/keys.hpp"
#include "scenario/scenario.hpp"

namespace regsim::cli {

namespace {

/// A JSON value, just enough to build the schema and print it.
class Json {
 public:
  using Members = std::vector<std::pair<std::string, Json>>;
  using Items = std::vector<Json>;

  Json() = default;  // null
  Json(std::string_view text) : kind_(Kind::string), text_(text) {}
  Json(const char* text) : Json(std::string_view(text)) {}
  Json(const std::string& text) : Json(std::string_view(text)) {}
  Json(bool b) : kind_(Kind::literal), text_(b ? "true" : "false") {}
  Json(double v) : kind_(Kind::literal), text_(fmt::format("{}", v)) {}
  Json(std::uint64_t v) : kind_(Kind::literal), text_(fmt::format("{}", v)) {}
  Json(Members m) : kind_(Kind::object), members_(std::move(m)) {}
  Json(Items i) : kind_(Kind::array), items_(std::move(i)) {}

  /// An object's members.
  Members& members() { return members_; }
  /// Sets a member (objects only), replacing one of the same key.
  Json& add(std::string key, Json value) {
    for (auto& [k, v] : members_) {
      if (k == key) {
        v = std::move(value);
        return *this;
      }
    }
    members_.emplace_back(std::move(key), std::move(value));
    return *this;
  }

  std::string dump(int indent = 0) const {
    const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
    const std::string close(static_cast<std::size_t>(indent), ' ');
    switch (kind_) {
      case Kind::null:
        return "null";
      case Kind::literal:
        return text_;
      case Kind::string:
        return quote(text_);
      case Kind::array: {
        if (items_.empty()) return "[]";
        std::string out = "[\n";
        for (std::size_t i = 0; i < items_.size(); ++i) {
          out += pad + items_[i].dump(indent + 2) + (i + 1 < items_.size() ? ",\n" : "\n");
        }
        return out + close + "]";
      }
      case Kind::object: {
        if (members_.empty()) return "{}";
        std::string out = "{\n";
        for (std::size_t i = 0; i < members_.size(); ++i) {
          out += pad + quote(members_[i].first) + ": " + members_[i].second.dump(indent + 2) +
                 (i + 1 < members_.size() ? ",\n" : "\n");
        }
        return out + close + "}";
      }
    }
    return {};
  }

 private:
  enum class Kind { null, literal, string, array, object };

  static std::string quote(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
      } else {
        out += c;  // UTF-8 passes through
      }
    }
    return out + "\"";
  }

  Kind kind_ = Kind::null;
  std::string text_;
  Members members_;
  Items items_;
};

Json ref(std::string_view def) { return Json::Members{{"$ref", fmt::format("#/$defs/{}", def)}}; }

using Key = scenario::keys::Key;

/// The schema of each key of a table, matched by name; every key of the
/// table must have one, so a key added to keys.hpp cannot be left out here.
std::vector<std::pair<Key, Json>> fields(std::span<const Key> keys,
                                         std::vector<std::pair<std::string_view, Json>> schemas) {
  std::vector<std::pair<Key, Json>> out;
  for (const Key& k : keys) {
    auto it = std::find_if(schemas.begin(), schemas.end(),
                           [&](const auto& s) { return s.first == k.name; });
    if (it == schemas.end()) {
      throw std::logic_error(fmt::format(
          "scenario key '{}' has no schema; this is a bug in regsim (add it to cli/schema.cpp)",
          k.name));
    }
    out.emplace_back(k, std::move(it->second));
  }
  return out;
}

/// An object with exactly these properties, each described by its key.
Json closed_object(std::vector<std::pair<Key, Json>> properties) {
  Json p = Json::Members{};
  for (auto& [key, schema] : properties) {
    if (!key.description.empty()) schema.add("description", key.description);
    p.add(std::string(key.name), std::move(schema));
  }
  return Json::Members{
      {"type", "object"}, {"properties", std::move(p)}, {"additionalProperties", false}};
}

/// One of the listed words, each with its description (shown on completion).
Json words(std::span<const scenario::keys::Key> keys) {
  Json::Items any;
  for (const auto& k : keys) {
    any.push_back(Json::Members{{"const", k.name}, {"description", k.description}});
  }
  return Json::Members{{"anyOf", std::move(any)}};
}

Json words(const std::vector<std::string>& names) {
  Json::Items e;
  for (const auto& n : names) e.emplace_back(n);
  return Json::Members{{"enum", std::move(e)}};
}

Json number(double lo, double hi) {
  Json s = Json::Members{{"type", "number"}};
  if (lo > -std::numeric_limits<double>::max()) s.add("minimum", lo);
  if (hi < std::numeric_limits<double>::max()) s.add("maximum", hi);
  return s;
}

Json any_number() { return Json::Members{{"type", "number"}}; }

Json integer(std::uint64_t lo, std::uint64_t hi) {
  return Json::Members{{"type", "integer"}, {"minimum", lo}, {"maximum", hi}};
}

/// A list of exactly n items, each matching `item`.
Json tuple(std::size_t n, Json item) {
  return Json::Members{{"type", "array"},
                       {"items", std::move(item)},
                       {"minItems", static_cast<std::uint64_t>(n)},
                       {"maxItems", static_cast<std::uint64_t>(n)}};
}

/// Present and equal to `value` (for if/then).
Json has(std::string_view key, Json value) {
  return Json::Members{{"properties", Json::Members{{std::string(key), std::move(value)}}},
                       {"required", Json::Items{Json(key)}}};
}

Json required(std::initializer_list<std::string_view> keys) {
  Json::Items r;
  for (const auto k : keys) r.emplace_back(k);
  return Json::Members{{"required", std::move(r)}};
}

/// Exactly one of these keys.
Json one_of_keys(std::initializer_list<std::string_view> keys) {
  Json::Items any;
  for (const auto k : keys) any.push_back(required({k}));
  return Json::Members{{"oneOf", std::move(any)}};
}

// The validator reads booleans as true/yes/on and false/no/off; YAML 1.2
// (the language server) reads yes/no/on/off as text, YAML 1.1 as booleans.
Json boolean() {
  return Json::Members{
      {"enum", Json::Items{true, false, "true", "false", "yes", "no", "on", "off"}}};
}

/// A month YYYY-MM from 2013-01 to 2060-12 (the horizon's bounds are the validator's to check).
Json month() {
  return Json::Members{{"type", "string"},
                       {"pattern", "^(201[3-9]|20[2-5][0-9]|2060)-(0[1-9]|1[0-2])$"}};
}

Json indicator() {
  Json::Items any;
  for (const auto& i : model::indicator_specs) {
    any.push_back(Json::Members{{"const", i.name},
                                {"description", fmt::format("{} [{}]", i.long_name, i.unit)}});
  }
  return Json::Members{{"anyOf", std::move(any)}};
}

/// One value or a non-empty list of them.
Json one_or_list(Json item) {
  Json list = Json::Members{{"type", "array"}, {"items", item}, {"minItems", std::uint64_t{1}}};
  return Json::Members{{"anyOf", Json::Items{std::move(item), std::move(list)}}};
}

// where: all | {criterion: value or list, ...}; `predicates` for policies.
Json selector(bool predicates) {
  const Json text_or_id = Json::Members{{"type", Json::Items{"string", "integer"}}};
  const Json exhausted = Json::Members{
      {"enum", Json::Items{true, false, "yes", "no", "true", "false", std::uint64_t{1},
                           std::uint64_t{2}, std::uint64_t{3}, "1", "2", "3"}}};
  const auto criterion_schema = [&](model::Criterion c) -> Json {
    switch (c) {
      case model::Criterion::category:
        return one_or_list(words(model::enum_names<model::Category>()));
      case model::Criterion::province:
        return one_or_list(Json::Members{{"type", "string"}});
      case model::Criterion::resource:
        return one_or_list(words(model::enum_names<model::Resource>()));
      case model::Criterion::admin_level:
        return one_or_list(words(model::enum_names<model::AdminLevel>()));
      case model::Criterion::macro_region:
        return one_or_list(words(model::enum_names<model::MacroRegion>()));
      case model::Criterion::exhausted:
        return one_or_list(exhausted);
      case model::Criterion::cities:
        return one_or_list(text_or_id);
    }
    return Json::Members{};
  };
  std::vector<std::pair<Key, Json>> criteria;
  for (const model::CriterionKey& k : model::criterion_keys) {
    criteria.emplace_back(Key{k.key, k.description}, criterion_schema(k.criterion));
  }
  if (predicates) {
    Json predicate = closed_object(fields(
        scenario::keys::predicate,
        {{"above", any_number()}, {"below", any_number()}, {"between", tuple(2, any_number())}}));
    predicate.add("minProperties", std::uint64_t{1});
    criteria.emplace_back(scenario::keys::selector_predicates,
                          Json::Members{{"type", "object"},
                                        {"propertyNames", ref("indicator")},
                                        {"additionalProperties", std::move(predicate)},
                                        {"minProperties", std::uint64_t{1}}});
  }
  return Json::Members{
      {"anyOf", Json::Items{Json::Members{{"const", "all"}}, closed_object(std::move(criteria))}}};
}

// A model parameter's value and what it is.
Json parameter_value(const model::ParamSpec& p) {
  Json s = number(p.min, p.max);
  s.add("default", p.default_value);
  s.add("description", fmt::format("[{}] {}", p.unit, p.source));
  return s;
}

// parameters: flat dotted names (`replacement.growth_rate: 0.06`) or nested
// maps (`replacement: {growth_rate: 0.06}`), as the validator flattens them.
Json parameters_under(const std::string& prefix) {
  Json properties = Json::Members{};
  std::vector<std::string> groups;
  for (const auto& p : model::param_specs) {
    std::string_view rest = p.name;
    if (!prefix.empty()) {
      if (!rest.starts_with(prefix + ".")) continue;
      rest.remove_prefix(prefix.size() + 1);
    }
    properties.add(std::string(rest), parameter_value(p));
    const auto dot = rest.find('.');
    if (dot == std::string_view::npos) continue;
    const std::string group(rest.substr(0, dot));
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
  }
  for (const auto& g : groups) {
    const std::string path = prefix.empty() ? g : prefix + "." + g;
    Json nested = parameters_under(path);
    nested.add("description", fmt::format("the parameters {}.*", path));
    properties.add(g, std::move(nested));
  }
  return Json::Members{{"type", prefix.empty() ? Json(Json::Items{"object", "null"}) : "object"},
                       {"properties", std::move(properties)},
                       {"additionalProperties", false}};
}

// One uncertainty: exactly one distribution over the parameter's range; `~`
// removes one inherited through extends.
Json uncertainty(const model::ParamSpec& p) {
  const Json in_range = number(p.min, p.max);
  const Json spread = Json::Members{{"type", "number"}, {"exclusiveMinimum", 0.0}};
  const Json location_spread = Json::Members{{"type", "array"},
                                             {"prefixItems", Json::Items{any_number(), spread}},
                                             {"minItems", std::uint64_t{2}},
                                             {"maxItems", std::uint64_t{2}}};
  auto distributions = fields(
      scenario::keys::distributions,
      {{"uniform", tuple(2, in_range)},
       {"normal", location_spread},
       {"lognormal", location_spread},
       {"triangular", tuple(3, in_range)},
       {"choice",
        Json::Members{{"type", "array"}, {"items", in_range}, {"minItems", std::uint64_t{1}}}}});
  Json::Items exactly_one;
  for (const auto& d : scenario::keys::distributions) exactly_one.push_back(required({d.name}));
  distributions.emplace_back(scenario::keys::truncate, tuple(2, in_range));
  Json spec = closed_object(std::move(distributions));
  spec.add("oneOf", std::move(exactly_one));
  return Json::Members{{"anyOf", Json::Items{Json::Members{{"type", "null"}}, std::move(spec)}},
                       {"description", fmt::format("[{}] in [{}, {}], default {}: {}", p.unit,
                                                   p.min, p.max, p.default_value, p.source)}};
}

Json uncertainties() {
  Json properties = Json::Members{};
  for (const auto& p : model::param_specs) properties.add(std::string(p.name), uncertainty(p));
  return Json::Members{{"type", Json::Items{"object", "null"}},
                       {"properties", std::move(properties)},
                       {"additionalProperties", false}};
}

// prices: and demand: {resource: {file: CSV}}.
Json index_paths() {
  Json properties = Json::Members{};
  for (const auto& r : model::enum_names<model::Resource>()) {
    Json path = closed_object(
        fields(scenario::keys::index_path, {{"file", Json::Members{{"type", "string"}}}}));
    path.add("required", Json::Items{"file"});
    properties.add(r, std::move(path));
  }
  return Json::Members{{"type", Json::Items{"object", "null"}},
                       {"properties", std::move(properties)},
                       {"additionalProperties", false}};
}

// experiment.precision, beside replications: auto.
Json precision() {
  Json p = closed_object(
      fields(scenario::keys::precision, {{"goals", one_or_list(Json::Members{{"type", "string"}})},
                                         {"half_width", number(0.001, 0.5)},
                                         {"batch", integer(1, 1'000'000)},
                                         {"max_replications", integer(1, 10'000'000)}}));
  p.add("required", Json::Items{"half_width"});
  return p;
}

Json experiment() {
  Json e = closed_object(fields(
      scenario::keys::experiment,
      {{"replications", Json::Members{{"anyOf", Json::Items{integer(1, 10'000'000),
                                                            Json::Members{{"const", "auto"}}}}}},
       {"seed", integer(0, std::numeric_limits<std::uint64_t>::max())},
       {"sampling", words(scenario::keys::samplers)},
       {"file", Json::Members{{"type", "string"}}},
       {"design", Json::Members{{"type", Json::Items{"string", "null"}}}},
       {"precision", precision()}}));
  // With sampling: design, a `design:` beside it would be a second design;
  // the same (~ or empty) is the only precision: beside a fixed count.
  const Json no_design = Json::Members{{"enum", Json::Items{Json(), ""}}};
  Json design =
      Json::Members{{"if", has("sampling", Json::Members{{"const", "design"}})},
                    {"then", Json::Members{{"properties", Json::Members{{"design", no_design}}}}}};
  // precision: goes with replications: auto (and Monte Carlo), and only with it.
  Json automatic = Json::Members{
      {"if", has("replications", Json::Members{{"const", "auto"}})},
      {"then",
       Json::Members{
           {"required", Json::Items{"precision"}},
           {"properties", Json::Members{{"sampling", Json::Members{{"const", "monte_carlo"}}}}}}},
      {"else", Json::Members{{"properties", Json::Members{{"precision", no_design}}}}}};
  e.add("allOf", Json::Items{std::move(design), std::move(automatic)});
  return e;
}

Json lever_names() {
  Json::Items any;
  for (const auto* l : model::levers::all()) {
    any.push_back(Json::Members{{"const", l->key}, {"description", l->summary}});
  }
  return Json::Members{{"anyOf", std::move(any)}};
}

// A lever's `set:`: its parameters with their ranges, units and defaults.
Json lever_set(const model::levers::Lever& lever) {
  std::vector<std::pair<Key, Json>> params;
  Json::Items needed;
  for (const auto& p : lever.params) {
    Json s;
    if (p.choices.empty()) {
      s = number(p.min, p.max);
      if (p.default_value) s.add("default", *p.default_value);
    } else {
      Json::Items choices(p.choices.begin(), p.choices.end());
      s = Json::Members{{"enum", std::move(choices)}};
      if (p.default_value) s.add("default", p.choices[static_cast<std::size_t>(*p.default_value)]);
    }
    s.add("description", fmt::format("[{}] {}", p.unit, p.description));
    params.emplace_back(Key{p.name, {}}, std::move(s));
    if (p.required()) needed.emplace_back(p.name);
  }
  Json set = closed_object(std::move(params));
  if (needed.empty()) {
    set.add("type", Json::Items{"object", "null"});  // `set: ~` keeps every default
  } else {
    set.add("required", std::move(needed));
  }
  return set;
}

Json policy() {
  Json p = closed_object(
      fields(scenario::keys::policy,
             {{"name", Json::Members{{"type", "string"}}},
              {"lever", ref("lever")},
              {"where", ref("policy_where")},
              {"when",
               closed_object(fields(scenario::keys::window, {{"from", month()}, {"to", month()}}))},
              {"set", Json::Members{{"type", Json::Items{"object", "null"}}}},
              {"trigger", ref("trigger")},
              {"source", Json::Members{{"type", "string"}}}}));
  p.add("required", Json::Items{"name", "lever"});
  Json::Items rules;
  for (const auto* l : model::levers::all()) {
    Json then = Json::Members{{"properties", Json::Members{{"set", lever_set(*l)}}}};
    const bool needs_set =
        std::any_of(l->params.begin(), l->params.end(), [](const auto& q) { return q.required(); });
    if (needs_set) then.add("required", Json::Items{"set"});
    if (!l->triggerable) then.add("not", required({"trigger"}));
    rules.push_back(Json::Members{{"if", has("lever", Json::Members{{"const", l->key}})},
                                  {"then", std::move(then)}});
  }
  // Indicator predicates are read on the month before the policy acts, so
  // the policy must start after 2013-01 (the default start).
  const Json with_predicates =
      has("where", Json::Members{{"type", "object"}, {"required", Json::Items{"indicators"}}});
  const Json after_start = Json::Members{
      {"required", Json::Items{"from"}},
      {"properties",
       Json::Members{{"from", Json::Members{{"not", Json::Members{{"const", "2013-01"}}}}}}}};
  rules.push_back(
      Json::Members{{"if", with_predicates},
                    {"then", Json::Members{{"required", Json::Items{"when"}},
                                           {"properties", Json::Members{{"when", after_start}}}}}});
  p.add("allOf", std::move(rules));
  return p;
}

Json trigger() {
  Json t = closed_object(fields(scenario::keys::trigger, {{"indicator", ref("indicator")},
                                                          {"above", any_number()},
                                                          {"below", any_number()},
                                                          {"for_months", integer(1, 600)},
                                                          {"rearm", boolean()}}));
  t.add("required", Json::Items{"indicator"});
  t.add("oneOf", Json::Items{required({"above"}), required({"below"})});
  return t;
}

Json goal() {
  const std::vector<std::string> aggregations(scenario::aggregation_names.begin(),
                                              scenario::aggregation_names.end());
  Json g =
      closed_object(fields(scenario::keys::goal, {{"name", Json::Members{{"type", "string"}}},
                                                  {"indicator", ref("indicator")},
                                                  {"where", ref("where")},
                                                  {"aggregation", words(aggregations)},
                                                  {"share", number(0.0, 1.0)},
                                                  {"at", month()},
                                                  {"by", month()},
                                                  {"below", any_number()},
                                                  {"above", any_number()},
                                                  {"between", tuple(2, any_number())},
                                                  {"source", Json::Members{{"type", "string"}}}}));
  g.add("required", Json::Items{"name", "indicator"});
  const Json share_needs_aggregation =
      Json::Members{{"if", required({"share"})},
                    {"then", has("aggregation", Json::Members{{"const", "share_of_cities"}})}};
  g.add("allOf", Json::Items{one_of_keys({"at", "by"}), one_of_keys({"below", "above", "between"}),
                             share_needs_aggregation});
  return g;
}

Json outputs() {
  const Json variable =
      Json::Members{{"anyOf", Json::Items{Json::Members{{"const", "all"}}, ref("indicator")}}};
  const Json variables = Json::Members{
      {"anyOf", Json::Items{variable, Json::Members{{"type", "array"}, {"items", variable}}}}};
  const Json replicates =
      Json::Members{{"anyOf", Json::Items{Json::Members{{"enum", Json::Items{"all", "none"}}},
                                          integer(0, 10'000'000)}}};
  return closed_object(
      fields(scenario::keys::outputs, {{"resolution", words(scenario::keys::resolutions)},
                                       {"variables", variables},
                                       {"replicates", replicates},
                                       {"aggregates", boolean()}}));
}

Json list_of(Json item) {
  return Json::Members{{"type", Json::Items{"array", "null"}}, {"items", std::move(item)}};
}

Json schema() {
  Json s = Json::Members{
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"title", "regsim scenario"},
      {"$comment", fmt::format("generated by `regsim schema` ({})", experiment::version_string())},
  };
  Json top = closed_object(fields(
      scenario::keys::top,
      {{"scenario", Json::Members{{"type", "string"}}},
       {"description", Json::Members{{"type", "string"}}},
       {"extends", Json::Members{{"type", "string"}}},
       {"horizon",
        closed_object(fields(scenario::keys::horizon, {{"start", month()}, {"end", month()}}))},
       {"region", Json::Members{{"type", "string"}}},
       {"experiment", experiment()},
       {"parameters", parameters_under("")},
       {"uncertainties", uncertainties()},
       {"prices", index_paths()},
       {"demand", index_paths()},
       {"policies", list_of(policy())},
       {"goals", list_of(goal())},
       {"outputs", outputs()}}));
  for (auto& [key, value] : top.members()) s.add(key, std::move(value));
  // A file with `extends` is partial: what it leaves out comes from its
  // parent, so it needs no key at all, and maps merged key by key (horizon,
  // experiment, outputs, parameters) never require theirs, as a child may
  // override one. A file without `extends` is a whole scenario and needs its
  // name. Policies, goals and uncertainties are appended or replaced whole,
  // so their own required keys hold in every file.
  s.add("if", Json::Members{{"not", required({"extends"})}});
  s.add("then", required({"scenario"}));
  // Factorial sampling crosses choice levels: each uncertainty this file
  // gives must be a choice (inherited ones are left to regsim validate).
  const Json choice_or_removed =
      Json::Members{{"anyOf", Json::Items{Json::Members{{"type", "null"}}, required({"choice"})}}};
  const Json only_choices = Json::Members{
      {"properties",
       Json::Members{{"uncertainties", Json::Members{{"patternProperties",
                                                      Json::Members{{"", choice_or_removed}}}}}}}};
  s.add("allOf",
        Json::Items{Json::Members{
            {"if", has("experiment", has("sampling", Json::Members{{"const", "factorial"}}))},
            {"then", only_choices}}});
  s.add("$defs", Json::Members{{"indicator", indicator()},
                               {"lever", lever_names()},
                               {"where", selector(false)},
                               {"policy_where", selector(true)},
                               {"trigger", trigger()}});
  return s;
}

}  // namespace

void register_schema(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "schema", "Print a JSON Schema of scenario files, for editors (yaml-language-server)");
  cmd->callback([] { std::cout << schema().dump() << "\n"; });
}

}  // namespace regsim::cli
