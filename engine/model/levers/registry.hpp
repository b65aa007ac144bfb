// The lever registry: every lever, sorted by key. Adding a lever is one new
// file in this folder plus one line in registry.cpp's REGSIM_LEVERS list
// and a test case in tests/model/levers/cases/ (a catalogue test checks
// all three); CMake compiles every .cpp of the folder.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/levers/lever.hpp"

namespace regsim::model::levers {

/// All levers, sorted by key.
std::span<const Lever* const> all();
/// The lever with this key, or nullptr.
const Lever* find(std::string_view key);
/// Every lever key (for "expected one of" and did-you-mean).
std::vector<std::string> keys();
/// The lever reference in Markdown (scenarios/README.md embeds it).
std::string reference_markdown();

}  // namespace regsim::model::levers
