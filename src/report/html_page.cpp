#include "report/html_page.hpp"

#include <fmt/format.h>

#include <fstream>

#include "core/error.hpp"

namespace quarry::report {

namespace {

// Inline style only: the page must render the same without network access.
constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 24px; color: #222; background: #fff; max-width: 1100px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; }
.thumbs { display: flex; flex-wrap: wrap; gap: 6px; }
.thumb { font-size: 11px; text-align: center; width: 72px; }
.thumb img { width: 64px; height: 64px; image-rendering: pixelated; border: 1px solid #999; }
.stack { position: relative; border: 1px solid #999; margin-bottom: 2px; }
.stack img { position: absolute; left: 0; top: 0; border: 0; image-rendering: pixelated; }
.stack svg { position: absolute; left: 0; top: 0; overflow: hidden; }
.note { color: #666; font-size: 13px; }
svg text { font-family: sans-serif; }
)";

}  // namespace

std::string escape_html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_table(const Table& table) {
  std::string html = "<table>\n<tr>";
  for (const auto& cell : table.header) html += "<th>" + cell + "</th>";
  html += "</tr>\n";
  for (const auto& row : table.rows) {
    html += "<tr>";
    for (const auto& cell : row) html += "<td>" + cell + "</td>";
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::add_paragraph(const std::string& text) {
  body_.push_back("<p class=\"note\">" + escape_html(text) + "</p>\n");
}

void HtmlPage::add_section(const std::string& heading, const std::string& html) {
  body_.push_back("<h2>" + escape_html(heading) + "</h2>\n" + html + "\n");
}

void HtmlPage::add_table_section(const std::string& heading, const std::string& introduction,
                                 const Table& table, const std::string& when_empty) {
  if (table.rows.empty())
    add_section(heading, "<p class=\"note\">" + when_empty + "</p>");
  else
    add_section(heading, "<p>" + introduction + "</p>\n" + render_table(table));
}

std::string HtmlPage::render() const {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
      escape_html(title_), kStyle, escape_html(title_));
  for (const auto& part : body_) html += part;
  return html + "</body>\n</html>\n";
}

void HtmlPage::publish(const std::filesystem::path& out, Overwrite overwrite) const {
  AtomicOutput output(out, overwrite);
  {
    std::ofstream file(output.temp_path(), std::ios::binary);
    file << render();
    if (!file.flush()) throw Error(fmt::format("{}: cannot write the report", out.string()));
  }
  output.commit();
}

}  // namespace quarry::report
