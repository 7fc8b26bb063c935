#pragma once
// `quarry ingest`: read annotation files, check them against the pool, combine each item's
// answers into one label with a confidence, measure agreement and annotator reliability, and
// append the result to the label ledger. Items below --min-confidence go to the adjudication
// list instead. Serial (rank 0): the work is small next to scoring.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "files/ledger/ledger.hpp"
#include "ingest/consensus/dawid_skene.hpp"
#include "ingest/object_report.hpp"
#include "ingest/prelabel_acceptance.hpp"
#include "ingest/readers/readers.hpp"

namespace quarry::ingest {

enum class ConsensusMethod { majority, dawid_skene };
ConsensusMethod parse_consensus_method(const std::string& name);  // UsageError otherwise
std::string consensus_method_name(ConsensusMethod method);        // what parse_ takes

struct IngestRequest {
  std::vector<std::filesystem::path> annotations;
  AnnotationFormat format = AnnotationFormat::csv;
  std::filesystem::path pool;
  std::filesystem::path ledger;
  ConsensusMethod consensus = ConsensusMethod::dawid_skene;
  double min_confidence = 0.7;
  bool skip_bad = false;
  // CVAT: the annotator of each file (one name for every file, or one per file); empty: read
  // from each file's <meta>.
  std::vector<std::string> annotators;
  std::vector<std::filesystem::path> gold;  // CSV id,label files of items whose label is known
  // Pre-label lists of the exports being answered (prelabels.hpp); empty: acceptance unmeasured.
  std::vector<std::filesystem::path> prelabels;
  // Label Studio: the server's user list (/api/users JSON) naming user ids by email; empty: none.
  std::filesystem::path annotator_map;
  // The name the ledger records for each annotation file (/files/name), one per file; empty: the
  // path given. quarry cycle names the place it moves each file to once the ingest succeeded.
  std::vector<std::filesystem::path> recorded_names;
  std::int32_t round = 0;  // 0: the ledger's last round + 1
  DawidSkeneOptions dawid_skene;
  // Detection and keypoint pools: the IoU at which annotators' objects match, and the share of an
  // item's answers that must draw an object for consensus to keep it.
  double object_iou = 0.5;
  double min_support = 0.5;

  bool operator==(const IngestRequest&) const = default;
};

struct AnnotatorRow {
  std::string name;
  std::int32_t answers = 0;
  std::optional<double> gold_accuracy;       // on gold items, when it answered any
  double consensus_accuracy = 0;             // share of answers equal to the consensus
  std::optional<double> estimated_accuracy;  // Dawid-Skene's sum_k p_k pi_kk
};

struct IngestReport {
  std::vector<std::string> already_ingested;  // files skipped: the ledger records them
  std::size_t files_read = 0;
  std::size_t answers = 0;  // answers read and accepted, new and repeated
  // Of them, answers the ledger already held word for word (same annotator, item and label): a
  // cumulative export (one Label Studio project for every round) repeats earlier rounds' answers.
  // They vote again, but the ledger stores only the new ones.
  std::size_t repeated_answers = 0;
  std::size_t earlier_answers = 0;  // answers from earlier rounds on the same items
  std::size_t items = 0;
  std::size_t rejected = 0;
  std::optional<std::filesystem::path> rejects_file;
  std::string consensus;
  int iterations = 0;
  bool converged = true;
  double log_likelihood = 0;
  std::vector<double> class_priors;  // Dawid-Skene's p_k
  double fleiss_kappa = 0;
  double krippendorff_alpha = 0;
  std::vector<AnnotatorRow> annotators;
  std::size_t resolved = 0;
  std::size_t unresolved = 0;
  double min_confidence = 0;
  AppendSummary ledger;
  std::optional<PrelabelAcceptance> prelabel_acceptance;  // of the new answers, given pre-labels
  std::optional<ObjectReport> objects;                    // detection and keypoint pools
  std::vector<std::pair<std::string, double>> timings_s;  // read (and check), consensus, ledger
};

IngestReport run_ingest(const IngestRequest& request);

// The summary table printed after an ingest.
std::string format_report(const IngestReport& report, const std::filesystem::path& ledger);

}  // namespace quarry::ingest
