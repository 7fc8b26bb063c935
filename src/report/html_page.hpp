#pragma once
// A self-contained HTML page: inline CSS and SVG, images as data: URIs, no scripts or fonts
// from elsewhere, so a report opens anywhere (a laptop, an air-gapped cluster's login node)
// and can be mailed as one file.
#include <filesystem>
#include <string>
#include <vector>

#include "core/atomic_output.hpp"

namespace quarry::report {

// Text made safe inside HTML elements and attribute values.
std::string escape_html(const std::string& text);

// A table: header cells and rows of already-escaped HTML cells.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
std::string render_table(const Table& table);

class HtmlPage {
 public:
  explicit HtmlPage(std::string title);
  void add_paragraph(const std::string& text);  // plain text, escaped
  // A section with a heading and trusted HTML (charts, tables) under it.
  void add_section(const std::string& heading, const std::string& html);
  // A section with a table under an introduction, or only `when_empty` (a note) without rows.
  void add_table_section(const std::string& heading, const std::string& introduction,
                         const Table& table, const std::string& when_empty);
  std::string render() const;
  // Publishes the page atomically (refusing to replace an existing file unless `overwrite`).
  void publish(const std::filesystem::path& out, Overwrite overwrite) const;

 private:
  std::string title_;
  std::vector<std::string> body_;
};

}  // namespace quarry::report
