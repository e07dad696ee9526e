// cli/cmd_run.cpp: `run FILE|-`: one command a line, all in one transaction, all or nothing.
#include <algorithm>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/progress.hpp"

namespace nexadex::cli {
namespace {

struct RunArgs {
  std::string file;   // FILE
  bool operator==(const RunArgs&) const = default;
};

// `a` is a copy: every line's parse resets the options of every command, run's own included.
Status run_batch(Context& ctx, const Options& o, const RunArgs a, Cli& cli) {
  if (ctx.in_batch()) return input_error("run cannot be used inside a batch.");
  NX_TRY(text, read_input(a.file, "batch file"));
  const std::string name = a.file == "-" ? "standard input" : a.file;
  const Options batch_opts = o;  // the global options, cli.opts, are reset by every line's parse
  NX_TRY(now, ctx.time(batch_opts));
  NX_TRY(format, ctx.format(batch_opts));  // checked before anything is written
  NX_TRY(path, ctx.journal_path(batch_opts));
  NX_TRY(j, ctx.open_writer(path));
  if (auto ok = j.begin(); !ok) return ok;
  const int64_t first_seq = j.head().seq + 1;
  ctx.begin_batch(&j, now);
  // What the lines print (each write line's result, each report) is held until the batch commits:
  // a batch that fails wrote nothing, so it prints nothing but its error.
  std::ostringstream held;
  std::ostream& out = ctx.redirect_out(held);
  int64_t line_no = 0, commands = 0;
  std::string_view rest = text;
  Status status;
  const int64_t lines = static_cast<int64_t>(std::count(text.begin(), text.end(), '\n')) +
                        (!text.empty() && text.back() != '\n');
  ProgressLine progress(ctx, batch_opts, "run", "lines");
  while (!rest.empty() && status) {
    progress.update(line_no, lines);
    const auto nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    ++line_no;
    auto fail = [&](const Error& e) {
      return std::unexpected(Error{e.kind, name + " line " + std::to_string(line_no) + ": " + e.message});
    };
    auto words = tokenize(line);
    if (!words) {
      status = fail(words.error());
      break;
    }
    if (words->empty()) continue;
    const std::string& cmd = words->front();
    if (cmd == "init" || cmd == "run") {
      status = fail(Error{ErrorKind::input, cmd + " cannot be used inside a batch; run it on its own."});
      break;
    }
    if (!quick_parse(cli, *words)) {
      auto parsed = parse_command_line(cli, *words, ctx.out());
      if (!parsed) {
        status = fail(parsed.error());
        break;
      }
      if (*parsed == Parsed::handled) continue;
    }
    if (cli.opts.journal) {
      status = fail(Error{ErrorKind::input, "--journal cannot be given inside a batch; the batch writes to one journal."});
      break;
    }
    if (!cli.opts.format) cli.opts.format = batch_opts.format;
    cli.opts.quiet = cli.opts.quiet || batch_opts.quiet;
    if (auto f = ctx.format(cli.opts); !f) {
      status = fail(f.error());
      break;
    }
    const auto path = cli.path;
    // each line's output, after a blank line when it follows another's
    std::ostringstream line_out;
    ctx.redirect_out(line_out);
    auto ok = dispatch(ctx, cli);
    ctx.redirect_out(held);
    if (!line_out.view().empty()) {
      if (held.tellp() > 0) held << '\n';
      held << line_out.view();
    }
    if (!ok) {
      std::string prefix = path.empty() ? "" : path[0] + (path.size() > 1 ? " " + path[1] : "") + ": ";
      status = fail(Error{ok.error().kind, prefix + ok.error().message});
      break;
    }
    ++commands;
  }
  progress.clear();
  ctx.end_batch();
  ctx.redirect_out(out);
  cli.opts = batch_opts;
  if (!status) {
    j.rollback();
    std::string message = status.error().message;
    // a journal error that says so already (a failed read inside the batch)
    if (message.find("nothing was written") != std::string::npos) return std::unexpected(status.error());
    if (!message.empty() && message.back() == '.') message.pop_back();
    return std::unexpected(Error{status.error().kind, message + "; nothing of the batch was written."});
  }
  if (auto ok = j.commit(); !ok) return ok;
  out << held.view();
  if (held.tellp() > 0) out << '\n';   // the summary stands apart from the last line's output
  const JournalHead head = j.head();
  const int64_t appended = head.seq - first_seq + 1;
  if (o.quiet && format == Format::table) {
    // --quiet: the one-line summary
    out << "batch committed: " << commands << (commands == 1 ? " command, " : " commands, ") << appended
        << (appended == 1 ? " event" : " events")
        << (appended > 0 ? " (seq " + std::to_string(first_seq) + " to " + std::to_string(head.seq) + ")" : "")
        << ", head " << head.hash << '\n';
    return {};
  }
  Section s{"run", "Batch committed", SectionShape::record,
            {{"commands", CellType::integer},
             {"events", CellType::integer},
             {"first_seq", CellType::integer},
             {"head_seq", CellType::integer},
             {"head_hash", CellType::hash}},
            {}};
  s.rows.push_back({Cell::of_int(commands), Cell::of_int(appended),
                    appended > 0 ? Cell::of_int(first_seq) : Cell::none(CellType::integer), Cell::of_int(head.seq),
                    Cell::of_hash(head.hash)});
  render(Report{"run", {std::move(s)}}, format, out);
  return {};
}

class Run final : public CommandWith<RunArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("run", "Run a batch of commands, one per line, all in one transaction");
    file(cli, cmd->add_option("FILE", m_args.file, "The batch file, or - for standard input")->required());
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli& cli) override { return run_batch(ctx, o, m_args, cli); }
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<Run>(); }

}  // namespace nexadex::cli
