// Small text helpers every layer needs, written once: counting characters
// for columns, ASCII case folding for words, and the did-you-mean that
// every "unknown name" message offers.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace regsim::support {

/// Number of characters (UTF-8 code points) in s; columns in messages count these.
int code_points(std::string_view s);

/// s with A-Z folded to a-z (words of the scenario language are ASCII).
std::string ascii_lower(std::string_view s);

/// Optimal-string-alignment edit distance (transpositions count as one edit).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word` if it is plausibly a misspelling of it
/// (distance <= max(1, |word| / 3), capped at 3); empty otherwise.
std::string nearest_name(std::string_view word, std::span<const std::string> candidates);

/// "a, b, c" — for the `expected` field of a message.
std::string join(std::span<const std::string> names, std::string_view sep = ", ");

}  // namespace regsim::support
