#pragma once
// Strings that came from users' files (annotator names, file names, quoted lines) may hold bytes
// that are not UTF-8. Every place that stores them in a UTF-8 dataset or a JSON file checks them
// first or escapes them, so a bad byte is reported as bad input before anything is published
// instead of making the JSON writer throw after a commit.
#include <string>
#include <string_view>

namespace quarry {

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text);

// True when `text` holds an ASCII control character (U+0000-U+001F or U+007F).
bool has_control_character(std::string_view text);

// `text` with every byte that is not part of well-formed UTF-8, and every control character,
// written as \xNN: always valid UTF-8, readable in messages, and one-to-one for text that holds
// no backslash followed by 'x'.
std::string escape_for_display(std::string_view text);

// Why `name` cannot be stored as a name (empty, not UTF-8, a control character), or "" when it
// can. `what` says what the name is, for the message ("annotator name").
std::string name_problem(std::string_view name, std::string_view what);

}  // namespace quarry
