#pragma once
// The fuzz contract for a text-level annotation reader (read_label_studio and its siblings),
// checked with and without --skip-bad, reading classes and reading objects (detection pools).
#include <algorithm>
#include <cctype>
#include <string>

#include "fuzz/contract.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::fuzz {

template <class Reader>
void fuzz_annotation_reader(const std::uint8_t* data, std::size_t size, const std::string& file,
                            Reader&& reader) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // read_annotation_file refuses these before any reader sees them.
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }))
    return;
  for (const bool objects : {false, true})
    for (const bool skip_bad : {false, true}) {
      ingest::RecordSink sink(file, skip_bad);
      expect_success_or_input_error(file, [&] { reader(text, sink, objects); });
    }
}

}  // namespace quarry::fuzz
