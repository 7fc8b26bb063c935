#include "simulate/simulation_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "report/batch_sections.hpp"
#include "report/html_page.hpp"
#include "report/ingest_sections.hpp"
#include "report/svg_chart.hpp"

namespace quarry::simulate {

namespace fs = std::filesystem;

namespace {

// Mean labels (or annotator seconds), mean accuracy and its spread per round over the seeds of one
// strategy.
report::LineSeries mean_curve(const std::vector<CurvePoint>& points, const std::string& strategy,
                              bool seconds = false) {
  std::map<int, std::vector<const CurvePoint*>> by_round;
  for (const auto& p : points)
    if (p.strategy == strategy) by_round[p.round].push_back(&p);
  report::LineSeries series{strategy, {}, {}, {}};
  bool several = false;
  for (const auto& [round, at] : by_round) {
    double labels = 0, acc = 0, sq = 0;
    for (const auto* p : at) labels += seconds ? p->seconds : double(p->labels), acc += p->accuracy;
    labels /= double(at.size());
    acc /= double(at.size());
    for (const auto* p : at) sq += (p->accuracy - acc) * (p->accuracy - acc);
    several = several || at.size() > 1;
    series.x.push_back(labels);
    series.y.push_back(acc);
    series.spread.push_back(at.size() > 1 ? std::sqrt(sq / double(at.size() - 1)) : 0.0);
  }
  if (!several) series.spread.clear();
  return series;
}

}  // namespace

void write_simulation_report(const fs::path& out, const SimulateOptions& o,
                             const std::vector<CurvePoint>& points,
                             const std::vector<StrategySummary>& summary, const fs::path& last_run,
                             Overwrite overwrite) {
  report::HtmlPage page("quarry simulate: learning curves");
  std::string annotators;
  for (const auto& a : o.annotators)
    annotators += fmt::format("{}{} {:.2f}", annotators.empty() ? "" : ", ", a.name, a.accuracy);
  page.add_paragraph(fmt::format(
      "Pool {}, test pool {}; {} initial random labels, then {} rounds of {}; {} votes per item "
      "from simulated annotators ({}), {} consensus; {} model, {} epoch(s) per round{}{}.",
      o.pool.string(), o.test_pool.string(), o.initial, o.rounds, o.batch, o.votes_per_item,
      annotators, o.consensus, o.arch, o.epochs,
      o.train_images ? fmt::format(" (at least {} examples seen)", o.train_images) : "",
      o.warm_start ? " continuing from the previous round's model" : " from a fresh seeded model"));

  std::vector<report::LineSeries> curves;
  for (const auto& row : summary) curves.push_back(mean_curve(points, row.strategy));
  const bool objects = o.task != pool::Task::classify;
  const std::string metric = "test " + target_metric(o.task);
  page.add_section(
      fmt::format("Learning curves ({}; band: one standard deviation over seeds)", metric),
      report::line_chart(curves, {objects ? "labeled images" : "labels", metric, 760, 380,
                                  report::AxisKind::count, report::AxisKind::share}));
  if (objects) {
    std::vector<report::LineSeries> timed;
    for (const auto& row : summary) timed.push_back(mean_curve(points, row.strategy, true));
    page.add_section(fmt::format("{} against annotator seconds (time model)", metric),
                     report::line_chart(timed, {"annotator seconds", metric, 760, 380,
                                                report::AxisKind::count, report::AxisKind::share}));
  }

  report::Table table{{"strategy", "seeds reaching the target",
                       "labels to reach random's final "
                       "accuracy",
                       "saving vs random", "final accuracy", "votes per label"},
                      {}};
  for (const auto& r : summary) {
    const auto cells = summary_cells(r, "&plusmn;");
    table.rows.push_back({report::escape_html(r.strategy), fmt::format("{}/{}", r.reached, r.seeds),
                          cells.labels, cells.saving, cells.final_accuracy,
                          fmt::format("{:.2f}", r.votes_per_label)});
  }
  page.add_section("Summary", report::render_table(table));

  // The example batch's sections read a classifier's scores (probabilities, predicted classes).
  if (!last_run.empty() && !objects) {
    int last = -1;
    for (int r = 0; r < o.rounds; ++r)
      if (fs::exists(last_run / fmt::format("selection-{:04d}.h5", r))) last = r;
    fs::path scores;
    for (int r = last; r >= 0 && scores.empty(); --r)
      if (fs::exists(last_run / fmt::format("scores-{:04d}.h5", r)))
        scores = last_run / fmt::format("scores-{:04d}.h5", r);
    if (last >= 0 && !scores.empty()) {
      page.add_paragraph(fmt::format("The last selection round of {}:", last_run.string()));
      report::add_batch_sections(page, scores, last_run / fmt::format("selection-{:04d}.h5", last),
                                 o.pool, 48, 30);
    }
    report::add_ingest_section(page, last_run / "labels.h5");
  }
  page.publish(out, overwrite);
}

}  // namespace quarry::simulate
