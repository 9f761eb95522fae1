import ArgumentParser
import PlumbCore
import Reports

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, jsonl, sarif, github, markdown, gitlab
}

/// One place that turns results into any output format, for `scan` and `check` alike.
struct Rendering {
  let catalog: RuleCatalog
  let run: RunInfo
  let linkTemplate: String?
  let colour: Bool

  /// Renders to `--output` or standard output; JSON is written one repository at a time.
  func emit(_ results: [RepositoryResult], as format: OutputFormat, extra: [(String, JSONValue)], to output: String?)
    throws
  {
    guard format == .json else { return try Environment.emit(render(results, as: format, extra: extra), to: output) }
    try Environment.emit(to: output) { stream in
      try JSONReport.write(results, run: run, extra: extra, indent: 2) { try stream.write($0) }
    }
  }

  func render(_ results: [RepositoryResult], as format: OutputFormat, extra: [(String, JSONValue)] = []) -> String {
    switch format {
    case .text: return TextReport(colour: colour).render(results)
    case .json:
      var document = JSONReport.document(results, run: run)
      if case .object(let pairs) = document, !extra.isEmpty { document = .object(pairs + extra) }
      return document.serialized(indent: 2) + "\n"
    case .jsonl: return JSONReport.lines(results)
    case .sarif: return SARIFReport.document(results, catalog: catalog, run: run).serialized(indent: 2) + "\n"
    case .github: return GitHubAnnotations.render(results)
    case .markdown: return MarkdownReport(linkTemplate: linkTemplate).render(results)
    case .gitlab: return GitLabCodeQuality.document(results).serialized(indent: 2) + "\n"
    }
  }
}
