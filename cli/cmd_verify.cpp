// cli/cmd_verify.cpp: `verify [--expect-head HASH] [--from-checkpoint] [--verbose]`: silent and 0 when all
// is well.
#include "cli/commands.hpp"
#include "cli/progress.hpp"

namespace nexadex::cli {
namespace {

struct VerifyArgs {
  std::string expect_head;   // --expect-head HASH
  bool verbose = false;      // --verbose
  bool from_checkpoint = false;   // --from-checkpoint
  bool operator==(const VerifyArgs&) const = default;
};

Status verify(Context& ctx, const Options& o, const VerifyArgs& a) {
  NX_TRY(format, ctx.format(o));
  if (!a.expect_head.empty()) {
    bool hex = a.expect_head.size() == 64;
    for (char c : a.expect_head) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!hex) {
      return input_error("--expect-head '" + a.expect_head + "' is not a head hash; give the 64 lowercase hex digits "
                         "that 'nexadex verify --verbose' prints.");
    }
  }
  NX_TRY(threads, ctx.threads());
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    if (!ctx.in_batch()) NX_TRY_STATUS(j.read_without_map());   // one pass: nothing of it kept resident
    ProgressLine line(ctx, o, "verify", "events", 1);
    auto result = j.verify([&](int64_t done, int64_t total) { line.update(done, total); }, a.from_checkpoint,
                           threads > 1);
    line.clear();
    if (!result) return std::unexpected(result.error());
    auto& problems = result->problems;
    if (!a.expect_head.empty() && a.expect_head != result->head.hash) {
      problems.push_back({result->head.seq, "head",
                          "the head hash is " + result->head.hash + " but --expect-head gives " + a.expect_head});
    }
    if (problems.empty()) {
      if (a.verbose) {
        Section s{"verify", "Journal verified", SectionShape::record,
                  {{"events", CellType::integer},
                   {"checkpoints", CellType::integer},
                   {"head_seq", CellType::integer},
                   {"head_hash", CellType::hash},
                   {"head_at", CellType::time}},
                  {}};
        s.rows.push_back({Cell::of_int(result->events), Cell::of_int(result->checkpoints), Cell::of_int(result->head.seq),
                          Cell::of_hash(result->head.hash), Cell::of_time(result->head.at)});
        if (a.from_checkpoint) {
          // where the check began: the event after the latest checkpoint (1 when there is none)
          s.columns.insert(s.columns.begin(), {"from_seq", CellType::integer});
          s.rows.back().insert(s.rows.back().begin(), Cell::of_int(result->from_seq));
        }
        render(Report{"verify", {std::move(s)}}, format, ctx.out());
      }
      return {};
    }
    // The first finding is the earliest cause; the rest (--verbose) follow from it or stand beside it.
    Section s{"discrepancies", "Discrepancies", SectionShape::list,
              {{"seq", CellType::integer}, {"check", CellType::text}, {"message", CellType::text}},
              {}};
    const std::size_t shown = a.verbose ? problems.size() : 1;
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& p = problems[i];
      s.rows.push_back({p.seq ? Cell::of_int(p.seq) : Cell::none(CellType::integer), Cell::of_text(p.check),
                        Cell::of_text(p.message)});
    }
    render(Report{"verify", {std::move(s)}}, format, ctx.out());
    const auto& first = problems.front();
    const std::size_t n = problems.size();
    const std::string count = std::to_string(n) + " discrepanc" + (n == 1 ? "y" : "ies");
    const std::string rest = n > 1 && !a.verbose ? "; 'nexadex verify --verbose' lists all " + std::to_string(n) : "";
    if (n == 1 && first.check == "head") {
      return discrepancy_error(count + ", the first at seq " + std::to_string(first.seq) +
                               " (head); the journal is intact but does not end where --expect-head says, so check that "
                               "it is the journal you meant and that no events were added or are missing.");
    }
    if (first.check == "structure") {
      return discrepancy_error(count + ", the first in the file's structure (SQLite's integrity check): the file is "
                               "damaged, so restore it from a trusted copy" + rest + ".");
    }
    return discrepancy_error(count + (first.seq ? ", the first at seq " + std::to_string(first.seq) + " (" + first.check + ")"
                                                : " (" + first.check + ")") +
                             "; do not trust this journal from that seq on, and restore it from a trusted copy" + rest +
                             ".");
  });
}

class Verify final : public CommandWith<VerifyArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli&) override {
    auto* cmd = app.add_subcommand("verify", "Check the hash chain, replay every event and compare the state");
    cmd->add_option("--expect-head", m_args.expect_head, "Also require this head hash (64 hex digits)")
        ->type_name("HASH");
    cmd->add_flag("--from-checkpoint", m_args.from_checkpoint,
                  "Check only the events after the latest checkpoint, from the state it holds, and the live tables");
    cmd->add_flag("--verbose,-v", m_args.verbose,
                  "Print the head seq and hash when all is well; list every finding, not only the first");
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli&) override { return verify(ctx, o, m_args); }
};

}  // namespace

std::unique_ptr<Command> make_verify_command() { return std::make_unique<Verify>(); }

}  // namespace nexadex::cli
