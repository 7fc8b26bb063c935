#pragma once
// The report sections about one scored pool and the batch chosen from it: score histogram,
// predicted-class mix of the batch versus the pool, thumbnails with predictions. Shared by the
// round report and the simulation report (its last round).
#include <filesystem>
#include <string>

#include "report/html_page.hpp"

namespace quarry::report {

// `pool` empty: the scores file's own `pool` attribute.
void add_batch_sections(HtmlPage& page, const std::filesystem::path& scores,
                        const std::filesystem::path& selection, std::filesystem::path pool,
                        int thumbnails, int bins);

}  // namespace quarry::report
